/**
 * The discrete-event engine: integer-millisecond time, events ordered by (time, scheduling order), dispatched to
 * handlers registered by kind. It knows nothing of addresses and imports nothing from src/ but errors.ts.
 *
 * No object per event, and no cache miss per schedule. Three places hold pending events:
 *   - the calendar (calendar.ts): a "year" of 4,096 buckets 2^w ms wide, each an unsorted append-only list of
 *     16-byte records (time, kind, arg) in scheduling order. A schedule beyond the open bucket appends to its
 *     bucket's tail block; the 4,096 tails stay in cache, so this costs about the same at 1M events pending as at
 *     ten. When dispatch reaches a bucket it orders its records by (time, append order) with a stable counting sort
 *     and walks them with a cursor.
 *   - the near queue (near.ts): events scheduled for the open bucket's own milliseconds while it is being
 *     dispatched, in a FastPriorityQueue of packed numeric keys (ms × 2^32 + seq). A dispatch takes the earlier of
 *     the bucket cursor and the near queue's top; at equal times the bucket's event goes first (it was scheduled
 *     before the bucket opened, the near one after), so the order is exactly (time, scheduling order).
 *   - the far list (far.ts): events beyond the year, unsorted. When the year runs out, a new one starts at the
 *     earliest far event, with w re-chosen so the year spans four times the range that holds 15/16 of them; the
 *     far events move into its buckets in scheduling order (before anything else can be scheduled there).
 * Cancellation is lazy: a cancelled event's meta word becomes CANCELLED and it is skipped when reached. An event
 * filed in the calendar gets a direct handle, (generation, record): records never move, so cancel finds it there,
 * and its dispatch bumps the record's generation (an Int32 array beside the records, read in the same order)
 * instead of releasing a handle-table entry at a random place. An event filed in the near queue or far list (both
 * move events) gets a slot in a recycled handle table (handles.ts) that follows it; those slots are read while a
 * bucket opens, in one loop whose misses overlap. `post`/`postAt` schedule without a handle (the bulk of a run).
 * `warm` does the same for a kind whose handler starts with a record of some large table (the arg indexes it).
 *
 * Costs: schedule/at/post/postAt O(1) into the calendar or far list, O(log n) into the near queue (n = events of
 * the open bucket's span); dispatch O(1) amortised plus, per bucket of r records, O(r) expected to order them
 * (counting sort into ≥ 2r sub-buckets, insertion sort within; O(r log r) when they crowd a few ms); finding the
 * next bucket amortised O(4,096) per year; each far event moves once per year it waits through; cancel O(1).
 *
 * Delays and times must be integers: a fraction is rejected, never rounded (rounding silently moves events and hides
 * unit bugs); convert at the boundary, e.g. `Math.round(stream.exponential(mean))`.
 */
import { inputError, internalError } from '../errors.js';
import { Calendar } from './calendar.js';
import { FarList } from './far.js';
import { GEN_MASK, HANDLE_SPAN, H_LOC, H_SPACE, Handles, SP_CAL, SP_FAR, SP_NEAR } from './handles.js';
import { CANCELLED, DIRECT, FREE, MAX_KIND } from './meta.js';
import { NearQueue } from './near.js';

export type Handler = (arg: number) => void;

export interface EngineOptions {
  /** Events the engine makes room for up front (it grows as needed). Default 1,024. */
  initialCapacity?: number;
  /** Calendar bucket width 2^bucketBits ms, fixed (0..min(20, 30 − yearBits); for tests). Default 2^10 ms, re-chosen at each new year. */
  bucketBits?: number;
  /** Calendar buckets per year, 2^yearBits (1..12; for tests). Default 12 (4,096 buckets). */
  yearBits?: number;
}

const DEFAULT_YEAR_BITS = 12;
/** Indices into Engine.num. */
const NOW = 0;
const POP_TIME = 1;
const POP_ARG = 2;
const NEAR_TOP = 3;
const DEFAULT_BUCKET_BITS = 10;
/** A time offset within the year must fit an Int32 and `>>>`: yearBits + bucketBits ≤ 30. */
const MAX_YEAR_SPAN_BITS = 30;
/** Sort keys are (ms within the bucket) × 2^32 + ordinal < 2^53: bucketBits ≤ 20 (buckets of ~17 minutes). */
const MAX_BUCKET_BITS = 20;

