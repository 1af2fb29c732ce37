/**
 * An IPv4 range carved into /blockPrefix blocks, one bit per block (per-node /24s from a pod CIDR, /28 blocks from
 * a pod subnet). Block i covers offsets [i·blockSize, (i+1)·blockSize). A block holding one of the range's reserved
 * addresses (its reserve policy's head and tail; Azure: first four, last) is never handed out.
 *
 * Costs: allocate O(1) amortised (next-fit, as the Kubernetes node-IPAM CIDR set hands out pod CIDRs);
 * free / isAllocated O(1). Memory: blocks/8 bytes.
 */
import { CnisimError, inputError, internalError } from '../errors.js';
import type { Cidr4 } from '../net/index.js';
import { checkReserve } from './address-pool.js';
import { Bitset, MAX_BITS } from './bitset.js';
import type { ReservePolicy } from './reserve.js';

export class BlockPool {
  readonly cidr: Cidr4;
  readonly blockPrefix: number;
  /** Addresses per block: 2^(32 − blockPrefix). */
  readonly blockSize: number;
  readonly blocks: number;
  /** Blocks that can be handed out (blocks minus those holding a reserved address). */
  readonly capacity: number;
  /** Reserved blocks at the start (0..head-1) and at the end. */
  private readonly reservedHead: number;
  private readonly reservedTail: number;
  private readonly bits: Bitset;

  /** O(blocks/32). Throws 'input' when the block is larger than the range, 'limit' above 2^28 blocks. */
  constructor(cidr: Cidr4, blockPrefix: number, reserve: ReservePolicy) {
    if (!Number.isInteger(blockPrefix) || blockPrefix < cidr.prefix || blockPrefix > 32) {
      throw inputError(`${cidr.text} cannot be split into /${blockPrefix} blocks: the block prefix must be ${cidr.prefix}–32`);
    }
    const blocks = 2 ** (blockPrefix - cidr.prefix);
    if (blocks > MAX_BITS) {
      throw new CnisimError('limit', `${cidr.text} holds ${blocks} /${blockPrefix} blocks: a block pool holds at most ${MAX_BITS}; use larger blocks`);
    }
    checkReserve(cidr, reserve);
    this.cidr = cidr;
    this.blockPrefix = blockPrefix;
    this.blockSize = 2 ** (32 - blockPrefix);
    this.blocks = blocks;
    this.bits = new Bitset(blocks);
    if (reserve.head + reserve.tail > 0) {
      const head = Math.min(Math.ceil(reserve.head / this.blockSize), blocks);
      const tail = Math.min(Math.ceil(reserve.tail / this.blockSize), blocks - head);
      this.reservedHead = head;
      this.reservedTail = tail;
      if (head > 0) this.bits.setRun(0, head);
      if (tail > 0) this.bits.setRun(blocks - tail, tail);
    } else {
      this.reservedHead = 0;
      this.reservedTail = 0;
    }
    this.capacity = blocks - this.reservedHead - this.reservedTail;
  }

  /** Blocks handed out. O(1). */
  get used(): number {
    return this.bits.count - this.reservedHead - this.reservedTail;
  }

  /** Next free block index (next-fit), or -1 when full. Its first offset is index × blockSize. O(1) amortised. */
  allocate(): number {
    return this.bits.allocate();
  }

  /** Frees an allocated block; throws on a free, reserved or out-of-range index. O(1). */
  free(index: number): void {
    if (index < this.reservedHead || index >= this.blocks - this.reservedTail) this.badIndex(index);
    this.bits.clear(index);
  }

  /** True when the block is handed out (false for reserved blocks). O(1). */
  isAllocated(index: number): boolean {
    if (!(index >= 0 && index < this.blocks)) this.badIndex(index);
    if (index < this.reservedHead || index >= this.blocks - this.reservedTail) return false;
    return this.bits.test(index);
  }

  /** Cold path, kept out of free/isAllocated so they stay small enough for V8 to inline. */
  private badIndex(index: number): never {
    throw internalError(`${this.cidr.text}: block ${index} is outside the allocatable blocks ${this.reservedHead}..${this.blocks - this.reservedTail - 1}`);
  }
}
