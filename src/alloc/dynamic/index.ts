/**
 * Dynamic pod-subnet allocation ("dynamic") [podsubnet-doc; cns ipampool monitor v1/v2].
 *
 * A joining node takes its address from the node subnet and, from the pod subnet (a flat address pool shared
 * by key), its network container's primary address plus one batch (16) at once. Join is refused when the node
 * subnet has no address (node-subnet-full), the pod subnet cannot give even the primary (pod-subnet-full) or the
 * VNet's private-address limit cannot take the node's address and primary (vnet-ip-limit); when the first batch
 * does not fit, the node joins with what it has, a `batch-refused` event is recorded and the monitor keeps asking.
 *
 * Pool monitor, per node: the rule is `Scaler.step` (monitor.ts), with the pool's scaler or, while the pod subnet
 * is marked exhausted, its batch-1 form. One round trip in flight per node: a request for more addresses, or a
 * release. v1 acts at its ticks; v2 acts on every pod add/release, every answer, every exhaustion flip and at
 * its ticks (at least every 60 s).
 * Lazy ticks (rule since issue 6; CNS checks every monitorInterval, v2 every 60 s): a node's monitor runs only at
 * its phase times, join + k·interval. After any change that leaves the node with something a tick would do
 * (`step` ≠ 0 with nothing in flight) and no tick scheduled, a tick is scheduled at the next phase time strictly
 * after now; a tick that finds nothing to do schedules nothing. An idle node costs no events.
 * A request is answered after grantLatency. A grow takes its addresses from the pod subnet and the VNet's count at
 * that moment, all or nothing; one that does not fit is recorded (`batch-refused` with pod-subnet-full or
 * vnet-ip-limit, once per refusal streak of a node) and asked again at the next tick. A release marks its
 * addresses pending release at once (they serve no pod and still count as held, in the subnet and the VNet) and
 * returns them when the answer comes [cns: IPsNotInUse].
 * Pods that find no free address get PENDING and wait in a per-node FIFO (an intrusive list indexed by pod id);
 * a grant, or a pod releasing its address, serves them in arrival order through host.granted().
 * Subnet exhaustion [cns ClusterSubnetState]: the control plane polls each pod subnet every
 * exhaustionPollInterval (phase times k·interval of the clock) and marks it exhausted when its utilisation is at
 * or above exhaustedAbove, recovered when below recoveredBelow, so the state changes at most once per poll. The
 * state is per subnet, shared by every dynamic cluster on it (a module-level record per pool, by WeakMap); a poll
 * is only scheduled while the utilisation is on the other side of a threshold (lazy, same result as polling
 * always). A flip is recorded by each allocator with nodes on the subnet and wakes those nodes (one pass over
 * its node ids per flip; flips are rare).
 *
 * A pod's handle is its address offset in its node's pod subnet.
 * Costs: podAdd / podRelease O(1), allocation-free (v2 adds an O(1) step; serving a waiter calls host.granted);
 * nodeJoin O(B); nodeLeave O(addresses held); a tick O(1) (+ O(released)); an answer O(addresses moved);
 * each pod-subnet change O(1); a poll O(allocators sharing the subnet), plus O(node ids) on a flip.
 * gauges O(1) plus the pod subnets' fragmentation scan O(size/32); recount O(node ids + held + waiting).
 */
import { inputError, internalError } from '../../errors.js';
import type { AddressPool } from '../../pool/index.js';
import { takeBudget, vnetBudget, VNET_IP_LIMIT } from '../platform/azure-vnet.js';
import { AZURE_SUBNET } from '../platform/reserves.js';
import { distinct, freeOf, growF64, growI32, NodeStacks, NodeSubnets, setGauges4 } from '../mechanics.js';
import {
  MAX_PODS, NODE_SUBNET_FULL, OK, PENDING, POD_SUBNET_FULL, refused,
  type Allocator, type AllocatorContext, type AllocatorHost, type Budget, type Clock, type Gauges,
} from '../types.js';
import { dynamicInfo, POD_SUBNET_SCARCE, V2_RECONCILE_MS, type DynamicParams } from './info.js';
import { scalerOf, type Scaler } from './monitor.js';

/**
 * The control plane's view of one pod subnet (shared by every dynamic allocator drawing from it): its exhausted
 * state, the allocators that watch it, and its poll. The thresholds and interval are the first allocator's.
 */
