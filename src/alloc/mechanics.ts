/**
 * Mechanics the modes share (modes import this, the interface, pools and net — never each other):
 *   - growI32 / growF64: per-node typed arrays that double when a node id outgrows them (amortised O(1));
 *   - NodeSlots: a local bitset of up to 256 slots per node, 8 Uint32 words per node in one array
 *     (take O(8), put O(1), count O(8));
 *   - NodeStacks: a fixed-capacity stack of int32 values per node in one array (push/pop O(1));
 *   - NodeSubnets: the node's own address from its node pool's node subnet (take/give O(1) amortised);
 *   - distinct / sumCapacity: helpers for gauges over the pools a cluster draws from.
 * Nothing here allocates in its O(1) operations except when an array doubles.
 */
import { internalError } from '../errors.js';
import type { AddressPool, BlockPool6, ReservePolicy } from '../pool/index.js';
import { MAX_PODS, refused, type ClusterSpec, type Gauges, type Spaces } from './types.js';

/** A copy of `a` at least `minLen` long (doubling), the new part filled with `fill`. */
export function growI32(a: Int32Array, minLen: number, fill: number): Int32Array {
  let n = Math.max(a.length, 8);
  while (n < minLen) n *= 2;
  if (n === a.length) return a;
  const b = new Int32Array(n);
  b.set(a);
  if (fill !== 0) b.fill(fill, a.length);
  return b;
}

export function growF64(a: Float64Array, minLen: number, fill: number): Float64Array {
  let n = Math.max(a.length, 8);
  while (n < minLen) n *= 2;
  if (n === a.length) return a;
  const b = new Float64Array(n);
  b.set(a);
  if (fill !== 0) b.fill(fill, a.length);
  return b;
}

