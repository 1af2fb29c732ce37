/**
 * `cnisim plan <scenario>`: the planner applied to a scenario's own clusters. For each mode, each node pool's
 * peak (count, autoscaler max, `nodes` events, pools added later; upgrade surge; every node full) is asked of
 * the mode's arithmetic, the needs are summed per actual range (pools and clusters sharing a subnet add up;
 * a pod CIDR is per cluster), and each range of the file is compared with the smallest one that would do.
 * Cost: O(modes × pools × events).
 */
import { maxPodsRange } from '../alloc/info.js';
import { modeInfo } from '../alloc/registry.js';
import { modePlanner, poolParamsOf } from '../alloc/registry.js';
import { internalError } from '../errors.js';
import type { ClusterScenario, PoolScenario, Scenario } from '../scenario/index.js';
import { effectiveMode } from '../scenario/index.js';
import { fmt, SPACE_LABEL, spaceHolds, type SpaceName, type SpaceNeed } from './need.js';
import { smallestPrefix } from './plan.js';

export interface ScenarioSpacePlan {
  readonly mode: string;
  /** Clusters drawing from the range, comma-separated. */
  readonly clusters: string;
  readonly space: SpaceName;
  /** The range in the scenario. */
  readonly cidr: string;
  readonly currentPrefix: number;
  readonly currentUsable: number;
  readonly needed: number;
  readonly inUse: number;
  readonly wasted: number;
  /** Smallest range that would hold the peak, or null when none up to the largest allowed does. */
  readonly smallestPrefix: number | null;
  /** True when the scenario's range holds the peak. */
  readonly holds: boolean;
}

export interface ScenarioModePlan {
  readonly mode: string;
  readonly spaces: readonly ScenarioSpacePlan[];
  readonly blockers: readonly string[];
  readonly notes: readonly string[];
}

interface PoolPeak {
  readonly pool: PoolScenario;
  readonly nodes: number;
  readonly surge: number;
}

/** Each pool's peak node count and surge, from its settings and the workload. */
function poolPeaks(cluster: ClusterScenario): PoolPeak[] {
  const pools = [...cluster.pools];
  for (const e of cluster.workload) if (e.type === 'addPool') pools.push(e.pool);
  return pools.map((pool) => {
    let nodes = Math.max(pool.count, pool.autoscaler?.maxCount ?? 0);
    for (const e of cluster.workload) if (e.type === 'nodes' && e.pool === pool.name) nodes = Math.max(nodes, e.count);
    let surge = 0;
    for (const e of cluster.workload) {
      if (e.type !== 'upgrade' || e.pool !== pool.name) continue;
      const s = typeof e.maxSurge === 'number' ? e.maxSurge : Math.ceil((nodes * Number(e.maxSurge.replace('%', ''))) / 100);
      surge = Math.max(surge, s);
    }
    return { pool, nodes, surge };
  });
}

interface Group {
  readonly mode: string;
  readonly clusters: string[];
  readonly space: SpaceName;
  readonly cidr: string;
  readonly prefix: number;
  readonly need: SpaceNeed;
  needed: number;
  inUse: number;
}

function rangeOf(space: SpaceName, cluster: ClusterScenario, pool: PoolScenario): { key: string; cidr: string; prefix: number } {
  if (space === 'node-subnet') return { key: `subnet ${pool.nodeSubnet.text}`, cidr: pool.nodeSubnet.text, prefix: pool.nodeSubnet.prefix };
  if (space === 'pod-subnet') {
    if (pool.podSubnet === null) throw internalError(`plan: pool ${pool.name} has no pod subnet`);
    return { key: `subnet ${pool.podSubnet.text}`, cidr: pool.podSubnet.text, prefix: pool.podSubnet.prefix };
  }
  const c = cluster.network.podCidr;
  return { key: `pod-cidr ${cluster.name} ${c.text}`, cidr: c.text, prefix: c.prefix };
}

