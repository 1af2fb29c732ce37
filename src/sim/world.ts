/**
 * The simulated clusters under one mode: node pools, nodes and pods, driven by the event engine and drawing
 * addresses through one allocator per cluster. The timeline (workload.ts), the autoscaler (autoscaler.ts) and
 * lifecycle operations (lifecycle.ts) drive it from outside through the interfaces of hooks.ts (assemble.ts wires
 * them; the world imports none of them); measure.ts records what it does.
 *
 * The world knows nothing of addresses: it binds pods to nodes (spread or pack, O(1) through count buckets),
 * asks the allocator for a handle (not for hostNetwork pods: they use their node's address), and counts. Pods that
 * fit nowhere wait in their pool's FIFO queue; a pod or node the allocator refuses is recorded with its cause and
 * retried with a backoff, so every run ends.
 */
import { Engine } from '../engine/index.js';
import { Rng } from '../rng.js';
import type { AllocatorHost, Clock, Gauges } from '../alloc/types.js';
import { OK, PENDING, causeName, causeOf, emptyGauges } from '../alloc/types.js';
import { createAllocator } from '../alloc/registry.js';
import { RunSpaces } from '../alloc/spaces.js';
import { internalError } from '../errors.js';
import type { Scenario } from '../scenario/index.js';
import { RETRY_FIRST_MS, RETRY_MAX_MS, clusterSpecOf, maxPodsOfRun, newPoolState, type ClusterState, type PoolState } from './setup.js';
import {
  HOST_NETWORK_HANDLE, NodeTable, NODE_SHIFT, N_BINDS, N_BOOTING, N_CANCELLED, N_CORDONED, N_DAEMONS, N_PODS, N_POOL, N_READY, N_STATE, PodTable, POD_SHIFT, P_BSEQ, P_HANDLE, P_NODE, P_NSLOT, P_OWNER, P_POOL, P_QUEUED,
  P_RUNNING, P_STATE, P_WAITING, P_ZOMBIE,
  OWNER_CHURN,
  daemonsetOwner,
  isDaemonsetOwner,
} from './tables.js';
import { ClusterCounters, type EventRow, type TimeseriesRow } from './metrics.js';
import { noteCapacity, notePeakReserved, notePeakUnschedulable, recordEvent, sampleClusters } from './measure.js';
import { expectedPeakPods } from './estimate.js';
import type { AutoscalerHooks, Controllers, LifecycleHooks, WorkloadHooks, Wrap } from './hooks.js';

/** How a world is put together (assemble.ts gives the real ones; the world imports no controller). */
export interface WorldParts {
  readonly controllers: (world: World, wrap: Wrap) => Controllers;
  /** --check: the invariant checks that wrap every handler; null runs handlers bare. */
  readonly checker: ((world: World) => { wrap: Wrap }) | null;
}

export class World {
  readonly scenario: Scenario;
  readonly mode: string;
  readonly engine: Engine;
  readonly rng: Rng;
  readonly pods: PodTable;
  readonly nodes: NodeTable;
  readonly spaces: RunSpaces;
  readonly pools: PoolState[];
  readonly clusters: ClusterState[];
  readonly events: EventRow[];
  readonly samples: TimeseriesRow[];
  readonly lifecycle: LifecycleHooks;
  readonly workload: WorkloadHooks;
  readonly autoscaler: AutoscalerHooks;
  /** scenario.placement === 'pack', read once. */
  private readonly pack: boolean;
  private readonly gauges: Gauges;
  private readonly K_JOIN: number;
  private readonly K_POOL_RETRY: number;
  private readonly K_PLACE_RETRY: number;
  private readonly hosts: AllocatorHost[];

