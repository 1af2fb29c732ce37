/**
 * The engine's near queue: events scheduled for the open calendar bucket's own milliseconds while it is being
 * dispatched (delay-0 follow-ups, short retries, the next arrival of a busy Poisson stream). A FastPriorityQueue of
 * numeric keys (ms within the bucket × 2^32 + seq, seq counting schedules since the bucket opened, so numeric order is
 * (time, scheduling order)); the data of the event with sequence number seq lives in slot seq mod capacity (occupied
 * slots are skipped; capacity ≥ 2 × size keeps that short), so the heap never dereferences anything while it sifts.
 * The first key is held outside the heap (`topKey`), so the common case, one near event at a time (the next
 * arrival of a Poisson stream), costs no heap operation at all. add/poll O(log n), O(1) at size ≤ 1; growth O(n)
 * at each doubling. Empty whenever a new bucket opens, so seq restarts at 0.
 */
import FastPriorityQueue from 'fastpriorityqueue';
import { CnisimError } from '../errors.js';
import { SP_NEAR, type Handles } from './handles.js';
import { CANCELLED, FREE } from './meta.js';

const TWO_32 = 2 ** 32;
const INV_32 = 2 ** -32;

export class NearQueue {
  /** Keys other than the least. */
  readonly heap: FastPriorityQueue<number>;
  /** The least key (valid when n > 0), in a Float64Array: keys exceed 2^31, and storing such a double into an object field allocates. */
  private readonly top: Float64Array;
  private n: number;
  arg: Float64Array;
  meta: Int32Array;
  private mask: number;
  private seq: number;
  private readonly handles: Handles;

  constructor(handles: Handles) {
    this.heap = new FastPriorityQueue<number>();
    this.top = new Float64Array(1);
    this.n = 0;
    this.arg = new Float64Array(64);
    this.meta = new Int32Array(64).fill(FREE);
    this.mask = 63;
    this.seq = 0;
    this.handles = handles;
  }

  get size(): number {
    return this.n;
  }

  /** Queues an event at offset `off` (ms) within the open bucket; returns its slot. */
  add(off: number, meta: number, arg: number): number {
    if (2 * (this.n + 1) > this.meta.length) this.grow();
    const m = this.meta, mask = this.mask;
    let seq = this.seq;
    while (m[seq & mask] !== FREE) seq++;
    if (seq >= TWO_32) throw new CnisimError('limit', 'the event engine took more than 2^32 events for one calendar bucket');
    this.seq = seq + 1;
    const slot = seq & mask;
    m[slot] = meta;
    this.arg[slot] = arg;
    const key = off * TWO_32 + seq;
    if (this.n === 0) this.top[0] = key;
    else if (key < this.top[0]!) {
      this.heap.add(this.top[0]!);
      this.top[0] = key;
    } else this.heap.add(key);
    this.n++;
    return slot;
  }

  /** Offset (ms within the bucket) of the first event; the queue must not be empty. */
  topOffset(): number {
    return Math.floor(this.top[0]! * INV_32);
  }

  /** Removes the first event and returns its slot (the caller reads meta/arg, then frees it). */
  poll(): number {
    const key = this.top[0]!;
    if (--this.n > 0) this.top[0] = this.heap.poll()!;
    return (key - Math.floor(key * INV_32) * TWO_32) & this.mask;
  }

  /** Called when a bucket opens (the queue is empty then). */
  reset(): void {
    this.seq = 0;
  }

  get memoryBytes(): number {
    return this.arg.byteLength + this.meta.byteLength + 8 * heapArray(this.heap).length;
  }

  /** Doubles the slots: each event moves to seq mod the new capacity (distinct, as before); handles follow. */
  private grow(): void {
    const oldArg = this.arg, oldMeta = this.meta, oldMask = this.mask;
    const cap = 2 * oldMeta.length;
    this.arg = new Float64Array(cap);
    this.meta = new Int32Array(cap).fill(FREE);
    this.mask = cap - 1;
    const keys = heapArray(this.heap), n = this.heap.size;
    for (let j = this.n > 0 ? -1 : 0; j < n; j++) {
      const key = j < 0 ? this.top[0]! : keys[j]!;
      const seq = key - Math.floor(key * INV_32) * TWO_32;
      const o = seq & oldMask, s = seq & this.mask;
      const meta = oldMeta[o]!;
      this.meta[s] = meta;
      this.arg[s] = oldArg[o]!;
      if (meta < 0 && meta !== CANCELLED) this.handles.place(-meta - 1, SP_NEAR, s);
    }
  }
}

/** The queue's backing array (entries 0..size−1 are the heap); FastPriorityQueue's typings do not declare it. */
function heapArray(q: FastPriorityQueue<number>): readonly number[] {
  return (q as unknown as { array: number[] }).array;
}
