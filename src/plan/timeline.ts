/**
 * A cluster's peak load per node pool, read from its timeline without simulating addresses: the pods its
 * workload asks for at every event time (deployments' replicas, churn's concurrent pods, a daemonset pod per
 * node), the nodes that would hold them (the autoscaler within its min and max; a pool without one keeps its
 * count and `nodes` events), and the pods those nodes can run. Every node is full only where the timeline fills it.
 * Cost: O(events × pools).
 */
import type { ClusterScenario, PoolScenario } from '../scenario/index.js';

export interface PoolLoad {
  readonly pool: PoolScenario;
  /** Most nodes at once (surge not included). */
  readonly nodes: number;
  /** Most pods with an address at once (daemonset pods included), at most nodes × max-pods. */
  readonly pods: number;
  /** Most pods the workload asked for at once (placed or not), daemonset pods of the peak nodes included. */
  readonly demand: number;
}

/** Concurrent pods of a churn: rate × lifetime (Little's law) plus three standard deviations of a Poisson count. */
export function churnPods(ratePerSecond: number, lifetimeMs: number): number {
  const mean = (ratePerSecond * lifetimeMs) / 1000;
  return Math.ceil(mean + 3 * Math.sqrt(mean));
}

/** A cluster's pools, those added later included, in file order. */
export function poolsOf(cluster: ClusterScenario): PoolScenario[] {
  const pools = [...cluster.pools];
  for (const e of cluster.workload) if (e.type === 'addPool') pools.push(e.pool);
  return pools;
}

/** Each pool's peak from the timeline; `maxPodsOf` gives the max-pods of a pool under the mode being planned. */
export function timelinePeaks(cluster: ClusterScenario, maxPodsOf: (pool: PoolScenario) => number): PoolLoad[] {
  const pools = poolsOf(cluster);
  const index = new Map(pools.map((p, i) => [p.name, i]));
  const enabled = pools.map((p) => cluster.pools.includes(p));
  const explicit = pools.map((p) => p.count);
  const deployments = new Map<string, { pool: number; replicas: number }>();
  const daemonsets = new Map<string, string | null>();
  const churns: { pool: number; pods: number; toMs: number }[] = [];
  const peakNodes = pools.map(() => 0);
  const peakPods = pools.map(() => 0);
  const peakDemand = pools.map(() => 0);

  const look = (t: number) => {
    pools.forEach((p, i) => {
      if (!enabled[i]) return;
      const maxPods = maxPodsOf(p);
      let ds = 0;
      for (const target of daemonsets.values()) if (target === null || target === p.name) ds++;
      ds = Math.min(ds, maxPods);
      const room = Math.max(1, maxPods - ds);
      let want = 0;
      for (const d of deployments.values()) if (d.pool === i) want += d.replicas;
      for (const c of churns) if (c.pool === i && c.toMs > t) want += c.pods;
      let nodes = explicit[i]!;
      if (p.autoscaler) nodes = Math.min(p.autoscaler.maxCount, Math.max(nodes, p.autoscaler.minCount, Math.ceil(want / room)));
      const pods = Math.min(want, nodes * room) + nodes * ds;
      peakNodes[i] = Math.max(peakNodes[i]!, nodes);
      peakPods[i] = Math.max(peakPods[i]!, pods);
      peakDemand[i] = Math.max(peakDemand[i]!, want + nodes * ds);
    });
  };

  look(0);
  const events = cluster.workload;
  for (let k = 0; k < events.length; ) {
    const t = events[k]!.atMs;
    // Every event of one instant is applied before the load is read (a deploy and its scale-down cancel out).
    for (; k < events.length && events[k]!.atMs === t; k++) {
      const e = events[k]!;
      switch (e.type) {
        case 'deploy':
          deployments.set(e.name, { pool: index.get(e.pool) ?? -1, replicas: e.replicas });
          break;
        case 'scale': {
          const d = deployments.get(e.name);
          if (d) d.replicas = e.replicas;
          break;
        }
        case 'delete':
          deployments.delete(e.name);
          daemonsets.delete(e.name);
          break;
        case 'daemonset':
          daemonsets.set(e.name, e.pool);
          break;
        case 'churn':
          churns.push({ pool: index.get(e.pool) ?? -1, pods: churnPods(e.ratePerSecond, e.lifetimeMs), toMs: e.toMs });
          break;
        case 'nodes': {
          const i = index.get(e.pool);
          if (i !== undefined) explicit[i] = e.count;
          break;
        }
        case 'addPool': {
          const i = index.get(e.pool.name);
          if (i !== undefined) enabled[i] = true;
          break;
        }
        case 'removePool': {
          const i = index.get(e.pool);
          if (i !== undefined) enabled[i] = false;
          break;
        }
        default:
          break;
      }
    }
    look(t);
  }
  return pools.map((pool, i) => ({ pool, nodes: peakNodes[i]!, pods: peakPods[i]!, demand: peakDemand[i]! }));
}

/** Each pool at its largest with every node full: count, autoscaler max and `nodes` events; nodes × max-pods pods. */
export function fullPeaks(cluster: ClusterScenario, maxPodsOf: (pool: PoolScenario) => number): PoolLoad[] {
  return poolsOf(cluster).map((pool) => {
    let nodes = Math.max(pool.count, pool.autoscaler?.maxCount ?? 0);
    for (const e of cluster.workload) if (e.type === 'nodes' && e.pool === pool.name) nodes = Math.max(nodes, e.count);
    const pods = nodes * maxPodsOf(pool);
    return { pool, nodes, pods, demand: pods };
  });
}

/** The largest maxSurge of the pool's upgrades, as nodes of a pool of `nodes`. */
export function upgradeSurge(cluster: ClusterScenario, pool: string, nodes: number): number {
  let surge = 0;
  for (const e of cluster.workload) {
    if (e.type !== 'upgrade' || e.pool !== pool) continue;
    const s = typeof e.maxSurge === 'number' ? e.maxSurge : Math.max(1, Math.ceil((nodes * parseFloat(e.maxSurge)) / 100));
    surge = Math.max(surge, s);
  }
  return surge;
}
