/**
 * One IPv4 range as a pool of addresses: a Bitset with one bit per address, offsets 0..size-1 from cidr.base.
 * Its reserve policy's head and tail addresses (Azure: the first four and the last) are taken at construction and
 * never handed out.
 *
 * Costs: allocate O(1) amortised (next-fit), worst bounded by the Bitset summary; allocateBlock(k) first-fit
 * from a hint, O(1) amortised; free / isAllocated O(1); freeBlock O(2^k/32); fragmentation O(size/32).
 * Memory: size/8 bytes + ~3% (a /8: ≈ 2.07 MiB).
 */
import { CnisimError, inputError, internalError } from '../errors.js';
import type { Cidr4 } from '../net/index.js';
import { Bitset, MAX_BITS } from './bitset.js';
import { reserveProblem, type ReservePolicy } from './reserve.js';

/** Throws an input error when the range is smaller than the policy allows. */
export function checkReserve(cidr: Cidr4, r: ReservePolicy): void {
  const problem = reserveProblem(cidr.text, cidr.prefix, r);
  if (problem !== null) throw inputError(problem);
}

export class AddressPool {
  readonly cidr: Cidr4;
  readonly size: number;
  /** size − reserved. */
  readonly capacity: number;
  /** Reserved addresses at the start (0..head-1) and at the end (size-tail..size-1). */
  readonly reservedHead: number;
  readonly reservedTail: number;
  private readonly bits: Bitset;

  /** O(size/32). Throws 'limit' above 2^28 addresses, 'input' for a range smaller than the policy allows. */
  constructor(cidr: Cidr4, reserve: ReservePolicy) {
    if (cidr.size > MAX_BITS) {
      throw new CnisimError('limit', `${cidr.text} holds ${cidr.size} addresses: an address pool holds at most ${MAX_BITS} (a /4); use a smaller range`);
    }
    checkReserve(cidr, reserve);
    this.cidr = cidr;
    this.size = cidr.size;
    this.reservedHead = Math.min(reserve.head, this.size);
    this.reservedTail = Math.min(reserve.tail, this.size - this.reservedHead);
    this.capacity = this.size - this.reservedHead - this.reservedTail;
    this.bits = new Bitset(this.size);
    if (this.reservedHead > 0) this.bits.setRun(0, this.reservedHead);
    if (this.reservedTail > 0) this.bits.setRun(this.size - this.reservedTail, this.reservedTail);
  }

  /** Allocated addresses, not counting reserved ones. O(1). */
  get used(): number {
    return this.bits.count - this.reservedHead - this.reservedTail;
  }

  /** Next free address (next-fit) as an offset, or -1 when full. O(1) amortised. */
  allocate(): number {
    return this.bits.allocate();
  }

  /** First aligned run of 2^log2 free addresses (none reserved); its first offset, or -1. O(1) amortised. */
  allocateBlock(log2: number): number {
    return this.bits.allocateAligned(log2);
  }

  /** Frees an allocated address; throws on a free, reserved or out-of-range offset. O(1). */
  free(offset: number): void {
    if (offset < this.reservedHead || offset >= this.size - this.reservedTail) this.badOffset(offset);
    this.bits.clear(offset);
  }

  /** Frees a block from allocateBlock(log2); throws unless aligned, inside, reserved-free and fully allocated. O(2^log2/32). */
  freeBlock(offset: number, log2: number): void {
    const n = 2 ** log2;
    if (!Number.isInteger(offset) || offset % n !== 0 || offset < this.reservedHead || offset + n > this.size - this.reservedTail) {
      throw internalError(`${this.cidr.text}: freeBlock(${offset}, ${log2}) is not an aligned block of allocatable addresses`);
    }
    this.bits.clearRun(offset, n);
  }

  /** True when the offset is handed out (false for reserved addresses). O(1). */
  isAllocated(offset: number): boolean {
    if (!(offset >= 0 && offset < this.size)) this.badOffset(offset);
    if (offset < this.reservedHead || offset >= this.size - this.reservedTail) return false;
    return this.bits.test(offset);
  }

  /** Free (non-reserved) addresses in no whole free aligned 2^log2 block. O(size/32). */
  fragmentation(log2: number): number {
    return this.bits.fragmentation(log2);
  }

  /** Cold path, kept out of free/isAllocated so they stay small enough for V8 to inline. */
  private badOffset(offset: number): never {
    throw internalError(`${this.cidr.text}: offset ${offset} is outside the allocatable range ${this.reservedHead}..${this.size - this.reservedTail - 1}`);
  }
}
