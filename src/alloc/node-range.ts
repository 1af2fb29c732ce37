/**
 * "One pod range per node" mechanics shared by gke and kubernetes: a joining node takes its own address from its
 * node pool's node subnet and one aligned range of 2^(32 − prefix) addresses from its pool's pod range (GKE: the
 * pod secondary range or the pool's additional range; Kubernetes: --cluster-cidr); its pods take the lowest free
 * slot of that range after the addresses the node's IPAM keeps back (host-local: network and gateway at the start,
 * broadcast at the end). Dual stack (kubernetes) adds one IPv6 range per node and each pod the same slot in it.
 *
 * A pod range whose node pools all use one prefix is a BlockPool (next-fit, wrapping: the cidrset order of
 * kube-controller-manager); one shared by pools of different prefixes (GKE node pools with different max-pods) is
 * an AddressPool handing out the lowest free aligned range of each size.
 * A pod's handle is its address offset in its pod range: the node range's offset + head + slot.
 *
 * Costs: nodeJoin O(1) amortised (next-fit; mixed prefixes: aligned first-fit from a hint); nodeLeave O(1)
 * (mixed prefixes: O(node range/32)); podAdd O(8) (scan of the node's 8 slot words), podRelease O(1), both
 * allocation-free; gauges O(ranges) (mixed prefixes: O(pod range/32) for fragmentation); recount O(node ids).
 * Ranges overlapping the service CIDR are occupied at construction, O(node ranges of the pod range).
 */
import { inputError, internalError } from '../errors.js';
import { overlaps, type Cidr4 } from '../net/index.js';
import { NO_RESERVE, type AddressPool, type BlockPool, type BlockPool6, type ReservePolicy } from '../pool/index.js';
import { growF64, NodeSlots, NodeSubnets, setGauges6, SLOTS_PER_NODE } from './mechanics.js';
import { defineCause, type CauseDef } from './causes.js';
import {
  MAX_PODS, NODE_SUBNET_FULL, OK, POD_CIDR_FULL, refused,
  type Allocator, type AllocatorContext, type Gauges,
} from './types.js';

/**
 * A pod refused because its node's own range has no free address below max-pods: host-local's "no IP addresses
 * available in range set" (a /26 node range serves 61 pods, whatever kubelet's max-pods says).
 */
export const NODE_RANGE_FULL_DEF: CauseDef = {
  name: 'node-range-full', kind: 'space', color: '#bcbd22',
  meaning: "the node's own pod range has no free address (host-local: no IP addresses available in range set)",
};
export const NODE_RANGE_FULL = defineCause(NODE_RANGE_FULL_DEF);

/** Where one node pool's nodes take their ranges. */
export interface PoolRange {
  /** The pod range the pool's nodes draw from. */
  readonly cidr: Cidr4;
  /** Per-node range prefix. */
  readonly prefix: number;
}

export interface NodeRangeConfig {
  readonly mode: string;
  /** What the node subnet's provider reserves. */
  readonly nodeReserve: ReservePolicy;
  /** By node-pool index. */
  readonly ranges: readonly PoolRange[];
  /** A private pod range per cluster (--cluster-cidr) is scoped to it; a VPC range (GKE) is not (undefined). */
  readonly scope: string | undefined;
  /** Node ranges overlapping these are occupied up front and never handed out (the service CIDR [k8s]). */
  readonly occupy: readonly Cidr4[];
  /** Addresses of a node's range its IPAM keeps at the start (network, gateway) and at the end (broadcast). */
  readonly hostHead: number;
  readonly hostTail: number;
  /** Per-node IPv6 prefix for a dual-stack cluster; null: IPv4 only. */
  readonly range6Prefix: number | null;
  /** Cause of a pod refused because its node's range has no free address below max-pods. */
  readonly rangeFullCause: number;
  /** Called when a node gets no range (before the refusal returns), e.g. to record the project's own event. */
  readonly onNoRange: ((node: number) => void) | null;
}

/** One pod range: a BlockPool (one prefix) or an AddressPool of aligned ranges (several). */
class RangeCarver {
  readonly cidr: Cidr4;
  private readonly blocks: BlockPool | null;
  private readonly flat: AddressPool | null;
  /** Largest range handed out, as log2 of its size (the fragmentation gauge's block). */
  private readonly largestLog2: number;
  /** Addresses occupied up front (never a node's). */
  readonly occupied: number;
  /**
   * Counted in the pod capacity: the cluster's own range from the start, a pool's additional range from the first
   * node of a pool drawing from it (the allocator knows every pool of the run, even those added later).
   */
  active: boolean;

