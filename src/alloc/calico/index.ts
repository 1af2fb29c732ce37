/**
 * calico (Calico IPAM, calico-ipam) [calico-ipam, calico-claim, calico-block, calico-kc]: the IP pool (the pod
 * CIDRs, default 192.168.0.0/16) cut into /blockSize blocks; a node claims a block when it needs an address and
 * owns it (affinity). Each request follows Calico's autoAssign: own blocks with room (lowest block first), claim
 * a free block, reclaim another node's empty block claimed ≥ 1 min ago, then (strictAffinity false only) borrow
 * one address from any block with room; a node owning maxBlocksPerHost full blocks gets none (block-limit).
 * One tunnel address per node at join. A pod that gets no address waits on its node (ContainerCreating) and is
 * retried every retryInterval, as kubelet retries its sandbox. kube-controllers' check (every leakGracePeriod / 2)
 * releases a block found empty at two checks leakGracePeriod apart, unless it is its node's last.
 *
 * Deterministic choices (Calico's are random or hash-seeded; counts never depend on them):
 *   - a node claims the pool's next free block after the last one claimed (the block pool's next-fit walk);
 *     Calico starts its walk at an FNV hash of the host name;
 *   - reclaim takes the empty block that has been empty longest (among those claimed ≥ 1 min ago);
 *   - borrowing takes the next block with room after the last one borrowed from, over claimed blocks in claim
 *     order (Calico: a random order seeded by the host name);
 *   - the check releases empty blocks in the order they emptied; a node's last block stays.
 *
 * Dual stack (./ipv6-blocks.ts): each pod also takes an IPv6 address from its node's IPv6 blocks; empty ones go by
 * the same check.
 *
 * Layout: one bitset block pool per pod CIDR (ownership); a claimed block gets a slab (reused after the block
 * is released): a 32-byte record (block, owner, used, ring head, the owner's list links, the empty list links)
 * and a ring of its free ordinals (Uint16, so blocks ≤ 4,096 addresses: /20): Calico's `Unallocated` list,
 * taken from the head, released to the tail. Per node a 32-byte record: pool, pods, its lowest block with room,
 * first block (a list sorted by block index), block count, tunnel handle, retry flag. A pod's allocation reads one
 * node record, one slab record and one ring line.
 * A pod's handle is its address offset over the pod CIDRs laid end to end: block × blockSize + ordinal.
 *
 * Costs: podAdd O(1) (a block filling up moves the node's lowest-with-room along its list); a claim O(blockSize)
 * (fills the ring) + O(1) amortised pool next-fit; reclaim O(empty blocks); borrowing O(claimed blocks / 32)
 * worst; podRelease O(1); a waiting pod's retry one autoAssign; nodeLeave O(own blocks); the check event
 * O(empty blocks + IPv6 blocks), scheduled only while some affine block is empty; gauges O(1); recount
 * O(claimed blocks + node ids).
 */
import { inputError, internalError } from '../../errors.js';
import { NO_RESERVE, type BlockPool } from '../../pool/index.js';
import { growF64, growI32, NodeSubnets, setGauges4 } from '../mechanics.js';
import {
  MAX_PODS, NODE_SUBNET_FULL, OK, PENDING, POD_CIDR_FULL, causeOf, refused,
  type Allocator, type AllocatorContext, type AllocatorHost, type Gauges,
} from '../types.js';
import { LAN_SUBNET } from '../platform/reserves.js';
import { WaitingPods } from '../waiting.js';
import { BLOCK_LIMIT, calicoInfo, EMPTY_BLOCK_MIN_RECLAIM_AGE_MS, maxBlocksOf, type CalicoParams } from './info.js';
import { Ipv6Blocks } from './ipv6-blocks.js';

/** Addresses of all pod CIDRs together must stay below 2^31 (handles are int32). */
const MAX_ADDRESSES = 2 ** 31;
/** N_LOWB when the node has no block with room: above every block index. */
const NO_BLOCK = 0x7fffffff;

