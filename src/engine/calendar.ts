/**
 * The engine's calendar: one "year" [yearStart, yearEnd) of N = 2^yearBits buckets, each 2^w ms wide, each an
 * unsorted append-only list of event records in scheduling order. Records are 16 bytes in one ArrayBuffer
 * (Int32 tRel = time − yearStart, Int32 meta, Float64 arg), handed out in blocks of 16 records; a bucket is a chain
 * of blocks (head, tail, next write position). Appending is a store into the bucket's tail block: with N = 4096 the
 * tails of all buckets fit in L2, so a schedule costs no cache miss whatever its delay (a heap or a per-ms ring
 * touches a random line per insert once a million events are pending).
 *
 * A bucket is opened when dispatch reaches it: its records are ordered by (time, append order) into `order` (a
 * stable counting sort into ≥ 2n sub-buckets by the top bits of the ms within the bucket, then an insertion sort of
 * each sub-bucket that spans several ms), then dispatched through a cursor. Its blocks return to the free list when the next bucket opens. Events for the open
 * bucket's own milliseconds that are scheduled while it is open do not come here (the engine's near queue holds
 * them), so a bucket never changes once opened.
 *
 * Costs: add O(1) (a block from the free list every 16 records; storage grows ×2, ×1.25 above 64k records);
 * open O(n) expected for the n records of the bucket (O(n log n) when they crowd a few sub-buckets); next record O(1); finding the next non-empty
 * bucket amortised O(N) per year.
 */
import { CnisimError } from '../errors.js';
import type { Handles } from './handles.js';
import { CANCELLED, DIRECT } from './meta.js';

/** Records per block (a power of two). */
const BLOCK_BITS = 4;
const BLOCK = 1 << BLOCK_BITS;
const BLOCK_MASK = BLOCK - 1;
/** Storage doubles up to this many blocks (64k records), then grows by a quarter (memory per pending event at 1M events). */
const DOUBLING_BLOCKS = 4096;
/** At most 2^26 records (a direct handle holds a record index in 26 bits). */
export const MAX_RECORDS = 2 ** 26;
const MAX_BLOCKS = MAX_RECORDS / BLOCK;
const TWO_32 = 2 ** 32;
/** Bucket fields in `bk` (position is field 0). */
const B_COUNT = 1;
const B_HEAD = 2;
const B_TAIL = 3;

export class Calendar {
  /** Record r: ri[4r] = time − yearStart, ri[4r + 1] = meta; rf[2r + 1] = arg. */
  ri: Int32Array;
  rf: Float64Array;
  /**
   * Per record: the generation of a direct handle (see Engine.schedule): bumped when the record's handled event
   * runs or is cancelled, so a stale handle never matches a reused record.
   */
  rgen: Int32Array;
  private blkNext: Int32Array;
  private freeBlk: number;
  readonly yearBits: number;
  readonly nBuckets: number;
  /**
   * Per bucket, interleaved (one line per append): next record index to write in its tail block (a multiple of
   * BLOCK: it needs a new block), records held, first block, last block.
   */
  private bk: Int32Array;
  /** Records in unopened buckets. */
  size: number;
  /** Lowest bucket that may be non-empty (above the open one). */
  private scan: number;
  /** Bucket width 2^w ms. */
  w: number;
  private wmask: number;
  yearStart: number;
  yearEnd: number;
  /** The open bucket (−1 none) and its time span [epochStart, epochEnd). */
  cur: number;
  epochStart: number;
  epochEnd: number;
  /** The open bucket's records in dispatch order, and the cursor. */
  order: Int32Array;
  oN: number;
  oPos: number;
  private cnt: Int32Array;
  private keys: Float64Array;
  private readonly handles: Handles;
  /** XOR of the handle generations and warmed words read while opening a bucket (public so the reads are not optimised away). */
  touched: number;
  /** The warmed event kinds (see Engine.warm), and for each: log2 of its records' size in Int32s, and its table. */
  private readonly warmKinds: number[];
  private readonly warmShift: number[];
  private readonly warmSources: (() => Int32Array)[];