  constructor(ctx: AllocatorContext<unknown>, cfg: NodeRangeConfig, cidr: Cidr4, prefixes: readonly number[]) {
    const { spaces } = ctx;
    this.cidr = cidr;
    this.active = cidr.text === ctx.cluster.podCidr.text;
    const longest = Math.max(...prefixes);
    const shortest = Math.min(...prefixes);
    this.largestLog2 = 32 - shortest;
    if (longest === shortest) {
      this.blocks = spaces.blocks(cidr, shortest, NO_RESERVE, cfg.scope);
      this.flat = null;
      this.occupied = this.occupyBlocks(cfg.occupy) * this.blocks.blockSize;
    } else {
      if (cfg.occupy.some((c) => overlaps(c, cidr))) throw internalError(`${cfg.mode}: occupied ranges with mixed node prefixes`);
      if (cfg.scope !== undefined) throw internalError(`${cfg.mode}: mixed node prefixes in a scoped pod range`);
      this.blocks = null;
      this.flat = spaces.subnet(cidr, NO_RESERVE);
      this.occupied = 0;
    }
  }

  /**
   * Marks every block overlapping one of `occupy` as taken, leaving the next-fit cursor at block 0 as
   * kube-controller-manager's Occupy leaves nextCandidate: the blocks are taken in order (the cursor wraps to 0
   * after the last) and the others given back. O(blocks), only when a range overlaps. Returns the blocks kept.
   */
  private occupyBlocks(occupy: readonly Cidr4[]): number {
    const pool = this.blocks!;
    const hit = occupy.filter((c) => overlaps(c, this.cidr));
    if (hit.length === 0) return 0;
    if (pool.used !== 0) throw internalError(`${this.cidr.text}: occupying ranges of a pool in use`);
    const keep = new Uint8Array(pool.blocks);
    for (const c of hit) {
      const lo = Math.max(c.base, this.cidr.base) - this.cidr.base;
      const hi = Math.min(c.base + c.size, this.cidr.base + this.cidr.size) - this.cidr.base;
      for (let b = Math.floor(lo / pool.blockSize); b * pool.blockSize < hi; b++) keep[b] = 1;
    }
    for (let b = 0; b < pool.blocks; b++) pool.allocate();
    let kept = 0;
    for (let b = 0; b < pool.blocks; b++) {
      if (keep[b] === 1) kept++;
      else pool.free(b);
    }
    return kept;
  }

  /** A free range of 2^log2 addresses: its offset, or -1. */
  take(log2: number): number {
    if (this.blocks !== null) {
      const b = this.blocks.allocate();
      return b < 0 ? -1 : b * this.blocks.blockSize;
    }
    return this.flat!.allocateBlock(log2);
  }

  give(offset: number, log2: number): void {
    if (this.blocks !== null) this.blocks.free(offset / this.blocks.blockSize);
    else this.flat!.freeBlock(offset, log2);
  }

  /** True when the range at `offset` is handed out (its first address, for the aligned pool). */
  isHeld(offset: number): boolean {
    if (this.blocks !== null) return this.blocks.isAllocated(offset / this.blocks.blockSize);
    return this.flat!.isAllocated(offset);
  }

  /** Addresses nodes can be given: the range less the occupied blocks. */
  get capacity(): number {
    return this.blocks !== null ? this.blocks.capacity * this.blocks.blockSize - this.occupied : this.flat!.capacity;
  }

  /** Free addresses in no whole free range of the largest size handed out. O(1) for one prefix, else O(range/32). */
  stranded(): number {
    return this.flat === null ? 0 : this.flat.fragmentation(this.largestLog2);
  }

  get free(): number {
    return this.blocks !== null ? (this.blocks.capacity - this.blocks.used) * this.blocks.blockSize : this.flat!.capacity - this.flat!.used;
  }
}

/** Fields of a node's NodeSlots record: pool + 1 (0 = not joined), pods holding an address, range offset + head. */
const F_POOL1 = 0;
const F_PODS = 1;
const F_BASE = 2;

