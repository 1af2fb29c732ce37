/**
 * A fixed-size bitset for address pools: one bit per address (or per block), set = taken.
 *
 * Layout: `words` holds the bits (32 per word); above it sit summary levels, each with one bit per word of the
 * level below that is full (all ones). The levels shrink 32× each until one fits in 32 words, so finding a
 * non-full word reads at most ~32 words per level: on a nearly full /8 (2^19 words, levels of 2^14, 2^9, 16
 * words) one search reads well under 200 words whatever the layout. Bits past `size` in the last word, and
 * summary bits for words past the end, are kept set, so "full" needs no special case at the edges.
 *
 * Words are Int32Array rather than Uint32Array: the same bits, but a full word is just `-1` and every value
 * stays an int32 in V8 (no double conversions for words ≥ 2^31).
 *
 * Costs (W = words = size/32):
 *   allocate            O(1) amortised (next-fit cursor); worst O(32 × levels) on a nearly full set
 *   allocateAligned(k)  k ≤ 5: O(1) amortised from a per-k hint, worst O(W) (full words skipped via the summary);
 *                       k > 5: O(2^(k-5)) per candidate group, worst O(W)
 *   set/clear/test      O(1) (set/clear touch a summary level only when a word fills or stops being full)
 *   setRun/clearRun     O(n/32)
 *   fragmentation(k)    O(W)
 * Memory: size/8 bytes + ~1/32 of that for the summary (a /8: 2 MiB + 66 KiB).
 */
import { CnisimError, internalError } from '../errors.js';

/** Largest bitset: 2^28 bits = 32 MiB of words (an IPv4 /4). Larger requests are refused, never an OOM crash. */
export const MAX_BITS = 2 ** 28;

/** Index of the lowest set bit of a non-zero int32 (count trailing zeros). */
function ctz(x: number): number {
  return 31 - Math.clz32(x & -x);
}

