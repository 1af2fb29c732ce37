/**
 * Dynamic pod-subnet allocation ("dynamic") [podsubnet-doc; cns ipampool monitor v1/v2].
 *
 * A joining node takes its address from the node subnet and, from the pod subnet (a flat address pool shared
 * by key), its network container's primary address plus one batch (16) at once. Join is refused only when the
 * node subnet has no address (node-subnet-full) or the pod subnet cannot give even the primary
 * (pod-subnet-full); when the first batch does not fit, the node joins with what it has, a `batch-refused`
 * event is recorded and the monitor keeps asking.
 *
 * Pool monitor, per node, on the clock:
 *   v1 — at a tick, with no request in flight, ask for one batch when free < minFree (or a pod is waiting),
 *        release one batch when free ≥ maxFree. B = 16, minFree = round(B·0.5) = 8, maxFree = 24.
 *   v2 — target = B·ceil(0.5 + demand/B) capped at perNodeCap (demand = the node's pods, waiting or not),
 *        recomputed on every pod add/release, on every grant and on every tick; one request in flight.
 * Lazy ticks (rule since issue 6; CNS checks every monitorInterval): a node's monitor runs only at its phase
 * times, join + k·monitorInterval. After any change (pod add/release, a grant or a refused grant, a release, its
 * subnet's exhaustion state flipping) that leaves the node with something a tick would do (v1: free < minFree or
 * waiting pods, or free ≥ maxFree; v2: target ≠ held) and no tick scheduled, a tick is scheduled at the next
 * phase time strictly after now; a tick that finds nothing to do schedules nothing. An idle node costs no
 * events. Not the same results as a tick every interval: a change at exactly a phase time (a grant whose latency
 * is a multiple of the interval, as by default) is acted on at the next phase time, one interval later, where
 * the eager tick at that same millisecond ran after it.
 * A request is granted after grantLatency: the addresses are taken from the pod subnet at grant time, all or
 * nothing; a batch the subnet cannot fill is recorded (`batch-refused`, once per refusal streak of a node) and
 * retried at the next tick. Released batches return to the subnet at once. perNodeCap bounds the pod addresses
 * a node holds (its primary not counted).
 * Pods that find no free address get PENDING and wait in a per-node FIFO (an intrusive list indexed by pod id);
 * a grant, or a pod releasing its address, serves them in arrival order through host.granted().
 * Subnet exhaustion: when a pod subnet's utilisation reaches exhaustedAbove its nodes use batch 1 (minFree 1,
 * maxFree 2) until it falls below recoveredBelow; both transitions are recorded. Every change of a pod subnet
 * re-checks the state in every dynamic allocator with nodes on it (clusters may share a pod subnet: a
 * module-level list per pool, by WeakMap); a flip arms the ticks of that allocator's nodes on the subnet (one
 * pass over its node ids per flip; flips are rare).
 *
 * A pod's handle is its address offset in its node's pod subnet.
 * Costs: podAdd / podRelease O(1), allocation-free (v2 adds an O(1) reconcile; serving a waiter calls
 * host.granted); nodeJoin O(B); nodeLeave O(addresses held); a tick O(1) (+ O(B) when it releases); a grant O(B);
 * each pod-subnet change O(allocators sharing the subnet), plus O(node ids) on an exhaustion flip.
 * gauges O(1) plus the pod subnets' fragmentation scan O(size/32); recount O(node ids + held + waiting).
 */
import { inputError, internalError } from '../../errors.js';
import type { AddressPool } from '../../pool/index.js';
import { AZURE_SUBNET } from '../platform/reserves.js';
import { distinct, freeOf, growF64, growI32, NodeStacks, NodeSubnets, setGauges4 } from '../shared.js';
import {
  CLUSTER_POD_LIMIT, MAX_PODS, NODE_SUBNET_FULL, OK, PENDING, POD_SUBNET_FULL, refused,
  type Allocator, type AllocatorContext, type AllocatorHost, type Clock, type Gauges,
} from '../types.js';
import { dynamicInfo, type DynamicParams } from './info.js';

/** The dynamic allocators drawing from one pod subnet, each with the subnet's index in its own podPools. */
class SubnetWatchers {
  readonly allocs: DynamicAllocator[];
  readonly index: number[];
  constructor() {
    this.allocs = [];
    this.index = [];
  }
}

