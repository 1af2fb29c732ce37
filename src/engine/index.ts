/**
 * The discrete-event engine: integer-millisecond time, events ordered by (time, scheduling order), dispatched to
 * handlers registered by kind. It knows nothing of addresses and imports nothing from src/ but errors.ts.
 *
 * Layout (no object per event):
 *   - The heap is a `FastPriorityQueue<number>` with its default numeric comparator, holding one packed key per
 *     event: key = time × 2^S + seq (< 2^53), seq a counter that grows with every schedule, so numeric order is
 *     exactly (time, scheduling order).
 *   - Event data lives in one interleaved Float64Array indexed by slot = seq mod capacity: data[2·slot] = arg,
 *     data[2·slot + 1] = meta = kind + 2^16 × (handle slot + 1) (0 when the event has no handle). The slot is read
 *     off the popped key, so the heap never dereferences anything while it sifts, and an event's data is one cache
 *     line. The key itself is not stored: growth and renumbering read the keys back from the heap's array. A
 *     schedule takes the next seq whose slot is free (slots of long-lived events are skipped; capacity ≥ 2 × heap
 *     size keeps that short).
 *   - A handle is (generation, handle slot) in a separate recycled table, so handles survive the relocation of event
 *     data (growth, renumbering) and a stale handle never aliases a recycled slot. `post`/`postAt` schedule without
 *     a handle (no handle-table traffic at all): for events that are never cancelled, the bulk of a simulation.
 *   - When seq reaches 2^S (or a time does not fit in 53 − S bits) the pending keys are renumbered: sorted and given
 *     seqs 0..m−1 in the same order (cancelled events are dropped on the way), S re-chosen from the times pending.
 *
 * Costs: schedule/at/post/postAt O(log n) (a heap add; amortised O(1) slot search), step/dispatch O(log n) (a heap poll),
 * cancel O(1) (lazy: the key stays in the heap and is skipped when popped). In run() the dispatched key leaves the
 * heap through the earlier of its handler's first two inserts (FastPriorityQueue.replaceTop: one sift instead of a
 * poll and an add; the earlier key sifts down little, the later one's add sifts up little).
 * Renumbering O(n log n) once every
 * 2^S − n schedules, growth O(n) at each doubling.
 *
 * Delays and times must be integers: a fraction is rejected, never rounded (rounding silently moves events and hides
 * unit bugs); convert at the boundary, e.g. `Math.round(stream.exponential(mean))`.
 */
import FastPriorityQueue from 'fastpriorityqueue';
import { CnisimError, inputError, internalError } from '../errors.js';

export type Handler = (arg: number) => void;

export interface EngineOptions {
  /** The latest time expected (ms); sets the key split (S = 53 − bits(horizon)). Later times still work (renumbering). Default 2^31 − 1 (~24.8 days). */
  horizonMs?: number;
  /** Sequence bits S, fixed (at most this many; for tests of renumbering). Default: from the horizon. */
  seqBits?: number;
  /** Initial event slots (rounded up to a power of two, ≥ 16). Grows by doubling. */
  initialCapacity?: number;
}

const FREE = 0xffff;
const CANCELLED = 0xfffe;
/** Kinds 0..MAX_KIND (kind is the low 16 bits of meta; the two top values mark free and cancelled slots). */
const MAX_KIND = 0xfffd;
/** meta = kind + KIND_SPAN × (handle slot + 1). */
const KIND_SPAN = 0x10000;
/** Handle = generation × 2^HANDLE_BITS + handle slot: up to 2^26 (67M) events pending. */
const HANDLE_BITS = 26;
const HANDLE_SPAN = 2 ** HANDLE_BITS;
/** Generations wrap at 2^27 so a handle stays < 2^53. */
const GEN_MASK = 2 ** 27 - 1;
const TWO_53 = 2 ** 53;
const DEFAULT_HORIZON_MS = 2 ** 31 - 1;

/** Number of bits needed to write the non-negative integer x (0 → 0). */
function bitLength(x: number): number {
  return x < 2 ** 32 ? 32 - Math.clz32(x) : 32 + bitLength(Math.floor(x / 2 ** 32));
}

function isTime(x: number): boolean {
  return Number.isSafeInteger(x) && x >= 0;
}

