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
 *     increasing seqs in the same order, skipping slots held by ring events (cancelled heap events are dropped on
 *     the way), S re-chosen from the times pending.
 *   - A calendar ring in front of the heap: events whose time lies in the window [base, base + W) (W a power of
 *     two, min(2^20 ms ≈ 17 min, capacity / 4)) skip the heap and go into per-millisecond FIFO buckets: a circular
 *     singly linked list per bucket through next[slot], only its tail stored (rtail[time & (W − 1)]), and a
 *     three-level bitset of non-empty buckets (ctz/clz32 per level). Later events wait in the heap. base = the
 *     time last dispatched (≤ now); when it advances, heap events whose time enters the window move into their
 *     buckets in key order, before any schedule can target those milliseconds directly, so a bucket's FIFO
 *     order is the scheduling order and the total order stays exactly (time, scheduling order). Each event
 *     moves at most once. A ring event carries no key, so its slot need not be seq mod capacity: it takes one
 *     laid out by time ((t mod W) × 4 + k, when free), so pops read the slot data in address order, else the slot
 *     just dispatched, else the next free seq's (heap events skip occupied slots in their seq search as before).
 *
 * Costs: schedule/at/post/postAt O(1) inside the window (a bucket append), O(log n) beyond it (a heap add; amortised
 * O(1) slot search); step/dispatch O(1) from the ring (a bitset search: ≤ 3 word tests, plus a scan of ≤ 32 top words) plus the heap polls of
 * events entering the window (O(log n) each, once per event); cancel O(1) (lazy: the event stays in its bucket or
 * heap and is skipped when reached). Renumbering O(n log n) once every 2^S − n schedules, growth O(n + W) at each
 * doubling.
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
  /** Ring window W = 2^windowBits ms, fixed (5..24; for tests). Default: min(2^20, capacity / 4), widening as it grows. */
  windowBits?: number;
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
  /**
   * Ring: window [base, base + W), W = 2^ringBits. rtail per bucket: 0 empty; slot + 1 when it holds one event (next
   * unused: a pop reads no link); −(tail slot + 1) when it holds more, a circular list through next (tail → head).
   */
  private base: number;
  private ringBits: number;
  private wsize: number;
  private wmask: number;
  private rtail: Int32Array;
  private next: Int32Array;
  /** Non-empty buckets: bit b of b0; bit w of b1 when word w of b0 ≠ 0; bit v of b2 when word v of b1 ≠ 0. */
  private b0: Uint32Array;
  private b1: Uint32Array;
  private b2: Uint32Array;
  /** Slots held by ring lists (live or cancelled). */
  private ringN: number;
  /** Time of the slot popNext() returned. */
  private popTime: number;
  /** The slot last dispatched (−1 none): a ring insert reuses it while it is free, so its data line is still cached. */
  private spare: number;
  /** log2(capacity / W) when the capacity is at least W, else −1: the slots preferred for time t start at (t mod W) << slotShift. */
  private slotShift: number;
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
  /** windowBits option (0: from the capacity). */
  private readonly fixedWindowBits: number;

  constructor(opts: EngineOptions = {}) {
    const horizon = opts.horizonMs ?? DEFAULT_HORIZON_MS;
    if (!isTime(horizon) || horizon >= 2 ** 52) throw inputError(`horizonMs ${String(horizon)}: expected an integer number of milliseconds ≥ 0 and < 2^52`);
    const fixed = opts.seqBits ?? 53;
    if (!Number.isInteger(fixed) || fixed < 1 || fixed > 53) throw inputError(`seqBits ${String(fixed)}: expected an integer 1..53`);
    let cap = 16;
    const want = opts.initialCapacity ?? 1024;
    if (!Number.isInteger(want) || want < 0 || want > HANDLE_SPAN) throw inputError(`initialCapacity ${String(want)}: expected an integer 0..${HANDLE_SPAN}`);
    while (cap < want) cap *= 2;
    const wbits = opts.windowBits ?? 0;
    if (!Number.isInteger(wbits) || (wbits !== 0 && (wbits < 5 || wbits > 24))) throw inputError(`windowBits ${String(wbits)}: expected an integer 5..24`);

    this.heap = new FastPriorityQueue<number>();
    this.handlers = [];
    this.nowMs = 0;
    this.live = 0;
    this.dispatched = 0;
    this.stopRequested = false;
    this.dispatching = false;
    this.base = 0;
    this.ringBits = 0;
    this.wsize = 0;
    this.wmask = 0;
    this.rtail = new Int32Array(0);
    this.next = new Int32Array(cap);
    this.b0 = new Uint32Array(0);
    this.b1 = new Uint32Array(0);
    this.b2 = new Uint32Array(0);
    this.ringN = 0;
    this.popTime = 0;
    this.spare = -1;
    this.slotShift = -1;
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
    this.fixedWindowBits = wbits;
    for (let i = 0; i < cap; i++) this.hfree[i] = cap - 1 - i;
    this.setSplit(Math.min(fixed, 53 - bitLength(horizon)));
    this.resizeRing(wbits || ringBitsFor(cap));
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

  /** Bytes the engine holds for its events: the slot data and links, the handle table, the ring and the heap's array. */
  get memoryBytes(): number {
    const ring = this.rtail.byteLength + this.next.byteLength + this.b0.byteLength + this.b1.byteLength + this.b2.byteLength;
    return this.data.byteLength + this.hgen.byteLength + this.hptr.byteLength + this.hfree.byteLength + ring + 8 * heapArray(this.heap).length;
  }

  /** The ring's window W in ms (exposed for tests). */
  get windowMs(): number {
    return this.wsize;
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
    this.dispatching = true;
    try {
      while (!this.stopRequested) {
        const slot = this.popNext(until);
        if (slot < 0) break;
        this.dispatch(slot, this.popTime);
      }
    } finally {
      this.dispatching = false;
    }
    if (!this.stopRequested && until !== Infinity) this.nowMs = until;
  }

  /** Dispatches the next live event, if any; false when none is pending. Ignores stop(). */
  step(): boolean {
    if (this.dispatching) throw internalError('Engine.step: called from inside an event handler');
    this.dispatching = true;
    try {
      const slot = this.popNext(Infinity);
      if (slot < 0) return false;
      this.dispatch(slot, this.popTime);
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
   * Takes the next live event with time ≤ until out of the ring or the heap (freeing cancelled ones on the way) and
   * returns its slot, its time in popTime; −1 when there is none. Advances base (and the window) to that time.
   */
  private popNext(until: number): number {
    const data = this.data;
    for (;;) {
      let slot: number, t: number;
      if (this.ringN > 0) {
        // Every ring event precedes every heap event (heap times ≥ base + W).
        const bm = this.base & this.wmask;
        let p = this.findSet(bm);
        if (p < 0) p = this.findSet(0);
        t = this.base + ((p - bm) & this.wmask);
        if (t > until) return -1;
        if (t !== this.base) {
          this.base = t;
          this.migrate();
        }
        slot = this.ringPop(p);
      } else if (this.heap.size > 0) {
        const key = this.heap.peek()!;
        t = Math.floor(key * this.invScale);
        if (t > until) return -1;
        this.heap.poll();
        slot = (key - t * this.scale) & this.mask;
        this.base = t;
        this.migrate();
      } else return -1;
      if (data[2 * slot + 1] === CANCELLED) {
        data[2 * slot + 1] = FREE;
        continue;
      }
      this.popTime = t;
      return slot;
    }
  }

  /** Moves the heap events whose time entered the window [base, base + W) into their buckets, in key order. */
  private migrate(): void {
    const heap = this.heap;
    if (heap.size === 0) return;
    const end = (this.base + this.wsize) * this.scale;
    const data = this.data, scale = this.scale, invScale = this.invScale, mask = this.mask;
    while (heap.size > 0 && heap.peek()! < end) {
      const key = heap.poll()!;
      const t = Math.floor(key * invScale);
      const slot = (key - t * scale) & mask;
      if (data[2 * slot + 1] === CANCELLED) data[2 * slot + 1] = FREE;
      else this.ringAppend(slot, t);
    }
  }

  /** Appends `slot` to the bucket of time t (t in the window). O(1). */
  private ringAppend(slot: number, t: number): void {
    const b = t & this.wmask;
    const r = this.rtail[b]!;
    if (r === 0) {
      this.rtail[b] = slot + 1;
      this.b0[b >>> 5]! |= 1 << (b & 31);
      this.b1[b >>> 10]! |= 1 << ((b >>> 5) & 31);
      this.b2[b >>> 15]! |= 1 << ((b >>> 10) & 31);
    } else {
      const next = this.next;
      if (r > 0) {
        next[r - 1] = slot;
        next[slot] = r - 1;
      } else {
        const tl = -r - 1;
        next[slot] = next[tl]!;
        next[tl] = slot;
      }
      this.rtail[b] = -(slot + 1);
    }
    this.ringN++;
  }

  /** Removes and returns the first slot of non-empty bucket b. O(1). */
  private ringPop(b: number): number {
    const r = this.rtail[b]!;
    this.ringN--;
    if (r > 0) {
      this.rtail[b] = 0;
      const w = b >>> 5;
      if ((this.b0[w]! &= ~(1 << (b & 31))) === 0) {
        const v = w >>> 5;
        if ((this.b1[v]! &= ~(1 << (w & 31))) === 0) this.b2[v >>> 5]! &= ~(1 << (v & 31));
      }
      return r - 1;
    }
    const next = this.next;
    const tl = -r - 1;
    const first = next[tl]!;
    const second = next[first]!;
    if (second === tl) this.rtail[b] = tl + 1;
    else next[tl] = second;
    return first;
  }

  /** The first non-empty bucket ≥ p, or −1. At most three word tests plus a scan of ≤ 32 top words. */
  private findSet(p: number): number {
    const b0 = this.b0, b1 = this.b1, b2 = this.b2;
    let w = p >>> 5;
    let m = b0[w]! & (0xffffffff << (p & 31));
    if (m !== 0) return (w << 5) + ctz(m);
    let v = w >>> 5;
    m = b1[v]! & (0xfffffffe << (w & 31));
    if (m === 0) {
      let u = v >>> 5;
      m = b2[u]! & (0xfffffffe << (v & 31));
      while (m === 0) {
        if (++u >= b2.length) return -1;
        m = b2[u]!;
      }
      v = (u << 5) + ctz(m);
      m = b1[v]!;
    }
    w = (v << 5) + ctz(m);
    return (w << 5) + ctz(b0[w]!);
  }

  /**
   * Sets the window to 2^bits ms, keeping base: the ring's events are re-bucketed in time order (the new window
   * covers the old one), then heap events entering the wider window move in. O(old W + ring events).
   */
  private resizeRing(bits: number): void {
    const oldTail = this.rtail, oldW = this.wsize, oldMask = this.wmask, next = this.next;
    this.ringBits = bits;
    this.wsize = 2 ** bits;
    this.wmask = this.wsize - 1;
    this.slotShift = this.cap >= this.wsize ? Math.min(2, Math.log2(this.cap / this.wsize)) : -1;
    this.rtail = new Int32Array(this.wsize);
    this.b0 = new Uint32Array(Math.ceil(this.wsize / 32));
    this.b1 = new Uint32Array(Math.ceil(this.wsize / 1024));
    this.b2 = new Uint32Array(Math.ceil(this.wsize / 32768));
    const n = this.ringN;
    this.ringN = 0;
    if (n > 0) {
      const bm = this.base & oldMask;
      for (let d = 0; d < oldW; d++) {
        const r = oldTail[(bm + d) & oldMask]!;
        if (r === 0) continue;
        // A bucket's list moves whole: same circular links, new tail index.
        const b = (this.base + d) & this.wmask;
        this.rtail[b] = r;
        this.b0[b >>> 5]! |= 1 << (b & 31);
        this.b1[b >>> 10]! |= 1 << ((b >>> 5) & 31);
        this.b2[b >>> 15]! |= 1 << ((b >>> 10) & 31);
        let c = 1;
        if (r < 0) for (let s = next[-r - 1]!; s !== -r - 1; s = next[s]!) c++;
        this.ringN += c;
      }
    }
    if (this.ringN !== n) throw internalError(`Engine.resizeRing: ${this.ringN} ring events found, expected ${n}`);
    this.migrate();
  }

  /** Runs the event in `slot` (already taken out of the ring or heap, not cancelled) at time t. */
  private dispatch(slot: number, t: number): void {
    const i = 2 * slot;
    const data = this.data;
    const meta = data[i + 1]!;
    data[i + 1] = FREE;
    this.spare = slot;
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
  }

  private releaseHandle(h: number): void {
    this.hgen[h] = (this.hgen[h]! + 1) & GEN_MASK;
    this.hptr[h] = -1;
    this.hfree[this.hfreeN++] = h;
  }

  private insert(time: number, kind: number, arg: number, withHandle: boolean): number {
    if (!(kind >= 0 && kind < this.handlers.length && (kind | 0) === kind)) throw internalError(`Engine: event kind ${String(kind)} was not defined`);
    if (this.heap.size + this.ringN + 1 > this.cap >>> 1) this.grow();
    let data = this.data;
    const inRing = time - this.base < this.wsize;
    let slot = -1;
    let seq = 0;
    if (inRing) {
      // A ring event carries no key, so any free slot will do: prefer the ones laid out by time (pops then read
      // the slot data in address order), else the slot just dispatched (still cached).
      const sh = this.slotShift;
      if (sh >= 0) {
        const s0 = (time & this.wmask) << sh;
        for (let k = 0; k < 1 << sh; k++) {
          if (data[2 * (s0 + k) + 1] === FREE) {
            slot = s0 + k;
            break;
          }
        }
      }
      if (slot < 0 && this.spare >= 0 && data[2 * this.spare + 1] === FREE) slot = this.spare;
    }
    if (slot >= 0) {
      if (slot === this.spare) this.spare = -1;
    } else {
      seq = this.seq;
      let mask = this.mask;
      while (data[2 * (seq & mask) + 1] !== FREE) seq++;
      if (seq >= this.scale || (!inRing && time > this.maxTime)) {
        this.renumber(time);
        data = this.data;
        mask = this.mask;
        seq = this.seq;
        while (data[2 * (seq & mask) + 1] !== FREE) seq++;
      }
      this.seq = seq + 1;
      slot = seq & mask;
    }
    const i = 2 * slot;
    this.live++;
    if (inRing) this.ringAppend(slot, time);
    else this.heap.add(time * this.scale + seq);
    data[i] = arg;
    if (!withHandle) {
      data[i + 1] = kind;
      return -1;
    }
    if (this.hfreeN === 0) this.growHandles();
    const h = this.hfree[--this.hfreeN]!;
    data[i + 1] = kind + (h + 1) * KIND_SPAN;
    this.hptr[h] = slot;
    return this.hgen[h]! * HANDLE_SPAN + h;
  }

  private setSplit(bits: number): void {
    this.seqBits = bits;
    this.scale = 2 ** bits;
    this.invScale = 2 ** -bits;
    this.maxTime = 2 ** (53 - bits) - 1;
  }

  /**
   * Doubles the event slots: a heap event moves to seq & newMask (distinct, since the old slots were), a ring event
   * keeps its slot index (< old capacity, so it collides with no heap event's new slot); the window may widen. O(n + W).
   */
  private grow(): void {
    const old = this.data, oldCap = this.cap;
    const cap = oldCap * 2;
    if (cap > 2 * HANDLE_SPAN) throw new CnisimError('limit', `the event engine holds at most ${HANDLE_SPAN} pending events`);
    this.alloc(cap);
    const next = new Int32Array(cap);
    next.set(this.next);
    this.next = next;
    const invScale = this.invScale, scale = this.scale, mask = this.mask, oldMask = oldCap - 1;
    // Every occupied slot (live or cancelled) has exactly one key in the heap or one place in a ring list.
    const keys = heapArray(this.heap), n = this.heap.size;
    const inHeap = new Uint8Array(oldCap);
    for (let j = 0; j < n; j++) {
      const key = keys[j]!;
      const seq = key - Math.floor(key * invScale) * scale;
      const o = seq & oldMask;
      inHeap[o] = 1;
      this.put(seq & mask, old[2 * o + 1]!, old[2 * o]!);
    }
    for (let s = 0; s < oldCap; s++) if (inHeap[s] === 0 && old[2 * s + 1] !== FREE) this.put(s, old[2 * s + 1]!, old[2 * s]!);
    const bits = this.fixedWindowBits || ringBitsFor(cap);
    if (bits !== this.ringBits) this.resizeRing(bits);
    else this.slotShift = cap >= this.wsize ? Math.min(2, Math.log2(cap / this.wsize)) : -1;
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
   * Gives the live heap events new seqs in key order (so their relative order, hence the heap, is unchanged),
   * skipping the slots of ring events (which stay where they are), drops cancelled heap events, re-chooses S to
   * fit the latest time pending or requested, and rebuilds the heap. O(n log n).
   */
  private renumber(newTime: number): void {
    const old = this.data, oldCap = this.cap;
    const oldScale = this.scale, oldInv = this.invScale;
    const heapArr = heapArray(this.heap), n = this.heap.size;
    // The new slot data: the ring's slots as they are, every heap slot free.
    const fresh = old.slice();
    let m = 0;
    for (let j = 0; j < n; j++) {
      const key = heapArr[j]!;
      const s = (key - Math.floor(key * oldInv) * oldScale) & (oldCap - 1);
      if (old[2 * s + 1] !== CANCELLED) m++;
      fresh[2 * s + 1] = FREE;
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
    if (bits < 1 || 2 ** bits < m + this.ringN + 2) {
      throw new CnisimError('limit', `the event engine cannot order ${m + this.ringN + 1} pending events up to time ${maxTime} ms in 53-bit keys (${bits} sequence bits)`);
    }
    if (maxTime > this.horizon) this.horizon = maxTime;
    this.setSplit(bits);
    this.data = fresh;
    const scale = this.scale, mask = this.mask;
    const heapKeys: number[] = []; // filled by push: a packed double array, not a holey one
    let seq = 0;
    for (let i = 0; i < m; i++) {
      const oldKey = sorted[i]!;
      const t = Math.floor(oldKey * oldInv);
      const o = 2 * ((oldKey - t * oldScale) & (oldCap - 1));
      while (fresh[2 * (seq & mask) + 1] !== FREE) seq++;
      heapKeys.push(t * scale + seq);
      this.put(seq & mask, old[o + 1]!, old[o]!);
      seq++;
    }
    this.seq = seq;
    this.renumbers++;
    // Sorted keys already form a heap; heapify on the same queue object.
    this.heap.heapify(heapKeys);
  }
}

/** The queue's backing array (entries 0..size−1 are the heap); FastPriorityQueue's typings do not declare it. */
function heapArray(q: FastPriorityQueue<number>): readonly number[] {
  return (q as unknown as { array: number[] }).array;
}

/** Window bits for `cap` event slots: W = min(2^20 ms, cap / 4), at least 32 (one bitset word). */
function ringBitsFor(cap: number): number {
  return Math.max(5, Math.min(20, 29 - Math.clz32(cap)));
}

/** Count of trailing zero bits of a non-zero 32-bit word. */
function ctz(x: number): number {
  return 31 - Math.clz32(x & -x);
}

/** Event data for `cap` slots, all free. */
function freshData(cap: number): Float64Array {
  const d = new Float64Array(2 * cap);
  for (let i = 1; i < d.length; i += 2) d[i] = FREE;
  return d;
}
