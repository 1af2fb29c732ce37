/**
 * `--check`: the allocator contract and the world's bookkeeping verified while a run goes, so no number in a
 * report comes from a broken state. Failures are internal errors (exit 1) naming the event and the time.
 *
 * Two levels, so a check stays affordable on big runs:
 *   - after every event, O(clusters + pools): the allocator's gauges against the world's counters (pods running =
 *     pod addresses used, waiting counts agree, used ≤ capacity), the pools' queues against the unschedulable
 *     count, active nodes against the node count, pod conservation: live pods in the table = running +
 *     waiting + queued + deleted-while-queued (still in a queue), one kept bind time per waiting pod, and per
 *     VNet: its clusters' vnet_ips_used add up to what counts against its limit, never above it.
 *   - a full recount, O(pod ids + node ids + the allocator's recount): the allocator's incremental gauges against
 *     its recount from the pools, every pod's and node's state tallied against the counters, every node's pod
 *     list walked. It runs after every event while the tables are small, after every k-th event beyond
 *     (k = table size / FULL_CHECK_BUDGET, so the recounts cost about as much as the run), and at every sample,
 *     so every sampled row was recounted.
 * A double allocation or free of an address is caught by the pools themselves (their bitsets throw); in a check
 * run the error is re-thrown naming the event and time.
 */
import { CnisimError, internalError } from '../errors.js';
import { emptyGauges, type Gauges } from '../alloc/types.js';
import {
  N_BOOTING, N_CANCELLED, N_CORDONED, N_DAEMONS, N_FREE, N_READY, NODE_SHIFT, POD_SHIFT, HOST_NETWORK_HANDLE, P_FREE, P_BSEQ, P_HANDLE, P_NSLOT, P_NODE, P_OWNER, P_POOL, P_QUEUED, P_RUNNING, P_STATE, P_WAITING,
  P_ZOMBIE,
  isDaemonsetOwner,
} from './tables.js';
import { networkKeyOf } from './setup.js';
import type { World } from './world.js';

/** Table entries (pod ids + 8 per node id) a full recount may cost per event on average [assumption: tuned so
 * `--check` runs the bundled scenarios in about twice their normal time]. */
export const FULL_CHECK_BUDGET = 16;
const NODE_WEIGHT = 8;

/**
 * Test-only seam: called after every event of a check run, before the checks (fault-injection tests corrupt the
 * world here to prove the checks catch it). Null in normal use.
 */
export const checkSeam: { afterEvent: ((world: World) => void) | null } = { afterEvent: null };

type Handler = (arg: number) => void;