export class Engine {
  private readonly heap: FastPriorityQueue<number>;
  private handlers: Handler[];
  private nowMs: number;
  private live: number;
  private dispatched: number;
  private stopRequested: boolean;
  private dispatching: boolean;
  /** True while run() dispatches the heap's top key, still in the heap (see run()). */
  private topStale: boolean;
  /** While topStale: the handler's first insert, not yet in the heap. */
  private held: boolean;
  private heldKey: number;
  private horizon: number;
  private readonly fixedSeqBits: number;
  /** Key split: key = time × scale + seq, scale = 2^S. */
  private seqBits: number;
  private scale: number;
  private invScale: number;
  private maxTime: number;
  private seq: number;
  /** Event slots: capacity is a power of two, slot = seq & mask. */
  private cap: number;
  private mask: number;
  /** Interleaved event data: [arg, meta] per slot. */
  private data: Float64Array;
  /** Handle table: generation, event slot (−1 when free), free list. */
  private hgen: Uint32Array;
  private hptr: Int32Array;
  private hfree: Int32Array;
  private hfreeN: number;
  private renumbers: number;

  constructor(opts: EngineOptions = {}) {
    const horizon = opts.horizonMs ?? DEFAULT_HORIZON_MS;
    if (!isTime(horizon) || horizon >= 2 ** 52) throw inputError(`horizonMs ${String(horizon)}: expected an integer number of milliseconds ≥ 0 and < 2^52`);
    const fixed = opts.seqBits ?? 53;
    if (!Number.isInteger(fixed) || fixed < 1 || fixed > 53) throw inputError(`seqBits ${String(fixed)}: expected an integer 1..53`);
    let cap = 16;
    const want = opts.initialCapacity ?? 1024;
    if (!Number.isInteger(want) || want < 0 || want > HANDLE_SPAN) throw inputError(`initialCapacity ${String(want)}: expected an integer 0..${HANDLE_SPAN}`);
    while (cap < want) cap *= 2;

    this.heap = new FastPriorityQueue<number>();
    this.handlers = [];
    this.nowMs = 0;
    this.live = 0;
    this.dispatched = 0;
    this.stopRequested = false;
    this.dispatching = false;
    this.topStale = false;
    this.held = false;
    this.heldKey = 0;
    this.horizon = horizon;
    this.fixedSeqBits = fixed;
    this.seqBits = 0;
    this.scale = 1;
    this.invScale = 1;
    this.maxTime = 0;
    this.seq = 0;
    this.cap = cap;
    this.mask = cap - 1;
    this.data = freshData(cap);
    this.hgen = new Uint32Array(cap);
    this.hptr = new Int32Array(cap).fill(-1);
    this.hfree = new Int32Array(cap);
    this.hfreeN = cap;
    this.renumbers = 0;
    for (let i = 0; i < cap; i++) this.hfree[i] = cap - 1 - i;
    this.setSplit(Math.min(fixed, 53 - bitLength(horizon)));
  }

  /** Current time, integer ms. */
  get now(): number {
    return this.nowMs;
  }

  /** Live (scheduled, not cancelled, not yet run) events. */
  get pending(): number {
    return this.live;
  }

  /** Events dispatched so far. */
  get processed(): number {
    return this.dispatched;
  }

  /** True once stop() was called (until resume()); run() returns at once while stopped. */
  get stopped(): boolean {
    return this.stopRequested;
  }

  /** Sequence bits S of the current key split (exposed for tests). */
  get sequenceBits(): number {
    return this.seqBits;
  }

  /** How many times the pending keys were renumbered (exposed for tests). */
  get renumberings(): number {
    return this.renumbers;
  }

  /** Bytes the engine holds for its events: the slot data, the handle table and the heap's array. */
  get memoryBytes(): number {
    return this.data.byteLength + this.hgen.byteLength + this.hptr.byteLength + this.hfree.byteLength + 8 * heapArray(this.heap).length;
  }

  /** Registers a handler and returns its event kind (0, 1, 2, … in order of definition). */
  define(handler: Handler): number {
    if (typeof handler !== 'function') throw internalError('Engine.define: expected a function');
    if (this.handlers.length > MAX_KIND) throw internalError(`Engine.define: more than ${MAX_KIND + 1} event kinds`);
    this.handlers.push(handler);
    return this.handlers.length - 1;
  }

