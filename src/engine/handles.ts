/**
 * The engine's handle table, for cancellable events that may move (near queue, far list; calendar events have
 * direct handles, see Engine.insert): a recycled table of (generation, where the event is now). A handle is
 * generation × 2^HANDLE_BITS + slot (the engine gives it out doubled, even, beside its odd direct handles), so a
 * stale handle never aliases a recycled slot. An event with a handle carries
 * meta = −(slot + 1) instead of its kind (the kind lives here), so events without one (the bulk: `post`) cost the
 * table nothing. Where the event is: a space (its calendar record, a near-queue slot or a far-list index) and an
 * index there, updated whenever the event moves. take/place/release/resolve O(1); growth O(n) at each doubling.
 */
import { CnisimError } from '../errors.js';

/** Where a handled event's data is: none (free), a calendar record, a near-queue slot, a far-list index. */
export const SP_NONE = 0;
export const SP_CAL = 1;
export const SP_NEAR = 2;
export const SP_FAR = 3;

/** Handle = generation × 2^HANDLE_BITS + slot: up to 2^26 (67M) cancellable events pending. */
export const HANDLE_BITS = 26;
export const HANDLE_SPAN = 2 ** HANDLE_BITS;
/** Generations wrap at 2^26, so 2 × handle + 1 (the engine's tagged form) stays < 2^53. */
export const GEN_MASK = 2 ** 26 - 1;

/** Handle slot h: rec[4h] = generation, rec[4h + 1] = location, rec[4h + 2] = space, rec[4h + 3] = kind (one line). */
export const H_GEN = 0;
export const H_LOC = 1;
export const H_SPACE = 2;
export const H_KIND = 3;

export class Handles {
  /** Interleaved: a dispatch reads and writes one handle's fields in one cache line (handles are random there). */
  rec: Int32Array;
  private free: Int32Array;
  private freeN: number;

  constructor(capacity: number) {
    const n = Math.max(16, capacity);
    this.rec = new Int32Array(4 * n);
    this.free = new Int32Array(n);
    this.freeN = n;
    for (let i = 0; i < n; i++) this.free[i] = n - 1 - i;
  }

  /** A fresh slot for an event of `kind`; its meta is −(slot + 1). */
  take(kind: number): number {
    if (this.freeN === 0) this.grow();
    const h = this.free[--this.freeN]!;
    this.rec[(h << 2) + H_KIND] = kind;
    return h;
  }

  /** The handle returned to the caller for slot h. */
  handleOf(h: number): number {
    return this.rec[(h << 2) + H_GEN]! * HANDLE_SPAN + h;
  }

  place(h: number, space: number, loc: number): void {
    const i = h << 2;
    this.rec[i + H_LOC] = loc;
    this.rec[i + H_SPACE] = space;
  }

  /** Releases slot h and returns the kind of its event. */
  release(h: number): number {
    const i = h << 2, rec = this.rec;
    rec[i + H_GEN] = (rec[i + H_GEN]! + 1) & GEN_MASK;
    rec[i + H_SPACE] = SP_NONE;
    this.free[this.freeN++] = h;
    return rec[i + H_KIND]!;
  }

  /** The slot of a live handle, or −1 (ran, cancelled, garbage, or not one of ours). */
  resolve(handle: number): number {
    if (!(handle >= 0 && handle < 2 ** 53 && Math.floor(handle) === handle)) return -1;
    const h = handle % HANDLE_SPAN;
    const i = h << 2;
    if (i >= this.rec.length || this.rec[i + H_SPACE] === SP_NONE || this.rec[i + H_GEN] !== (handle - h) / HANDLE_SPAN) return -1;
    return h;
  }

  get memoryBytes(): number {
    return this.rec.byteLength + this.free.byteLength;
  }

  private grow(): void {
    const old = this.free.length;
    const n = old * 2;
    if (n > HANDLE_SPAN) throw new CnisimError('limit', `the event engine holds at most ${HANDLE_SPAN} cancellable events pending`);
    const rec = new Int32Array(4 * n), free = new Int32Array(n);
    rec.set(this.rec);
    for (let i = 0; i < n - old; i++) free[i] = n - 1 - i;
    this.rec = rec;
    this.free = free;
    this.freeN = n - old;
  }
}
