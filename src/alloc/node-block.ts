/**
 * "One block per node" mechanics shared by overlay and kubenet: a node takes its address from its node pool's
 * node subnet and one /blockPrefix block (a /24) from the cluster's pod CIDR; its pods take the lowest free
 * slot of that block. With an IPv6 pod CIDR (overlay dual stack) the node also takes one IPv6 block and each
 * pod's IPv6 address is the same slot in it, so one handle covers both families.
 *
 * With `networkLimitCause` set, each node's address counts against the provider network's private-address limit
 * (cluster.networkIpLimit, shared by key across clusters: an Azure VNet's 65,536 [vnet-limits]); a node past it is
 * refused with that cause. Pod addresses of a private pod CIDR are not VNet addresses: they never count.
 * A pod's handle is its address offset in the pod CIDR: block × blockSize + slot.
 * Expanding the pod CIDR (expandPodCidr) to a larger range that contains it appends the new range's other parts
 * as further block pools ("segments"); a block's index is global over the segments, so the blocks and handles
 * already handed out stay valid.
 * Costs: nodeJoin O(1) amortised (pool next-fit); nodeLeave O(1); podAdd O(8) (scan of the node's 8 slot
 * words), podRelease O(1), both allocation-free; gauges O(1); recount O(node ids).
 */
import { inputError, internalError } from '../errors.js';
import { cidr4, contains, type Cidr4 } from '../net/index.js';
import { NO_RESERVE, type BlockPool, type BlockPool6, type ReservePolicy } from '../pool/index.js';
import { growF64, NodeSlots, NodeSubnets, setGauges6, SLOTS_PER_NODE } from './mechanics.js';
import type { Budget, Spaces } from './types.js';
import {
  MAX_PODS, NODE_LIMIT, NODE_SUBNET_FULL, OK, POD_CIDR_FULL, refused,
  type Allocator, type AllocatorContext, type Gauges,
} from './types.js';

export interface NodeBlockConfig {
  readonly mode: string;
  /** Nodes per cluster. */
  readonly nodeLimit: number;
  /** Per-node IPv4 block from the pod CIDR. */
  readonly blockPrefix: number;
  /** Per-node IPv6 block for a dual-stack cluster; null when the mode has no dual stack. */
  readonly block6Prefix: number | null;
  /** What the node subnet's provider reserves. */
  readonly nodeReserve: ReservePolicy;
  /**
   * The cause to refuse a node with when its address would pass the provider network's private-address limit
   * (Azure: vnet-ip-limit); absent or 0: node addresses are not counted.
   */
  readonly networkLimitCause?: number;
}

/** Fields of a node's NodeSlots record: pool + 1 (0 = not joined), pods holding an address, IPv4 block + 1. */
const F_POOL1 = 0;
const F_PODS = 1;
const F_BLOCK1 = 2;

export class NodeBlockAllocator implements Allocator {
  readonly mode: string;
  private readonly nodes: NodeSubnets;
  /** The pod CIDR's block pools: the original range first, then the parts an expansion added. */
  private readonly segments: BlockPool[];
  /** Global block index of each segment's first block. */
  private readonly segmentStart: number[];
  private readonly spaces: Spaces;
  private readonly clusterName: string;
  private readonly blockPrefix: number;
  private podCidr: Cidr4;
  private readonly pool6: BlockPool6 | null;
  private readonly blockSize: number;
  /** Slots a node's block offers: min(blockSize, 256). */
  private readonly slotLimit: number;
  private readonly nodeLimit: number;
  /** By node-pool index. */
  private readonly maxPodsOf: Int32Array;
  private readonly nodeCapacity: number;
  private podCapacity: number;
  /** Per node, one record: its pool + 1 (0: not joined), its pods, its IPv4 block index + 1, and its slot bits. */
  private readonly slots: NodeSlots;
  /** Per node: its IPv6 block index. */
  private block6Of: Float64Array;
  private blocksHeld: number;
  private pods: number;
  /** The provider network's address count (null: not counted), and the cause past its limit. */
  private readonly network: Budget | null;
  private readonly networkCause: number;