class SubnetState {
  readonly pool: AddressPool;
  readonly allocs: DynamicAllocator[];
  readonly index: number[];
  exhausted: boolean;
  /** Handle of the scheduled poll (-1: none). */
  poll: number;
  readonly above: number;
  readonly below: number;
  readonly interval: number;
  readonly enabled: boolean;

  constructor(pool: AddressPool, p: DynamicParams) {
    this.pool = pool;
    this.allocs = [];
    this.index = [];
    this.exhausted = false;
    this.poll = -1;
    this.above = p.exhaustedAbove;
    this.below = p.recoveredBelow;
    this.interval = p.exhaustionPollInterval;
    this.enabled = p.subnetScarcity;
  }

  /** Whether a poll now would flip the state (hysteresis). O(1). */
  wouldFlip(): boolean {
    const u = this.pool.used / this.pool.capacity;
    return this.exhausted ? u < this.below : u >= this.above;
  }
}

/** Per pod-subnet pool (shared by key within a run); entries die with the run's pools. */
const stateOf = new WeakMap<AddressPool, SubnetState>();

class DynamicAllocator implements Allocator {
  readonly mode: string;
  private readonly host: AllocatorHost;
  private readonly clock: Clock;
  private readonly tickKind: number;
  private readonly answerKind: number;
  private readonly pollKind: number;
  private readonly v2: boolean;
  private readonly interval: number;
  private readonly latency: number;
  private readonly primaryIp: boolean;
  /** Fragmentation is measured against aligned blocks of the batch size rounded up to a power of two (/28). */
  private readonly fragLog2: number;
  private readonly nodes: NodeSubnets;
  /** By node-pool index: its pod subnet's index in podPools, its max-pods, its scaler and its batch-1 scaler. */
  private readonly spaceOf: Int32Array;
  private readonly maxPodsOf: Int32Array;
  private readonly scalers: readonly Scaler[];
  private readonly scarce: readonly Scaler[];
  /** Distinct pod subnets of the cluster, and the control plane's state of each (shared across clusters). */
  private readonly podPools: readonly AddressPool[];
  private readonly states: readonly SubnetState[];
  /** Per pod subnet: this allocator's nodes on it. */
  private readonly nodesOn: Int32Array;
  private readonly vnet: Budget;
  private readonly nodeCapacity: number;
  private readonly podCapacity: number;
  /** Per node: free pod addresses it holds, and those pending release. */
  private readonly free: NodeStacks;
  private readonly releasing: NodeStacks;
  /** Per node. */
  private primaryOf: Int32Array;
  private assignedOf: Int32Array;
  private waitingOf: Int32Array;
  /** Addresses requested and not yet answered (0 = no grow in flight). */
  private inflightOf: Int32Array;
  /** 1 while the node's requests keep being refused (records once per streak). */
  private refusingOf: Int32Array;
  private waitHead: Int32Array;
  private waitTail: Int32Array;
  /** Handle of the node's scheduled monitor tick (-1 = none), and its join time (phase origin). */
  private tickOf: Float64Array;
  private joinAt: Float64Array;
  /** Handle of the node's round trip in flight (a grow or a release; -1 = none). */
  private answerOf: Float64Array;
  /** Per pod (wait queue only): links, and the node it waits on (-1 = not waiting). */
  private wNext: Int32Array;
  private wPrev: Int32Array;
  private wNode: Int32Array;
  /** Pod-subnet addresses held by this cluster's nodes (primaries + batches, pending releases included). */
  private reserved: number;
  private pods: number;
  private waiting: number;