  /** Schedules `kind(arg)` after `delayMs` (an integer ≥ 0; fractions are rejected). Returns a handle for cancel(). O(log n). */
  schedule(delayMs: number, kind: number, arg: number): number {
    const time = this.nowMs + delayMs;
    if (!(delayMs >= 0 && Math.floor(delayMs) === delayMs && time <= Number.MAX_SAFE_INTEGER)) {
      throw internalError(`Engine.schedule: delay ${String(delayMs)} ms: expected an integer ≥ 0 (round durations to whole ms first)`);
    }
    return this.insert(time, kind, arg, true);
  }

  /** Schedules `kind(arg)` at absolute time `timeMs` (an integer ≥ now). Returns a handle. O(log n). */
  at(timeMs: number, kind: number, arg: number): number {
    if (!(timeMs >= this.nowMs && Math.floor(timeMs) === timeMs && timeMs <= Number.MAX_SAFE_INTEGER)) throw internalError(`Engine.at: time ${String(timeMs)} ms: expected an integer ≥ now (${this.nowMs})`);
    return this.insert(timeMs, kind, arg, true);
  }

  /** Like schedule() but returns no handle (the event cannot be cancelled): no handle-table work. O(log n). */
  post(delayMs: number, kind: number, arg: number): void {
    const time = this.nowMs + delayMs;
    if (!(delayMs >= 0 && Math.floor(delayMs) === delayMs && time <= Number.MAX_SAFE_INTEGER)) {
      throw internalError(`Engine.post: delay ${String(delayMs)} ms: expected an integer ≥ 0 (round durations to whole ms first)`);
    }
    this.insert(time, kind, arg, false);
  }

  /** Like at() but returns no handle. O(log n). */
  postAt(timeMs: number, kind: number, arg: number): void {
    if (!(timeMs >= this.nowMs && Math.floor(timeMs) === timeMs && timeMs <= Number.MAX_SAFE_INTEGER)) throw internalError(`Engine.postAt: time ${String(timeMs)} ms: expected an integer ≥ now (${this.nowMs})`);
    this.insert(timeMs, kind, arg, false);
  }

  /** Cancels a pending event. False when it already ran, was cancelled, or the handle is not one of ours. O(1). */
  cancel(handle: number): boolean {
    if (!(handle >= 0 && handle < TWO_53)) return false;
    const h = handle % HANDLE_SPAN;
    if (h >= this.hptr.length || this.hptr[h]! < 0 || this.hgen[h] !== (handle - h) / HANDLE_SPAN) return false;
    const slot = this.hptr[h]!;
    this.data[2 * slot + 1] = CANCELLED;
    this.releaseHandle(h);
    this.live--;
    return true;
  }

  /**
   * Dispatches every event with time ≤ until in (time, scheduling order), then sets now = until when until is
   * finite. Returns early (now = the last event's time) when stop() is called. Must not be called from a handler.
   */
  run(until: number): void {
    if (!(until >= this.nowMs)) throw internalError(`Engine.run: until ${String(until)}: expected a time ≥ now (${this.nowMs})`);
    if (this.dispatching) throw internalError('Engine.run: called from inside an event handler');
    const heap = this.heap;
    this.dispatching = true;
    try {
      while (!this.stopRequested && heap.size > 0) {
        const key = heap.peek()!;
        const t = Math.floor(key * this.invScale);
        if (t > until) break;
        // The key stays on top while its handler runs; the least of the handler's first two inserts replaces it
        // (see insert()), or it is polled after a handler that inserts nothing.
        this.topStale = true;
        this.dispatch(key, t);
        this.settleTop();
      }
    } finally {
      this.settleTop();
      this.dispatching = false;
    }
    if (!this.stopRequested && until !== Infinity) this.nowMs = until;
  }

  /** Dispatches the next live event, if any; false when none is pending. Ignores stop(). */
  step(): boolean {
    if (this.dispatching) throw internalError('Engine.step: called from inside an event handler');
    const heap = this.heap;
    this.dispatching = true;
    try {
      while (heap.size > 0) {
        const key = heap.poll()!;
        if (this.dispatch(key, Math.floor(key * this.invScale))) return true;
      }
      return false;
    } finally {
      this.dispatching = false;
    }
  }