  constructor(ctx: AllocatorContext<unknown>, cfg: NodeBlockConfig) {
    const { cluster, spaces } = ctx;
    if (cfg.block6Prefix === null && cluster.podCidr6 !== null) {
      throw inputError(`cluster ${cluster.name}: ${cfg.mode} has no dual stack, but an IPv6 pod CIDR ${cluster.podCidr6.text} is set; remove it or use overlay`);
    }
    this.mode = cfg.mode;
    this.nodes = new NodeSubnets(spaces, cluster, cfg.nodeReserve);
    // Each cluster has its own pool over its pod CIDR, even when clusters reuse the same range [overlay-doc].
    this.spaces = spaces;
    this.clusterName = cluster.name;
    this.blockPrefix = cfg.blockPrefix;
    this.podCidr = cluster.podCidr;
    this.segments = [spaces.blocks(cluster.podCidr, cfg.blockPrefix, NO_RESERVE, cluster.name)];
    this.segmentStart = [0];
    this.pool6 = cfg.block6Prefix !== null && cluster.podCidr6 !== null ? spaces.blocks6(cluster.podCidr6, cfg.block6Prefix, cluster.name) : null;
    this.blockSize = this.segments[0]!.blockSize;
    this.slotLimit = Math.min(this.blockSize, SLOTS_PER_NODE);
    this.nodeLimit = cfg.nodeLimit;
    this.maxPodsOf = Int32Array.from(cluster.pools, (p) => Math.min(p.maxPods, this.slotLimit));
    this.nodeCapacity = this.nodes.capacity();
    this.podCapacity = this.segments[0]!.capacity * this.blockSize;
    this.slots = new NodeSlots(64);
    this.block6Of = new Float64Array(64).fill(-1);
    this.blocksHeld = 0;
    this.pods = 0;
    this.network = (cfg.networkLimitCause ?? 0) > 0 ? spaces.budget(cluster.networkKey, cluster.networkIpLimit) : null;
    this.networkCause = cfg.networkLimitCause ?? 0;
  }

  nodeJoin(node: number, pool: number): number {
    this.ensure(node);
    if (this.nodes.poolOf[node]! >= 0) throw internalError(`${this.mode}: node ${node} joined twice`);
    if (this.nodes.count >= this.nodeLimit) return NODE_LIMIT;
    const sub = this.nodes.pick(pool, 1);
    if (sub < 0) return NODE_SUBNET_FULL;
    if (this.blocksHeld * this.blockSize >= this.podCapacity) return POD_CIDR_FULL;
    const net = this.network;
    if (net !== null && net.used + 1 > net.limit) return this.networkCause;
    let b6 = -1;
    if (this.pool6 !== null) {
      b6 = this.pool6.allocate();
      if (b6 < 0) return POD_CIDR_FULL;
    }
    if (net !== null) net.used++;
    this.nodes.take(node, pool, sub);
    const r = NodeSlots.base(node), rec = this.slots.rec;
    rec[r + F_POOL1] = pool + 1;
    rec[r + F_PODS] = 0;
    rec[r + F_BLOCK1] = this.allocateBlock() + 1;
    this.block6Of[node] = b6;
    this.slots.clear(node);
    this.blocksHeld++;
    return OK;
  }

  nodeLeave(node: number): void {
    this.nodes.poolOfJoined(node, `${this.mode} nodeLeave`);
    const r = NodeSlots.base(node), rec = this.slots.rec;
    if (rec[r + F_PODS] !== 0) throw internalError(`${this.mode}: node ${node} left with ${rec[r + F_PODS]} pods still holding addresses`);
    this.freeBlock(rec[r + F_BLOCK1]! - 1);
    if (this.pool6 !== null) this.pool6.free(this.block6Of[node]!);
    rec[r + F_POOL1] = 0;
    rec[r + F_BLOCK1] = 0;
    this.block6Of[node] = -1;
    this.blocksHeld--;
    if (this.network !== null) this.network.used--;
    this.nodes.give(node);
  }

  podAdd(_pod: number, node: number): number {
    // One line of per-node state (NodeSlots record); inline join check: no message string on the hot path.
    const rec = this.slots.rec, r = NodeSlots.base(node);
    const pool = r < rec.length ? rec[r + F_POOL1]! - 1 : -1;
    if (pool < 0) this.nodes.poolOfJoined(node, `${this.mode} podAdd`);
    const n = rec[r + F_PODS]!;
    if (n >= this.maxPodsOf[pool]!) return refused(MAX_PODS);
    const slot = this.slots.take(node, this.slotLimit);
    if (slot < 0) return refused(MAX_PODS);
    rec[r + F_PODS] = n + 1;
    this.pods++;
    return (rec[r + F_BLOCK1]! - 1) * this.blockSize + slot;
  }

  podRelease(_pod: number, node: number, handle: number): void {
    const rec = this.slots.rec, r = NodeSlots.base(node);
    this.slots.put(node, handle - (rec[r + F_BLOCK1]! - 1) * this.blockSize);
    rec[r + F_PODS]!--;
    this.pods--;
  }

