/**
 * The engine's far list: events beyond the calendar's year, unsorted, in scheduling order (time, meta, arg in three
 * growable typed arrays). When the year runs out the engine takes them all out again (`drain`, in order) into the
 * next year's buckets, keeping the ones still beyond it. add O(1) amortised; drain O(n).
 */
import { SP_FAR, type Handles } from './handles.js';
import { CANCELLED } from './meta.js';

export class FarList {
  time: Float64Array;
  meta: Int32Array;
  arg: Float64Array;
  n: number;
  /** A lower bound of the pending times (the least time added since the last drain; cancelled ones included). */
  min: number;
  private readonly handles: Handles;

  constructor(handles: Handles) {
    this.time = new Float64Array(16);
    this.meta = new Int32Array(16);
    this.arg = new Float64Array(16);
    this.n = 0;
    this.min = Infinity;
    this.handles = handles;
  }

  add(t: number, meta: number, arg: number): number {
    if (this.n === this.time.length) this.resize(2 * this.n);
    const i = this.n++;
    this.time[i] = t;
    this.meta[i] = meta;
    this.arg[i] = arg;
    if (t < this.min) this.min = t;
    return i;
  }

  /**
   * The least live time and, per bit length of (time − that least time), how many live events: hist[L] counts
   * the events with bitLength(time − least) = L. Returns Infinity when every event is cancelled.
   */
  survey(hist: Float64Array): number {
    hist.fill(0);
    const time = this.time, meta = this.meta, n = this.n;
    let least = Infinity;
    for (let i = 0; i < n; i++) if (meta[i] !== CANCELLED && time[i]! < least) least = time[i]!;
    if (least === Infinity) return least;
    for (let i = 0; i < n; i++) if (meta[i] !== CANCELLED) hist[bitLength(time[i]! - least)]!++;
    return least;
  }

  /**
   * Calls take(t, meta, arg) for each live event before `end`, in scheduling order, and keeps the rest (in order;
   * their handles follow them). Cancelled events are dropped.
   */
  drain(end: number, take: (t: number, meta: number, arg: number) => void): void {
    const time = this.time, meta = this.meta, arg = this.arg, n = this.n;
    let k = 0;
    let min = Infinity;
    for (let i = 0; i < n; i++) {
      const m = meta[i]!;
      if (m === CANCELLED) continue;
      const t = time[i]!;
      if (t < end) {
        take(t, m, arg[i]!);
        continue;
      }
      time[k] = t;
      meta[k] = m;
      arg[k] = arg[i]!;
      if (m < 0) this.handles.place(-m - 1, SP_FAR, k);
      if (t < min) min = t;
      k++;
    }
    this.n = k;
    this.min = min;
    if (k < this.time.length >>> 2 && this.time.length > 16) this.resize(Math.max(16, 2 * k));
  }

  get memoryBytes(): number {
    return this.time.byteLength + this.meta.byteLength + this.arg.byteLength;
  }

  private resize(cap: number): void {
    const t = new Float64Array(cap), m = new Int32Array(cap), a = new Float64Array(cap);
    t.set(this.time.subarray(0, this.n));
    m.set(this.meta.subarray(0, this.n));
    a.set(this.arg.subarray(0, this.n));
    this.time = t;
    this.meta = m;
    this.arg = a;
  }
}

/** Number of bits needed to write the non-negative integer x (0 → 0). */
export function bitLength(x: number): number {
  return x < 2 ** 32 ? 32 - Math.clz32(x) : 32 + bitLength(Math.floor(x / 2 ** 32));
}