export class Engine {
  private handlers: Handler[];
  private live: number;
  private dispatched: number;
  private stopRequested: boolean;
  private dispatching: boolean;
  private readonly cal: Calendar;
  private readonly near: NearQueue;
  private readonly far: FarList;
  private readonly handles: Handles;
  /** Fixed bucket bits (−1: chosen at each new year). */
  private readonly fixedBucketBits: number;
  private readonly hist: Float64Array;
  private years: number;
  /** The event popNext() found: time, meta, arg. */
  private popMeta: number;
  /** The calendar record it came from (−1: the near queue). */
  private popRec: number;
  private readonly takeFar: (t: number, meta: number, arg: number) => void;
  /**
   * The numbers that change on every event and need not be small integers, in a Float64Array: a store of a double
   * into an object field allocates a new HeapNumber in V8, a store into a typed array does not. [now, time and arg
   * of the event popNext() found, time of the near queue's first event (Infinity when empty: popNext compares it
   * without a heap peek)].
   */
  private readonly num: Float64Array;

  constructor(opts: EngineOptions = {}) {
    const cap = opts.initialCapacity ?? 1024;
    if (!Number.isInteger(cap) || cap < 0 || cap > 2 ** 28) throw inputError(`initialCapacity ${String(cap)}: expected an integer 0..${2 ** 28}`);
    const yearBits = opts.yearBits ?? DEFAULT_YEAR_BITS;
    if (!Number.isInteger(yearBits) || yearBits < 1 || yearBits > DEFAULT_YEAR_BITS) throw inputError(`yearBits ${String(yearBits)}: expected an integer 1..${DEFAULT_YEAR_BITS}`);
    const maxW = Math.min(MAX_BUCKET_BITS, MAX_YEAR_SPAN_BITS - yearBits);
    const fixed = opts.bucketBits ?? -1;
    if (fixed !== -1 && !(Number.isInteger(fixed) && fixed >= 0 && fixed <= maxW)) throw inputError(`bucketBits ${String(fixed)}: expected an integer 0..${maxW}`);
    this.handlers = [];
    this.num = Float64Array.of(0, 0, 0, Infinity);
    this.live = 0;
    this.dispatched = 0;
    this.stopRequested = false;
    this.dispatching = false;
    this.handles = new Handles(64);
    this.cal = new Calendar(yearBits, fixed >= 0 ? fixed : Math.min(DEFAULT_BUCKET_BITS, maxW), cap, this.handles);
    this.near = new NearQueue(this.handles);
    this.far = new FarList(this.handles);
    this.fixedBucketBits = fixed;
    this.hist = new Float64Array(64);
    this.years = 0;
    this.popMeta = 0;
    this.popRec = -1;
    this.takeFar = (t, meta, arg) => {
      const r = this.cal.add(t, meta, arg);
      if (meta < 0) this.handles.place(-meta - 1, SP_CAL, r);
    };
  }

