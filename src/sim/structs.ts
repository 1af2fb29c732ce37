/**
 * Small integer containers for the hot path: a growable list, a FIFO ring and count buckets for placement.
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

/**
 * Nodes of one node pool bucketed by how many pods they hold (0..maxPods), as intrusive doubly linked lists.
 * Spread placement takes a node from the lowest bucket below maxPods, pack from the highest: O(1) amortised
 * with a moving hint (never a scan over nodes; at most maxPods + 1 buckets are looked at). A node's links and
 * bucket are one 16-byte entry of `link` (a move reads one line per node touched, not one per field).
 */
/** Fields of a node's entry in Buckets.link. */
const L_NEXT = 0;
const L_PREV = 1;
const L_WHERE = 2;

export class Buckets {
  readonly maxPods: number;
  private readonly head: Int32Array;
  private readonly tail: Int32Array;
  private readonly sizes: Int32Array;
  /** Per node id: [next, prev, bucket (−1 when not in), unused]. */
  private link: Int32Array;
  /** Lowest bucket that may be non-empty. */
  private low: number;
  /** Highest bucket that may be non-empty. */
  private high: number;
  size: number;

  constructor(maxPods: number) {
    this.maxPods = maxPods;
    this.head = new Int32Array(maxPods + 1).fill(-1);
    this.tail = new Int32Array(maxPods + 1).fill(-1);
    this.sizes = new Int32Array(maxPods + 1);
    this.link = new Int32Array(64 * 4);
    for (let n = 0; n < 64; n++) this.link[4 * n + L_WHERE] = -1;
    this.low = 0;
    this.high = 0;
    this.size = 0;
  }

  private ensure(node: number): void {
    const old = this.link.length >> 2;
    if (node < old) return;
    let cap = old;
    while (cap <= node) cap *= 2;
    const link = new Int32Array(cap * 4);
    link.set(this.link);
    for (let n = old; n < cap; n++) link[4 * n + L_WHERE] = -1;
    this.link = link;
  }

  has(node: number): boolean {
    return node < this.link.length >> 2 && this.link[4 * node + L_WHERE]! >= 0;
  }

  /** Adds `node` at the tail of bucket `count`. O(1). */
  add(node: number, count: number): void {
    this.ensure(node);
    this.append(node, count);
    this.size++;
  }

  /** Removes `node` from its bucket. O(1). */
  remove(node: number): void {
    this.unlink(node);
    this.link[4 * node + L_WHERE] = -1;
    this.size--;
  }

  /** Moves `node` (in a bucket) to the tail of bucket `count` (its new pod count). O(1). */
  move(node: number, count: number): void {
    this.unlink(node);
    this.append(node, count);
  }

  /** Takes `node` out of its bucket's list (its own entry keeps stale links). */
  private unlink(node: number): void {
    const link = this.link;
    const i = 4 * node;
    const b = link[i + L_WHERE]!;
    const p = link[i + L_PREV]!;
    const n = link[i + L_NEXT]!;
    if (p >= 0) link[4 * p + L_NEXT] = n;
    else this.head[b] = n;
    if (n >= 0) link[4 * n + L_PREV] = p;
    else this.tail[b] = p;
    this.sizes[b]!--;
  }

  /** Links `node` at the tail of bucket `count`. */
  private append(node: number, count: number): void {
    const link = this.link;
    const i = 4 * node;
    const t = this.tail[count]!;
    link[i + L_PREV] = t;
    link[i + L_NEXT] = -1;
    if (t >= 0) link[4 * t + L_NEXT] = node;
    else this.head[count] = node;
    this.tail[count] = node;
    link[i + L_WHERE] = count;
    this.sizes[count]!++;
    if (count < this.low) this.low = count;
    if (count > this.high) this.high = count;
  }

  /** The node with the fewest pods below maxPods, or -1. O(1) amortised. */
  lowest(): number {
    if (this.size === 0) return -1;
    while (this.low <= this.maxPods && this.sizes[this.low] === 0) this.low++;
    if (this.low >= this.maxPods) return -1;
    return this.head[this.low]!;
  }

  /** The node with the most pods below maxPods, or -1. O(maxPods) worst case, O(1) typical. */
  highest(): number {
    if (this.size === 0) return -1;
    let h = Math.min(this.high, this.maxPods - 1);
    while (h >= 0 && this.sizes[h] === 0) h--;
    this.high = Math.max(h, 0);
    return h < 0 ? -1 : this.head[h]!;
  }

  /** The node with the fewest pods, full ones included (for removal), or -1. */
  lowestAny(): number {
    if (this.size === 0) return -1;
    for (let b = this.low; b <= this.maxPods; b++) if (this.sizes[b]! > 0) return this.head[b]!;
    return -1;
  }

  /** The node's bucket (its pod count), or −1 when it is not in. */
  countOf(node: number): number {
    return node < this.link.length >> 2 ? this.link[4 * node + L_WHERE]! : -1;
  }

  /** The nodes of bucket `count` in order (a copy: the buckets may change while it is used). O(its size). */
  nodesIn(count: number): number[] {
    const out: number[] = [];
    for (let n = this.head[count]!; n >= 0; n = this.link[4 * n + L_NEXT]!) out.push(n);
    return out;
  }
  countIn(count: number): number {
    return this.sizes[count]!;
  }
}
