/**
 * Lifecycle operations on top of the world: node-pool upgrades with surge, pools added and removed mid-run,
 * migrations to overlay and pod CIDR expansion. Each is a small state machine driven by the world's hooks
 * (a node joined, a node was refused, a retry fired) and its own timers.
 */
import type { WorkloadEvent } from '../scenario/index.js';
import { createAllocator, MODE_INFOS, modeInfo, poolParamsOf } from '../alloc/registry.js';
import type { ClusterSpec } from '../alloc/types.js';
import { OK, POD_CIDR_FULL, causeName } from '../alloc/types.js';
import { N_CORDONED, N_FREE, N_READY } from './tables.js';
import { clusterSpecOf, RETRY_FIRST_MS, type PoolState } from './setup.js';
import type { World } from './world.js';

/**
 * Refused surge rounds in a row before an upgrade is given up [assumption]: the surge nodes requested together
 * (maxSurge of them, then one per retry of the pool's backoff) count as one refusal when none of them joined.
 */
export const UPGRADE_ATTEMPTS = 5;

interface Upgrade {
  readonly pool: PoolState;
  readonly drainMs: number;
  readonly bootMs: number;
  /** maxSurge as a node count: new nodes on their way plus old nodes draining stay within it. */
  readonly surge: number;
  /** Old nodes for which no new node has been requested yet. */
  toRequest: number;
  /** Old nodes not yet removed. */
  oldLeft: number;
  /** New nodes requested and not yet joined. */
  inFlight: number;
  /** Refused rounds in a row (a round: the surge nodes on their way, all refused). */
  failures: number;
  /** Old nodes cordoned and draining → their drain event's handle (cancelled when the node goes another way). */
  readonly draining: Map<number, number>;
}

type Lifecycle1 = Extract<WorkloadEvent, { type: 'upgrade' | 'migrate' | 'expandPodCidr' | 'addPool' | 'removePool' }>;

export class Lifecycle {
  private readonly world: World;
  private readonly upgrades: (Upgrade | null)[];
  private readonly K_DRAINED: number;

  constructor(world: World, wrap: (h: (arg: number) => void) => (arg: number) => void) {
    this.world = world;
    this.upgrades = [];
    this.K_DRAINED = world.engine.define(wrap((node) => this.onDrained(node)));
  }

  /** Extra nodes the pool may hold above its desired count (an upgrade's surge). */
  extra(pool: PoolState): number {
    const u = this.upgrades[pool.gp];
    // Surge nodes on their way, and old nodes whose replacement joined while they drain.
    return u ? u.inFlight + u.draining.size : 0;
  }

  /** The pool's surge nodes requested by an upgrade and still booting. */
  surgeBooting(pool: PoolState): number {
    return this.upgrades[pool.gp]?.inFlight ?? 0;
  }