  /** Makes run() return after the current event (for SIGINT); sticky until resume(). */
  stop(): void {
    this.stopRequested = true;
  }

  /** Clears a stop() so run() dispatches again. */
  resume(): void {
    this.stopRequested = false;
  }

  /** Runs the event of `key` (already polled) unless it was cancelled; true when a handler ran. */
  private dispatch(key: number, t: number): boolean {
    const i = 2 * ((key - t * this.scale) & this.mask);
    const data = this.data;
    const meta = data[i + 1]!;
    data[i + 1] = FREE;
    if (meta === CANCELLED) return false;
    let kind = meta;
    if (meta >= KIND_SPAN) {
      const h = Math.floor(meta / KIND_SPAN) - 1;
      kind = meta - (h + 1) * KIND_SPAN;
      this.releaseHandle(h);
    }
    this.nowMs = t;
    this.live--;
    this.dispatched++;
    this.handlers[kind]!(data[i]!);
    return true;
  }

  private releaseHandle(h: number): void {
    this.hgen[h] = (this.hgen[h]! + 1) & GEN_MASK;
    this.hptr[h] = -1;
    this.hfree[this.hfreeN++] = h;
  }

  private insert(time: number, kind: number, arg: number, withHandle: boolean): number {
    if (!(kind >= 0 && kind < this.handlers.length && (kind | 0) === kind)) throw internalError(`Engine: event kind ${String(kind)} was not defined`);
    if (this.heap.size + 1 > this.cap >>> 1) this.grow();
    let seq = this.seq;
    let data = this.data;
    let mask = this.mask;
    while (data[2 * (seq & mask) + 1] !== FREE) seq++;
    if (seq >= this.scale || time > this.maxTime) {
      this.renumber(time);
      data = this.data;
      mask = this.mask;
      seq = this.seq;
      while (data[2 * (seq & mask) + 1] !== FREE) seq++;
    }
    this.seq = seq + 1;
    const i = 2 * (seq & mask);
    this.live++;
    const key = time * this.scale + seq;
    if (this.topStale) {
      // Hold the first key; the second decides which of the two replaces the stale top (the earlier one: a
      // replaceTop with a near key stops at once, the later key's add sifts up little).
      if (!this.held) {
        this.held = true;
        this.heldKey = key;
      } else {
        this.topStale = false;
        this.held = false;
        const other = this.heldKey;
        this.heap.replaceTop(key < other ? key : other);
        this.heap.add(key < other ? other : key);
      }
    } else this.heap.add(key);
    data[i] = arg;
    if (!withHandle) {
      data[i + 1] = kind;
      return -1;
    }
    if (this.hfreeN === 0) this.growHandles();
    const h = this.hfree[--this.hfreeN]!;
    data[i + 1] = kind + (h + 1) * KIND_SPAN;
    this.hptr[h] = i >>> 1;
    return this.hgen[h]! * HANDLE_SPAN + h;
  }

  private setSplit(bits: number): void {
    this.seqBits = bits;
    this.scale = 2 ** bits;
    this.invScale = 2 ** -bits;
    this.maxTime = 2 ** (53 - bits) - 1;
  }

  /**
   * Makes the heap exact again after (or during) a dispatch from run(): the held key replaces the stale top, or the
   * stale top is polled. Growth and renumbering read the heap's keys, so they settle it first.
   */
  private settleTop(): void {
    if (!this.topStale) return;
    this.topStale = false;
    if (this.held) {
      this.held = false;
      this.heap.replaceTop(this.heldKey);
    } else this.heap.poll();
  }

  /** Doubles the event slots; a pending event moves to seq & newMask (distinct, since the old slots were). O(n). */
  private grow(): void {
    this.settleTop();
    const old = this.data, oldCap = this.cap;
    const cap = oldCap * 2;
    if (cap > 2 * HANDLE_SPAN) throw new CnisimError('limit', `the event engine holds at most ${HANDLE_SPAN} pending events`);
    this.alloc(cap);
    const invScale = this.invScale, scale = this.scale, mask = this.mask, oldMask = oldCap - 1;
    // Every occupied slot (live or cancelled) has exactly one key in the heap.
    const keys = heapArray(this.heap), n = this.heap.size;
    for (let j = 0; j < n; j++) {
      const key = keys[j]!;
      const seq = key - Math.floor(key * invScale) * scale;
      const o = 2 * (seq & oldMask);
      this.put(seq & mask, old[o + 1]!, old[o]!);
    }
  }