  constructor(yearBits: number, w: number, initialRecords: number, handles: Handles) {
    this.yearBits = yearBits;
    this.nBuckets = 1 << yearBits;
    // Room for the records plus one partly filled block per bucket in use (a guess; storage grows as needed).
    let blocks = 16;
    while (blocks * BLOCK < initialRecords + Math.min(this.nBuckets, initialRecords >>> BLOCK_BITS) * BLOCK) blocks = blocks < DOUBLING_BLOCKS ? blocks * 2 : blocks + (blocks >>> 2);
    blocks = Math.min(blocks, MAX_BLOCKS);
    const buf = new ArrayBuffer(blocks * BLOCK * 16);
    this.ri = new Int32Array(buf);
    this.rf = new Float64Array(buf);
    this.rgen = new Int32Array(blocks * BLOCK);
    this.blkNext = new Int32Array(blocks);
    for (let b = 0; b < blocks; b++) this.blkNext[b] = b + 1 < blocks ? b + 1 : -1;
    this.freeBlk = 0;
    this.bk = new Int32Array(4 * this.nBuckets);
    for (let b = 0; b < this.nBuckets; b++) this.bk[4 * b + B_HEAD] = this.bk[4 * b + B_TAIL] = -1;
    this.size = 0;
    this.scan = 0;
    this.w = w;
    this.wmask = 2 ** w - 1;
    this.yearStart = 0;
    this.yearEnd = this.nBuckets * 2 ** w;
    this.cur = -1;
    this.epochStart = 0;
    this.epochEnd = 0;
    this.order = new Int32Array(256);
    this.oN = 0;
    this.oPos = 0;
    this.cnt = new Int32Array(0);
    this.keys = new Float64Array(0);
    this.handles = handles;
    this.touched = 0;
    this.warmKinds = [];
    this.warmShift = [];
    this.warmSources = [];
  }

  /** Events of `kind` index records of 2^shift Int32s in `table()`: read each one's first word when its bucket opens. */
  warm(kind: number, shift: number, table: () => Int32Array): void {
    let i = this.warmKinds.indexOf(kind);
    if (i < 0) i = this.warmKinds.push(kind) - 1;
    this.warmShift[i] = shift;
    this.warmSources[i] = table;
  }

  /** Appends an event at time t (yearStart + (cur + 1) × 2^w ≤ t < yearEnd, or any t in the year when none is open). Returns its record. */
  add(t: number, meta: number, arg: number): number {
    const rel = t - this.yearStart;
    const b = rel >>> this.w;
    const bk = this.bk, i4 = b << 2;
    let r = bk[i4]!;
    if ((r & BLOCK_MASK) === 0) r = this.newBlock(b);
    bk[i4] = r + 1;
    bk[i4 + B_COUNT]!++;
    this.size++;
    if (b < this.scan) this.scan = b;
    const i = r << 2;
    this.ri[i] = rel;
    this.ri[i + 1] = meta;
    this.rf[(r << 1) + 1] = arg;
    return r;
  }

  /** The first non-empty bucket after the open one, or −1 (none left in this year). */
  nextBucket(): number {
    const bk = this.bk, n = this.nBuckets;
    let b = this.scan;
    while (b < n && bk[(b << 2) + B_COUNT] === 0) b++;
    this.scan = b;
    return b < n ? b : -1;
  }

  /** Start time of bucket b. */
  startOf(b: number): number {
    return this.yearStart + b * (this.wmask + 1);
  }