export class NodeRangeAllocator implements Allocator {
  readonly mode: string;
  private readonly nodes: NodeSubnets;
  private readonly carvers: readonly RangeCarver[];
  /** By node-pool index: its carver, its range size as log2, max-pods, slots its range offers. */
  private readonly carverOf: readonly RangeCarver[];
  private readonly log2Of: Int32Array;
  private readonly maxPodsOf: Int32Array;
  private readonly slotsOf: Int32Array;
  private readonly hostHead: number;
  private readonly rangeFullCause: number;
  private readonly onNoRange: ((node: number) => void) | null;
  private readonly pool6: BlockPool6 | null;
  private readonly nodeCapacity: number;
  private podCapacity: number;
  private readonly slots: NodeSlots;
  /** Per node: its IPv6 range index (-1: none). */
  private block6Of: Float64Array;
  /** Addresses of the ranges nodes hold. */
  private held: number;
  private pods: number;

  constructor(ctx: AllocatorContext<unknown>, cfg: NodeRangeConfig) {
    const { cluster, spaces } = ctx;
    if (cfg.range6Prefix === null && cluster.podCidr6 !== null) {
      throw inputError(`cluster ${cluster.name}: ${cfg.mode} has no dual stack here, but an IPv6 pod CIDR ${cluster.podCidr6.text} is set; remove it`);
    }
    this.mode = cfg.mode;
    this.nodes = new NodeSubnets(spaces, cluster, cfg.nodeReserve);
    // One carver per distinct pod range, built over the prefixes of every pool drawing from it.
    const byText = new Map<string, { cidr: Cidr4; prefixes: number[] }>();
    for (const r of cfg.ranges) {
      const e = byText.get(r.cidr.text);
      if (e === undefined) byText.set(r.cidr.text, { cidr: r.cidr, prefixes: [r.prefix] });
      else e.prefixes.push(r.prefix);
    }
    const carvers = new Map<string, RangeCarver>();
    for (const [text, e] of byText) carvers.set(text, new RangeCarver(ctx, cfg, e.cidr, e.prefixes));
    this.carvers = [...carvers.values()];
    this.carverOf = cfg.ranges.map((r) => carvers.get(r.cidr.text)!);
    this.log2Of = Int32Array.from(cfg.ranges, (r) => 32 - r.prefix);
    this.maxPodsOf = Int32Array.from(cluster.pools, (p) => p.maxPods);
    this.slotsOf = Int32Array.from(cfg.ranges, (r) => Math.max(0, Math.min(2 ** (32 - r.prefix) - cfg.hostHead - cfg.hostTail, SLOTS_PER_NODE)));
    this.hostHead = cfg.hostHead;
    this.rangeFullCause = cfg.rangeFullCause;
    this.onNoRange = cfg.onNoRange;
    this.pool6 = cfg.range6Prefix !== null && cluster.podCidr6 !== null ? spaces.blocks6(cluster.podCidr6, cfg.range6Prefix, cluster.name) : null;
    this.nodeCapacity = this.nodes.capacity();
    this.podCapacity = this.activeCapacity();
    this.slots = new NodeSlots(64);
    this.block6Of = new Float64Array(64).fill(-1);
    this.held = 0;
    this.pods = 0;
  }

  nodeJoin(node: number, pool: number): number {
    this.ensure(node);
    if (this.nodes.poolOf[node]! >= 0) throw internalError(`${this.mode}: node ${node} joined twice`);
    const carver = this.carverOf[pool]!;
    if (!carver.active) {
      carver.active = true;
      this.podCapacity = this.activeCapacity();
    }
    const sub = this.nodes.pick(pool, 1);
    if (sub < 0) return NODE_SUBNET_FULL;
    const log2 = this.log2Of[pool]!;
    const off = carver.take(log2);
    if (off < 0) return this.noRange(node);
    let b6 = -1;
    if (this.pool6 !== null) {
      // Dual stack: one range per family or none [k8s range_allocator].
      b6 = this.pool6.allocate();
      if (b6 < 0) {
        carver.give(off, log2);
        return this.noRange(node);
      }
    }
    this.nodes.take(node, pool, sub);
    const r = NodeSlots.base(node), rec = this.slots.rec;
    rec[r + F_POOL1] = pool + 1;
    rec[r + F_PODS] = 0;
    rec[r + F_BASE] = off + this.hostHead;
    this.block6Of[node] = b6;
    this.slots.clear(node);
    this.held += 2 ** log2;
    return OK;
  }

