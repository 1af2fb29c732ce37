/**
 * calico's dual stack: each pod also takes an IPv6 address from its node's IPv6 blocks (BlockPool6, lowest free
 * block first), counted per block (the IPv6 address itself is never asked for). A node claims a block when its
 * blocks are full, up to maxBlocksPerHost (block-limit); IPv6 blocks are never borrowed (the pool is vast).
 * kube-controllers' check (run by the IPv4 allocator, ./index.ts) marks an empty block at the first check that
 * sees it empty, forgets the mark at a check that sees it in use, and releases a block marked leakGracePeriod ago
 * unless it is its node's last.
 *
 * Layout: per block slab (reused after release) its block, owner, addresses in use, next in the owner's list
 * (ascending block) and mark; per node (stride 4) its first slab, block count and free addresses in its blocks.
 * Costs: assign O(own blocks) (the first block with room), release O(1), a claim O(own blocks) (sorted insert),
 * leave O(own blocks), check O(slabs), recount O(slabs).
 */
import { internalError } from '../../errors.js';
import type { BlockPool6 } from '../../pool/index.js';
import { growF64, growI32, setGauges6 } from '../mechanics.js';
import { POD_CIDR_FULL, refused, type Gauges } from '../types.js';
import { BLOCK_LIMIT } from './info.js';

/** Per-node fields (Int32, stride 4). */
const F_FIRST = 0; // the node's first block slab, -1 none
const F_BLOCKS = 1;
const F_FREE = 2; // free addresses in the node's blocks
const F_SHIFT = 2;

export class Ipv6Blocks {
  private readonly pool: BlockPool6;
  private readonly blockSize: number;
  private readonly maxBlocks: number;
  private readonly grace: number;
  private block: Float64Array;
  private owner: Int32Array;
  private used: Int32Array;
  private next: Int32Array;
  private mark: Float64Array;
  private top: number;
  private free: Int32Array;
  private freeCount: number;
  private nodes: Int32Array;
  /** Claimed blocks. */
  live: number;
  /** Claimed blocks with no address in use (the check runs while there are some). */
  empty: number;
  /** Addresses in use (one per dual-stack pod). */
  private inUse: number;

  constructor(pool: BlockPool6, blockSize: number, maxBlocks: number, grace: number) {
    this.pool = pool;
    this.blockSize = blockSize;
    this.maxBlocks = maxBlocks;
    this.grace = grace;
    this.block = new Float64Array(16).fill(-1);
    this.owner = new Int32Array(16).fill(-1);
    this.used = new Int32Array(16);
    this.next = new Int32Array(16).fill(-1);
    this.mark = new Float64Array(16).fill(-1);
    this.top = 0;
    this.free = new Int32Array(16);
    this.freeCount = 0;
    this.nodes = new Int32Array(64 << F_SHIFT);
    this.live = 0;
    this.empty = 0;
    this.inUse = 0;
  }

  /** Makes room for `node` and clears its fields (a joining node). */
  join(node: number): void {
    if ((node + 1) << F_SHIFT > this.nodes.length) this.nodes = growI32(this.nodes, (node + 1) << F_SHIFT, 0);
    const r = node << F_SHIFT;
    this.nodes[r + F_FIRST] = -1;
    this.nodes[r + F_BLOCKS] = 0;
    this.nodes[r + F_FREE] = 0;
  }

  /** An IPv6 address in the node's blocks (lowest block with room, else a new one): its block's slab, or refused(cause). */
  assign(node: number): number {
    const N = this.nodes, r = node << F_SHIFT;
    let b = -1;
    if (N[r + F_FREE]! > 0) {
      for (b = N[r + F_FIRST]!; b >= 0 && this.used[b]! >= this.blockSize; b = this.next[b]!);
    } else {
      if (N[r + F_BLOCKS]! >= this.maxBlocks) return refused(BLOCK_LIMIT);
      const block = this.pool.allocate();
      if (block < 0) return refused(POD_CIDR_FULL);
      b = this.claim(block, node);
    }
    const used = this.used[b]!;
    // A mark stays until a check sees the block in use (check), as kube-controllers samples.
    if (used === 0) this.empty--;
    this.used[b] = used + 1;
    N[r + F_FREE]!--;
    this.inUse++;
    return b;
  }

