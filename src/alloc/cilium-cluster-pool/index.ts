/**
 * cilium-cluster-pool (Cilium's default IPAM mode) [cluster-pool-doc, cilium-clusterpool]: the operator cuts the
 * pod CIDRs into /clusterPoolIPv4MaskSize ranges and gives each joining node one, next-fit like Kubernetes'
 * cidrset (the CIDRs in order; one block pool each); a node that gets none is refused (pod-cidr-full). On the
 * node the agent's allocator serves the range less network and broadcast [cilium-ipallocator], and the router
 * and health endpoint take the first two of those; pods take the lowest free address of the rest. Past it a pod
 * waits on its node (node-range-full; Cilium does not know max-pods) and kubelet retries it every retryInterval.
 *
 * A pod's handle is its address offset over the pod CIDRs laid end to end: range × rangeSize + offset.
 * Per node one 64-byte NodeSlots record (pool, pods, range and 256 slot bits): pods beyond 256 per node are not
 * modelled (max-pods is at most 250).
 * Dual stack: each node also takes one IPv6 range (both or none); a pod takes the same slot in both, so the
 * smaller of the two ranges bounds the node.
 * Costs: nodeJoin O(CIDRs) + O(1) amortised next-fit; nodeLeave O(1); podAdd O(8) (slot words), podRelease
 * O(1), both allocation-free; a retry O(8) per waiting pod served; gauges O(1); recount O(node ids).
 */
import { inputError, internalError } from '../../errors.js';
import { NO_RESERVE, type BlockPool, type BlockPool6 } from '../../pool/index.js';
import { growF64, NodeSlots, NodeSubnets, SLOTS_PER_NODE, setGauges4, setGauges6 } from '../mechanics.js';
import {
  MAX_PODS, NODE_SUBNET_FULL, OK, PENDING, POD_CIDR_FULL, refused,
  type Allocator, type AllocatorContext, type AllocatorHost, type Gauges,
} from '../types.js';
import { WaitingPods } from '../waiting.js';
import { LAN_SUBNET } from '../platform/reserves.js';
import { ciliumClusterPoolInfo, NODE_RANGE_FULL, podsPerRange, podsPerRange6, type CiliumParams } from './info.js';

/** NodeSlots fields: pool + 1 (0 = not joined), pods bound (with an address or waiting), range index + 1, retry pending. */
const F_POOL1 = 0;
const F_PODS = 1;
const F_RANGE1 = 2;
const F_RETRY = 3;

class CiliumClusterPoolAllocator implements Allocator {
  readonly mode: string;
  private readonly nodes: NodeSubnets;
  private readonly segments: readonly BlockPool[];
  private readonly segStart: readonly number[];
  private readonly rangeSize: number;
  /** Offset of the first pod address in a range: network (≤ /30), router, health. */
  private readonly firstPod: number;
  private readonly slotLimit: number;
  private readonly pool6: BlockPool6 | null;
  /** Per node: its IPv6 range index (dual stack), -1 none. */
  private range6Of: Float64Array;
  private readonly maxPodsOf: Int32Array;
  private readonly nodeCapacity: number;
  private readonly podCapacity: number;
  private readonly slots: NodeSlots;
  private ranges: number;
  /** Pods holding an address. */
  private pods: number;
  private readonly host: AllocatorHost;
  private readonly waiting: WaitingPods;
  private readonly retryKind: number;
  private readonly retryMs: number;