  onEvent(ci: number, e: WorkloadEvent): void {
    const w = this.world;
    const ev = e as Lifecycle1;
    switch (ev.type) {
      case 'upgrade':
        this.startUpgrade(w.poolOf(ci, ev.pool), ev.maxSurge, ev.drainMs, ev.bootMs);
        return;
      case 'addPool': {
        const pool = w.poolOf(ci, ev.pool.name);
        pool.enabled = true;
        pool.desired = ev.pool.count;
        w.record(ci, 'pool-added', 0, pool.spec.name, -1, `node pool ${pool.spec.name} added with ${ev.pool.count} nodes`);
        w.reconcile(pool, pool.spec.bootDelayMs);
        return;
      }
      case 'removePool': {
        const pool = w.poolOf(ci, ev.pool);
        const u = this.upgrades[pool.gp];
        if (u) this.end(u, 'upgrade-cancelled', 'its node pool was deleted');
        pool.desired = 0;
        w.record(ci, 'pool-removed', 0, pool.spec.name, -1, `node pool ${pool.spec.name} deleted; its pods stay unschedulable`);
        const nodes: number[] = [];
        for (let n = 0; n < w.nodes.top; n++) {
          if (w.nodes.poolOf(n) === pool.gp && (w.nodes.stateOf(n) === N_READY || w.nodes.stateOf(n) === N_CORDONED)) nodes.push(n);
        }
        // Out of placement first: an evicted pod must not be placed on a node that is about to go too.
        pool.enabled = false;
        for (const n of nodes) w.cordon(n);
        for (const n of nodes) w.removeNode(n);
        return;
      }
      case 'migrate':
        this.migrate(ci, ev);
        return;
      case 'expandPodCidr': {
        const cluster = w.clusters[ci]!;
        w.noteCapacity(ci);
        const ok = cluster.alloc.expandPodCidr ? cluster.alloc.expandPodCidr(ev.podCidr) : false;
        w.noteCapacity(ci);
        w.record(ci, ok ? 'pod-cidr-expanded' : 'pod-cidr-expand-refused', 0, '', -1,
          ok ? `pod CIDR expanded to ${ev.podCidr.text}` : `mode ${w.mode} has no pod CIDR to expand; event ignored`);
        if (!ok) return;
        // Joins refused for lack of pod CIDR are asked again now, not after the backoff (the retry timer still fires).
        for (const gp of cluster.pools) {
          const pool = w.pools[gp]!;
          const short = pool.failing && pool.lastRefusal === POD_CIDR_FULL;
          if (short) {
            pool.failing = false;
            pool.backoffMs = RETRY_FIRST_MS;
          }
          w.reconcile(pool, short && pool.spec.autoscaler ? pool.spec.autoscaler.provisionDelayMs : pool.spec.bootDelayMs);
          if (short) this.retry(pool);
        }
        return;
      }
    }
  }

  // ---- upgrade ---------------------------------------------------------------------------------------------

  private startUpgrade(pool: PoolState, maxSurge: number | string, drainMs: number, bootMs: number): void {
    const w = this.world;
    if (this.upgrades[pool.gp]) {
      w.record(pool.cluster, 'upgrade-skipped', 0, pool.spec.name, -1, 'an upgrade of this pool is already in progress');
      return;
    }
    pool.gen++;
    const old = pool.active;
    const surge = Math.max(1, typeof maxSurge === 'number' ? maxSurge : Math.ceil((old * parseFloat(maxSurge)) / 100));
    const u: Upgrade = { pool, drainMs, bootMs, surge, toRequest: old, oldLeft: old, inFlight: 0, failures: 0, draining: new Map() };
    this.upgrades[pool.gp] = u;
    w.record(pool.cluster, 'upgrade-started', 0, pool.spec.name, -1, `upgrade of ${old} nodes with max surge ${surge}`);
    if (old === 0) return this.finish(u, 'upgrade-done', 'no nodes to upgrade');
    for (let i = 0; i < Math.min(surge, old); i++) this.requestNew(u);
  }

  private requestNew(u: Upgrade): void {
    if (!u.pool.enabled) return;
    u.toRequest--;
    u.inFlight++;
    this.world.requestNode(u.pool, u.bootMs, 1);
  }

  /** A node joined: under an upgrade, a new node lets one old node be cordoned and drained. */
  nodeJoined(pool: PoolState, node: number): void {
    const u = this.upgrades[pool.gp];
    const w = this.world;
    if (!u || w.nodes.gen[node] !== pool.gen || w.nodes.surge[node] !== 1) return;
    w.nodes.surge[node] = 0;
    u.inFlight--;
    u.failures = 0;
    const old = this.oldestReady(pool);
    // No old node left to replace (others went by a scale-down or the autoscaler): the new node simply stays.
    if (old < 0) return this.maybeFinish(u);
    w.cordon(old);
    u.draining.set(old, w.engine.schedule(u.drainMs, this.K_DRAINED, old));
    // After refused rounds (retried one node at a time) the surge is back to maxSurge once a node joins.
    while (u.toRequest > 0 && u.inFlight + u.draining.size < u.surge) this.requestNew(u);
  }