  /** Returns an address of block slab `b`; true when the block is now empty (the check must run). */
  release(b: number): boolean {
    const used = this.used[b]! - 1;
    this.used[b] = used;
    this.nodes[(this.owner[b]! << F_SHIFT) + F_FREE]!++;
    this.inUse--;
    if (used !== 0) return false;
    this.empty++;
    return true;
  }

  /** The node leaves: its blocks (all empty by now) go back to the pool. */
  leave(node: number): void {
    const r = node << F_SHIFT;
    for (let b = this.nodes[r + F_FIRST]!; b >= 0;) {
      const next = this.next[b]!;
      this.delete(b);
      b = next;
    }
    this.nodes[r + F_FIRST] = -1;
    this.nodes[r + F_BLOCKS] = 0;
    this.nodes[r + F_FREE] = 0;
  }

  /** kube-controllers' check over the IPv6 blocks, as it samples them: mark empty ones, forget marks of blocks in use. */
  check(now: number): void {
    const N = this.nodes;
    for (let b = 0; b < this.top; b++) {
      if (this.block[b]! < 0) continue;
      if (this.used[b]! > 0) {
        this.mark[b] = -1;
        continue;
      }
      if (this.mark[b]! < 0) {
        this.mark[b] = now;
        continue;
      }
      const r = this.owner[b]! << F_SHIFT;
      if (now - this.mark[b]! < this.grace || N[r + F_BLOCKS]! < 2) continue;
      // Unlink from the owner's list, then free.
      let prev = -1;
      for (let x = N[r + F_FIRST]!; x !== b; x = this.next[x]!) prev = x;
      if (prev >= 0) this.next[prev] = this.next[b]!;
      else N[r + F_FIRST] = this.next[b]!;
      N[r + F_BLOCKS]!--;
      N[r + F_FREE]! -= this.blockSize;
      this.delete(b);
    }
  }

  gauges(out: Gauges): void {
    setGauges6(out, this.pool, this.live, this.inUse);
  }

  /** The gauges from the slabs and the pool's own bits. O(slabs). */
  recount(out: Gauges): void {
    let live = 0;
    let used = 0;
    for (let b = 0; b < this.top; b++) {
      if (this.block[b]! < 0 || !this.pool.isAllocated(this.block[b]!)) continue;
      live++;
      used += this.used[b]!;
    }
    setGauges6(out, this.pool, live, used);
  }

  /** A claimed block for `node`, in its list by ascending block index; counted empty until its first address. */
  private claim(block: number, node: number): number {
    let b: number;
    if (this.freeCount > 0) b = this.free[--this.freeCount]!;
    else {
      b = this.top++;
      if (b >= this.block.length) this.grow();
    }
    this.block[b] = block;
    this.owner[b] = node;
    this.used[b] = 0;
    this.mark[b] = -1;
    const N = this.nodes, r = node << F_SHIFT;
    let prev = -1;
    let next = N[r + F_FIRST]!;
    while (next >= 0 && this.block[next]! < block) {
      prev = next;
      next = this.next[next]!;
    }
    this.next[b] = next;
    if (prev >= 0) this.next[prev] = b;
    else N[r + F_FIRST] = b;
    N[r + F_BLOCKS]!++;
    N[r + F_FREE]! += this.blockSize;
    this.live++;
    this.empty++;
    return b;
  }

  /** Frees an empty block (its node left, or the check released it); the caller unlinks it from its node. */
  private delete(b: number): void {
    if (this.used[b] !== 0) throw internalError(`calico: IPv6 block ${this.block[b]} deleted with ${this.used[b]} addresses in use`);
    this.pool.free(this.block[b]!);
    this.block[b] = -1;
    this.owner[b] = -1;
    this.free[this.freeCount++] = b;
    this.live--;
    this.empty--;
  }

  private grow(): void {
    const n = this.block.length * 2;
    this.block = growF64(this.block, n, -1);
    this.owner = growI32(this.owner, n, -1);
    this.used = growI32(this.used, n, 0);
    this.next = growI32(this.next, n, -1);
    this.mark = growF64(this.mark, n, -1);
    this.free = growI32(this.free, n, 0);
  }
}