/** Per pod-subnet pool (shared by key within a run); entries die with the run's pools. */
const watchersOf = new WeakMap<AddressPool, SubnetWatchers>();

class DynamicAllocator implements Allocator {
  readonly mode: string;
  private readonly host: AllocatorHost;
  private readonly clock: Clock;
  private readonly tickKind: number;
  private readonly grantKind: number;
  private readonly v2: boolean;
  private readonly batch: number;
  private readonly minFreeN: number;
  private readonly maxFreeN: number;
  private readonly minFree1: number;
  private readonly maxFree1: number;
  private readonly interval: number;
  private readonly latency: number;
  private readonly primaryIp: boolean;
  private readonly cap: number;
  private readonly clusterPodLimit: number;
  private readonly exhaustedAbove: number;
  private readonly recoveredBelow: number;
  /** Fragmentation is measured against aligned blocks of the batch size rounded up to a power of two (/28). */
  private readonly fragLog2: number;
  private readonly nodes: NodeSubnets;
  /** By node-pool index: its pod subnet's index in podPools, its max-pods. */
  private readonly spaceOf: Int32Array;
  private readonly maxPodsOf: Int32Array;
  /** Distinct pod subnets of the cluster, and whether each is in exhaustion mode. */
  private readonly podPools: readonly AddressPool[];
  private readonly exhausted: Uint8Array;
  /** Per pod subnet: the allocators that watch it (this one included), and this allocator's nodes on it. */
  private readonly watchers: readonly SubnetWatchers[];
  private readonly nodesOn: Int32Array;
  private readonly nodeCapacity: number;
  private readonly podCapacity: number;
  /** Per node: free pod addresses it holds. */
  private readonly free: NodeStacks;
  /** Per node. */
  private primaryOf: Int32Array;
  private assignedOf: Int32Array;
  private waitingOf: Int32Array;
  /** Addresses requested and not yet granted (0 = nothing in flight). */
  private inflightOf: Int32Array;
  /** 1 while the node's batch requests keep being refused (records once per streak). */
  private refusingOf: Int32Array;
  private waitHead: Int32Array;
  private waitTail: Int32Array;
  /** Handle of the node's scheduled monitor tick (-1 = none), and its join time (phase origin). */
  private tickOf: Float64Array;
  private joinAt: Float64Array;
  private grantOf: Float64Array;
  /** Per pod (wait queue only): links, and the node it waits on (-1 = not waiting). */
  private wNext: Int32Array;
  private wPrev: Int32Array;
  private wNode: Int32Array;
  /** Pod-subnet addresses held by this cluster's nodes (primaries + batches). */
  private reserved: number;
  private pods: number;
  private waiting: number;

  constructor(ctx: AllocatorContext<DynamicParams>) {
    const { cluster, spaces, params: p, host } = ctx;
    this.mode = dynamicInfo.name;
    this.host = host;
    this.clock = host.clock;
    this.tickKind = this.clock.define((node) => this.tick(node));
    this.grantKind = this.clock.define((node) => this.grant(node));
    this.v2 = p.monitor === 'v2';
    this.batch = p.batchSize;
    // [cns] minFree = round(B × 50%), maxFree = round(B × 150%); under exhaustion B = 1 → 1 and 2.
    this.minFreeN = Math.round(p.batchSize * p.minFreeFraction);
    this.maxFreeN = Math.round(p.batchSize * p.maxFreeFraction);
    this.minFree1 = Math.round(p.minFreeFraction);
    this.maxFree1 = Math.round(p.maxFreeFraction);
    this.interval = p.monitorInterval;
    this.latency = p.grantLatency;
    this.primaryIp = p.primaryIp;
    this.cap = p.perNodeCap;
    this.clusterPodLimit = p.clusterPodLimit;
    this.exhaustedAbove = p.exhaustedAbove;
    this.recoveredBelow = p.recoveredBelow;
    this.fragLog2 = Math.ceil(Math.log2(p.batchSize));
    this.nodes = new NodeSubnets(spaces, cluster, AZURE_SUBNET);
    const podPoolOf = cluster.pools.map((np, i) => {
      if (np.podSubnet === null) throw inputError(`cluster ${cluster.name}: nodePools[${i}] (${np.name}) has no pod subnet; dynamic needs one`);
      return spaces.subnet(np.podSubnet, AZURE_SUBNET);
    });
    this.podPools = distinct(podPoolOf);
    this.spaceOf = Int32Array.from(podPoolOf, (pp) => this.podPools.indexOf(pp));
    this.maxPodsOf = Int32Array.from(cluster.pools, (np) => np.maxPods);
    this.exhausted = new Uint8Array(this.podPools.length);
    this.watchers = this.podPools.map((pp, s) => {
      let w = watchersOf.get(pp);
      if (w === undefined) {
        w = new SubnetWatchers();
        watchersOf.set(pp, w);
      }
      w.allocs.push(this);
      w.index.push(s);
      return w;
    });
    this.nodesOn = new Int32Array(this.podPools.length);
    this.nodeCapacity = this.nodes.capacity();
    let cap = 0;
    for (const pp of this.podPools) cap += pp.capacity;
    this.podCapacity = cap;
    this.free = new NodeStacks(this.cap, 64);
    this.primaryOf = new Int32Array(64).fill(-1);
    this.assignedOf = new Int32Array(64);
    this.waitingOf = new Int32Array(64);
    this.inflightOf = new Int32Array(64);
    this.refusingOf = new Int32Array(64);
    this.waitHead = new Int32Array(64).fill(-1);
    this.waitTail = new Int32Array(64).fill(-1);
    this.tickOf = new Float64Array(64).fill(-1);
    this.joinAt = new Float64Array(64);
    this.grantOf = new Float64Array(64).fill(-1);
    this.wNext = new Int32Array(64).fill(-1);
    this.wPrev = new Int32Array(64).fill(-1);
    this.wNode = new Int32Array(64).fill(-1);
    this.reserved = 0;
    this.pods = 0;
    this.waiting = 0;
  }