  /**
   * Node `node` of the pool (of upgrade generation `gen`) was removed — by an upgrade's drain, a scale-down, the
   * autoscaler or a pool removal. An old node removed while draining frees its drain slot (the next old node gets
   * its replacement); one removed before being replaced needs no replacement any more.
   */
  nodeRemoved(pool: PoolState, node: number, gen: number): void {
    const u = this.upgrades[pool.gp];
    const w = this.world;
    if (!u || gen >= pool.gen) return;
    u.oldLeft--;
    const drain = u.draining.get(node);
    if (drain !== undefined) {
      u.draining.delete(node);
      w.engine.cancel(drain); // false when this is the drain event itself
      if (u.toRequest > 0) this.requestNew(u);
    } else if (u.toRequest > 0) u.toRequest--;
    this.maybeFinish(u);
  }

  /** Ends the upgrade once no old node is left and no new one is on its way. */
  private maybeFinish(u: Upgrade): void {
    if (u.oldLeft === 0 && u.inFlight === 0 && this.upgrades[u.pool.gp] === u) this.finish(u, 'upgrade-done', `all nodes of ${u.pool.spec.name} replaced`);
  }

  private oldestReady(pool: PoolState): number {
    const w = this.world;
    for (let n = 0; n < w.nodes.top; n++) {
      if (w.nodes.poolOf(n) === pool.gp && w.nodes.stateOf(n) === N_READY && w.nodes.gen[n]! < pool.gen) return n;
    }
    return -1;
  }

  /** An old node's drain time is over: it goes (nodeRemoved does the upgrade's bookkeeping). */
  private onDrained(node: number): void {
    if (this.world.nodes.stateOf(node) !== N_CORDONED) return;
    this.world.removeNode(node);
  }

  /**
   * A node of the pool was refused (`surgeNode`: one of the upgrade in progress): an upgrade's surge node is asked for again at the pool's retry (its backoff), one at a
   * time; once every surge node on its way was refused, that round counts as one refusal, and after
   * UPGRADE_ATTEMPTS refused rounds in a row the upgrade gives up, whatever maxSurge is.
   */
  nodeRefused(pool: PoolState, surgeNode: boolean): void {
    const u = this.upgrades[pool.gp];
    if (!u || u.inFlight === 0 || !surgeNode) return;
    u.inFlight--;
    u.toRequest++;
    if (u.inFlight > 0) return;
    u.failures++;
    if (u.failures >= UPGRADE_ATTEMPTS) {
      this.finish(u, 'upgrade-failed', `surge nodes refused ${u.failures} times in a row (retried with the pool's backoff); ${u.oldLeft} old nodes of ${pool.spec.name} not replaced`);
    }
  }

  /** The pool's retry timer fired: re-request the surge nodes an upgrade lost. */
  retry(pool: PoolState): void {
    const u = this.upgrades[pool.gp];
    if (!u) return;
    if (u.inFlight === 0 && u.toRequest > 0) this.requestNew(u);
  }

  private finish(u: Upgrade, event: string, detail: string): void {
    this.end(u, event, detail);
    this.world.reconcile(u.pool, u.pool.spec.bootDelayMs);
  }

  /**
   * Ends an upgrade without replacing the rest: old nodes still draining go back into placement with their pods
   * (their drains are cancelled, so a stale drain cannot take a node a later upgrade cordons), and surge nodes still
   * booting become ordinary nodes (a reconcile may cancel them). The caller reconciles when the pool needs it.
   */
  private end(u: Upgrade, event: string, detail: string): void {
    const w = this.world;
    this.upgrades[u.pool.gp] = null;
    for (const [node, drain] of u.draining) {
      w.engine.cancel(drain);
      w.readmit(node);
    }
    u.draining.clear();
    for (let n = 0; n < w.nodes.top; n++) if (w.nodes.poolOf(n) === u.pool.gp && w.nodes.surge[n] === 1) w.nodes.surge[n] = 0;
    w.record(u.pool.cluster, event, 0, u.pool.spec.name, -1, detail);
  }

  // ---- migration -------------------------------------------------------------------------------------------