  constructor(ctx: AllocatorContext<CiliumParams>) {
    const { cluster, spaces, params } = ctx;
    const mask = params.clusterPoolIPv4MaskSize;
    for (const p of cluster.pools) {
      if (p.podCidr !== null) throw inputError(`cluster ${cluster.name}: node pool ${p.name} names its own pod CIDR ${p.podCidr.text}; cilium-cluster-pool gives ranges from the cluster's pod CIDRs only`);
    }
    this.mode = ciliumClusterPoolInfo.name;
    this.nodes = new NodeSubnets(spaces, cluster, LAN_SUBNET);
    let total = 0;
    const starts: number[] = [];
    this.segments = cluster.podCidrs.map((c) => {
      if (c.prefix > mask) {
        throw inputError(`cluster ${cluster.name}: pod CIDR ${c.text} is smaller than one /${mask} node range (clusterPoolIPv4MaskSize ${mask}); use a /${mask} or larger pod CIDR, or a larger mask`);
      }
      const pool = spaces.blocks(c, mask, NO_RESERVE, cluster.name);
      starts.push(total);
      total += pool.blocks;
      return pool;
    });
    this.segStart = starts;
    this.rangeSize = 2 ** (32 - mask);
    if (total * this.rangeSize > 2 ** 31) throw inputError(`cluster ${cluster.name}: the pod CIDRs hold more than 2^31 addresses; use smaller ranges`);
    this.firstPod = (mask >= 31 ? 0 : 1) + 1 + (params.healthEndpoint ? 1 : 0);
    this.pool6 = cluster.podCidr6 === null ? null : spaces.blocks6(cluster.podCidr6, params.clusterPoolIPv6MaskSize, cluster.name);
    // A pod takes the same slot in both ranges: the smaller one bounds them.
    const per6 = this.pool6 === null ? Infinity : podsPerRange6(params.clusterPoolIPv6MaskSize, params.healthEndpoint);
    this.slotLimit = Math.min(SLOTS_PER_NODE, podsPerRange(mask, params.healthEndpoint), per6);
    this.range6Of = new Float64Array(64).fill(-1);
    this.maxPodsOf = Int32Array.from(cluster.pools, (p) => p.maxPods);
    this.nodeCapacity = this.nodes.capacity();
    this.podCapacity = total * this.rangeSize;
    this.slots = new NodeSlots(64);
    this.ranges = 0;
    this.pods = 0;
    this.host = ctx.host;
    this.waiting = new WaitingPods();
    this.retryKind = ctx.host.clock.define((node) => this.retry(node));
    this.retryMs = params.retryInterval;
  }

  nodeJoin(node: number, pool: number): number {
    this.nodes.ensure(node);
    this.slots.ensure(node);
    this.waiting.ensureNode(node);
    if (this.nodes.poolOf[node]! >= 0) throw internalError(`cilium-cluster-pool: node ${node} joined twice`);
    const sub = this.nodes.pick(pool, 1);
    if (sub < 0) return NODE_SUBNET_FULL;
    let range = -1;
    for (let i = 0; i < this.segments.length && range < 0; i++) {
      const b = this.segments[i]!.allocate();
      if (b >= 0) range = this.segStart[i]! + b;
    }
    // No PodCIDR for the CiliumNode: the agent waits for one and never becomes ready [cluster-pool-doc].
    if (range < 0) return POD_CIDR_FULL;
    // Dual stack: both families or none.
    let r6 = -1;
    if (this.pool6 !== null) {
      r6 = this.pool6.allocate();
      if (r6 < 0) {
        const i = this.segmentOf(range);
        this.segments[i]!.free(range - this.segStart[i]!);
        return POD_CIDR_FULL;
      }
    }
    if (node >= this.range6Of.length) this.range6Of = growF64(this.range6Of, node + 1, -1);
    this.range6Of[node] = r6;
    this.nodes.take(node, pool, sub);
    const r = NodeSlots.base(node), rec = this.slots.rec;
    rec[r + F_POOL1] = pool + 1;
    rec[r + F_PODS] = 0;
    rec[r + F_RANGE1] = range + 1;
    this.slots.clear(node);
    this.ranges++;
    return OK;
  }

  nodeLeave(node: number): void {
    this.nodes.poolOfJoined(node, 'cilium-cluster-pool nodeLeave');
    const r = NodeSlots.base(node), rec = this.slots.rec;
    if (rec[r + F_PODS] !== 0) throw internalError(`cilium-cluster-pool: node ${node} left with ${rec[r + F_PODS]} pods still holding addresses`);
    const range = rec[r + F_RANGE1]! - 1;
    const i = this.segmentOf(range);
    this.segments[i]!.free(range - this.segStart[i]!);
    rec[r + F_POOL1] = 0;
    rec[r + F_RANGE1] = 0;
    if (this.pool6 !== null) this.pool6.free(this.range6Of[node]!);
    this.range6Of[node] = -1;
    this.ranges--;
    this.nodes.give(node);
  }