/** Index of the lowest set bit of a non-zero int32. */
function ctz(x: number): number {
  return 31 - Math.clz32(x & -x);
}

/** Node record fields (Int32 × 8 = 32 bytes). */
const N_POOL1 = 0; // pool + 1, 0 = not joined
const N_PODS = 1; // pods bound (with an address or waiting)
const N_LOW = 2; // the slab of the node's lowest block with room (all its blocks before it are full), -1 none
const N_FIRST = 3; // first own block's slab, -1 none
const N_BLOCKS = 4;
const N_TUNNEL = 5; // tunnel address handle, -1 none
const N_RETRY = 6; // a retry of the waiting pods is scheduled
const N_LOWB = 7; // N_LOW's block index, NO_BLOCK when none
const N_SHIFT = 3;
/** Slab record fields (Int32 × 8). */
const S_BLOCK = 0; // global block index, -1 = slab free
const S_OWNER = 1; // affine node, -1 none
const S_USED = 2;
const S_HEAD = 3; // the next free ordinal is ring[slab × blockSize + head]
const S_PREV = 4; // the owner's list (ascending block index)
const S_NEXT = 5;
const S_EPREV = 6; // the list of empty affine blocks (oldest first)
const S_ENEXT = 7;
const S_SHIFT = 3;

export class CalicoAllocator implements Allocator {
  readonly mode: string;
  private readonly host: AllocatorHost;
  private readonly nodes: NodeSubnets;
  /** One block pool per pod CIDR; global block index = segStart[i] + index in segments[i]. */
  private readonly segments: readonly BlockPool[];
  private readonly segStart: readonly number[];
  private readonly blockSize: number;
  private readonly mask: number;
  /** log2(blockSize): a handle's block is handle >>> shift. */
  private readonly shift: number;
  private readonly strict: boolean;
  private readonly maxBlocks: number;
  private readonly tunnel: boolean;
  private readonly grace: number;
  /** kube-controllers' check period: leakGracePeriod / 2; checks fall at multiples of it. */
  private readonly period: number;
  private readonly maxPodsOf: Int32Array;
  private readonly nodeCapacity: number;
  private readonly podCapacity: number;
  /** By global block index: its slab, -1 when the block is not claimed. */
  private readonly slabOf: Int32Array;
  /** Slab records (S_*). */
  private srec: Int32Array;
  /** Empty-list membership, claim time, kube-controllers' mark (-1 none), when the block last stopped being empty. */
  private sInEmpty: Uint8Array;
  private sClaimedAt: Float64Array;
  private sMark: Float64Array;
  private sBusySince: Float64Array;
  private ring: Uint16Array;
  /** One bit per slab: claimed and not full (borrowing looks here). */
  private roomy: Int32Array;
  /** Slabs ever used (high-water mark); freed ones wait in freeSlabs. */
  private slabTop: number;
  private freeSlabs: Int32Array;
  private freeSlabCount: number;
  private borrowCursor: number;
  private emptyHead: number;
  private emptyTail: number;
  private readonly tickKind: number;
  private tickPending: boolean;
  /** Node records (N_*). */
  private nrec: Int32Array;
  private readonly waiting: WaitingPods;
  private readonly retryKind: number;
  private readonly retryMs: number;
  private liveBlocks: number;
  /** Addresses in use in all blocks: pods and tunnels. */
  private used: number;
  /** Pods holding an address (N_PODS also counts the waiting ones). */
  private pods: number;
  private tunnels: number;

  /** Dual stack: the nodes' IPv6 blocks, null when single stack. */
  private readonly v6: Ipv6Blocks | null;
  /** By IPv4 handle: the slab of the pod's IPv6 block (empty when single stack). */
  private readonly v6Of: Int32Array;