  private alloc(cap: number): void {
    this.cap = cap;
    this.mask = cap - 1;
    this.data = freshData(cap);
  }

  /** Writes an event's data into `slot` and points its handle (if any) there. */
  private put(slot: number, meta: number, arg: number): void {
    this.data[2 * slot] = arg;
    this.data[2 * slot + 1] = meta;
    if (meta >= KIND_SPAN) this.hptr[Math.floor(meta / KIND_SPAN) - 1] = slot;
  }

  private growHandles(): void {
    const old = this.hptr.length;
    const n = old * 2;
    const gen = new Uint32Array(n), ptr = new Int32Array(n).fill(-1), free = new Int32Array(n);
    gen.set(this.hgen);
    ptr.set(this.hptr);
    for (let i = 0; i < n - old; i++) free[i] = n - 1 - i;
    this.hgen = gen;
    this.hptr = ptr;
    this.hfree = free;
    this.hfreeN = n - old;
  }

  /**
   * Gives the live events seqs 0..m−1 in key order (so their relative order, hence the heap, is unchanged),
   * drops cancelled ones, re-chooses S to fit the latest time pending or requested, and rebuilds the heap. O(n log n).
   */
  private renumber(newTime: number): void {
    this.settleTop();
    const old = this.data, oldCap = this.cap;
    const oldScale = this.scale, oldInv = this.invScale;
    const heapArr = heapArray(this.heap), n = this.heap.size;
    let m = 0;
    for (let j = 0; j < n; j++) {
      const key = heapArr[j]!;
      const seq = key - Math.floor(key * oldInv) * oldScale;
      if (old[2 * (seq & (oldCap - 1)) + 1] !== CANCELLED) m++;
    }
    const sorted = new Float64Array(m);
    let maxTime = Math.max(newTime, this.horizon);
    m = 0;
    for (let j = 0; j < n; j++) {
      const key = heapArr[j]!;
      const seq = key - Math.floor(key * oldInv) * oldScale;
      if (old[2 * (seq & (oldCap - 1)) + 1] !== CANCELLED) sorted[m++] = key;
    }
    sorted.sort();
    if (m > 0) maxTime = Math.max(maxTime, Math.floor(sorted[m - 1]! * oldInv));
    const bits = Math.min(this.fixedSeqBits, 53 - bitLength(maxTime));
    if (bits < 1 || 2 ** bits < m + 2) {
      throw new CnisimError('limit', `the event engine cannot order ${m + 1} pending events up to time ${maxTime} ms in 53-bit keys (${bits} sequence bits)`);
    }
    if (maxTime > this.horizon) this.horizon = maxTime;
    this.setSplit(bits);
    this.alloc(oldCap);
    const scale = this.scale, mask = this.mask;
    const heapKeys: number[] = []; // filled by push: a packed double array, not a holey one
    for (let i = 0; i < m; i++) {
      const oldKey = sorted[i]!;
      const t = Math.floor(oldKey * oldInv);
      const o = 2 * ((oldKey - t * oldScale) & (oldCap - 1));
      heapKeys.push(t * scale + i);
      this.put(i & mask, old[o + 1]!, old[o]!);
    }
    this.seq = m;
    this.renumbers++;
    // Sorted keys already form a heap; heapify on the same queue object (run() holds no stale reference).
    this.heap.heapify(heapKeys);
  }
}

/** The queue's backing array (entries 0..size−1 are the heap); FastPriorityQueue's typings do not declare it. */
function heapArray(q: FastPriorityQueue<number>): readonly number[] {
  return (q as unknown as { array: number[] }).array;
}

/** Event data for `cap` slots, all free. */
function freshData(cap: number): Float64Array {
  const d = new Float64Array(2 * cap);
  for (let i = 1; i < d.length; i += 2) d[i] = FREE;
  return d;
}