  constructor(ctx: AllocatorContext<DynamicParams>) {
    const { cluster, spaces, params: p, host } = ctx;
    this.mode = dynamicInfo.name;
    this.host = host;
    this.clock = host.clock;
    this.tickKind = this.clock.define((node) => this.tick(node));
    this.answerKind = this.clock.define((node) => this.answer(node));
    this.pollKind = this.clock.define((s) => this.poll(s));
    this.v2 = p.monitor === 'v2';
    this.interval = this.v2 ? V2_RECONCILE_MS : p.monitorInterval;
    this.latency = p.grantLatency;
    this.primaryIp = p.primaryIp;
    this.fragLog2 = Math.ceil(Math.log2(p.batchSize));
    this.nodes = new NodeSubnets(spaces, cluster, AZURE_SUBNET);
    const podPoolOf = cluster.pools.map((np, i) => {
      if (np.podSubnet === null) throw inputError(`cluster ${cluster.name}: nodePools[${i}] (${np.name}) has no pod subnet; dynamic needs one`);
      return spaces.subnet(np.podSubnet, AZURE_SUBNET);
    });
    this.podPools = distinct(podPoolOf);
    this.spaceOf = Int32Array.from(podPoolOf, (pp) => this.podPools.indexOf(pp));
    this.maxPodsOf = Int32Array.from(cluster.pools, (np) => np.maxPods);
    this.scalers = cluster.pools.map((np) => scalerOf(p, np.maxPods, false));
    this.scarce = cluster.pools.map((np) => scalerOf(p, np.maxPods, true));
    this.states = this.podPools.map((pp, s) => {
      let st = stateOf.get(pp);
      if (st === undefined) {
        st = new SubnetState(pp, p);
        stateOf.set(pp, st);
      }
      st.allocs.push(this);
      st.index.push(s);
      return st;
    });
    this.nodesOn = new Int32Array(this.podPools.length);
    this.vnet = vnetBudget(spaces, cluster);
    this.nodeCapacity = this.nodes.capacity();
    let cap = 0;
    for (const pp of this.podPools) cap += pp.capacity;
    this.podCapacity = cap;
    // A node holds at most its cap, and never more than max-pods + 2 batches (v1 grows only while fewer than
    // minFree ≤ batch are free; v2's target is below demand + 2 batches): the per-node stacks' stride.
    let most = 1;
    this.scalers.forEach((sc, i) => {
      most = Math.max(most, Math.min(sc.max, cluster.pools[i]!.maxPods + 2 * sc.batch));
    });
    this.free = new NodeStacks(most, 64);
    this.releasing = new NodeStacks(most, 64);
    this.primaryOf = new Int32Array(64).fill(-1);
    this.assignedOf = new Int32Array(64);
    this.waitingOf = new Int32Array(64);
    this.inflightOf = new Int32Array(64);
    this.refusingOf = new Int32Array(64);
    this.waitHead = new Int32Array(64).fill(-1);
    this.waitTail = new Int32Array(64).fill(-1);
    this.tickOf = new Float64Array(64).fill(-1);
    this.joinAt = new Float64Array(64);
    this.answerOf = new Float64Array(64).fill(-1);
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
    const primary = this.primaryIp ? 1 : 0;
    if (freeOf(sub) < primary) return POD_SUBNET_FULL;
    if (!takeBudget(this.vnet, 1 + primary)) return VNET_IP_LIMIT;
    this.nodes.take(node, pool, nsub);
    this.primaryOf[node] = this.primaryIp ? sub.allocate() : -1;
    this.reserved += primary;
    this.assignedOf[node] = 0;
    this.waitingOf[node] = 0;
    this.inflightOf[node] = 0;
    this.refusingOf[node] = 0;
    this.waitHead[node] = -1;
    this.waitTail[node] = -1;
    this.free.clear(node);
    this.releasing.clear(node);
    this.answerOf[node] = -1;
    this.tickOf[node] = -1;
    this.joinAt[node] = this.clock.now;
    this.nodesOn[s]!++;
    // The first batch comes at once [podsubnet-doc: "a node asks for 16 when it starts"].
    this.take(node, s, this.scalerOf(pool).first());
    this.changed(s);
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
    if (this.answerOf[node]! >= 0) this.clock.cancel(this.answerOf[node]!);
    this.answerOf[node] = -1;
    this.inflightOf[node] = 0;
    const s = this.spaceOf[pool]!;
    const sub = this.podPools[s]!;
    const n = this.free.size(node);
    for (let i = 0; i < n; i++) sub.free(this.free.at(node, i));
    this.free.clear(node);
    const r = this.releasing.size(node);
    for (let i = 0; i < r; i++) sub.free(this.releasing.at(node, i));
    this.releasing.clear(node);
    let gone = n + r;
    if (this.primaryOf[node]! >= 0) {
      sub.free(this.primaryOf[node]!);
      this.primaryOf[node] = -1;
      gone++;
    }
    this.reserved -= gone;
    this.vnet.used -= gone + 1;
    this.nodes.give(node);
    this.nodesOn[s]!--;
    this.changed(s);
  }