/** Plans each mode of the scenario over its own ranges. */
export function planScenario(scenario: Scenario): ScenarioModePlan[] {
  return scenario.modes.map((runMode) => {
    const groups = new Map<string, Group>();
    const blockers: string[] = [];
    const notes = new Set<string>();
    for (const cluster of scenario.clusters) {
      const mode = effectiveMode(cluster, runMode);
      const info = modeInfo(mode);
      const planner = modePlanner(mode);
      if (!info || !planner) throw internalError(`plan: no planner for mode ${mode}`);
      const params = scenario.parameters[mode] ?? info.params.parse({});
      const peaks = poolPeaks(cluster);
      let clusterNodes = 0;
      let clusterPods = 0;
      let clusterSurge = 0;
      let clusterMaxPods = 1;
      let firstPool: unknown = info.poolParams.parse({});
      for (const [i, { pool, nodes, surge }] of peaks.entries()) {
        const poolParams = poolParamsOf(info, pool.modeKeys);
        if (i === 0) firstPool = poolParams;
        const maxPods = pool.maxPods ?? maxPodsRange(info, poolParams, params).default;
        const needs = planner.needs({ nodes, surge, maxPods, pods: nodes * maxPods, params, pool: poolParams, networkIpLimit: cluster.network.vnetIpLimit });
        for (const n of needs.notes) notes.add(n);
        for (const need of needs.spaces) {
          const r = rangeOf(need.space, cluster, pool);
          const key = `${need.space} ${r.key}`;
          let g = groups.get(key);
          if (g === undefined) {
            g = { mode, clusters: [], space: need.space, cidr: r.cidr, prefix: r.prefix, need, needed: 0, inUse: 0 };
            groups.set(key, g);
          }
          if (!g.clusters.includes(cluster.name)) g.clusters.push(cluster.name);
          g.needed += need.needed;
          g.inUse += need.inUse;
        }
        clusterNodes += nodes;
        clusterSurge += surge;
        clusterPods += nodes * maxPods;
        clusterMaxPods = Math.max(clusterMaxPods, maxPods);
      }
      // Cluster-wide limits (node limit, pods per cluster) need the cluster's totals.
      const whole = planner.needs({ nodes: clusterNodes, surge: clusterSurge, maxPods: clusterMaxPods, pods: clusterPods, params, pool: firstPool });
      for (const b of whole.blockers) blockers.push(`cluster ${cluster.name}: ${b}`);
    }
    const spaces = [...groups.values()].map((g): ScenarioSpacePlan => {
      const smallest = smallestPrefix(g.need, g.needed);
      return {
        mode: runMode,
        clusters: g.clusters.join(','),
        space: g.space,
        cidr: g.cidr,
        currentPrefix: g.prefix,
        currentUsable: g.need.capacity(g.prefix),
        needed: g.needed,
        inUse: g.inUse,
        wasted: g.needed - g.inUse,
        smallestPrefix: smallest,
        holds: spaceHolds(g.need, g.prefix, g.needed),
      };
    });
    return { mode: runMode, spaces, blockers, notes: [...notes] };
  });
}

export function scenarioPlanTable(scenario: Scenario, plans: readonly ScenarioModePlan[]): string {
  const rows: string[][] = [['mode', 'cluster', 'space', 'range', 'usable', 'needed', 'wasted', 'smallest', 'verdict']];
  for (const p of plans) {
    for (const s of p.spaces) {
      rows.push([
        p.mode, s.clusters, SPACE_LABEL[s.space], s.cidr, fmt(s.currentUsable), fmt(s.needed), fmt(s.wasted),
        s.smallestPrefix === null ? '—' : `/${s.smallestPrefix}`,
        s.holds ? 'holds' : s.smallestPrefix === null ? 'too small: no range is large enough' : `too small: needs a /${s.smallestPrefix}`,
      ]);
    }
  }
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => { widths[i] = Math.max(widths[i] ?? 0, c.length); });
  const lines = [
    `${scenario.name}: peak of each node pool (count, autoscaler max, nodes events, upgrade surge), every node full`,
    '',
    ...rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')),
  ];
  const blockers = plans.flatMap((p) => p.blockers.map((b) => `  ${p.mode}: ${b}`));
  if (blockers.length) lines.push('', 'cannot hold this cluster at its peak:', ...blockers);
  const notes = [...new Set(plans.flatMap((p) => p.notes))];
  if (notes.length) lines.push('', 'notes:', ...notes.map((n) => `  ${n}`));
  return lines.join('\n');
}

export const SCENARIO_PLAN_CSV_COLUMNS = ['mode', 'cluster', 'space', 'range', 'usable', 'needed', 'in_use', 'wasted', 'smallest_prefix', 'holds'] as const;

export function scenarioPlanCsv(plans: readonly ScenarioModePlan[]): string {
  const q = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const lines = [SCENARIO_PLAN_CSV_COLUMNS.join(',')];
  for (const p of plans) {
    for (const s of p.spaces) {
      lines.push([p.mode, q(s.clusters), s.space, s.cidr, s.currentUsable, s.needed, s.inUse, s.wasted, s.smallestPrefix === null ? '' : `/${s.smallestPrefix}`, s.holds ? 'yes' : 'no'].join(','));
    }
  }
  return `${lines.join('\n')}\n`;
}