  constructor(scenario: Scenario, mode: string, parts: WorldParts) {
    this.scenario = scenario;
    this.mode = mode;
    this.pack = scenario.placement === 'pack';
    this.engine = new Engine();
    this.rng = new Rng(scenario.seed);
    this.pods = new PodTable(expectedPeakPods(scenario));
    this.nodes = new NodeTable(maxPodsOfRun(scenario, mode));
    this.spaces = new RunSpaces();
    this.pools = [];
    this.clusters = [];
    this.events = [];
    this.samples = [];
    this.gauges = emptyGauges();
    this.hosts = [];
    // --check: every handler is followed by the invariant checks (src/sim/check.ts); without it handlers run bare.
    const checker = parts.checker === null ? null : parts.checker(this);
    const wrap: Wrap = (h) => (checker === null ? h : checker.wrap(h));
    // An allocator's own timers (batches) may change the addresses its nodes hold: they are read after each, for
    // the exact peak. One clock per cluster, so the handler knows whose allocator it is.
    const clockOf = (ci: number): Clock => ({
      get now() { return engineRef.now; },
      define: (h) => this.engine.define(wrap((arg) => {
        h(arg);
        notePeakReserved(this, ci);
      })),
      schedule: (d, k, a) => this.engine.schedule(d, k, a),
      cancel: (h) => this.engine.cancel(h),
    });
    const engineRef = this.engine;
    this.K_JOIN = this.engine.define(wrap((n) => this.onJoin(n)));
    this.K_POOL_RETRY = this.engine.define(wrap((gp) => this.onPoolRetry(gp)));
    this.K_PLACE_RETRY = this.engine.define(wrap((gp) => this.onPlaceRetry(gp)));
    const controllers = parts.controllers(this, wrap);
    this.lifecycle = controllers.lifecycle;
    this.workload = controllers.workload;
    this.autoscaler = controllers.autoscaler;

    scenario.clusters.forEach((cs, ci) => {
      const { mode: clusterMode, spec, pools: poolSpecs } = clusterSpecOf(cs, mode, scenario.parameters);
      const host: AllocatorHost = {
        clock: clockOf(ci),
        granted: (pod, node, handle) => this.onGranted(pod, node, handle),
        record: (event, cause, node, detail) => this.record(ci, event, cause, node >= 0 ? this.poolName(node) : '', node, detail),
      };
      this.hosts.push(host);
      const alloc = createAllocator(clusterMode, { host, spaces: this.spaces, cluster: spec, params: scenario.parameters[clusterMode] });
      const cluster: ClusterState = { index: ci, spec: cs, alloc, counters: new ClusterCounters(), pools: [] };
      this.clusters.push(cluster);
      poolSpecs.forEach((p, local) => {
        const pool = newPoolState(this.pools.length, cluster, local, p, spec.pools[local]!.maxPods, this.nodes);
        this.pools.push(pool);
        cluster.pools.push(pool.gp);
      });
    });
  }

  /** Schedules the initial nodes, the workload and the autoscalers. */
  start(): void {
    for (let ci = 0; ci < this.clusters.length; ci++) noteCapacity(this, ci, this.gauges);
    for (const pool of this.pools) if (pool.enabled) this.reconcile(pool, 0);
    this.autoscaler.start();
    this.workload.start();
  }

  // ---- pools and nodes -------------------------------------------------------------------------------------

  poolOf(cluster: number, name: string): PoolState {
    for (const gp of this.clusters[cluster]!.pools) if (this.pools[gp]!.spec.name === name) return this.pools[gp]!;
    throw internalError(`no pool ${name} in cluster ${this.clusters[cluster]!.spec.name}`);
  }

  hostOf(cluster: number): AllocatorHost {
    return this.hosts[cluster]!;
  }

  poolName(node: number): string {
    return this.pools[this.nodes.poolOf(node)]!.spec.name;
  }

  /** Brings the pool's node count towards `desired`: requests nodes (one at a time while joins fail) or removes the emptiest. */
  reconcile(pool: PoolState, delayMs: number): void {
    if (!pool.enabled) return;
    // An upgrade in progress holds its surge and draining nodes on top of `desired`.
    while (pool.active + pool.booting < pool.desired + this.lifecycle.extra(pool)) {
      // While joins are refused, only the retry timer asks again, one node at a time (backoff).
      if (pool.failing && (pool.booting > 0 || pool.retryPending)) break;
      this.requestNode(pool, delayMs, 0);
      if (pool.failing) break;
    }
    // Fewer wanted: nodes still booting are cancelled first (the last requested first), then the emptiest go.
    while (pool.active + pool.booting > pool.desired + this.lifecycle.extra(pool)) {
      const booting = this.lastBooting(pool);
      if (booting >= 0) {
        this.nodes.setState(booting, N_CANCELLED);
        pool.booting--;
        continue;
      }
      const node = pool.buckets.lowestAny();
      if (node < 0) break;
      this.removeNode(node);
    }
  }