/** A readable name for a handler such as `(n) => this.onJoin(n)`, worked out once when the handler is defined. */
function labelOf(h: Handler): string {
  const m = /this\.(\w+)\(/.exec(Function.prototype.toString.call(h));
  return m?.[1] ?? (h.name || 'event');
}

export class WorldChecker {
  private readonly world: World;
  private readonly g: Gauges;
  private readonly r: Gauges;
  /** Per VNet key: its clusters' vnet_ips_used (quick()). */
  private readonly vnetSums = new Map<string, number>();
  /** Events since the last full recount, and how many may pass between two. */
  private sinceFull: number;
  private stride: number;

  constructor(world: World) {
    this.world = world;
    this.g = emptyGauges();
    this.r = emptyGauges();
    this.sinceFull = 0;
    this.stride = 1;
  }

  /** The handler, followed by the checks; errors thrown inside it are re-thrown naming the event. */
  wrap(h: Handler): Handler {
    const label = labelOf(h);
    return (arg: number) => {
      try {
        h(arg);
      } catch (err) {
        if (err instanceof CnisimError && err.code !== 'internal') throw err;
        const msg = err instanceof Error ? err.message : String(err);
        throw internalError(`${this.where(label, arg)}: ${msg}`, err);
      }
      checkSeam.afterEvent?.(this.world);
      const problem = this.quick() ?? (++this.sinceFull >= this.stride ? this.full() : null);
      if (problem !== null) throw internalError(`invariant broken ${this.where(label, arg)}: ${problem}`);
    };
  }

  private where(label: string, arg: number): string {
    const w = this.world;
    return `after event #${w.engine.processed} ${label}(${arg}) at t=${w.engine.now / 1000}s (mode ${w.mode})`;
  }

  /** Throws unless every invariant holds (a full recount); `when` names the moment in the message. */
  verify(when: string): void {
    const problem = this.quick() ?? this.full();
    if (problem !== null) throw internalError(`invariant broken ${when} at t=${this.world.engine.now / 1000}s (mode ${this.world.mode}): ${problem}`);
  }

  /** O(clusters + pools): counters against gauges and queues. A problem's description, or null. */
  quick(): string | null {
    const w = this.world;
    const g = this.g;
    let accounted = 0;
    let waitingIp = 0;
    const vnet = this.vnetSums;
    vnet.clear();
    for (let ci = 0; ci < w.clusters.length; ci++) {
      const cluster = w.clusters[ci]!;
      const c = cluster.counters;
      const name = cluster.spec.name;
      cluster.alloc.gauges(g);
      const key = networkKeyOf(cluster.spec);
      vnet.set(key, (vnet.get(key) ?? 0) + g.vnetIpsUsed);
      if (g.podIpsUsed !== c.podsRunning - c.podsHostNetwork) {
        return `cluster ${name}: ${c.podsRunning - c.podsHostNetwork} pods running but ${g.podIpsUsed} pod addresses used${c.podsHostNetwork ? ` (besides ${c.podsHostNetwork} running on the host network)` : ''}`;
      }
      if (g.podsWaitingIp !== c.podsWaitingIp) return `cluster ${name}: the world counts ${c.podsWaitingIp} pods waiting for an address, the allocator ${g.podsWaitingIp}`;
      if (g.podIpsUsed > g.podIpsCapacity) return `cluster ${name}: ${g.podIpsUsed} pod addresses used of a capacity of ${g.podIpsCapacity}`;
      if (g.podIpsReserved > g.podIpsCapacity) return `cluster ${name}: ${g.podIpsReserved} pod addresses reserved of a capacity of ${g.podIpsCapacity}`;
      if (g.nodeIpsUsed > g.nodeIpsCapacity) return `cluster ${name}: ${g.nodeIpsUsed} node addresses used of a capacity of ${g.nodeIpsCapacity}`;
      if (c.podsRunning < 0 || c.podsWaitingIp < 0 || c.podsUnschedulable < 0 || c.nodes < 0) {
        return `cluster ${name}: a negative count (running ${c.podsRunning}, waiting ${c.podsWaitingIp}, unschedulable ${c.podsUnschedulable}, nodes ${c.nodes})`;
      }
      let queued = 0;
      let active = 0;
      for (let i = 0; i < cluster.pools.length; i++) {
        const pool = w.pools[cluster.pools[i]!]!;
        if (pool.queued < 0 || pool.queued > pool.queue.length) return `cluster ${name}: pool ${pool.spec.name} counts ${pool.queued} queued pods in a queue of ${pool.queue.length}`;
        if (pool.active < 0 || pool.booting < 0) return `cluster ${name}: pool ${pool.spec.name} counts ${pool.active} active and ${pool.booting} booting nodes`;
        queued += pool.queued;
        active += pool.active;
        accounted += pool.queue.length - pool.queued;
      }
      if (queued !== c.podsUnschedulable) return `cluster ${name}: ${c.podsUnschedulable} pods unschedulable but ${queued} queued in its pools`;
      if (active !== c.nodes) return `cluster ${name}: ${c.nodes} nodes counted but its pools hold ${active}`;
      accounted += c.podsRunning + c.podsWaitingIp + c.podsUnschedulable;
      waitingIp += c.podsWaitingIp;
    }
    // Clusters of one VNet share its private-address limit: their vnet_ips_used add up to what the VNet counts.
    for (const b of w.spaces.allBudgets()) {
      const sum = vnet.get(b.key) ?? 0;
      if (sum !== b.used) return `VNet ${b.key}: ${b.used} addresses count against its limit, but its clusters' vnet_ips_used add up to ${sum}`;
      if (b.used > b.limit) return `VNet ${b.key}: ${b.used} addresses count against a limit of ${b.limit}`;
    }
    if (w.pods.boundAt.size !== waitingIp) return `${w.pods.boundAt.size} bind times kept but ${waitingIp} pods waiting for an address`;
    if (w.pods.live !== accounted) return `${w.pods.live} pods in the table but ${accounted} running, waiting, queued or awaiting removal from a queue`;
    return null;
  }

  /** A full recount of the allocators and the pod and node tables. A problem's description, or null. */
  full(): string | null {
    const w = this.world;
    this.sinceFull = 0;
    this.stride = Math.max(1, Math.ceil((w.pods.top + NODE_WEIGHT * w.nodes.top) / FULL_CHECK_BUDGET));
    const g = this.g;
    const r = this.r;
    for (const cluster of w.clusters) {
      cluster.alloc.gauges(g);
      cluster.alloc.recount(r);
      for (const k of Object.keys(g) as (keyof Gauges)[]) {
        if (k === 'fragmentation') continue;
        if (g[k] !== r[k]) return `cluster ${cluster.spec.name}: gauge ${k} is ${g[k]} but a recount of the ${cluster.alloc.mode} allocator gives ${r[k]}`;
      }
    }
    const { pods, nodes } = w;
    const nc = w.clusters.length;
    const running = new Float64Array(nc);
    const waiting = new Float64Array(nc);
    const queued = new Float64Array(nc);
    /** Running pods on the host network (handle −1: no address). */
    const host = new Float64Array(nc);
    let zombies = 0;
    const f = pods.f;
    let waitingAll = 0;
    for (let p = 0; p < pods.top; p++) {
      const b = p << POD_SHIFT;
      const s = f[b + P_STATE]!;
      if (s === P_FREE) continue;
      const gp = f[b + P_POOL]!;
      const pool = w.pools[gp];
      if (pool === undefined) return `pod ${p} belongs to no node pool (${gp})`;
      if (s === P_ZOMBIE) zombies++;
      else if (s === P_QUEUED) {
        if (f[b + P_NODE] !== -1) return `pod ${p} is queued but bound to node ${f[b + P_NODE]}`;
        queued[pool.cluster]++;
      } else if (s === P_RUNNING || s === P_WAITING) {
        const node = f[b + P_NODE]!;
        const ns = node >= 0 && node < nodes.top ? nodes.stateOf(node) : N_FREE;
        if (ns !== N_READY && ns !== N_CORDONED) return `pod ${p} is bound to node ${node}, which has not joined`;
        // The world reads a bound pod's pool from its record, not from its node: they must agree.
        if (nodes.poolOf(node) !== gp) return `pod ${p} of pool ${pool.spec.name} is bound to node ${node} of another pool`;
        if (s === P_RUNNING) {
          running[pool.cluster]++;
          if (f[b + P_HANDLE] === HOST_NETWORK_HANDLE) host[pool.cluster]++;
        } else {
          waiting[pool.cluster]++;
          waitingAll++;
          if (!pods.boundAt.has(p)) return `pod ${p} waits for an address but has no bind time`;
        }
      } else return `pod ${p} is in an unknown state ${s}`;
    }
    if (pods.boundAt.size !== waitingAll) return `${pods.boundAt.size} bind times kept for ${waitingAll} pods waiting for an address`;
    for (const cluster of w.clusters) {
      const c = cluster.counters;
      const i = cluster.index;
      if (running[i] !== c.podsRunning || waiting[i] !== c.podsWaitingIp || queued[i] !== c.podsUnschedulable) {
        return `cluster ${cluster.spec.name}: the pod table holds ${running[i]} running, ${waiting[i]} waiting and ${queued[i]} queued pods; the counters say ${c.podsRunning}, ${c.podsWaitingIp} and ${c.podsUnschedulable}`;
      }
      if (host[i] !== c.podsHostNetwork) return `cluster ${cluster.spec.name}: the pod table holds ${host[i]} running hostNetwork pods; the counter says ${c.podsHostNetwork}`;
    }
    let inQueues = 0;
    for (const pool of w.pools) inQueues += pool.queue.length - pool.queued;
    if (zombies !== inQueues) return `${zombies} deleted pods await removal but the queues hold ${inQueues}`;

    const active = new Float64Array(w.pools.length);
    const booting = new Float64Array(w.pools.length);
    for (let n = 0; n < nodes.top; n++) {
      const s = nodes.stateOf(n);
      if (s === N_FREE || s === N_CANCELLED) continue;
      const gp = nodes.poolOf(n);
      if (s === N_BOOTING) {
        booting[gp]++;
        continue;
      }
      if (s !== N_READY && s !== N_CORDONED) return `node ${n} is in an unknown state ${s}`;
      active[gp]++;
      const bound = nodes.slotted(n, w.pods);
      for (const p of bound) {
        const s = f[(p << POD_SHIFT) + P_STATE];
        if (f[(p << POD_SHIFT) + P_NODE] !== n || (s !== P_RUNNING && s !== P_WAITING)) return `node ${n} lists pod ${p}, which is not bound to it`;
        if (nodes.slotPod[n * nodes.slotWords * 32 + f[(p << POD_SHIFT) + P_NSLOT]!] !== p) return `pod ${p} on node ${n} is not in its slot ${f[(p << POD_SHIFT) + P_NSLOT]}`;
        if (f[(p << POD_SHIFT) + P_BSEQ]! > nodes.bindsOf(n)) return `pod ${p} on node ${n} has bind number ${f[(p << POD_SHIFT) + P_BSEQ]}, above the node's ${nodes.bindsOf(n)} binds`;
      }
      if (bound.length !== nodes.podsOf(n)) return `node ${n} counts ${nodes.podsOf(n)} pods but lists ${bound.length}`;
      const daemons = bound.filter((p) => isDaemonsetOwner(f[(p << POD_SHIFT) + P_OWNER]!)).length;
      if (daemons !== nodes.r[(n << NODE_SHIFT) + N_DAEMONS]) return `node ${n} counts ${nodes.r[(n << NODE_SHIFT) + N_DAEMONS]} daemonset pods but holds ${daemons}`;
    }
    for (const pool of w.pools) {
      if (active[pool.gp] !== pool.active || booting[pool.gp] !== pool.booting) {
        return `pool ${pool.spec.name}: the node table holds ${active[pool.gp]} active and ${booting[pool.gp]} booting nodes; the pool counts ${pool.active} and ${pool.booting}`;
      }
    }
    return null;
  }
}

const checkers = new WeakMap<World, WorldChecker>();

/** The checker of `world` (one per world, made on first use). */
export function checkerFor(world: World): WorldChecker {
  let c = checkers.get(world);
  if (c === undefined) {
    c = new WorldChecker(world);
    checkers.set(world, c);
  }
  return c;
}