  podAdd(pod: number, node: number): number {
    const rec = this.slots.rec, r = NodeSlots.base(node);
    const pool = r < rec.length ? rec[r + F_POOL1]! - 1 : -1;
    if (pool < 0) this.nodes.poolOfJoined(node, 'cilium-cluster-pool podAdd');
    const n = rec[r + F_PODS]!;
    if (n >= this.maxPodsOf[pool]!) return refused(MAX_PODS);
    rec[r + F_PODS] = n + 1;
    const slot = this.slots.take(node, this.slotLimit);
    if (slot >= 0) {
      this.pods++;
      return (rec[r + F_RANGE1]! - 1) * this.rangeSize + this.firstPod + slot;
    }
    // The range is full: the pod stays on its node (ContainerCreating) and kubelet retries it.
    this.waiting.push(node, pod);
    this.host.record('address-refused', NODE_RANGE_FULL, node, `the node's range has no free address (${this.slotLimit} for pods): the pod waits on its node`);
    this.scheduleRetry(node);
    return PENDING;
  }

  podRelease(pod: number, node: number, handle: number): void {
    const rec = this.slots.rec, r = NodeSlots.base(node);
    rec[r + F_PODS]!--;
    if (handle < 0) {
      this.waiting.remove(node, pod);
      return;
    }
    this.slots.put(node, handle - (rec[r + F_RANGE1]! - 1) * this.rangeSize - this.firstPod);
    this.pods--;
  }

  /** kubelet's retry of the node's waiting pods, oldest first, while its range has room. */
  private retry(node: number): void {
    const rec = this.slots.rec, r = NodeSlots.base(node);
    rec[r + F_RETRY] = 0;
    for (let p = this.waiting.first(node); p >= 0; p = this.waiting.first(node)) {
      const slot = this.slots.take(node, this.slotLimit);
      if (slot < 0) break;
      this.waiting.remove(node, p);
      this.pods++;
      this.host.granted(p, node, (rec[r + F_RANGE1]! - 1) * this.rangeSize + this.firstPod + slot);
    }
    this.scheduleRetry(node);
  }

  private scheduleRetry(node: number): void {
    const r = NodeSlots.base(node);
    if (this.slots.rec[r + F_RETRY] === 1 || this.waiting.size(node) === 0) return;
    this.slots.rec[r + F_RETRY] = 1;
    this.host.clock.schedule(this.retryMs, this.retryKind, node);
  }

  address(_node: number, handle: number): number {
    const range = Math.floor(handle / this.rangeSize);
    const i = this.segmentOf(range);
    return this.segments[i]!.cidr.base + (range - this.segStart[i]!) * this.rangeSize + (handle % this.rangeSize);
  }

  gauges(out: Gauges): void {
    // Ranges are handed out whole: every free address of the pod CIDRs lies in a whole free range.
    setGauges4(out, this.nodes.count, this.nodeCapacity, this.ranges * this.rangeSize, this.pods, this.podCapacity, 0, this.waiting.total);
    if (this.pool6 !== null) setGauges6(out, this.pool6, this.ranges, this.pods);
  }

  recount(out: Gauges): void {
    let ranges = 0;
    let pods = 0;
    let waiting = 0;
    const rec = this.slots.rec;
    for (let node = 0; NodeSlots.base(node) < rec.length; node++) {
      const range = rec[NodeSlots.base(node) + F_RANGE1]! - 1;
      if (range < 0) continue;
      waiting += this.waiting.size(node);
      const i = this.segmentOf(range);
      if (this.segments[i]!.isAllocated(range - this.segStart[i]!)) ranges++;
      pods += this.slots.count(node);
    }
    let cap = 0;
    for (const s of this.segments) cap += s.capacity * this.rangeSize;
    setGauges4(out, this.nodes.recount(), this.nodes.capacity(), ranges * this.rangeSize, pods, cap, 0, waiting);
    if (this.pool6 !== null) {
      let ranges6 = 0;
      for (let node = 0; node < this.range6Of.length; node++) if (this.range6Of[node]! >= 0 && this.pool6.isAllocated(this.range6Of[node]!)) ranges6++;
      setGauges6(out, this.pool6, ranges6, pods);
    }
  }


  private segmentOf(range: number): number {
    let i = this.segments.length - 1;
    while (i > 0 && this.segStart[i]! > range) i--;
    return i;
  }
}

export function createCiliumClusterPool(ctx: AllocatorContext<CiliumParams>): Allocator {
  return new CiliumClusterPoolAllocator(ctx);
}