  /** The pool's booting node requested last (the highest id among those requested at once), not a surge node; −1 if none. O(nodes). */
  private lastBooting(pool: PoolState): number {
    const nodes = this.nodes;
    let best = -1;
    for (let n = 0; n < nodes.top; n++) {
      if (nodes.stateOf(n) === N_BOOTING && nodes.poolOf(n) === pool.gp && nodes.surge[n] === 0 && (best < 0 || nodes.idleSince[n]! >= nodes.idleSince[best]!)) best = n;
    }
    return best;
  }

  /** A node is requested now and joins after `delayMs`. */
  requestNode(pool: PoolState, delayMs: number, surge: number): number {
    const node = this.nodes.alloc(pool.gp);
    this.nodes.surge[node] = surge;
    this.nodes.gen[node] = pool.gen;
    pool.booting++;
    // Until it joins, idleSince holds when it was requested (the last requested is cancelled first).
    this.nodes.idleSince[node] = this.engine.now;
    this.engine.post(delayMs, this.K_JOIN, node);
    return node;
  }

  private onJoin(node: number): void {
    const nodes = this.nodes;
    if (nodes.stateOf(node) === N_CANCELLED) {
      nodes.free(node);
      return;
    }
    if (nodes.stateOf(node) !== N_BOOTING) return;
    const pool = this.pools[nodes.poolOf(node)]!;
    const cluster = this.clusters[pool.cluster]!;
    pool.booting--;
    if (!pool.enabled) {
      nodes.free(node);
      return;
    }
    const r = cluster.alloc.nodeJoin(node, pool.local);
    if (r !== OK) {
      cluster.counters.nodesRefused++;
      pool.own.nodesRefused++;
      this.record(pool.cluster, 'node-refused', r, pool.spec.name, node, `node ${nodes.surge[node] ? '(surge) ' : ''}could not join: ${causeName(r)}`);
      // Only an upgrade's own surge node counts against the upgrade (an autoscaler's node may be refused meanwhile).
      const surgeNode = nodes.surge[node] === 1 && nodes.gen[node] === pool.gen;
      nodes.free(node);
      pool.failing = true;
      pool.lastRefusal = r;
      this.scheduleRetry(pool);
      this.lifecycle.nodeRefused(pool, surgeNode);
      notePeakUnschedulable(this, pool);
      return;
    }
    pool.failing = false;
    pool.backoffMs = RETRY_FIRST_MS;
    nodes.setState(node, N_READY);
    nodes.idleSince[node] = this.engine.now;
    pool.active++;
    pool.buckets.add(node, 0);
    const c = cluster.counters;
    c.nodes++;
    if (c.nodes > c.maxNodes) c.maxNodes = c.nodes;
    const own = pool.own;
    own.nodes++;
    if (own.nodes > own.maxNodes) own.maxNodes = own.nodes;
    notePeakReserved(this, pool.cluster);
    for (const ds of pool.daemonsets) this.placeDaemonPod(pool, ds, node);
    this.drain(pool);
    this.lifecycle.nodeJoined(pool, node);
    this.reconcile(pool, pool.spec.bootDelayMs);
  }

  private scheduleRetry(pool: PoolState): void {
    if (pool.retryPending) return;
    pool.retryPending = true;
    this.engine.post(pool.backoffMs, this.K_POOL_RETRY, pool.gp);
    pool.backoffMs = Math.min(pool.backoffMs * 2, RETRY_MAX_MS);
  }

  private onPoolRetry(gp: number): void {
    const pool = this.pools[gp]!;
    pool.retryPending = false;
    this.reconcile(pool, pool.spec.bootDelayMs);
    this.lifecycle.retry(pool);
  }

  /** Takes the node out of placement (it keeps its pods and addresses). */
  cordon(node: number): void {
    if (this.nodes.stateOf(node) !== N_READY) return;
    this.pools[this.nodes.poolOf(node)]!.buckets.remove(node);
    this.nodes.setState(node, N_CORDONED);
  }

  /** Takes the node out of placement and evicts every pod (workload pods go back to their queue). */
  evictAll(node: number): void {
    const nodes = this.nodes;
    const pods = this.pods;
    const pool = this.pools[nodes.poolOf(node)]!;
    if (nodes.stateOf(node) === N_READY) pool.buckets.remove(node);
    nodes.setState(node, N_CORDONED);
    // Newest bound first (the highest bind numbers): the order a per-node pod list with pushes at its head gave.
    const f = pods.f;
    const bound = nodes.slotted(node, pods).sort((a, b) => f[(b << POD_SHIFT) + P_BSEQ]! - f[(a << POD_SHIFT) + P_BSEQ]!);
    for (const p of bound) {
      this.unbind(p, pool);
      if (isDaemonsetOwner(pods.f[(p << POD_SHIFT) + P_OWNER]!)) pods.free(p);
      else this.enqueue(pool, p);
    }
  }

