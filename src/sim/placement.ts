/**
 * Nodes of one node pool bucketed by how many pods they hold (0..maxPods), as intrusive doubly linked lists
 * threaded through the node table's records (N_NEXT, N_PREV, N_WHERE: beside the node's state and pod count, so
 * a bind or departure touches one line of node state). Spread placement takes the node that reached the lowest
 * count below maxPods first, pack the highest: O(1) amortised with moving hints (never a scan over nodes; at most
 * maxPods + 1 buckets are looked at).
 * Costs: add, remove, move O(1); lowest O(1) amortised; highest, lowestAny O(maxPods) worst case, O(1) typical;
 * nodesIn O(its size).
 */
import { N_NEXT, N_PREV, N_WHERE, NODE_SHIFT, type NodeTable } from './tables.js';

export class Buckets {
  readonly maxPods: number;
  /** The node table whose records hold the links (read `nodes.r` afresh: the table replaces it when it grows). */
  private readonly nodes: NodeTable;
  private readonly head: Int32Array;
  private readonly tail: Int32Array;
  private readonly sizes: Int32Array;
  /** Lowest bucket that may be non-empty. */
  private low: number;
  /** Highest bucket that may be non-empty. */
  private high: number;
  size: number;

  constructor(maxPods: number, nodes: NodeTable) {
    this.maxPods = maxPods;
    this.nodes = nodes;
    this.head = new Int32Array(maxPods + 1).fill(-1);
    this.tail = new Int32Array(maxPods + 1).fill(-1);
    this.sizes = new Int32Array(maxPods + 1);
    this.low = 0;
    this.high = 0;
    this.size = 0;
  }

  has(node: number): boolean {
    return this.nodes.r[(node << NODE_SHIFT) + N_WHERE]! >= 0;
  }

  /** The node's bucket (its pod count), or −1 when it is not in. */
  countOf(node: number): number {
    return this.nodes.r[(node << NODE_SHIFT) + N_WHERE]!;
  }

  /** Adds `node` (a record of the node table, not in any bucket) at the tail of bucket `count`. O(1). */
  add(node: number, count: number): void {
    this.append(this.nodes.r, node, count);
    this.size++;
  }

  /** Removes `node` from its bucket. O(1). */
  remove(node: number): void {
    const r = this.nodes.r;
    this.unlink(r, node);
    r[(node << NODE_SHIFT) + N_WHERE] = -1;
    this.size--;
  }

  /** Moves `node` (in a bucket) to the tail of bucket `count` (its new pod count). O(1). */
  move(node: number, count: number): void {
    const r = this.nodes.r;
    this.unlink(r, node);
    this.append(r, node, count);
  }

  /** Takes `node` out of its bucket's list (its own links go stale). */
  private unlink(r: Int32Array, node: number): void {
    const i = node << NODE_SHIFT;
    const b = r[i + N_WHERE]!;
    const p = r[i + N_PREV]!;
    const n = r[i + N_NEXT]!;
    if (p >= 0) r[(p << NODE_SHIFT) + N_NEXT] = n;
    else this.head[b] = n;
    if (n >= 0) r[(n << NODE_SHIFT) + N_PREV] = p;
    else this.tail[b] = p;
    this.sizes[b]!--;
  }

  /** Links `node` at the tail of bucket `count`. */
  private append(r: Int32Array, node: number, count: number): void {
    const i = node << NODE_SHIFT;
    const t = this.tail[count]!;
    r[i + N_PREV] = t;
    r[i + N_NEXT] = -1;
    if (t >= 0) r[(t << NODE_SHIFT) + N_NEXT] = node;
    else this.head[count] = node;
    this.tail[count] = node;
    r[i + N_WHERE] = count;
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

  /** The nodes of bucket `count` in order (a copy: the buckets may change while it is used). O(its size). */
  nodesIn(count: number): number[] {
    const out: number[] = [];
    const r = this.nodes.r;
    for (let n = this.head[count]!; n >= 0; n = r[(n << NODE_SHIFT) + N_NEXT]!) out.push(n);
    return out;
  }
}