  nodeJoin(node: number, pool: number): number {
    this.ensure(node);
    if (this.nodes.poolOf[node]! >= 0) throw internalError(`dynamic: node ${node} joined twice`);
    const nsub = this.nodes.pick(pool, 1);
    if (nsub < 0) return NODE_SUBNET_FULL;
    const s = this.spaceOf[pool]!;
    const sub = this.podPools[s]!;
    if (this.primaryIp && freeOf(sub) < 1) return POD_SUBNET_FULL;
    this.nodes.take(node, pool, nsub);
    this.primaryOf[node] = this.primaryIp ? sub.allocate() : -1;
    if (this.primaryIp) this.reserved++;
    this.assignedOf[node] = 0;
    this.waitingOf[node] = 0;
    this.inflightOf[node] = 0;
    this.refusingOf[node] = 0;
    this.waitHead[node] = -1;
    this.waitTail[node] = -1;
    this.free.clear(node);
    this.grantOf[node] = -1;
    this.tickOf[node] = -1;
    this.joinAt[node] = this.clock.now;
    this.nodesOn[s]!++;
    this.changed(s);
    // The first batch comes at once [podsubnet-doc: "a node asks for 16 when it starts"].
    const first = Math.min(this.exhausted[s] === 1 ? 1 : this.batch, this.cap);
    this.take(node, s, first);
    this.arm(node);
    return OK;
  }

  nodeLeave(node: number): void {
    const pool = this.nodes.poolOfJoined(node, 'dynamic nodeLeave');
    if (this.assignedOf[node] !== 0 || this.waitingOf[node] !== 0) {
      throw internalError(`dynamic: node ${node} left with ${this.assignedOf[node]} pods holding addresses and ${this.waitingOf[node]} waiting`);
    }
    if (this.tickOf[node]! >= 0) this.clock.cancel(this.tickOf[node]!);
    this.tickOf[node] = -1;
    if (this.grantOf[node]! >= 0) this.clock.cancel(this.grantOf[node]!);
    this.grantOf[node] = -1;
    this.inflightOf[node] = 0;
    const s = this.spaceOf[pool]!;
    const sub = this.podPools[s]!;
    const n = this.free.size(node);
    for (let i = 0; i < n; i++) sub.free(this.free.at(node, i));
    this.free.clear(node);
    this.reserved -= n;
    if (this.primaryOf[node]! >= 0) {
      sub.free(this.primaryOf[node]!);
      this.primaryOf[node] = -1;
      this.reserved--;
    }
    this.nodes.give(node);
    this.changed(s); // still counted on s, so a recovery it causes is recorded
    this.nodesOn[s]!--;
  }