  /** Returns an empty cordoned node to placement after a re-image: it gets its pool's daemonset pods again, as a join does. */
  uncordon(node: number): void {
    if (this.nodes.stateOf(node) !== N_CORDONED) return;
    if (this.nodes.podsOf(node) !== 0) throw internalError(`uncordon: node ${node} still holds ${this.nodes.podsOf(node)} pods`);
    const pool = this.pools[this.nodes.poolOf(node)]!;
    this.nodes.setState(node, N_READY);
    this.nodes.idleSince[node] = this.engine.now;
    pool.buckets.add(node, 0);
    for (const ds of pool.daemonsets) this.placeDaemonPod(pool, ds, node);
  }

  /** Returns a cordoned node to placement with the pods it still holds (an upgrade that ended before its drain). */
  readmit(node: number): void {
    if (this.nodes.stateOf(node) !== N_CORDONED) return;
    this.nodes.setState(node, N_READY);
    this.pools[this.nodes.poolOf(node)]!.buckets.add(node, this.nodes.podsOf(node));
  }

  /** Evicts the node's pods, releases its addresses and frees it. */
  removeNode(node: number): void {
    const pool = this.pools[this.nodes.poolOf(node)]!;
    const gen = this.nodes.gen[node]!;
    this.evictAll(node);
    this.clusters[pool.cluster]!.alloc.nodeLeave(node);
    this.dropNode(node);
    notePeakUnschedulable(this, pool);
    // Told once the node is gone, so that what the upgrade does next (finish, reconcile) sees the pool as it is.
    this.lifecycle.nodeRemoved(pool, node, gen);
  }

  /** Forgets a node that holds no pods and no addresses any more. */
  dropNode(node: number): void {
    const pool = this.pools[this.nodes.poolOf(node)]!;
    if (this.nodes.stateOf(node) === N_READY) pool.buckets.remove(node);
    pool.active--;
    pool.counters.nodes--;
    pool.own.nodes--;
    this.nodes.free(node);
    this.drain(pool);
  }

  // ---- pods --------------------------------------------------------------------------------------------------

  private enqueue(pool: PoolState, p: number): void {
    const f = this.pods.f;
    f[(p << POD_SHIFT) + P_STATE] = P_QUEUED;
    f[(p << POD_SHIFT) + P_NODE] = -1;
    pool.queue.push(p);
    pool.queued++;
    pool.counters.podsUnschedulable++;
    pool.own.podsUnschedulable++;
  }

  /** A new pod of `pool`; it waits in the queue until a node has room. */
  createPod(pool: PoolState, owner: number): number {
    const p = this.pods.alloc(pool.gp, owner);
    // Fast path (the queue is empty, a node has room): bind at once, as drain() would right after the push.
    if (pool.queue.length === 0) {
      const node = this.pack ? pool.buckets.highest() : pool.buckets.lowest();
      if (node >= 0) {
        if (this.bind(p, node)) return p;
        // Refused: exactly what drain() does after a failed bind.
        pool.queue.push(p);
        pool.queued++;
        pool.counters.podsUnschedulable++;
        pool.own.podsUnschedulable++;
        this.schedulePlaceRetry(pool);
        notePeakUnschedulable(this, pool);
        return p;
      }
    }
    this.pods.f[(p << POD_SHIFT) + P_STATE] = P_QUEUED;
    pool.queue.push(p);
    pool.queued++;
    pool.counters.podsUnschedulable++;
    pool.own.podsUnschedulable++;
    this.drain(pool);
    notePeakUnschedulable(this, pool);
    return p;
  }