  nodeLeave(node: number): void {
    const pool = this.nodes.poolOfJoined(node, `${this.mode} nodeLeave`);
    const r = NodeSlots.base(node), rec = this.slots.rec;
    if (rec[r + F_PODS] !== 0) throw internalError(`${this.mode}: node ${node} left with ${rec[r + F_PODS]} pods still holding addresses`);
    const log2 = this.log2Of[pool]!;
    this.carverOf[pool]!.give(rec[r + F_BASE]! - this.hostHead, log2);
    if (this.pool6 !== null) this.pool6.free(this.block6Of[node]!);
    rec[r + F_POOL1] = 0;
    rec[r + F_BASE] = 0;
    this.block6Of[node] = -1;
    this.held -= 2 ** log2;
    this.nodes.give(node);
  }

  podAdd(_pod: number, node: number): number {
    const rec = this.slots.rec, r = NodeSlots.base(node);
    const pool = r < rec.length ? rec[r + F_POOL1]! - 1 : -1;
    if (pool < 0) this.nodes.poolOfJoined(node, `${this.mode} podAdd`);
    const n = rec[r + F_PODS]!;
    if (n >= this.maxPodsOf[pool]!) return refused(MAX_PODS);
    const slot = this.slots.take(node, this.slotsOf[pool]!);
    if (slot < 0) return refused(this.rangeFullCause);
    rec[r + F_PODS] = n + 1;
    this.pods++;
    return rec[r + F_BASE]! + slot;
  }

  podRelease(_pod: number, node: number, handle: number): void {
    const rec = this.slots.rec, r = NodeSlots.base(node);
    this.slots.put(node, handle - rec[r + F_BASE]!);
    rec[r + F_PODS]!--;
    this.pods--;
  }

  address(node: number, handle: number): number {
    return this.carverOf[this.nodes.poolOfJoined(node, `${this.mode} address`)]!.cidr.base + handle;
  }

  gauges(out: Gauges): void {
    out.nodeIpsUsed = this.nodes.count;
    out.nodeIpsCapacity = this.nodeCapacity;
    out.podIpsReserved = this.held;
    out.podIpsUsed = this.pods;
    out.podIpsCapacity = this.podCapacity;
    out.fragmentation = this.fragmentation();
    out.podsWaitingIp = 0;
    setGauges6(out, this.pool6, this.nodes.count, this.pods);
  }

  recount(out: Gauges): void {
    let held = 0;
    let nodes6 = 0;
    let pods = 0;
    const rec = this.slots.rec;
    for (let node = 0; NodeSlots.base(node) < rec.length; node++) {
      const pool = rec[NodeSlots.base(node) + F_POOL1]! - 1;
      if (pool < 0) continue;
      if (this.carverOf[pool]!.isHeld(rec[NodeSlots.base(node) + F_BASE]! - this.hostHead)) held += 2 ** this.log2Of[pool]!;
      if (this.pool6 !== null && this.pool6.isAllocated(this.block6Of[node]!)) nodes6++;
      pods += this.slots.count(node);
    }
    out.nodeIpsUsed = this.nodes.recount();
    out.nodeIpsCapacity = this.nodes.capacity();
    out.podIpsReserved = held;
    out.podIpsUsed = pods;
    out.podIpsCapacity = this.activeCapacity();
    out.fragmentation = this.fragmentation();
    out.podsWaitingIp = 0;
    setGauges6(out, this.pool6, nodes6, pods);
  }


  /** Addresses of the ranges in use by the cluster. O(ranges). */
  private activeCapacity(): number {
    let n = 0;
    for (const c of this.carvers) if (c.active) n += c.capacity;
    return n;
  }

  /** Stranded free addresses over free addresses (ranges in use): 0 unless a range serves several prefixes. */
  private fragmentation(): number {
    let stranded = 0;
    let free = 0;
    for (const c of this.carvers) {
      if (!c.active) continue;
      stranded += c.stranded();
      free += c.free;
    }
    return free > 0 ? stranded / free : 0;
  }

  private noRange(node: number): number {
    if (this.onNoRange !== null) this.onNoRange(node);
    return POD_CIDR_FULL;
  }

  private ensure(node: number): void {
    this.nodes.ensure(node);
    this.slots.ensure(node);
    if (node < this.block6Of.length) return;
    this.block6Of = growF64(this.block6Of, node + 1, -1);
  }
}