  podAdd(pod: number, node: number): number {
    const pool = this.nodes.poolOfJoined(node, 'dynamic podAdd');
    if (this.pods + this.waiting >= this.clusterPodLimit) return refused(CLUSTER_POD_LIMIT);
    const onNode = this.assignedOf[node]! + this.waitingOf[node]!;
    if (onNode >= this.maxPodsOf[pool]!) return refused(MAX_PODS);
    let result = PENDING;
    if (this.waitingOf[node] === 0) result = this.free.pop(node);
    if (result >= 0) {
      this.assignedOf[node]!++;
      this.pods++;
    } else {
      this.enqueue(pod, node);
      result = PENDING;
    }
    if (this.v2) this.reconcile(node, pool);
    this.arm(node);
    return result;
  }

  podRelease(pod: number, node: number, handle: number): void {
    const pool = this.nodes.poolOfJoined(node, 'dynamic podRelease');
    if (handle === PENDING) {
      if (this.wNode[pod] !== node) throw internalError(`dynamic: pod ${pod} is not waiting on node ${node}`);
      this.unlink(pod, node);
    } else if (this.waitingOf[node]! > 0) {
      // The address goes straight to the longest-waiting pod of the node.
      const w = this.waitHead[node]!;
      this.unlink(w, node);
      this.host.granted(w, node, handle);
    } else {
      this.assignedOf[node]!--;
      this.pods--;
      this.free.push(node, handle);
    }
    if (this.v2) this.reconcile(node, pool);
    this.arm(node);
  }

  address(node: number, handle: number): number {
    return this.podPools[this.spaceOf[this.nodes.poolOfJoined(node, 'dynamic address')]!]!.cidr.base + handle;
  }

  gauges(out: Gauges): void {
    setGauges4(out, this.nodes.count, this.nodeCapacity, this.reserved, this.pods, this.podCapacity, this.fragmentation(), this.waiting);
  }

  reservedNow(): number {
    return this.reserved;
  }

  recount(out: Gauges): void {
    let reserved = 0;
    let pods = 0;
    let waiting = 0;
    for (let node = 0; node < this.assignedOf.length; node++) {
      const pool = node < this.nodes.poolOf.length ? this.nodes.poolOf[node]! : -1;
      if (pool < 0) continue;
      const sub = this.podPools[this.spaceOf[pool]!]!;
      if (this.primaryOf[node]! >= 0 && sub.isAllocated(this.primaryOf[node]!)) reserved++;
      const n = this.free.size(node);
      for (let i = 0; i < n; i++) if (sub.isAllocated(this.free.at(node, i))) reserved++;
      reserved += this.assignedOf[node]!;
      pods += this.assignedOf[node]!;
      for (let w = this.waitHead[node]!; w >= 0; w = this.wNext[w]!) waiting++;
    }
    let cap = 0;
    for (const pp of this.podPools) cap += pp.capacity;
    setGauges4(out, this.nodes.recount(), this.nodes.capacity(), reserved, pods, cap, this.fragmentation(), waiting);
  }

  // --- pool monitor -----------------------------------------------------------------------------------

  private tick(node: number): void {
    this.tickOf[node] = -1;
    const pool = this.nodes.poolOf[node]!;
    if (pool < 0) return; // cancelled at nodeLeave; kept as a guard
    if (this.inflightOf[node]! > 0) return; // the grant re-arms
    const s = this.spaceOf[pool]!;
    if (this.v2) {
      this.reconcile(node, pool);
    } else {
      const ex = this.exhausted[s] === 1;
      const b = ex ? 1 : this.batch;
      const minFree = ex ? this.minFree1 : this.minFreeN;
      const maxFree = ex ? this.maxFree1 : this.maxFreeN;
      const free = this.free.size(node);
      if (free < minFree || this.waitingOf[node]! > 0) {
        const amount = Math.min(b, this.cap - free - this.assignedOf[node]!);
        if (amount > 0) this.request(node, amount);
      } else if (free >= maxFree) {
        const n = Math.min(b, free - minFree);
        if (n > 0) this.release(node, s, n);
      }
    }
    this.arm(node); // e.g. v1 still at or above maxFree after releasing one batch
  }