  constructor(ctx: AllocatorContext<CalicoParams>) {
    const { cluster, spaces, params, host } = ctx;
    for (const p of cluster.pools) {
      if (p.podCidr !== null) throw inputError(`cluster ${cluster.name}: node pool ${p.name} names its own pod CIDR ${p.podCidr.text}; calico takes blocks from the cluster's pod CIDRs only`);
    }
    this.mode = calicoInfo.name;
    this.host = host;
    this.nodes = new NodeSubnets(spaces, cluster, LAN_SUBNET);
    let total = 0;
    const starts: number[] = [];
    this.segments = cluster.podCidrs.map((c) => {
      if (c.prefix > params.blockSize) {
        throw inputError(`cluster ${cluster.name}: pod CIDR ${c.text} is smaller than one /${params.blockSize} block; an IP pool must hold at least one block [calico-ippool]: use a /${params.blockSize} or larger, or a larger blockSize`);
      }
      const pool = spaces.blocks(c, params.blockSize, NO_RESERVE, cluster.name);
      starts.push(total);
      total += pool.blocks;
      return pool;
    });
    this.segStart = starts;
    this.blockSize = 2 ** (32 - params.blockSize);
    if (total * this.blockSize > MAX_ADDRESSES) throw inputError(`cluster ${cluster.name}: the pod CIDRs hold more than 2^31 addresses; use smaller ranges`);
    this.mask = this.blockSize - 1;
    this.shift = 32 - params.blockSize;
    this.strict = params.strictAffinity;
    this.maxBlocks = maxBlocksOf(params);
    this.tunnel = params.tunnelAddress;
    this.grace = params.leakGracePeriod;
    this.period = Math.max(1, Math.floor(params.leakGracePeriod / 2));
    this.maxPodsOf = Int32Array.from(cluster.pools, (p) => p.maxPods);
    this.nodeCapacity = this.nodes.capacity();
    this.podCapacity = total * this.blockSize;
    this.slabOf = new Int32Array(total).fill(-1);
    const slabs = 64;
    this.srec = new Int32Array(slabs << S_SHIFT).fill(-1);
    this.sInEmpty = new Uint8Array(slabs);
    this.sClaimedAt = new Float64Array(slabs);
    this.sMark = new Float64Array(slabs).fill(-1);
    this.sBusySince = new Float64Array(slabs);
    this.ring = new Uint16Array(slabs * this.blockSize);
    this.roomy = new Int32Array(slabs >>> 5);
    this.slabTop = 0;
    this.freeSlabs = new Int32Array(slabs);
    this.freeSlabCount = 0;
    this.borrowCursor = 0;
    this.emptyHead = -1;
    this.emptyTail = -1;
    this.tickKind = host.clock.define(() => this.check());
    this.tickPending = false;
    this.nrec = new Int32Array(64 << N_SHIFT);
    this.waiting = new WaitingPods();
    this.retryKind = host.clock.define((node) => this.retry(node));
    this.retryMs = params.retryInterval;
    this.liveBlocks = 0;
    this.used = 0;
    this.pods = 0;
    this.tunnels = 0;
    this.v6 = cluster.podCidr6 === null ? null
      : new Ipv6Blocks(spaces.blocks6(cluster.podCidr6, params.blockSize6, cluster.name), 2 ** (128 - params.blockSize6), this.maxBlocks, this.grace);
    this.v6Of = new Int32Array(this.v6 === null ? 0 : this.podCapacity);
  }

  nodeJoin(node: number, pool: number): number {
    this.ensureNode(node);
    if (this.nodes.poolOf[node]! >= 0) throw internalError(`calico: node ${node} joined twice`);
    const sub = this.nodes.pick(pool, 1);
    if (sub < 0) return NODE_SUBNET_FULL;
    const R = this.nrec, r = node << N_SHIFT;
    R[r + N_POOL1] = 0;
    R[r + N_PODS] = 0;
    R[r + N_LOW] = -1;
    R[r + N_LOWB] = NO_BLOCK;
    R[r + N_FIRST] = -1;
    R[r + N_BLOCKS] = 0;
    R[r + N_TUNNEL] = -1;
    this.v6?.join(node);
    if (this.tunnel) {
      // calico-node exits when it cannot get its tunnel address: the node never becomes ready [calico-tunnel].
      const h = this.assign(node);
      if (h < 0) return causeOf(h);
      R[r + N_TUNNEL] = h;
      this.tunnels++;
    }
    R[r + N_POOL1] = pool + 1;
    this.nodes.take(node, pool, sub);
    return OK;
  }