  /** Places queued pods while nodes have room. Stops at the first refusal and retries later with a backoff. */
  drain(pool: PoolState): void {
    const pods = this.pods;
    const q = pool.queue;
    const pack = this.pack;
    while (q.length > 0) {
      const p = q.peek();
      if (pods.f[(p << POD_SHIFT) + P_STATE] === P_ZOMBIE) {
        q.shift();
        pods.free(p);
        continue;
      }
      const node = pack ? pool.buckets.highest() : pool.buckets.lowest();
      if (node < 0) return;
      q.shift();
      pool.queued--;
      pool.counters.podsUnschedulable--;
      pool.own.podsUnschedulable--;
      if (!this.bind(p, node)) {
        q.push(p);
        pool.queued++;
        pool.counters.podsUnschedulable++;
        pool.own.podsUnschedulable++;
        this.schedulePlaceRetry(pool);
        notePeakUnschedulable(this, pool);
        return;
      }
    }
  }

  private schedulePlaceRetry(pool: PoolState): void {
    if (pool.placeRetryPending) return;
    pool.placeRetryPending = true;
    this.engine.post(pool.placeBackoffMs, this.K_PLACE_RETRY, pool.gp);
    pool.placeBackoffMs = Math.min(pool.placeBackoffMs * 2, RETRY_MAX_MS);
  }

  private onPlaceRetry(gp: number): void {
    const pool = this.pools[gp]!;
    pool.placeRetryPending = false;
    this.drain(pool);
  }

  /** Binds pod `p` to `node` and asks for its address. False (and nothing bound) when the allocator refuses. */
  private bind(p: number, node: number): boolean {
    const pods = this.pods;
    const f = pods.f;
    const b = p << POD_SHIFT;
    const nodes = this.nodes;
    const nr = nodes.r;
    const nb = node << NODE_SHIFT;
    const pool = this.pools[nr[nb + N_POOL]!]!;
    const cluster = this.clusters[pool.cluster]!;
    if (nodes.indexed) f[b + P_NSLOT] = nodes.takeSlot(node, p);
    f[b + P_BSEQ] = ++nr[nb + N_BINDS]!;
    if (isDaemonsetOwner(f[b + P_OWNER]!)) nr[nb + N_DAEMONS]!++;
    const count = ++nr[nb + N_PODS]!;
    if (nr[nb + N_STATE] === N_READY) pool.buckets.move(node, count);
    f[b + P_NODE] = node;
    const c = cluster.counters;
    const owner = f[b + P_OWNER]!;
    if (owner !== OWNER_CHURN && this.workload.hostNetwork(owner)) {
      // On the host network: running at once, no pod address, no IP wait to measure.
      f[b + P_STATE] = P_RUNNING;
      f[b + P_HANDLE] = HOST_NETWORK_HANDLE;
      c.podsHostNetwork++;
      if (++c.podsRunning > c.maxPodsRunning) c.maxPodsRunning = c.podsRunning;
      c.podsStarted++;
      pool.placeBackoffMs = RETRY_FIRST_MS;
      return true;
    }
    const r = cluster.alloc.podAdd(p, node);
    if (r >= 0) {
      f[b + P_STATE] = P_RUNNING;
      f[b + P_HANDLE] = r;
      c.podUp();
      c.recordWait(0);
      pool.own.podUp();
      pool.own.recordWait(0);
      pool.placeBackoffMs = RETRY_FIRST_MS;
      return true;
    }
    if (r === PENDING) {
      // Only a pod that waits reads its bind time (onGranted); one granted at once never does.
      pods.waitStarted(p, this.engine.now);
      f[b + P_STATE] = P_WAITING;
      if (++c.podsWaitingIp > c.maxWaitingIp) c.maxWaitingIp = c.podsWaitingIp;
      if (++pool.own.podsWaitingIp > pool.own.maxWaitingIp) pool.own.maxWaitingIp = pool.own.podsWaitingIp;
      return true;
    }
    // Refused: unbound again (nothing was taken from the allocator) and queued, as the caller queues it again (or
    // frees it). Left in P_WAITING, a deletion before its retry would release an address of node −1.
    this.unlink(p, node, pool);
    f[b + P_STATE] = P_QUEUED;
    const cause = causeOf(r);
    this.record(pool.cluster, 'pod-refused', cause, pool.spec.name, node, `pod could not get an address: ${causeName(cause)}`);
    return false;
  }