  podAdd(pod: number, node: number): number {
    const pool = this.nodes.poolOfJoined(node, 'dynamic podAdd');
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
    if (this.v2) this.act(node);
    this.arm(node);
    return result;
  }

  podRelease(pod: number, node: number, handle: number): void {
    this.nodes.poolOfJoined(node, 'dynamic podRelease');
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
    if (this.v2) this.act(node);
    this.arm(node);
  }

  address(node: number, handle: number): number {
    return this.podPools[this.spaceOf[this.nodes.poolOfJoined(node, 'dynamic address')]!]!.cidr.base + handle;
  }

  gauges(out: Gauges): void {
    const nodes = this.nodes.count;
    setGauges4(out, nodes, this.nodeCapacity, this.reserved, this.pods, this.podCapacity, this.fragmentation(), this.waiting, nodes + this.reserved);
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
      const r = this.releasing.size(node);
      for (let i = 0; i < r; i++) if (sub.isAllocated(this.releasing.at(node, i))) reserved++;
      reserved += this.assignedOf[node]!;
      pods += this.assignedOf[node]!;
      for (let w = this.waitHead[node]!; w >= 0; w = this.wNext[w]!) waiting++;
    }
    let cap = 0;
    for (const pp of this.podPools) cap += pp.capacity;
    const nodes = this.nodes.recount();
    setGauges4(out, nodes, this.nodes.capacity(), reserved, pods, cap, this.fragmentation(), waiting, nodes + reserved);
  }

  // --- pool monitor -----------------------------------------------------------------------------------

  /** The scaler node pool `pool` uses now: its own, or batch 1 while its pod subnet is marked exhausted. */
  private scalerOf(pool: number): Scaler {
    return this.states[this.spaceOf[pool]!]!.exhausted ? this.scarce[pool]! : this.scalers[pool]!;
  }

  /** The node's next move by the monitor's rule (monitor.ts); 0 while a round trip is in flight. O(1). */
  private want(node: number, pool: number): number {
    if (this.answerOf[node]! >= 0) return 0;
    const assigned = this.assignedOf[node]!;
    return this.scalerOf(pool).step(this.free.size(node) + assigned, assigned, this.waitingOf[node]!);
  }

  /** Does what the monitor wants now: asks for more addresses or marks some pending release. O(1) or O(released). */
  private act(node: number): void {
    const pool = this.nodes.poolOf[node]!;
    const d = this.want(node, pool);
    if (d > 0) {
      this.inflightOf[node] = d;
      this.answerOf[node] = this.clock.schedule(this.latency, this.answerKind, node);
    } else if (d < 0) {
      // Marked pending release [cns MarkIPAsPendingRelease]: no pod may take them; they leave with the answer.
      for (let i = 0; i < -d; i++) this.releasing.push(node, this.free.pop(node));
      this.answerOf[node] = this.clock.schedule(this.latency, this.answerKind, node);
    }
  }

  private tick(node: number): void {
    this.tickOf[node] = -1;
    if (this.nodes.poolOf[node]! < 0) return; // cancelled at nodeLeave; kept as a guard
    this.act(node);
    this.arm(node);
  }

  /** Schedules the node's tick at its next phase time strictly after now, if it has none and wants one. O(1). */
  private arm(node: number): void {
    if (this.tickOf[node]! >= 0) return;
    const pool = this.nodes.poolOf[node]!;
    if (pool < 0 || this.want(node, pool) === 0) return;
    const now = this.clock.now;
    const j = this.joinAt[node]!;
    const next = j + (Math.floor((now - j) / this.interval) + 1) * this.interval;
    this.tickOf[node] = this.clock.schedule(next - now, this.tickKind, node);
  }

  /** The control plane answers the node's round trip: a grow is granted (or refused), a release completes. */
  private answer(node: number): void {
    this.answerOf[node] = -1;
    const pool = this.nodes.poolOf[node]!;
    if (pool < 0) return; // cancelled at nodeLeave; kept as a guard
    const s = this.spaceOf[pool]!;
    const amount = this.inflightOf[node]!;
    this.inflightOf[node] = 0;
    if (amount > 0) {
      if (this.take(node, s, amount)) {
        this.serveWaiting(node);
        if (this.v2) this.act(node);
      }
      // a refused grow is asked again at the next phase time (arm below)
    } else {
      const sub = this.podPools[s]!;
      const n = this.releasing.size(node);
      for (let i = 0; i < n; i++) sub.free(this.releasing.at(node, i));
      this.releasing.clear(node);
      this.reserved -= n;
      this.vnet.used -= n;
      this.changed(s);
      if (this.v2) this.act(node);
    }
    this.arm(node);
  }

  /** Takes `amount` addresses of pod subnet `s` and of the VNet's count for the node, all or nothing; records a refusal. */
  private take(node: number, s: number, amount: number): boolean {
    const sub = this.podPools[s]!;
    const cause = freeOf(sub) < amount ? POD_SUBNET_FULL : this.vnet.used + amount > this.vnet.limit ? VNET_IP_LIMIT : 0;
    if (cause !== 0) {
      if (this.refusingOf[node] === 0) {
        this.refusingOf[node] = 1;
        const why = cause === POD_SUBNET_FULL
          ? `pod subnet ${sub.cidr.text} has ${freeOf(sub)} free addresses`
          : `the VNet holds ${this.vnet.used} of its ${this.vnet.limit} private addresses`;
        this.host.record('batch-refused', cause, node, `${why}; node ${node} asked for ${amount}`);
      }
      return false;
    }
    this.refusingOf[node] = 0;
    const from = this.free.size(node);
    for (let i = 0; i < amount; i++) this.free.push(node, sub.allocate());
    this.free.reverse(node, from); // lowest of the new addresses is handed out first
    this.reserved += amount;
    this.vnet.used += amount;
    this.changed(s);
    return true;
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

  // --- subnet exhaustion (the control plane's poll) --------------------------------------------------------

  /**
   * Pod subnet `s` changed: if a poll now would flip its state and none is scheduled, one is, at the next poll
   * time strictly after now (k · exhaustionPollInterval). O(1).
   */
  private changed(s: number): void {
    const st = this.states[s]!;
    if (!st.enabled || st.poll >= 0 || !st.wouldFlip()) return;
    // The first allocator on the subnet owns its poll.
    const owner = st.allocs[0]!;
    const now = this.clock.now;
    const next = (Math.floor(now / st.interval) + 1) * st.interval;
    st.poll = this.clock.schedule(next - now, owner.pollKind, st.index[0]!);
  }

  /** The control plane polls pod subnet `s` (this allocator owns its poll): flips it when it crossed a threshold. */
  private poll(s: number): void {
    const st = this.states[s]!;
    st.poll = -1;
    if (!st.wouldFlip()) return;
    st.exhausted = !st.exhausted;
    for (let i = 0; i < st.allocs.length; i++) st.allocs[i]!.flipped(st.index[i]!);
    this.changed(s);
  }

  /** Pod subnet `s`'s state flipped: recorded (when this cluster has nodes on it) and its nodes woken. O(node ids). */
  private flipped(s: number): void {
    if (this.nodesOn[s] === 0) return;
    const st = this.states[s]!;
    const sub = st.pool;
    const pct = ((sub.used / sub.capacity) * 100).toFixed(1);
    if (st.exhausted) {
      this.host.record('subnet-exhausted', POD_SUBNET_SCARCE, -1, `pod subnet ${sub.cidr.text} is ${pct}% used (≥ ${st.above * 100}%) at the control plane's poll: nodes switch to batch 1`);
    } else {
      this.host.record('subnet-recovered', 0, -1, `pod subnet ${sub.cidr.text} is ${pct}% used (< ${st.below * 100}%) at the control plane's poll: nodes return to their batch size`);
    }
    const poolOf = this.nodes.poolOf;
    for (let node = 0; node < poolOf.length; node++) {
      const pool = poolOf[node]!;
      if (pool < 0 || this.spaceOf[pool] !== s) continue;
      if (this.v2) this.act(node); // v2 recomputes on a subnet-state update [cns v2]
      this.arm(node);
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
    this.releasing.ensure(node);
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
    this.answerOf = growF64(this.answerOf, n, -1);
  }
}

export function createDynamic(ctx: AllocatorContext<DynamicParams>): Allocator {
  return new DynamicAllocator(ctx);
}