  nodeLeave(node: number): void {
    this.nodes.poolOfJoined(node, 'calico nodeLeave');
    const R = this.nrec, r = node << N_SHIFT;
    if (R[r + N_PODS] !== 0) throw internalError(`calico: node ${node} left with ${R[r + N_PODS]} pods still holding addresses`);
    const t = R[r + N_TUNNEL]!;
    if (t >= 0) {
      this.release(t);
      R[r + N_TUNNEL] = -1;
      this.tunnels--;
    }
    // Node deletion releases its affinities; a block others still borrow from stays until it empties [calico-kc].
    const S = this.srec;
    let s = R[r + N_FIRST]!;
    while (s >= 0) {
      const next = S[(s << S_SHIFT) + S_NEXT]!;
      this.unlinkEmpty(s);
      this.detach(s);
      if (S[(s << S_SHIFT) + S_USED] === 0) this.deleteBlock(s);
      s = next;
    }
    this.v6?.leave(node);
    R[r + N_POOL1] = 0;
    this.nodes.give(node);
  }

  podAdd(pod: number, node: number): number {
    const R = this.nrec, r = node << N_SHIFT;
    const pool = r < R.length ? R[r + N_POOL1]! - 1 : -1;
    if (pool < 0) this.nodes.poolOfJoined(node, 'calico podAdd');
    const n = R[r + N_PODS]!;
    if (n >= this.maxPodsOf[pool]!) return refused(MAX_PODS);
    R[r + N_PODS] = n + 1;
    const h = this.assignPod(node);
    if (h >= 0) {
      this.pods++;
      return h;
    }
    // The CNI ADD failed: the pod stays on its node and kubelet retries it.
    this.waiting.push(node, pod);
    const cause = causeOf(h);
    this.host.record('address-refused', cause, node, cause === BLOCK_LIMIT
      ? `node owns ${this.maxBlocks} blocks, all full (maxBlocksPerHost): the pod waits on its node`
      : this.strict ? 'no free block to claim or reclaim, and strict affinity: the pod waits on its node'
        : 'no free block to claim or reclaim, and no address to borrow: the pod waits on its node');
    this.scheduleRetry(node);
    return PENDING;
  }

  podRelease(pod: number, node: number, handle: number): void {
    this.nrec[(node << N_SHIFT) + N_PODS]!--;
    if (handle < 0) {
      this.waiting.remove(node, pod);
      return;
    }
    if (this.v6 !== null && this.v6.release(this.v6Of[handle]!)) this.scheduleCheck();
    this.release(handle);
    this.pods--;
  }

  address(_node: number, handle: number): number {
    const block = Math.floor(handle / this.blockSize);
    let i = this.segments.length - 1;
    while (i > 0 && this.segStart[i]! > block) i--;
    return this.segments[i]!.cidr.base + (block - this.segStart[i]!) * this.blockSize + (handle & this.mask);
  }

  gauges(out: Gauges): void {
    this.write(out, this.nodes.count, this.nodeCapacity, this.liveBlocks, this.used, this.pods, this.waiting.total);
    this.v6?.gauges(out);
  }

  recount(out: Gauges): void {
    const S = this.srec;
    let blocks = 0;
    let used = 0;
    for (let s = 0; s < this.slabTop; s++) {
      const b = S[(s << S_SHIFT) + S_BLOCK]!;
      if (b < 0) continue;
      if (this.slabOf[b] !== s || !this.isAllocated(b)) continue;
      blocks++;
      used += S[(s << S_SHIFT) + S_USED]!;
    }
    let tunnels = 0;
    let waiting = 0;
    const R = this.nrec;
    for (let n = 0; n < this.nodes.poolOf.length; n++) {
      if (this.nodes.poolOf[n]! < 0) continue;
      if (R[(n << N_SHIFT) + N_TUNNEL]! >= 0) tunnels++;
      waiting += this.waiting.size(n);
    }
    this.write(out, this.nodes.recount(), this.nodes.capacity(), blocks, used, used - tunnels, waiting);
    this.v6?.recount(out);
  }