  address(_node: number, handle: number): number {
    const block = Math.floor(handle / this.blockSize);
    let s = this.segments.length - 1;
    while (s > 0 && this.segmentStart[s]! > block) s--;
    return this.segments[s]!.cidr.base + (block - this.segmentStart[s]!) * this.blockSize + (handle % this.blockSize);
  }

  gauges(out: Gauges): void {
    out.nodeIpsUsed = this.nodes.count;
    out.nodeIpsCapacity = this.nodeCapacity;
    out.podIpsReserved = this.blocksHeld * this.blockSize;
    out.podIpsUsed = this.pods;
    out.podIpsCapacity = this.podCapacity;
    // Blocks are handed out whole: every free address of the pod CIDR lies in a whole free block.
    out.fragmentation = 0;
    out.podsWaitingIp = 0;
    setGauges6(out, this.pool6, this.blocksHeld, this.pods);
    out.vnetIpsUsed = this.network === null ? 0 : this.nodes.count;
  }

  reservedNow(): number {
    return this.blocksHeld * this.blockSize;
  }

  recount(out: Gauges): void {
    let blocks = 0;
    let blocks6 = 0;
    let pods = 0;
    const rec = this.slots.rec;
    for (let node = 0; NodeSlots.base(node) < rec.length; node++) {
      const b = rec[NodeSlots.base(node) + F_BLOCK1]! - 1;
      if (b < 0) continue;
      if (this.isAllocated(b)) blocks++;
      if (this.pool6 !== null && this.pool6.isAllocated(this.block6Of[node]!)) blocks6++;
      pods += this.slots.count(node);
    }
    out.nodeIpsUsed = this.nodes.recount();
    out.nodeIpsCapacity = this.nodes.capacity();
    out.podIpsReserved = blocks * this.blockSize;
    out.podIpsUsed = pods;
    out.podIpsCapacity = this.segments.reduce((n, seg) => n + seg.capacity, 0) * this.blockSize;
    out.fragmentation = 0;
    out.podsWaitingIp = 0;
    setGauges6(out, this.pool6, blocks6, pods);
    out.vnetIpsUsed = this.network === null ? 0 : out.nodeIpsUsed;
  }

  /**
   * Widens the pod CIDR to `cidr`, which contains the current one [aks-docs: only to a larger range containing
   * the original]. The new range's other parts (one sibling per prefix bit) become further segments. O(bits).
   */
  expandPodCidr(cidr: Cidr4): boolean {
    const old = this.podCidr;
    if (!contains(cidr, old) || cidr.prefix >= old.prefix) {
      throw inputError(`cluster ${this.clusterName}: the pod CIDR can only grow to a larger range containing ${old.text}; ${cidr.text} does not`);
    }
    for (let p = old.prefix; p > cidr.prefix; p--) {
      const size = 2 ** (32 - p);
      const base = ((old.base - (old.base % (size * 2))) + ((old.base % (size * 2)) < size ? size : 0)) >>> 0;
      const part = cidr4(base, p);
      const seg = this.spaces.blocks(part, this.blockPrefix, NO_RESERVE, this.clusterName);
      const last = this.segments.length - 1;
      this.segmentStart.push(this.segmentStart[last]! + this.segments[last]!.blocks);
      this.segments.push(seg);
      this.podCapacity += seg.capacity * this.blockSize;
    }
    this.podCidr = cidr;
    return true;
  }

  /** A free block from the first segment with room, as a global index; -1 when none. O(segments). */
  private allocateBlock(): number {
    for (let i = 0; i < this.segments.length; i++) {
      const b = this.segments[i]!.allocate();
      if (b >= 0) return this.segmentStart[i]! + b;
    }
    return -1;
  }

  private segmentOf(block: number): number {
    let i = this.segments.length - 1;
    while (i > 0 && block < this.segmentStart[i]!) i--;
    return i;
  }

  private freeBlock(block: number): void {
    const i = this.segmentOf(block);
    this.segments[i]!.free(block - this.segmentStart[i]!);
  }

  private isAllocated(block: number): boolean {
    const i = this.segmentOf(block);
    return this.segments[i]!.isAllocated(block - this.segmentStart[i]!);
  }

  private ensure(node: number): void {
    this.nodes.ensure(node);
    this.slots.ensure(node);
    if (node < this.block6Of.length) return;
    this.block6Of = growF64(this.block6Of, node + 1, -1);
  }
}