  /** Current time, integer ms. */
  get now(): number {
    return this.num[NOW]!;
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

  /** The calendar's bucket width in ms (exposed for tests). */
  get bucketMs(): number {
    return 2 ** this.cal.w;
  }

  /** How many times a new calendar year started from the far list (exposed for tests). */
  get yearsStarted(): number {
    return this.years;
  }

  /** Bytes the engine holds for its events: calendar records and buckets, near queue, far list, handle table. */
  get memoryBytes(): number {
    return this.cal.memoryBytes + this.near.memoryBytes + this.far.memoryBytes + this.handles.memoryBytes + this.hist.byteLength;
  }

  /** Registers a handler and returns its event kind (0, 1, 2, … in order of definition). */
  define(handler: Handler): number {
    if (typeof handler !== 'function') throw internalError('Engine.define: expected a function');
    if (this.handlers.length > MAX_KIND) throw internalError(`Engine.define: more than ${MAX_KIND + 1} event kinds`);
    this.handlers.push(handler);
    return this.handlers.length - 1;
  }

  /**
   * A hint for a kind whose handler starts by reading a record of a large table: its events' args index records of
   * 2^shift Int32s in the array `table()` returns (called once per opened bucket, so a table that grows may replace
   * its array). When a calendar bucket opens, the engine reads the first word of each such event's record in one
   * loop, where the loads overlap, so the handler finds its record in cache instead of waiting on memory itself.
   * Results never depend on it. Args must be valid record indices.
   */
  warm(kind: number, shift: number, table: () => Int32Array): void {
    if (!(kind >= 0 && kind < this.handlers.length && (kind | 0) === kind)) throw internalError(`Engine.warm: event kind ${String(kind)} was not defined`);
    if (!(shift >= 0 && shift <= 8 && (shift | 0) === shift)) throw internalError(`Engine.warm: shift ${String(shift)}: expected an integer 0..8`);
    if (typeof table !== 'function') throw internalError('Engine.warm: expected a function returning the table');
    this.cal.warm(kind, shift, table);
  }

  /** Schedules `kind(arg)` after `delayMs` (an integer ≥ 0; fractions are rejected). Returns a handle for cancel(). */
  schedule(delayMs: number, kind: number, arg: number): number {
    const time = this.num[NOW]! + delayMs;
    if (!(delayMs >= 0 && Math.floor(delayMs) === delayMs && time <= Number.MAX_SAFE_INTEGER)) {
      throw internalError(`Engine.schedule: delay ${String(delayMs)} ms: expected an integer ≥ 0 (round durations to whole ms first)`);
    }
    return this.insert(time, kind, arg, true);
  }

  /** Schedules `kind(arg)` at absolute time `timeMs` (an integer ≥ now). Returns a handle. */
  at(timeMs: number, kind: number, arg: number): number {
    if (!(timeMs >= this.num[NOW]! && Math.floor(timeMs) === timeMs && timeMs <= Number.MAX_SAFE_INTEGER)) throw internalError(`Engine.at: time ${String(timeMs)} ms: expected an integer ≥ now (${this.num[NOW]!})`);
    return this.insert(timeMs, kind, arg, true);
  }

  /** Like schedule() but returns no handle (the event cannot be cancelled): no handle-table work. */
  post(delayMs: number, kind: number, arg: number): void {
    const time = this.num[NOW]! + delayMs;
    if (!(delayMs >= 0 && Math.floor(delayMs) === delayMs && time <= Number.MAX_SAFE_INTEGER)) {
      throw internalError(`Engine.post: delay ${String(delayMs)} ms: expected an integer ≥ 0 (round durations to whole ms first)`);
    }
    this.insert(time, kind, arg, false);
  }

  /** Like at() but returns no handle. */
  postAt(timeMs: number, kind: number, arg: number): void {
    if (!(timeMs >= this.num[NOW]! && Math.floor(timeMs) === timeMs && timeMs <= Number.MAX_SAFE_INTEGER)) throw internalError(`Engine.postAt: time ${String(timeMs)} ms: expected an integer ≥ now (${this.num[NOW]!})`);
    this.insert(timeMs, kind, arg, false);
  }

  /** Cancels a pending event. False when it already ran, was cancelled, or the handle is not one of ours. O(1). */
  cancel(handle: number): boolean {
    if (!(handle >= 0 && handle < 2 ** 53 && Math.floor(handle) === handle)) return false;
    if (handle % 2 === 1) {
      // A direct handle: 2 × (generation × 2^26 + record) + 1.
      const x = (handle - 1) / 2;
      const r = x % HANDLE_SPAN;
      const cal = this.cal;
      if (r >= cal.rgen.length || cal.rgen[r] !== (x - r) / HANDLE_SPAN) return false;
      const m = cal.ri[(r << 2) + 1]!;
      if (!(m >= DIRECT && m !== FREE)) return false;
      cal.ri[(r << 2) + 1] = CANCELLED;
      cal.rgen[r] = (cal.rgen[r]! + 1) & GEN_MASK;
      this.live--;
      return true;
    }
    const handles = this.handles;
    const h = handles.resolve(handle / 2);
    if (h < 0) return false;
    const loc = handles.rec[(h << 2) + H_LOC]!;
    const space = handles.rec[(h << 2) + H_SPACE]!;
    if (space === SP_CAL) this.cal.ri[(loc << 2) + 1] = CANCELLED;
    else if (space === SP_NEAR) this.near.meta[loc] = CANCELLED;
    else this.far.meta[loc] = CANCELLED;
    handles.release(h);
    this.live--;
    return true;
  }

  /**
   * Dispatches every event with time ≤ until in (time, scheduling order), then sets now = until when until is
   * finite. Returns early (now = the last event's time) when stop() is called. Must not be called from a handler.
   */
  run(until: number): void {
    if (!(until >= this.num[NOW]!)) throw internalError(`Engine.run: until ${String(until)}: expected a time ≥ now (${this.num[NOW]!})`);
    if (this.dispatching) throw internalError('Engine.run: called from inside an event handler');
    this.dispatching = true;
    try {
      while (!this.stopRequested && this.popNext(until)) this.dispatch();
    } finally {
      this.dispatching = false;
    }
    if (!this.stopRequested && until !== Infinity) this.num[NOW] = until;
  }

  /** Dispatches the next live event, if any; false when none is pending. Ignores stop(). */
  step(): boolean {
    if (this.dispatching) throw internalError('Engine.step: called from inside an event handler');
    this.dispatching = true;
    try {
      if (!this.popNext(Infinity)) return false;
      this.dispatch();
      return true;
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

  /**
   * Files an event. A handled event bound for the calendar gets a direct handle, 2 × (generation × 2^26 + record)
   * + 1 (its record never moves, so cancel finds it there and its dispatch touches no handle table); one bound for
   * the near queue or the far list (where events move) gets an entry in the handle table, handle 2 × (its handle).
   */
  private insert(t: number, kind: number, arg: number, withHandle: boolean): number {
    if (!(kind >= 0 && kind < this.handlers.length && (kind | 0) === kind)) throw internalError(`Engine: event kind ${String(kind)} was not defined`);
    const cal = this.cal;
    this.live++;
    if (t >= cal.epochEnd && t < cal.yearEnd) {
      if (!withHandle) {
        cal.add(t, kind, arg);
        return -1;
      }
      const r = cal.add(t, kind + DIRECT, arg);
      return 2 * (cal.rgen[r]! * HANDLE_SPAN + r) + 1;
    }
    let meta = kind, h = -1;
    if (withHandle) {
      h = this.handles.take(kind);
      meta = -h - 1;
    }
    if (t < cal.epochEnd) {
      const s = this.near.add(t - cal.epochStart, meta, arg);
      if (t < this.num[NEAR_TOP]!) this.num[NEAR_TOP] = t;
      if (h >= 0) this.handles.place(h, SP_NEAR, s);
    } else {
      const i = this.far.add(t, meta, arg);
      if (h >= 0) this.handles.place(h, SP_FAR, i);
    }
    return h >= 0 ? 2 * this.handles.handleOf(h) : -1;
  }

  /**
   * Finds the next live event with time ≤ until (skipping cancelled ones), takes it out and leaves it in
   * popTime/popMeta/popArg; false when there is none.
   */
  private popNext(until: number): boolean {
    const cal = this.cal, near = this.near;
    for (;;) {
      if (cal.oPos < cal.oN) {
        const r = cal.order[cal.oPos]!;
        const t = cal.yearStart + cal.ri[r << 2]!;
        if (t <= this.num[NEAR_TOP]!) {
          if (t > until) return false;
          cal.oPos++;
          const meta = cal.ri[(r << 2) + 1]!;
          if (meta === CANCELLED) continue;
          this.num[POP_TIME] = t;
          this.popMeta = meta;
          this.num[POP_ARG] = cal.rf[(r << 1) + 1]!;
          this.popRec = r;
          return true;
        }
      }
      if (near.size > 0) {
        const t = this.num[NEAR_TOP]!;
        if (t > until) return false;
        const s = near.poll();
        this.num[NEAR_TOP] = near.size > 0 ? cal.epochStart + near.topOffset() : Infinity;
        const meta = near.meta[s]!;
        near.meta[s] = FREE;
        if (meta === CANCELLED) continue;
        this.num[POP_TIME] = t;
        this.popMeta = meta;
        this.num[POP_ARG] = near.arg[s]!;
        this.popRec = -1;
        return true;
      }
      // The open bucket is done: the next one in this year, else a new year from the far list.
      const b = cal.nextBucket();
      if (b >= 0) {
        if (cal.startOf(b) > until) return false;
        cal.open(b);
        near.reset();
        continue;
      }
      if (this.far.n > 0 && this.far.min <= until && this.newYear(until)) continue;
      // Nothing (live) left up to `until`. If the clock never reached the open bucket (all its events were
      // cancelled), forget it so earlier times can be scheduled.
      if (this.num[NOW]! < cal.epochStart) cal.rewind();
      return false;
    }
  }

  /**
   * Starts a new calendar year at the earliest live far event (when it is ≤ until) and moves the far events inside
   * it into their buckets. The bucket width is re-chosen (unless fixed) so the year spans about four times the range
   * that holds 15/16 of the far events. False when no live far event is ≤ until.
   */
  private newYear(until: number): boolean {
    const far = this.far, cal = this.cal, hist = this.hist;
    const least = far.survey(hist);
    if (least === Infinity) {
      far.drain(0, this.takeFar); // every far event was cancelled
      return false;
    }
    if (least > until) {
      far.min = least;
      return false;
    }
    let w = this.fixedBucketBits;
    if (w < 0) {
      let total = 0;
      for (let i = 0; i < hist.length; i++) total += hist[i]!;
      let cum = 0, span = 0;
      while (span < hist.length - 1 && (cum += hist[span]!) * 16 < total * 15) span++;
      w = Math.max(0, Math.min(MAX_BUCKET_BITS, MAX_YEAR_SPAN_BITS - cal.yearBits, span - cal.yearBits + 2));
    }
    const width = 2 ** w;
    cal.newYear(Math.floor(least / width) * width, w);
    far.drain(cal.yearEnd, this.takeFar);
    this.years++;
    return true;
  }

  /** Runs the event popNext() found. */
  private dispatch(): void {
    const meta = this.popMeta;
    let kind = meta;
    if (meta >= DIRECT) {
      kind = meta - DIRECT;
      const rgen = this.cal.rgen, r = this.popRec;
      rgen[r] = (rgen[r]! + 1) & GEN_MASK;
    } else if (meta < 0) kind = this.handles.release(-meta - 1);
    this.num[NOW] = this.num[POP_TIME]!;
    this.live--;
    this.dispatched++;
    this.handlers[kind]!(this.num[POP_ARG]!);
  }
}