  /**
   * A pod's addresses: IPv4 by autoAssign, then (dual stack) IPv6 from the node's IPv6 blocks, claiming one when
   * they are full; when IPv6 fails the request fails whole and its IPv4 address returns. A handle or refused(cause).
   */
  private assignPod(node: number): number {
    const h = this.assign(node);
    if (h < 0 || this.v6 === null) return h;
    const b = this.v6.assign(node);
    if (b < 0) {
      this.release(h);
      return b;
    }
    this.v6Of[h] = b;
    return h;
  }

  // ---- kubelet's retry of waiting pods ---------------------------------------------------------------------

  /** kubelet's retry of the node's waiting pods, oldest first, until one fails again. */
  private retry(node: number): void {
    this.nrec[(node << N_SHIFT) + N_RETRY] = 0;
    for (let p = this.waiting.first(node); p >= 0; p = this.waiting.first(node)) {
      const h = this.assignPod(node);
      if (h < 0) break;
      this.waiting.remove(node, p);
      this.pods++;
      this.host.granted(p, node, h);
    }
    this.scheduleRetry(node);
  }

  private scheduleRetry(node: number): void {
    const i = (node << N_SHIFT) + N_RETRY;
    if (this.nrec[i] === 1 || this.waiting.size(node) === 0) return;
    this.nrec[i] = 1;
    this.host.clock.schedule(this.retryMs, this.retryKind, node);
  }

  // ---- autoAssign ------------------------------------------------------------------------------------------