  /**
   * Opens bucket b (after the open one): frees the previous bucket's blocks and orders b's records by (time, append
   * order) into `order`. The records themselves stay where they are, so handles pointing at them stay valid.
   */
  open(b: number): void {
    this.close();
    const n = this.bk[(b << 2) + B_COUNT]!;
    this.cur = b;
    this.epochStart = this.startOf(b);
    this.epochEnd = this.epochStart + this.wmask + 1;
    this.bk[(b << 2) + B_COUNT] = 0;
    this.size -= n;
    this.scan = b + 1;
    if (this.order.length < n) this.order = new Int32Array(Math.max(n, 2 * this.order.length));
    const order = this.order, ri = this.ri, blkNext = this.blkNext, wmask = this.wmask;
    const end = this.bk[b << 2]!;
    const head = this.bk[(b << 2) + B_HEAD]!;
    // Stable counting sort on the top kb bits of the millisecond within the bucket (2^kb ≥ 2n sub-buckets, or one
    // per millisecond when the bucket is that crowded), then each sub-bucket of several milliseconds by its low bits.
    const kb = Math.min(this.w, 33 - Math.clz32(n));
    const shift = this.w - kb;
    if (this.cnt.length < (1 << kb) + 1) this.cnt = new Int32Array((1 << kb) + 1);
    const cnt = this.cnt, hrec = this.handles.rec;
    let touched = 0;
    for (let blk = head; blk >= 0; blk = blkNext[blk]!) {
      const r0 = blk << BLOCK_BITS;
      const r1 = blkNext[blk]! >= 0 ? r0 + BLOCK : end;
      for (let r = r0; r < r1; r++) {
        cnt[((ri[r << 2]! & wmask) >>> shift) + 1]!++;
        // A handled event's handle entry is a random line of the handle table: read it now, in a tight loop whose
        // loads overlap, so that its dispatch (which releases the handle) finds it in cache.
        const m = ri[(r << 2) + 1]!;
        if (m < 0 && m !== CANCELLED) touched ^= hrec[(-m - 1) << 2]!;
      }
    }
    this.touched = touched;
    if (this.warmKinds.length > 0) this.warmRecords(head, end);
    const kn = 1 << kb;
    for (let i = 1; i <= kn; i++) cnt[i]! += cnt[i - 1]!;
    for (let blk = head; blk >= 0; blk = blkNext[blk]!) {
      const r0 = blk << BLOCK_BITS;
      const r1 = blkNext[blk]! >= 0 ? r0 + BLOCK : end;
      for (let r = r0; r < r1; r++) order[cnt[(ri[r << 2]! & wmask) >>> shift]!++] = r;
    }
    if (shift > 0) {
      // cnt[i] is now the end of sub-bucket i (and the start of i + 1).
      let lo = 0;
      for (let i = 0; i < kn; i++) {
        const hi = cnt[i]!;
        if (hi - lo > 1) this.sortRange(lo, hi);
        lo = hi;
      }
    }
    cnt.fill(0, 0, kn + 1);
    this.oN = n;
    this.oPos = 0;
  }

  /**
   * Reads the first word of the record each warmed event of the bucket names (blocks from `head`, the last one
   * ending at `end`), in one loop of independent loads: their cache misses overlap here instead of stalling each
   * handler in turn. A hint only (nothing depends on what is read).
   */
  private warmRecords(head: number, end: number): void {
    const ri = this.ri, rf = this.rf, blkNext = this.blkNext, kinds = this.warmKinds;
    let acc = 0;
    // One pass per warmed kind (they are few): a tight loop keeps many loads in flight at once.
    for (let i = 0; i < kinds.length; i++) {
      const kind = kinds[i]!, direct = kind + DIRECT, s = this.warmShift[i]!, table = this.warmSources[i]!();
      for (let blk = head; blk >= 0; blk = blkNext[blk]!) {
        const r0 = blk << BLOCK_BITS;
        const r1 = blkNext[blk]! >= 0 ? r0 + BLOCK : end;
        for (let r = r0; r < r1; r++) {
          const m = ri[(r << 2) + 1]!;
          if (m === kind || m === direct) acc ^= table[rf[(r << 1) + 1]! << s]! | 0;
        }
      }
    }
    this.touched ^= acc;
  }