  /**
   * Migration to overlay [overlay-doc]: every node pool is re-imaged at once. Pods are evicted, every node leaves
   * the old allocator and joins an overlay allocator over the new (or, from kubenet, the same) pod CIDR.
   */
  private migrate(ci: number, e: Extract<WorkloadEvent, { type: 'migrate' }>): void {
    const w = this.world;
    const cluster = w.clusters[ci]!;
    const from = cluster.alloc.mode;
    const fromInfo = modeInfo(from)!;
    if (!fromInfo.capabilities.migratesTo.includes(e.to)) {
      w.record(ci, 'migrate-skipped', 0, '', -1, `migration to ${e.to} applies to ${listMigratingTo(e.to)} clusters, not ${from}`);
      return;
    }
    // The re-image brings every node to the new image: an upgrade in progress is complete (its draining nodes are
    // re-imaged with the rest).
    const ended: PoolState[] = [];
    for (const gp of cluster.pools) {
      const u = this.upgrades[gp];
      if (!u) continue;
      for (let n = 0; n < w.nodes.top; n++) if (w.nodes.poolOf(n) === gp && w.nodes.stateOf(n) !== N_FREE) w.nodes.gen[n] = u.pool.gen;
      this.end(u, 'upgrade-done', `completed by the migration's re-image (${u.oldLeft} old nodes re-imaged in place)`);
      ended.push(u.pool);
    }
    // A mode with a pod CIDR keeps it (kubenet [overlay-doc: "the pod CIDR stays the same"]); others take the new one.
    const podCidr = fromInfo.uses.podCidr || e.podCidr === null ? cluster.spec.network.podCidr : e.podCidr;
    const info = modeInfo(e.to)!;
    const old = cluster.alloc;
    const nodes: number[] = [];
    for (const gp of cluster.pools) {
      for (let n = 0; n < w.nodes.top; n++) {
        if (w.nodes.poolOf(n) === gp && (w.nodes.stateOf(n) === N_READY || w.nodes.stateOf(n) === N_CORDONED)) nodes.push(n);
      }
    }
    w.noteCapacity(ci);
    for (const n of nodes) w.evictAll(n);
    for (const n of nodes) old.nodeLeave(n);
    const spec: ClusterSpec = {
      ...clusterSpecOf(cluster.spec, from, w.scenario.parameters).spec,
      podCidrs: [podCidr],
      podCidr,
      podCidr6: null,
      pools: cluster.pools.map((gp) => {
        const p = w.pools[gp]!;
        return { name: p.spec.name, maxPods: p.maxPods, nodeSubnets: p.spec.nodeSubnets, podSubnet: null, podCidr: null, params: poolParamsOf(info, p.spec.modeKeys) };
      }),
    };
    cluster.alloc = createAllocator(e.to, { host: w.hostOf(ci), spaces: w.spaces, cluster: spec, params: w.scenario.parameters[e.to] ?? info.params.parse({}) });
    let refused = 0;
    for (const n of nodes) {
      const pool = w.pools[w.nodes.poolOf(n)]!;
      const r = cluster.alloc.nodeJoin(n, pool.local);
      if (r !== OK) {
        refused++;
        w.record(ci, 'node-refused', r, pool.spec.name, n, `node could not rejoin after migration: ${causeName(r)}`);
        w.dropNode(n);
      } else {
        w.uncordon(n);
      }
    }
    w.noteCapacity(ci);
    w.record(ci, 'migrated', 0, '', -1, `${from} → ${e.to} over ${podCidr.text}: ${nodes.length - refused} of ${nodes.length} nodes re-imaged`);
    for (const gp of cluster.pools) w.drain(w.pools[gp]!);
    // Surge nodes of an ended upgrade are extra now: back to the desired count.
    for (const pool of ended) w.reconcile(pool, pool.spec.bootDelayMs);
  }
}

/** The modes that migrate to `to`, for messages. */
function listMigratingTo(to: string): string {
  return MODE_INFOS.filter((i) => i.capabilities.migratesTo.includes(to)).map((i) => i.name).join(' and ');
}