  /**
   * Whether a tick of the joined node would act now: mirrors tick() (v1) and reconcile() (v2). O(1).
   * Nothing while a request is in flight: its grant re-arms.
   */
  private wants(node: number, pool: number): boolean {
    if (this.inflightOf[node]! > 0) return false;
    const ex = this.exhausted[this.spaceOf[pool]!] === 1;
    const b = ex ? 1 : this.batch;
    const free = this.free.size(node);
    const assigned = this.assignedOf[node]!;
    if (this.v2) {
      const target = Math.min(b * Math.ceil(0.5 + (assigned + this.waitingOf[node]!) / b), this.cap);
      const held = free + assigned;
      return target > held || (target < held && free > 0);
    }
    const minFree = ex ? this.minFree1 : this.minFreeN;
    if (free < minFree || this.waitingOf[node]! > 0) return Math.min(b, this.cap - free - assigned) > 0;
    return free >= (ex ? this.maxFree1 : this.maxFreeN) && Math.min(b, free - minFree) > 0;
  }

  /** Schedules the node's tick at its next phase time strictly after now, if it has none and wants one. O(1). */
  private arm(node: number): void {
    if (this.tickOf[node]! >= 0) return;
    const pool = this.nodes.poolOf[node]!;
    if (pool < 0 || !this.wants(node, pool)) return;
    const now = this.clock.now;
    const j = this.joinAt[node]!;
    const next = j + (Math.floor((now - j) / this.interval) + 1) * this.interval;
    this.tickOf[node] = this.clock.schedule(next - now, this.tickKind, node);
  }

  /** v2: move towards target = B·ceil(0.5 + demand/B) (capped), one request in flight. O(1) or O(released). */
  private reconcile(node: number, pool: number): void {
    if (this.inflightOf[node]! > 0) return;
    const s = this.spaceOf[pool]!;
    const b = this.exhausted[s] === 1 ? 1 : this.batch;
    const demand = this.assignedOf[node]! + this.waitingOf[node]!;
    const target = Math.min(b * Math.ceil(0.5 + demand / b), this.cap);
    const free = this.free.size(node);
    const held = free + this.assignedOf[node]!;
    if (target > held) this.request(node, target - held);
    else if (target < held && free > 0) this.release(node, s, Math.min(held - target, free));
  }

  private request(node: number, amount: number): void {
    this.inflightOf[node] = amount;
    this.grantOf[node] = this.clock.schedule(this.latency, this.grantKind, node);
  }

  private grant(node: number): void {
    const amount = this.inflightOf[node]!;
    this.inflightOf[node] = 0;
    this.grantOf[node] = -1;
    const pool = this.nodes.poolOf[node]!;
    if (pool < 0 || amount === 0) return; // cancelled at nodeLeave; kept as a guard
    const s = this.spaceOf[pool]!;
    if (this.take(node, s, amount)) {
      this.serveWaiting(node);
      if (this.v2) this.reconcile(node, pool);
    }
    this.arm(node); // a refused batch is retried at the next phase time
  }

  /** Takes `amount` addresses of pod subnet `s` for the node, all or nothing; records a refusal. */
  private take(node: number, s: number, amount: number): boolean {
    const sub = this.podPools[s]!;
    if (freeOf(sub) < amount) {
      if (this.refusingOf[node] === 0) {
        this.refusingOf[node] = 1;
        this.host.record('batch-refused', POD_SUBNET_FULL, node, `pod subnet ${sub.cidr.text} has ${freeOf(sub)} free addresses; node ${node} asked for ${amount}`);
      }
      this.changed(s);
      return false;
    }
    this.refusingOf[node] = 0;
    const from = this.free.size(node);
    for (let i = 0; i < amount; i++) this.free.push(node, sub.allocate());
    this.free.reverse(node, from); // lowest of the new addresses is handed out first
    this.reserved += amount;
    this.changed(s);
    return true;
  }

  private release(node: number, s: number, n: number): void {
    const sub = this.podPools[s]!;
    for (let i = 0; i < n; i++) sub.free(this.free.pop(node));
    this.reserved -= n;
    this.changed(s);
  }

  private serveWaiting(node: number): void {
    while (this.waitingOf[node]! > 0 && this.free.size(node) > 0) {
      const w = this.waitHead[node]!;
      this.unlink(w, node);
      const a = this.free.pop(node);
      this.assignedOf[node]!++;
      this.pods++;
      this.host.granted(w, node, a);
    }
  }

