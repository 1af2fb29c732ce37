/**
 * IPv6 blocks (e.g. per-node /80s of a /64) without materialising the range. Blocks are numbered from the
 * range's start; `next` counts the indices ever handed out ("next never used"), and a growable bitset over
 * [0, next) marks which of those are live, so a freed block is reused lowest index first before a new one is
 * taken. Memory grows with the peak number of live blocks (next/8 bytes), never with the range.
 *
 * Costs: allocate O(1) when nothing was freed, else O(1) amortised from a lowest-free hint (worst O(next/32));
 * free / isAllocated O(1); growth doubles the words (amortised O(1)).
 */
import { CnisimError, inputError, internalError } from '../errors.js';
import type { Cidr6 } from '../net/index.js';
import { MAX_BITS } from './bitset.js';

/** Block indices are JS numbers: at most 2^53 blocks are ever numbered. */
const MAX_INDEX = 2 ** 53;

export class BlockPool6 {
  readonly cidr: Cidr6;
  readonly blockPrefix: number;
  /** Blocks in the range: 2^(blockPrefix − prefix), a float when ≥ 2^53. */
  readonly capacity: number;
  /** Addresses per block: 2^(128 − blockPrefix), a float. */
  readonly blockSize: number;
  private _used: number;
  /** Indices [0, next) have been handed out at least once. */
  private next: number;
  /** No free index below lowFree (within [0, next)). */
  private lowFree: number;
  private words: Int32Array;
  /** Highest index that can be handed out + 1: min(capacity, 2^53). */
  private readonly limit: number;

  /** O(1). Throws 'input' when the block is larger than the range. */
  constructor(cidr: Cidr6, blockPrefix: number) {
    if (!Number.isInteger(blockPrefix) || blockPrefix < cidr.prefix || blockPrefix > 128) {
      throw inputError(`${cidr.text} cannot be split into /${blockPrefix} blocks: the block prefix must be ${cidr.prefix}–128`);
    }
    this.cidr = cidr;
    this.blockPrefix = blockPrefix;
    this.capacity = 2 ** (blockPrefix - cidr.prefix);
    this.blockSize = 2 ** (128 - blockPrefix);
    this._used = 0;
    this.next = 0;
    this.lowFree = 0;
    this.words = new Int32Array(4);
    this.limit = Math.min(this.capacity, MAX_INDEX);
  }

  /** Live blocks. O(1). */
  get used(): number {
    return this._used;
  }

  /** Lowest free block index, or -1 when every block is live. Throws 'limit' beyond 2^28 live blocks. */
  allocate(): number {
    if (this._used === this.next) {
      if (this.next >= this.limit) return -1;
      const i = this.next;
      if (i >>> 5 >= this.words.length) this.grow(i);
      this.next = i + 1;
      this.words[i >>> 5]! |= 1 << (i & 31);
      this._used++;
      this.lowFree = this.next;
      return i;
    }
    // Some index below `next` is free: the first non-full word at or after lowFree holds it.
    const words = this.words;
    let wi = this.lowFree >>> 5;
    while (words[wi] === -1) wi++;
    const w = words[wi]!;
    const bit = 31 - Math.clz32(~w & (w + 1)); // lowest clear bit
    const i = (wi << 5) + bit;
    words[wi] = w | (1 << bit);
    this._used++;
    this.lowFree = i + 1;
    return i;
  }

  /** Frees a live block; throws when it is not live. O(1). */
  free(index: number): void {
    if (!this.isAllocated(index)) throw internalError(`${this.cidr.text}: block ${index} is not allocated`);
    this.words[index >>> 5]! &= ~(1 << (index & 31));
    this._used--;
    if (index < this.lowFree) this.lowFree = index;
  }

  /** True when the block is live. Throws on an index outside the range. O(1). */
  isAllocated(index: number): boolean {
    if (!(Number.isInteger(index) && index >= 0 && index < this.limit)) {
      throw internalError(`${this.cidr.text}: block ${index} is outside 0..${this.limit - 1}`);
    }
    if (index >= this.next) return false;
    return (this.words[index >>> 5]! & (1 << (index & 31))) !== 0;
  }

  private grow(i: number): void {
    if (i >= MAX_BITS) {
      throw new CnisimError('limit', `${this.cidr.text}: more than ${MAX_BITS} live /${this.blockPrefix} blocks would be needed; that is above the simulator's limit`);
    }
    const words = new Int32Array(Math.min(Math.max(this.words.length * 2, (i >>> 5) + 1), MAX_BITS / 32));
    words.set(this.words);
    this.words = words;
  }
}