/** Number of set bits of a 32-bit word (SWAR). */
export function popcount32(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/** Slots per node in NodeSlots: 8 words × 32 bits. */
export const SLOTS_PER_NODE = 256;
/** NodeSlots record: NODE_FIELDS Int32 fields of the owner's, then the 8 slot words; 16 Int32 = one 64-byte line. */
export const NODE_FIELDS = 4;
const NODE_SHIFT = 4;

/**
 * Up to 256 slots per node (a pod's place in its node's /24), lowest free slot first, in one 64-byte record per
 * node that also holds NODE_FIELDS Int32 fields for the owner (its pool, pod count, block…): a pod's allocation
 * reads and writes one line of per-node state, whatever the node. Fields start at 0.
 */
export class NodeSlots {
  /** Records: `rec[(node << 4) + field]`, slot words at `(node << 4) + NODE_FIELDS + i`. Replaced by ensure(). */
  rec: Int32Array;

  constructor(nodes: number) {
    this.rec = new Int32Array(Math.max(nodes, 8) << NODE_SHIFT);
  }

  /** Makes room for node ids ≤ node (doubling). */
  ensure(node: number): void {
    if ((node + 1) << NODE_SHIFT <= this.rec.length) return;
    let n = this.rec.length;
    while (n < (node + 1) << NODE_SHIFT) n *= 2;
    const r = new Int32Array(n);
    r.set(this.rec);
    this.rec = r;
  }

  /** Start of node's record (add a field index). */
  static base(node: number): number {
    return node << NODE_SHIFT;
  }

  /** Marks and returns the lowest free slot below `limit` (≤ 256), or -1. O(8). */
  take(node: number, limit: number): number {
    const rec = this.rec;
    const base = (node << NODE_SHIFT) + NODE_FIELDS;
    for (let i = 0; i < 8; i++) {
      const w = rec[base + i]!;
      if (w !== -1) {
        const bit = 31 - Math.clz32(~w & ((w + 1) | 0)); // lowest clear bit (int32 arithmetic throughout)
        const slot = (i << 5) + bit;
        if (slot >= limit) return -1;
        rec[base + i] = w | (1 << bit);
        return slot;
      }
    }
    return -1;
  }

  /** Frees a slot. O(1). */
  put(node: number, slot: number): void {
    this.rec[(node << NODE_SHIFT) + NODE_FIELDS + (slot >>> 5)]! &= ~(1 << (slot & 31));
  }

  isTaken(node: number, slot: number): boolean {
    return (this.rec[(node << NODE_SHIFT) + NODE_FIELDS + (slot >>> 5)]! & (1 << (slot & 31))) !== 0;
  }

  /** Taken slots of the node. O(8). */
  count(node: number): number {
    const base = (node << NODE_SHIFT) + NODE_FIELDS;
    let n = 0;
    for (let i = 0; i < 8; i++) n += popcount32(this.rec[base + i]!);
    return n;
  }

  /** Frees every slot of the node (fields untouched). */
  clear(node: number): void {
    const base = (node << NODE_SHIFT) + NODE_FIELDS;
    this.rec.fill(0, base, base + 8);
  }
}

/** A stack of at most `stride` int32 values per node (a node's free addresses). */
export class NodeStacks {
  readonly stride: number;
  private data: Int32Array;
  private sizes: Int32Array;

  constructor(stride: number, nodes: number) {
    this.stride = stride;
    this.data = new Int32Array(Math.max(nodes, 8) * stride);
    this.sizes = new Int32Array(Math.max(nodes, 8));
  }

  ensure(node: number): void {
    if (node < this.sizes.length) return;
    this.sizes = growI32(this.sizes, node + 1, 0);
    const d = new Int32Array(this.sizes.length * this.stride);
    d.set(this.data);
    this.data = d;
  }

  /** O(1); the caller keeps size ≤ stride. */
  push(node: number, v: number): void {
    const n = this.sizes[node]!;
    this.data[node * this.stride + n] = v;
    this.sizes[node] = n + 1;
  }

  /** The top value, removed; -1 when empty. O(1). */
  pop(node: number): number {
    const n = this.sizes[node]!;
    if (n === 0) return -1;
    this.sizes[node] = n - 1;
    return this.data[node * this.stride + n - 1]!;
  }

  /**
   * Reverses the node's stack from index `from` to the top, in place (values pushed in ascending order then pop
   * lowest first). O(size − from).
   */
  reverse(node: number, from = 0): void {
    const d = this.data;
    let i = node * this.stride + from;
    let j = node * this.stride + this.sizes[node]! - 1;
    while (i < j) {
      const t = d[i]!;
      d[i++] = d[j]!;
      d[j--] = t;
    }
  }

  /** Empties the node's stack. O(1). */
  clear(node: number): void {
    this.sizes[node] = 0;
  }

  size(node: number): number {
    return this.sizes[node]!;
  }

  /** The i-th value from the bottom (0 ≤ i < size). */
  at(node: number, i: number): number {
    return this.data[node * this.stride + i]!;
  }
}

/**
 * Pods drawing from addresses their node already holds (azure's pre-reserved addresses, static-block's blocks):
 * a per-node stack of the node's free addresses and a per-node pod count. take/give O(1), allocation-free.
 */
export class HeldAddresses {
  readonly free: NodeStacks;
  private podsOf: Int32Array;
  /** Pods holding an address, all nodes together. */
  pods: number;

  constructor(stride: number) {
    this.free = new NodeStacks(stride, 64);
    this.podsOf = new Int32Array(64);
    this.pods = 0;
  }

  ensure(node: number): void {
    this.free.ensure(node);
    if (node >= this.podsOf.length) this.podsOf = growI32(this.podsOf, node + 1, 0);
  }

  /** Forgets the node's addresses and pods (at join, before pushing its addresses). */
  reset(node: number): void {
    this.free.clear(node);
    this.podsOf[node] = 0;
  }

  /** A pod's address (its handle), or refused(MAX_PODS) at max-pods. */
  take(node: number, maxPods: number): number {
    const n = this.podsOf[node]!;
    if (n >= maxPods) return refused(MAX_PODS);
    this.podsOf[node] = n + 1;
    this.pods++;
    return this.free.pop(node);
  }

  give(node: number, handle: number): void {
    this.free.push(node, handle);
    this.podsOf[node]!--;
    this.pods--;
  }

  /** Throws when pods of the node still hold addresses (a node leaves empty). */
  assertEmpty(node: number, mode: string): void {
    if (this.podsOf[node] !== 0) throw internalError(`${mode}: node ${node} left with ${this.podsOf[node]} pods still holding addresses`);
  }
}

/** Distinct values, first-seen order (pools shared by several node pools count once). */
export function distinct<T>(xs: readonly T[]): T[] {
  return [...new Set(xs)];
}

/** Free addresses of an address pool. O(1). */
export function freeOf(p: AddressPool): number {
  return p.capacity - p.used;
}

/**
 * The node's own address from its node pool's node subnets (every mode). A pool has one node subnet, or one per
 * availability zone: a joining node goes to the pool's subnet with the fewest of the pool's nodes among those with
 * room for it (ties: the first listed), as an Auto Scaling group balances zones and tries another zone when one
 * has no room. Per node: its node-pool index (-1 = not joined), its subnet and its address offset.
 */
export class NodeSubnets {
  /** By node-pool index: its node subnets. */
  readonly subnetsOf: readonly (readonly AddressPool[])[];
  readonly distinct: readonly AddressPool[];
  /** By node-pool index, by subnet: the pool's joined nodes in that subnet. */
  private readonly countIn: Int32Array[];
  /** Node-pool index of each node, -1 when the node is not joined. */
  poolOf: Int32Array;
  /** Index of the node's subnet in its pool's list. */
  subOf: Int32Array;
  addrOf: Int32Array;
  /** Nodes joined. */
  count: number;

  constructor(spaces: Spaces, cluster: ClusterSpec, reserve: ReservePolicy) {
    this.subnetsOf = cluster.pools.map((p) => p.nodeSubnets.map((c) => spaces.subnet(c, reserve)));
    this.distinct = distinct(this.subnetsOf.flat());
    this.countIn = this.subnetsOf.map((l) => new Int32Array(l.length));
    this.poolOf = new Int32Array(64).fill(-1);
    this.subOf = new Int32Array(64).fill(-1);
    this.addrOf = new Int32Array(64).fill(-1);
    this.count = 0;
  }

  ensure(node: number): void {
    if (node < this.poolOf.length) return;
    this.poolOf = growI32(this.poolOf, node + 1, -1);
    this.subOf = growI32(this.subOf, node + 1, -1);
    this.addrOf = growI32(this.addrOf, node + 1, -1);
  }

  /**
   * The subnet (index in the pool's list) a node of `pool` joins when it needs `need` addresses there (its own
   * included), or -1 when none has room. O(subnets of the pool), usually 1.
   */
  pick(pool: number, need: number): number {
    const subs = this.subnetsOf[pool]!;
    if (subs.length === 1) return freeOf(subs[0]!) >= need ? 0 : -1;
    const counts = this.countIn[pool]!;
    let best = -1;
    for (let i = 0; i < subs.length; i++) {
      if (freeOf(subs[i]!) < need) continue;
      if (best < 0 || counts[i]! < counts[best]!) best = i;
    }
    return best;
  }

  /**
   * Takes the node's address in subnet `sub` of its pool (from pick()): next-fit, or the lowest free address with
   * `lowestFirst` (modes that take every address lowest-first). O(1) amortised.
   */
  take(node: number, pool: number, sub: number, lowestFirst = false): void {
    const subnet = this.subnetsOf[pool]![sub]!;
    this.addrOf[node] = lowestFirst ? subnet.allocateBlock(0) : subnet.allocate();
    this.poolOf[node] = pool;
    this.subOf[node] = sub;
    this.countIn[pool]![sub]!++;
    this.count++;
  }

  /** The node subnet of a joined node. O(1). */
  subnetOfNode(node: number): AddressPool {
    return this.subnetsOf[this.poolOf[node]!]![this.subOf[node]!]!;
  }

  give(node: number): void {
    const pool = this.poolOf[node]!;
    this.subnetOfNode(node).free(this.addrOf[node]!);
    this.countIn[pool]![this.subOf[node]!]!--;
    this.poolOf[node] = -1;
    this.subOf[node] = -1;
    this.addrOf[node] = -1;
    this.count--;
  }

  /** Live nodes, recounted from the per-node arrays (checking each holds its address). O(node ids). */
  recount(): number {
    let n = 0;
    for (let i = 0; i < this.poolOf.length; i++) {
      const p = this.poolOf[i]!;
      if (p < 0) continue;
      if (!this.subnetOfNode(i).isAllocated(this.addrOf[i]!)) return -1;
      n++;
    }
    return n;
  }

  capacity(): number {
    let c = 0;
    for (const p of this.distinct) c += p.capacity;
    return c;
  }

  /** The node-pool index of a joined node; throws (a simulation bug) for a node that has not joined. */
  poolOfJoined(node: number, what: string): number {
    const p = node < this.poolOf.length ? this.poolOf[node]! : -1;
    if (p < 0) throw internalError(`${what}: node ${node} has not joined`);
    return p;
  }
}

/**
 * Writes the IPv6 gauges of a dual-stack cluster whose nodes hold `blocks` blocks of `pool6`, `used` addresses of
 * them given to pods; zeros when `pool6` is null (single stack). Capacities above 2^53 are approximate. O(1).
 */
export function setGauges6(out: Gauges, pool6: BlockPool6 | null, blocks: number, used: number): void {
  out.pod6Reserved = pool6 === null ? 0 : blocks * pool6.blockSize;
  out.pod6Used = pool6 === null ? 0 : used;
  out.pod6Capacity = pool6 === null ? 0 : pool6.capacity * pool6.blockSize;
}

/** Writes the gauges of a single-stack (IPv4-only) allocator; the IPv6 gauges are 0. */
export function setGauges4(
  out: Gauges, nodeIpsUsed: number, nodeIpsCapacity: number, podIpsReserved: number, podIpsUsed: number,
  podIpsCapacity: number, fragmentation: number, podsWaitingIp: number, vnetIpsUsed = 0,
): void {
  out.nodeIpsUsed = nodeIpsUsed;
  out.nodeIpsCapacity = nodeIpsCapacity;
  out.podIpsReserved = podIpsReserved;
  out.podIpsUsed = podIpsUsed;
  out.podIpsCapacity = podIpsCapacity;
  out.fragmentation = fragmentation;
  out.podsWaitingIp = podsWaitingIp;
  out.pod6Reserved = 0;
  out.pod6Used = 0;
  out.pod6Capacity = 0;
  out.vnetIpsUsed = vnetIpsUsed;
}