  /**
   * Pod subnet `s` changed (or was asked of): every dynamic allocator with nodes on it re-checks its exhaustion
   * state. O(allocators sharing the subnet), usually 1.
   */
  private changed(s: number): void {
    const w = this.watchers[s]!;
    for (let i = 0; i < w.allocs.length; i++) w.allocs[i]!.updateExhaustion(w.index[i]!);
  }

  /**
   * Exhaustion hysteresis of pod subnet `s` [cns]. O(1); records each transition and arms the ticks of this
   * allocator's nodes on the subnet (O(node ids), once per flip). Skipped while none of its nodes is on it.
   */
  private updateExhaustion(s: number): void {
    if (this.nodesOn[s] === 0) return;
    const sub = this.podPools[s]!;
    const u = sub.used / sub.capacity;
    if (this.exhausted[s] === 0) {
      if (u < this.exhaustedAbove) return;
      this.exhausted[s] = 1;
      this.host.record('subnet-exhausted', POD_SUBNET_FULL, -1, `pod subnet ${sub.cidr.text} is ${(u * 100).toFixed(1)}% used (≥ ${this.exhaustedAbove * 100}%): nodes switch to batch 1`);
    } else {
      if (u >= this.recoveredBelow) return;
      this.exhausted[s] = 0;
      this.host.record('subnet-recovered', 0, -1, `pod subnet ${sub.cidr.text} is ${(u * 100).toFixed(1)}% used (< ${this.recoveredBelow * 100}%): nodes return to batch ${this.batch}`);
    }
    const poolOf = this.nodes.poolOf;
    for (let node = 0; node < poolOf.length; node++) {
      const pool = poolOf[node]!;
      if (pool >= 0 && this.spaceOf[pool] === s) this.arm(node);
    }
  }

  // --- wait queue ---------------------------------------------------------------------------------------

  private enqueue(pod: number, node: number): void {
    if (pod >= this.wNode.length) {
      this.wNext = growI32(this.wNext, pod + 1, -1);
      this.wPrev = growI32(this.wPrev, pod + 1, -1);
      this.wNode = growI32(this.wNode, pod + 1, -1);
    }
    if (this.wNode[pod] !== -1) throw internalError(`dynamic: pod ${pod} is already waiting on node ${this.wNode[pod]}`);
    const tail = this.waitTail[node]!;
    this.wNode[pod] = node;
    this.wPrev[pod] = tail;
    this.wNext[pod] = -1;
    if (tail >= 0) this.wNext[tail] = pod;
    else this.waitHead[node] = pod;
    this.waitTail[node] = pod;
    this.waitingOf[node]!++;
    this.waiting++;
  }

  private unlink(pod: number, node: number): void {
    const p = this.wPrev[pod]!;
    const n = this.wNext[pod]!;
    if (p >= 0) this.wNext[p] = n;
    else this.waitHead[node] = n;
    if (n >= 0) this.wPrev[n] = p;
    else this.waitTail[node] = p;
    this.wNode[pod] = -1;
    this.wPrev[pod] = -1;
    this.wNext[pod] = -1;
    this.waitingOf[node]!--;
    this.waiting--;
  }

  /** Free pod-subnet addresses in no whole free aligned block of the batch size, as a fraction of free. O(size/32). */
  private fragmentation(): number {
    let free = 0;
    let stranded = 0;
    for (let i = 0; i < this.podPools.length; i++) {
      const pp = this.podPools[i]!;
      free += freeOf(pp);
      stranded += pp.fragmentation(this.fragLog2);
    }
    return free === 0 ? 0 : stranded / free;
  }

  private ensure(node: number): void {
    this.nodes.ensure(node);
    this.free.ensure(node);
    if (node < this.assignedOf.length) return;
    const n = node + 1;
    this.primaryOf = growI32(this.primaryOf, n, -1);
    this.assignedOf = growI32(this.assignedOf, n, 0);
    this.waitingOf = growI32(this.waitingOf, n, 0);
    this.inflightOf = growI32(this.inflightOf, n, 0);
    this.refusingOf = growI32(this.refusingOf, n, 0);
    this.waitHead = growI32(this.waitHead, n, -1);
    this.waitTail = growI32(this.waitTail, n, -1);
    this.tickOf = growF64(this.tickOf, n, -1);
    this.joinAt = growF64(this.joinAt, n, 0);
    this.grantOf = growF64(this.grantOf, n, -1);
  }
}

export function createDynamic(ctx: AllocatorContext<DynamicParams>): Allocator {
  return new DynamicAllocator(ctx);
}