  /**
   * Sorts order[lo..hi) by millisecond, stably (the range is in append order): insertion sort for a few records, a
   * sort of packed keys (ms × 2^32 + position) for more.
   */
  private sortRange(lo: number, hi: number): void {
    const order = this.order, ri = this.ri, wmask = this.wmask;
    if (hi - lo <= 16) {
      for (let j = lo + 1; j < hi; j++) {
        const r = order[j]!;
        const key = ri[r << 2]! & wmask;
        let k = j - 1;
        while (k >= lo && (ri[order[k]! << 2]! & wmask) > key) {
          order[k + 1] = order[k]!;
          k--;
        }
        order[k + 1] = r;
      }
      return;
    }
    const n = hi - lo;
    if (this.keys.length < 2 * n) this.keys = new Float64Array(Math.max(2 * n, 2 * this.keys.length));
    const keys = this.keys;
    for (let k = 0; k < n; k++) {
      const r = order[lo + k]!;
      keys[n + k] = r;
      keys[k] = (ri[r << 2]! & wmask) * TWO_32 + k;
    }
    const sorted = keys.subarray(0, n).sort();
    for (let k = 0; k < n; k++) order[lo + k] = keys[n + (sorted[k]! % TWO_32)]!;
  }

  /** Frees the open bucket's blocks (its records were all dispatched or skipped). */
  close(): void {
    const c = this.cur;
    if (c < 0) return;
    const bk = this.bk, i4 = c << 2;
    this.blkNext[bk[i4 + B_TAIL]!] = this.freeBlk;
    this.freeBlk = bk[i4 + B_HEAD]!;
    bk[i4 + B_HEAD] = -1;
    bk[i4 + B_TAIL] = -1;
    bk[i4] = 0;
    this.cur = -1;
    this.oN = 0;
    this.oPos = 0;
  }

  /**
   * Forgets the open bucket (exhausted) so that times before it can be scheduled again: only when nothing is pending
   * before it (the engine ran out of live events while its clock stayed earlier).
   */
  rewind(): void {
    this.close();
    this.epochStart = this.yearStart;
    this.epochEnd = this.yearStart;
    this.scan = 0;
  }

  /** Starts a new, empty year at `start` (a multiple of 2^w) with buckets 2^w ms wide. Every bucket must be empty. */
  newYear(start: number, w: number): void {
    this.close();
    if (this.size !== 0) throw new CnisimError('internal', `Calendar.newYear: ${this.size} records still in the old year`);
    this.w = w;
    this.wmask = 2 ** w - 1;
    this.yearStart = start;
    this.yearEnd = start + this.nBuckets * 2 ** w;
    this.epochStart = start;
    this.epochEnd = start;
    this.scan = 0;
  }

  get memoryBytes(): number {
    return this.ri.byteLength + this.rgen.byteLength + this.blkNext.byteLength + this.bk.byteLength + this.order.byteLength + this.cnt.byteLength + this.keys.byteLength;
  }

  private newBlock(b: number): number {
    if (this.freeBlk < 0) this.grow();
    const blk = this.freeBlk;
    this.freeBlk = this.blkNext[blk]!;
    this.blkNext[blk] = -1;
    const bk = this.bk, i4 = b << 2;
    if (bk[i4 + B_HEAD]! < 0) bk[i4 + B_HEAD] = blk;
    else this.blkNext[bk[i4 + B_TAIL]!] = blk;
    bk[i4 + B_TAIL] = blk;
    return blk << BLOCK_BITS;
  }

  /** More blocks; record indices stay valid (the storage is copied, not rearranged). */
  private grow(): void {
    const old = this.blkNext.length;
    if (old >= MAX_BLOCKS) throw new CnisimError('limit', `the event engine holds at most ${MAX_BLOCKS * BLOCK} pending events`);
    const n = Math.min(MAX_BLOCKS, old < DOUBLING_BLOCKS ? old * 2 : old + (old >>> 2));
    const buf = new ArrayBuffer(n * BLOCK * 16);
    const ri = new Int32Array(buf);
    ri.set(this.ri);
    this.ri = ri;
    this.rf = new Float64Array(buf);
    const rgen = new Int32Array(n * BLOCK);
    rgen.set(this.rgen);
    this.rgen = rgen;
    const next = new Int32Array(n);
    next.set(this.blkNext);
    for (let b = old; b < n; b++) next[b] = b + 1 < n ? b + 1 : -1;
    this.blkNext = next;
    this.freeBlk = old;
  }
}