  /** One address for `node` by Calico's order; a handle or refused(cause). */
  private assign(node: number): number {
    const R = this.nrec, r = node << N_SHIFT;
    // 1. The lowest own block with room (kept up to date, so no walk over the node's blocks).
    const low = R[r + N_LOW]!;
    if (low >= 0) return this.take(low);
    // At the block limit: ErrBlockLimit, no borrowing [calico-ipam].
    if (R[r + N_BLOCKS]! >= this.maxBlocks) return refused(BLOCK_LIMIT);
    const s = this.claim(node);
    if (s >= 0) return this.take(s);
    if (this.strict) return refused(POD_CIDR_FULL);
    const b = this.findRoomy();
    if (b < 0) return refused(POD_CIDR_FULL);
    // Not a refusal, but the pool is out of blocks: borrowed addresses rely on /32 routes (calico#3246).
    const owner = this.srec[(b << S_SHIFT) + S_OWNER]!;
    this.host.record('address-borrowed', POD_CIDR_FULL, node, `no free block: node ${node} borrows an address from ${owner >= 0 ? `node ${owner}'s block` : 'a block without affinity'}`);
    return this.take(b);
  }

  /** A block for `node`: the next free one, else another node's empty block claimed ≥ 1 min ago; its slab or -1. */
  private claim(node: number): number {
    for (let i = 0; i < this.segments.length; i++) {
      const b = this.segments[i]!.allocate();
      if (b >= 0) {
        const s = this.newSlab(this.segStart[i]! + b);
        this.attach(node, s);
        return s;
      }
    }
    const now = this.host.clock.now;
    const S = this.srec;
    for (let s = this.emptyHead; s >= 0; s = S[(s << S_SHIFT) + S_ENEXT]!) {
      if (S[(s << S_SHIFT) + S_OWNER] !== node && now - this.sClaimedAt[s]! >= EMPTY_BLOCK_MIN_RECLAIM_AGE_MS) {
        this.unlinkEmpty(s);
        this.detach(s);
        this.attach(node, s);
        return s;
      }
    }
    return -1;
  }

  /** Takes the head of slab s's free ring. O(1). */
  private take(s: number): number {
    const S = this.srec, q = s << S_SHIFT, bs = this.blockSize;
    const used = S[q + S_USED]!;
    const h = S[q + S_HEAD]!;
    const ord = this.ring[s * bs + h]!;
    S[q + S_HEAD] = (h + 1) & this.mask;
    S[q + S_USED] = used + 1;
    this.used++;
    if (used + 1 === bs) this.roomy[s >>> 5]! &= ~(1 << (s & 31));
    const owner = S[q + S_OWNER]!;
    if (owner >= 0) {
      if (used + 1 === bs && this.nrec[(owner << N_SHIFT) + N_LOW] === s) this.nextLow(owner << N_SHIFT, S[q + S_NEXT]!);
      if (used === 0) {
        this.unlinkEmpty(s);
        this.sBusySince[s] = this.host.clock.now;
      }
    }
    return S[q + S_BLOCK]! * bs + ord;
  }

  /** Returns an address to the tail of its block's free ring. O(1). */
  private release(handle: number): void {
    const bs = this.blockSize;
    const s = this.slabOf[handle >>> this.shift]!;
    const S = this.srec, q = s << S_SHIFT;
    const used = S[q + S_USED]! - 1;
    S[q + S_USED] = used;
    this.ring[s * bs + ((S[q + S_HEAD]! + bs - 1 - used) & this.mask)] = handle & this.mask;
    this.used--;
    if (used === bs - 1) this.roomy[s >>> 5]! |= 1 << (s & 31);
    const owner = S[q + S_OWNER]!;
    if (owner >= 0) {
      const r = owner << N_SHIFT, block = S[q + S_BLOCK]!;
      if (block < this.nrec[r + N_LOWB]!) {
        this.nrec[r + N_LOW] = s;
        this.nrec[r + N_LOWB] = block;
      }
      if (used === 0) this.becameEmpty(s);
    } else if (used === 0) {
      this.deleteBlock(s); // empty and without affinity: deleted [calico-ipam releaseIPsFromBlock]
    }
  }

  /** The next claimed block with room at or after the borrow cursor (wrapping), or -1. O(slabs / 32). */
  private findRoomy(): number {
    const words = this.roomy;
    const nw = (this.slabTop + 31) >>> 5;
    const from = this.borrowCursor < this.slabTop ? this.borrowCursor : 0;
    let wi = from >>> 5;
    let w = words[wi]! & (-1 << (from & 31));
    for (let k = 0; k <= nw; k++) {
      if (w !== 0) {
        const s = (wi << 5) + ctz(w);
        this.borrowCursor = s;
        return s;
      }
      wi = wi + 1 >= nw ? 0 : wi + 1;
      w = words[wi]!;
    }
    return -1;
  }

  // ---- blocks ------------------------------------------------------------------------------------------------

  private newSlab(block: number): number {
    let s: number;
    if (this.freeSlabCount > 0) s = this.freeSlabs[--this.freeSlabCount]!;
    else {
      s = this.slabTop++;
      if (s << S_SHIFT >= this.srec.length) this.growSlabs();
    }
    const bs = this.blockSize;
    const S = this.srec, q = s << S_SHIFT;
    S[q + S_BLOCK] = block;
    S[q + S_OWNER] = -1;
    S[q + S_USED] = 0;
    S[q + S_HEAD] = 0;
    S[q + S_PREV] = -1;
    S[q + S_NEXT] = -1;
    S[q + S_EPREV] = -1;
    S[q + S_ENEXT] = -1;
    this.slabOf[block] = s;
    this.sInEmpty[s] = 0;
    this.sMark[s] = -1;
    // A new block's free list is 0, 1, …, blockSize − 1 [calico-block newBlock].
    const base = s * bs;
    for (let i = 0; i < bs; i++) this.ring[base + i] = i;
    this.roomy[s >>> 5]! |= 1 << (s & 31);
    this.liveBlocks++;
    return s;
  }

  private deleteBlock(s: number): void {
    const q = s << S_SHIFT;
    const b = this.srec[q + S_BLOCK]!;
    let i = this.segments.length - 1;
    while (i > 0 && this.segStart[i]! > b) i--;
    this.segments[i]!.free(b - this.segStart[i]!);
    this.slabOf[b] = -1;
    this.srec[q + S_BLOCK] = -1;
    this.roomy[s >>> 5]! &= ~(1 << (s & 31));
    this.freeSlabs[this.freeSlabCount++] = s;
    this.liveBlocks--;
  }

  /** Gives block s affinity to `node` (now), in the node's list by ascending block index. O(own blocks). */
  private attach(node: number, s: number): void {
    const S = this.srec, R = this.nrec, r = node << N_SHIFT, q = s << S_SHIFT;
    S[q + S_OWNER] = node;
    this.sClaimedAt[s] = this.host.clock.now;
    this.sMark[s] = -1;
    const b = S[q + S_BLOCK]!;
    let prev = -1;
    let next = R[r + N_FIRST]!;
    while (next >= 0 && S[(next << S_SHIFT) + S_BLOCK]! < b) {
      prev = next;
      next = S[(next << S_SHIFT) + S_NEXT]!;
    }
    S[q + S_PREV] = prev;
    S[q + S_NEXT] = next;
    if (prev >= 0) S[(prev << S_SHIFT) + S_NEXT] = s;
    else R[r + N_FIRST] = s;
    if (next >= 0) S[(next << S_SHIFT) + S_PREV] = s;
    R[r + N_BLOCKS]!++;
    if (S[q + S_USED]! < this.blockSize && b < R[r + N_LOWB]!) {
      R[r + N_LOW] = s;
      R[r + N_LOWB] = b;
    }
  }

  /** Sets the node's lowest block with room to the first one from slab `from` on (its list order), or none. */
  private nextLow(r: number, from: number): void {
    const S = this.srec, bs = this.blockSize;
    let s = from;
    while (s >= 0 && S[(s << S_SHIFT) + S_USED]! >= bs) s = S[(s << S_SHIFT) + S_NEXT]!;
    this.nrec[r + N_LOW] = s;
    this.nrec[r + N_LOWB] = s >= 0 ? S[(s << S_SHIFT) + S_BLOCK]! : NO_BLOCK;
  }

  /** Removes block s's affinity. O(1). */
  private detach(s: number): void {
    const S = this.srec, q = s << S_SHIFT;
    const r = S[q + S_OWNER]! << N_SHIFT, R = this.nrec;
    const prev = S[q + S_PREV]!;
    const next = S[q + S_NEXT]!;
    if (prev >= 0) S[(prev << S_SHIFT) + S_NEXT] = next;
    else R[r + N_FIRST] = next;
    if (next >= 0) S[(next << S_SHIFT) + S_PREV] = prev;
    S[q + S_PREV] = -1;
    S[q + S_NEXT] = -1;
    R[r + N_BLOCKS]!--;
    S[q + S_OWNER] = -1;
    if (R[r + N_LOW] === s) this.nextLow(r, R[r + N_FIRST]!);
  }

  // ---- kube-controllers: empty blocks ----------------------------------------------------------------------

  /**
   * An affine block emptied. kube-controllers marks it at the first check that sees it empty and forgets the mark
   * at a check that sees it in use; checks fall at multiples of the period, so a mark survives a busy spell that
   * no check saw.
   */
  private becameEmpty(s: number): void {
    const now = this.host.clock.now;
    if (this.sMark[s]! >= 0 && Math.floor(now / this.period) * this.period >= this.sBusySince[s]!) this.sMark[s] = -1;
    const S = this.srec, q = s << S_SHIFT;
    this.sInEmpty[s] = 1;
    S[q + S_EPREV] = this.emptyTail;
    S[q + S_ENEXT] = -1;
    if (this.emptyTail >= 0) S[(this.emptyTail << S_SHIFT) + S_ENEXT] = s;
    else this.emptyHead = s;
    this.emptyTail = s;
    this.scheduleCheck();
  }

  /** Schedules kube-controllers' next check (at the next multiple of the period after now) unless one is pending. */
  private scheduleCheck(): void {
    if (this.tickPending) return;
    const now = this.host.clock.now;
    const next = (Math.floor(now / this.period) + 1) * this.period;
    this.host.clock.schedule(next - now, this.tickKind, 0);
    this.tickPending = true;
  }

  private unlinkEmpty(s: number): void {
    if (this.sInEmpty[s] === 0) return;
    const S = this.srec, q = s << S_SHIFT;
    const prev = S[q + S_EPREV]!;
    const next = S[q + S_ENEXT]!;
    if (prev >= 0) S[(prev << S_SHIFT) + S_ENEXT] = next;
    else this.emptyHead = next;
    if (next >= 0) S[(next << S_SHIFT) + S_EPREV] = prev;
    else this.emptyTail = prev;
    this.sInEmpty[s] = 0;
  }

  /** kube-controllers' check [calico-kc releaseUnusedBlocks]; rescheduled while an affine block is empty. */
  private check(): void {
    this.tickPending = false;
    const now = this.host.clock.now;
    const S = this.srec;
    let s = this.emptyHead;
    while (s >= 0) {
      const q = s << S_SHIFT;
      const next = S[q + S_ENEXT]!;
      if (this.sMark[s]! < 0) this.sMark[s] = now;
      else if (now - this.sMark[s]! >= this.grace && this.nrec[(S[q + S_OWNER]! << N_SHIFT) + N_BLOCKS]! >= 2) {
        this.unlinkEmpty(s);
        this.detach(s);
        this.deleteBlock(s);
      }
      s = next;
    }
    if (this.v6 !== null && this.v6.live > 0) this.v6.check(now);
    if (this.emptyHead >= 0 || (this.v6 !== null && this.v6.empty > 0)) {
      this.host.clock.schedule(this.period, this.tickKind, 0);
      this.tickPending = true;
    }
  }

  // ---- bookkeeping -----------------------------------------------------------------------------------------

  private write(out: Gauges, nodes: number, nodeCap: number, blocks: number, used: number, pods: number, waiting: number): void {
    const reserved = blocks * this.blockSize;
    const free = this.podCapacity - used;
    // Free addresses inside claimed blocks are not in a whole free block.
    const frag = free > 0 ? (reserved - used) / free : 0;
    setGauges4(out, nodes, nodeCap, reserved, pods, this.podCapacity, frag, waiting);
  }

  private isAllocated(block: number): boolean {
    let i = this.segments.length - 1;
    while (i > 0 && this.segStart[i]! > block) i--;
    return this.segments[i]!.isAllocated(block - this.segStart[i]!);
  }

  private ensureNode(node: number): void {
    this.nodes.ensure(node);
    this.waiting.ensureNode(node);
    if ((node + 1) << N_SHIFT <= this.nrec.length) return;
    this.nrec = growI32(this.nrec, (node + 1) << N_SHIFT, 0);
  }

  /** Doubles the slab tables. */
  private growSlabs(): void {
    const n = (this.srec.length >>> S_SHIFT) * 2;
    this.srec = growI32(this.srec, n << S_SHIFT, -1);
    const inEmpty = new Uint8Array(n);
    inEmpty.set(this.sInEmpty);
    this.sInEmpty = inEmpty;
    this.sClaimedAt = growF64(this.sClaimedAt, n, 0);
    this.sMark = growF64(this.sMark, n, -1);
    this.sBusySince = growF64(this.sBusySince, n, 0);
    const ring = new Uint16Array(n * this.blockSize);
    ring.set(this.ring);
    this.ring = ring;
    const roomy = new Int32Array((n + 31) >>> 5);
    roomy.set(this.roomy);
    this.roomy = roomy;
    const free = new Int32Array(n);
    free.set(this.freeSlabs);
    this.freeSlabs = free;
  }
}

export function createCalico(ctx: AllocatorContext<CalicoParams>): Allocator {
  return new CalicoAllocator(ctx);
}
