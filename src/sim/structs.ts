/**
 * Small integer containers for the hot path: a growable list and a FIFO ring.
 * All are arrays of small ints with explicit sizes (no per-element objects).
 */

/** Doubles `a` to hold at least `n` elements, keeping its contents. O(n) when it grows. */
export function growInt32(a: Int32Array, n: number, fill = 0): Int32Array {
  if (n <= a.length) return a;
  let cap = Math.max(16, a.length);
  while (cap < n) cap *= 2;
  const b = new Int32Array(cap);
  b.set(a);
  if (fill !== 0) b.fill(fill, a.length);
  return b;
}

export function growFloat64(a: Float64Array, n: number): Float64Array {
  if (n <= a.length) return a;
  let cap = Math.max(16, a.length);
  while (cap < n) cap *= 2;
  const b = new Float64Array(cap);
  b.set(a);
  return b;
}

export function growUint8(a: Uint8Array, n: number): Uint8Array {
  if (n <= a.length) return a;
  let cap = Math.max(16, a.length);
  while (cap < n) cap *= 2;
  const b = new Uint8Array(cap);
  b.set(a);
  return b;
}

/** A growable list of int32. push O(1) amortised, swap-remove O(1). */
export class IntList {
  items: Int32Array;
  length: number;
  constructor(capacity = 16) {
    this.items = new Int32Array(capacity);
    this.length = 0;
  }
  push(v: number): number {
    if (this.length === this.items.length) this.items = growInt32(this.items, this.length + 1);
    this.items[this.length] = v;
    return this.length++;
  }
  pop(): number {
    return this.items[--this.length]!;
  }
}

/** A FIFO ring of int32. push/shift O(1) amortised. */
export class IntQueue {
  private buf: Int32Array;
  private head: number;
  length: number;
  constructor(capacity = 16) {
    this.buf = new Int32Array(capacity);
    this.head = 0;
    this.length = 0;
  }
  push(v: number): void {
    if (this.length === this.buf.length) this.grow();
    this.buf[(this.head + this.length) & (this.buf.length - 1)] = v;
    this.length++;
  }
  peek(): number {
    return this.buf[this.head]!;
  }
  shift(): number {
    const v = this.buf[this.head]!;
    this.head = (this.head + 1) & (this.buf.length - 1);
    this.length--;
    return v;
  }
  private grow(): void {
    const b = new Int32Array(this.buf.length * 2);
    for (let i = 0; i < this.length; i++) b[i] = this.buf[(this.head + i) & (this.buf.length - 1)]!;
    this.buf = b;
    this.head = 0;
  }
}