/** Number of set bits of an int32 (SWAR popcount). */
export function popcount(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/** Bit k of GROUP_MASK[k]'s pattern marks the first bit of each aligned 2^k group in a word. */
const GROUP_MASK = [-1, 0x55555555, 0x11111111, 0x01010101, 0x00010001, 0x00000001];

/**
 * Bits marking the start of each aligned group of 2^k (k ≤ 5) bits that is entirely clear in word `w`.
 * Folding: after `x |= x >>> s` for s = 1, 2, … 2^(k-1), the first bit of each aligned group holds the OR of the group.
 */
function freeGroups(w: number, k: number): number {
  let x = w;
  for (let s = 1; s < 1 << k; s <<= 1) x |= x >>> s;
  return ~x & GROUP_MASK[k]!;
}

// Cold paths kept out of the hot methods: a template-literal throw inside set/clear stops V8 from inlining them
// (measured: clear+set pairs 3× slower).
function outside(i: number, size: number): never {
  throw internalError(`bit ${i} is outside the bitset (size ${size})`);
}
function already(i: number, state: string): never {
  throw internalError(`bit ${i} is already ${state}`);
}
function badLog2(method: string, log2: number): never {
  throw internalError(`${method}: log2 must be an integer 0..28, got ${log2}`);
}

/** Mask of bits [a, b) of a word, 0 ≤ a < b ≤ 32. */
function rangeMask(a: number, b: number): number {
  return (b === 32 ? -1 : (1 << b) - 1) & (-1 << a);
}

export class Bitset {
  readonly size: number;
  private _count: number;
  /** Next-fit cursor of allocate(): the bit to try first. */
  private cursor: number;
  /** The bits; levels[0] === words. */
  private readonly words: Int32Array;
  /** levels[1..]: one bit per full word of the level below. The last level has ≤ 32 words. */
  private readonly levels: Int32Array[];
  /** hints[k]: no clear aligned 2^k run starts in a word below hints[k]. Lowered by clears. */
  private readonly hints: Int32Array;
  /** An upper bound of all hints: a clear at a word ≥ maxHint invalidates none. */
  private maxHint: number;
  /** Words read by the last non-full-word search (for tests of the worst case; no effect on results). */
  probes: number;

  /** O(size/32). Refuses (code 'limit') more than MAX_BITS bits. */
  constructor(size: number) {
    if (!Number.isInteger(size) || size < 1) throw internalError(`Bitset size must be a positive integer, got ${size}`);
    if (size > MAX_BITS) {
      throw new CnisimError('limit', `a bitset of ${size} bits is above the limit of ${MAX_BITS} (2^28, an IPv4 /4): use a smaller range or larger blocks`);
    }
    this.size = size;
    this._count = 0;
    this.cursor = 0;
    const nWords = Math.ceil(size / 32);
    this.words = new Int32Array(nWords);
    this.levels = [this.words];
    this.hints = new Int32Array(32);
    this.maxHint = 0;
    this.probes = 0;
    // Padding past `size` is set, so the last word reads as full once its real bits are.
    if (size % 32 !== 0) this.words[nWords - 1] = -1 << (size % 32);
    let below = nWords;
    while (below > 32) {
      const n = Math.ceil(below / 32);
      const lv = new Int32Array(n);
      if (below % 32 !== 0) lv[n - 1] = -1 << (below % 32);
      this.levels.push(lv);
      below = n;
    }
    // A padded last word may already be full (size % 32 bits set by nothing but padding can't be: it has real bits).
  }

  /** Set bits. O(1). */
  get count(): number {
    return this._count;
  }

  /** O(1). */
  test(i: number): boolean {
    if (i >>> 0 !== i || i >= this.size) outside(i, this.size);
    return (this.words[i >>> 5]! & (1 << (i & 31))) !== 0;
  }

  /** Sets a clear bit; throws if it is set. O(1). */
  set(i: number): void {
    if (i >>> 0 !== i || i >= this.size) outside(i, this.size);
    const wi = i >>> 5;
    const b = 1 << (i & 31);
    const w = this.words[wi]!;
    if ((w & b) !== 0) already(i, 'set');
    this.words[wi] = w | b;
    this._count++;
    if ((w | b) === -1) this.markFull(1, wi);
  }

  /** Clears a set bit; throws if it is clear. O(1). */
  clear(i: number): void {
    if (i >>> 0 !== i || i >= this.size) outside(i, this.size);
    const wi = i >>> 5;
    const b = 1 << (i & 31);
    const w = this.words[wi]!;
    if ((w & b) === 0) already(i, 'clear');
    this.words[wi] = w & ~b;
    this._count--;
    if (w === -1) this.markNotFull(1, wi);
    if (wi < this.maxHint) this.lowerHints(wi);
  }

  /** The first word holding part of bits [i, i+n) whose part is not all set (`set`) / all clear (`!set`); −1 if none. */
  private firstWordNot(i: number, n: number, set: boolean): number {
    const end = i + n;
    for (let j = i; j < end; ) {
      const wi = j >>> 5;
      const hi = Math.min(end - (wi << 5), 32);
      const m = rangeMask(j & 31, hi);
      if ((this.words[wi]! & m) !== (set ? m : 0)) return wi;
      j = (wi << 5) + hi;
    }
    return -1;
  }

  /** Sets bits [i, i+n); throws (changing nothing) if any is set or the run leaves the bitset. O(n/32). */
  setRun(i: number, n: number): void {
    this.checkRun(i, n);
    const bad = this.firstWordNot(i, n, false);
    if (bad >= 0) throw internalError(`setRun(${i}, ${n}): a bit in word ${bad} is already set`);
    const end = i + n;
    for (let j = i; j < end; ) {
      const wi = j >>> 5;
      const hi = Math.min(end - (wi << 5), 32);
      const w = this.words[wi]! | rangeMask(j & 31, hi);
      this.words[wi] = w;
      if (w === -1) this.markFull(1, wi);
      j = (wi << 5) + hi;
    }
    this._count += n;
  }

  /** Clears bits [i, i+n); throws (changing nothing) if any is clear or the run leaves the bitset. O(n/32). */
  clearRun(i: number, n: number): void {
    this.checkRun(i, n);
    const bad = this.firstWordNot(i, n, true);
    if (bad >= 0) throw internalError(`clearRun(${i}, ${n}): a bit in word ${bad} is already clear`);
    const end = i + n;
    for (let j = i; j < end; ) {
      const wi = j >>> 5;
      const hi = Math.min(end - (wi << 5), 32);
      const w = this.words[wi]!;
      this.words[wi] = w & ~rangeMask(j & 31, hi);
      if (w === -1) this.markNotFull(1, wi);
      j = (wi << 5) + hi;
    }
    this._count -= n;
    if (n > 0 && i >>> 5 < this.maxHint) this.lowerHints(i >>> 5);
  }

  /**
   * Sets and returns the next clear bit at or after the cursor, wrapping; -1 when full (next-fit, like the
   * Kubernetes node-IPAM CIDR set's nextCandidate). O(1) amortised; worst O(32 × levels).
   */
  allocate(): number {
    const words = this.words;
    const c = this.cursor;
    const wi = c >>> 5;
    // Bits below the cursor in its word count as taken for this first look.
    const w = words[wi]! | ((1 << (c & 31)) - 1);
    if (w === -1) return this.allocateSlow(wi);
    return this.take(wi, ctz(~w));
  }

  /** allocate() when the cursor's word has no clear bit at or after the cursor: search, wrapping. */
  private allocateSlow(cursorWord: number): number {
    if (this._count === this.size) return -1;
    let wi = this.nextNonFull(0, cursorWord + 1);
    if (wi < 0) wi = this.nextNonFull(0, 0);
    return this.take(wi, ctz(~this.words[wi]!));
  }

  /** Sets clear bit `bit` of word `wi` for allocate() and moves the cursor past it. */
  private take(wi: number, bit: number): number {
    const nw = this.words[wi]! | (1 << bit);
    this.words[wi] = nw;
    this._count++;
    if (nw === -1) this.markFull(1, wi);
    const i = (wi << 5) + bit;
    this.cursor = i + 1 === this.size ? 0 : i + 1;
    return i;
  }

  /**
   * Sets and returns the first aligned run of 2^log2 clear bits (lowest index), or -1 when there is none.
   * log2 0..5 lies inside one word; larger runs are whole aligned groups of words. Cost: see the header.
   */
  allocateAligned(log2: number): number {
    if (!(log2 >= 0 && log2 <= 28) || (log2 | 0) !== log2) badLog2('allocateAligned', log2);
    const words = this.words;
    const nWords = words.length;
    if (log2 <= 5) {
      let wi = this.hints[log2]!;
      for (;;) {
        wi = this.nextNonFull(0, wi);
        if (wi < 0) {
          this.setHint(log2, nWords);
          return -1;
        }
        const g = freeGroups(words[wi]!, log2);
        if (g !== 0) {
          const bit = ctz(g);
          const w = words[wi]! | rangeMask(bit, bit + (1 << log2));
          words[wi] = w;
          this._count += 1 << log2;
          if (w === -1) this.markFull(1, wi);
          this.setHint(log2, wi);
          return (wi << 5) + bit;
        }
        wi++;
      }
    }
    const n = 1 << (log2 - 5); // words per run
    let g = this.hints[log2]! & ~(n - 1);
    for (; g + n <= nWords; g += n) {
      let j = 0;
      while (j < n && words[g + j] === 0) j++;
      if (j === n) {
        for (j = 0; j < n; j++) words[g + j] = -1;
        for (j = 0; j < n; j++) this.markFull(1, g + j);
        this._count += n << 5;
        this.setHint(log2, g + n);
        return g << 5;
      }
    }
    this.setHint(log2, nWords);
    return -1;
  }

  /**
   * Clear bits that lie in no fully clear aligned 2^log2 run (0 = none stranded). O(W). A run that would
   * extend past `size` is not whole, so its clear bits count as stranded.
   */
  fragmentation(log2: number): number {
    if (!(log2 >= 0 && log2 <= 28) || (log2 | 0) !== log2) badLog2('fragmentation', log2);
    const words = this.words;
    const nWords = words.length;
    const free = this.size - this._count;
    let whole = 0;
    if (log2 <= 5) {
      for (let wi = 0; wi < nWords; wi++) {
        const w = words[wi]!;
        if (w === 0) whole += 32;
        else if (w !== -1) whole += popcount(freeGroups(w, log2)) << log2;
      }
    } else {
      const n = 1 << (log2 - 5);
      for (let g = 0; g + n <= nWords; g += n) {
        let j = 0;
        while (j < n && words[g + j] === 0) j++;
        if (j === n) whole += n << 5;
      }
    }
    return free - whole;
  }

  private checkRun(i: number, n: number): void {
    if (!(Number.isInteger(i) && Number.isInteger(n) && i >= 0 && n >= 0 && i + n <= this.size)) {
      throw internalError(`run [${i}, ${i}+${n}) is outside the bitset (size ${this.size})`);
    }
  }

  private setHint(log2: number, wi: number): void {
    this.hints[log2] = wi;
    if (wi > this.maxHint) this.maxHint = wi;
  }

  /** A bit in word `wi` became clear: no hint may stay above it. O(32). */
  private lowerHints(wi: number): void {
    const h = this.hints;
    for (let k = 0; k < h.length; k++) if (h[k]! > wi) h[k] = wi;
    this.maxHint = wi;
  }

  /** Word `wi` of level lv-1 became full: set its summary bit, and propagate when that summary word fills. */
  private markFull(lv: number, wi: number): void {
    const levels = this.levels;
    while (lv < levels.length) {
      const a = levels[lv]!;
      const s = wi >>> 5;
      const v = a[s]! | (1 << (wi & 31));
      a[s] = v;
      if (v !== -1) return;
      lv++;
      wi = s;
    }
  }

  /** Word `wi` of level lv-1 was full and is not any more: clear its summary bit, and propagate. */
  private markNotFull(lv: number, wi: number): void {
    const levels = this.levels;
    while (lv < levels.length) {
      const a = levels[lv]!;
      const s = wi >>> 5;
      const v = a[s]!;
      a[s] = v & ~(1 << (wi & 31));
      if (v !== -1) return;
      lv++;
      wi = s;
    }
  }

  /** First word index ≥ from at level lv that is not full, or -1. Reads ≤ 32 words per level above lv. */
  private nextNonFull(lv: number, from: number): number {
    const levels = this.levels;
    const a = levels[lv]!;
    if (from >= a.length) return -1;
    if (lv === levels.length - 1) {
      // Top level: at most 32 words, scanned directly.
      for (let j = from; j < a.length; j++) {
        this.probes++;
        if (a[j] !== -1) return j;
      }
      return -1;
    }
    const sum = levels[lv + 1]!;
    let s = from >>> 5;
    this.probes++;
    const m = ~sum[s]! & (-1 << (from & 31));
    if (m !== 0) return (s << 5) + ctz(m);
    s = this.nextNonFull(lv + 1, s + 1);
    if (s < 0) return -1;
    this.probes++;
    return (s << 5) + ctz(~sum[s]!);
  }

  /** Resets the probe counter and returns its old value (tests). */
  takeProbes(): number {
    const p = this.probes;
    this.probes = 0;
    return p;
  }
}