  private onGranted(p: number, node: number, handle: number): void {
    const pods = this.pods;
    const f = pods.f;
    const b = p << POD_SHIFT;
    if (f[b + P_STATE] !== P_WAITING || f[b + P_NODE] !== node) throw internalError(`allocator granted pod ${p} on node ${node}, which is not waiting there`);
    const pool = this.pools[f[b + P_POOL]!]!;
    const c = pool.counters;
    const own = pool.own;
    f[b + P_STATE] = P_RUNNING;
    f[b + P_HANDLE] = handle;
    c.podsWaitingIp--;
    own.podsWaitingIp--;
    c.podUp();
    own.podUp();
    const waited = pods.waitEnded(p, this.engine.now);
    c.recordWait(waited);
    own.recordWait(waited);
  }

  private unlink(p: number, node: number, pool: PoolState): void {
    const f = this.pods.f;
    const b = p << POD_SHIFT;
    const nodes = this.nodes;
    const nr = nodes.r;
    const nb = node << NODE_SHIFT;
    if (nodes.indexed) nodes.freeSlot(node, f[b + P_NSLOT]!);
    const count = --nr[nb + N_PODS]!;
    if (nr[nb + N_STATE] === N_READY) pool.buckets.move(node, count);
    // Idle from now when its last pod other than daemonset pods goes.
    if (isDaemonsetOwner(f[b + P_OWNER]!)) nr[nb + N_DAEMONS]!--;
    else if (count === nr[nb + N_DAEMONS]) nodes.idleSince[node] = this.engine.now;
    f[b + P_NODE] = -1;
  }

  /**
   * Releases the pod's address (or its place in the node's wait queue) and unbinds it from its node. `pool` is
   * the pod's pool, which is its node's pool (check.ts verifies it).
   */
  private unbind(p: number, pool: PoolState): void {
    const pods = this.pods;
    const f = pods.f;
    const b = p << POD_SHIFT;
    const node = f[b + P_NODE]!;
    const cluster = this.clusters[pool.cluster]!;
    const c = cluster.counters;
    if (f[b + P_STATE] === P_RUNNING) {
      const handle = f[b + P_HANDLE]!;
      if (handle === HOST_NETWORK_HANDLE) c.podsHostNetwork--;
      else cluster.alloc.podRelease(p, node, handle);
      c.podsRunning--;
      pool.own.podsRunning--;
    } else {
      cluster.alloc.podRelease(p, node, PENDING);
      c.podsWaitingIp--;
      pool.own.podsWaitingIp--;
      pods.waitDropped(p);
    }
    this.unlink(p, node, pool);
  }

  /** Deletes a pod wherever it is. */
  deletePod(p: number): void {
    const owner = this.pods.f[(p << POD_SHIFT) + P_OWNER]!;
    if (owner >= 0) this.workload.dropFromDeployment(p, owner);
    this.deleteUnowned(p);
  }

  /**
   * Deletes a pod that is in no deployment's list (churn, daemonset): deletePod without the owner lookup. The
   * pod's state, pool, node and list links share one record (one cache line).
   */
  deleteUnowned(p: number): void {
    const pods = this.pods;
    const f = pods.f;
    const b = p << POD_SHIFT;
    const state = f[b + P_STATE]!;
    const pool = this.pools[f[b + P_POOL]!]!;
    if (state === P_QUEUED) {
      f[b + P_STATE] = P_ZOMBIE;
      pool.queued--;
      pool.counters.podsUnschedulable--;
      pool.own.podsUnschedulable--;
      return;
    }
    this.unbind(p, pool);
    pods.free(p);
    if (pool.queued > 0) this.drain(pool);
  }

  /** A daemonset's pod bound straight to `node` (skipped when the node is full). */
  placeDaemonPod(pool: PoolState, ds: number, node: number): void {
    if (this.nodes.podsOf(node) >= pool.maxPods) return;
    const p = this.pods.alloc(pool.gp, daemonsetOwner(ds));
    if (!this.bind(p, node)) this.pods.free(p);
  }

  // ---- measurement -----------------------------------------------------------------------------------------

  /** Records a refusal, exhaustion or lifecycle event of cluster `ci` (cause 0: none). */
  record(ci: number, event: string, cause: number, pool: string, node: number, detail: string): void {
    recordEvent(this, ci, event, cause, pool, node, detail);
  }

  /** Appends one row per cluster for the current time. */
  sample(): void {
    sampleClusters(this, this.gauges);
  }

  /** Before and after a change of a cluster's pod address capacity (see measure.ts noteCapacity). */
  noteCapacity(ci: number): void {
    noteCapacity(this, ci, this.gauges);
  }
}
