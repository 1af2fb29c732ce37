/**
 * Pods bound to a node that wait for an address: kubelet keeps retrying a pod whose sandbox could not get one
 * (ContainerCreating), so the pod stays on its node and counts against its max-pods. A FIFO per node, threaded
 * through per-pod links: push, remove and first O(1); arrays grow by doubling with the largest pod or node id.
 */
import { growI32 } from './mechanics.js';

export class WaitingPods {
  private next: Int32Array;
  private prev: Int32Array;
  private head: Int32Array;
  private tail: Int32Array;
  private count: Int32Array;
  /** Waiting pods, all nodes together. */
  total: number;

  constructor() {
    this.next = new Int32Array(64).fill(-1);
    this.prev = new Int32Array(64).fill(-1);
    this.head = new Int32Array(64).fill(-1);
    this.tail = new Int32Array(64).fill(-1);
    this.count = new Int32Array(64);
    this.total = 0;
  }

  ensureNode(node: number): void {
    if (node < this.head.length) return;
    this.head = growI32(this.head, node + 1, -1);
    this.tail = growI32(this.tail, node + 1, -1);
    this.count = growI32(this.count, node + 1, 0);
  }

  push(node: number, pod: number): void {
    if (pod >= this.next.length) {
      this.next = growI32(this.next, pod + 1, -1);
      this.prev = growI32(this.prev, pod + 1, -1);
    }
    const t = this.tail[node]!;
    this.prev[pod] = t;
    this.next[pod] = -1;
    if (t >= 0) this.next[t] = pod;
    else this.head[node] = pod;
    this.tail[node] = pod;
    this.count[node]!++;
    this.total++;
  }

  remove(node: number, pod: number): void {
    const p = this.prev[pod]!;
    const n = this.next[pod]!;
    if (p >= 0) this.next[p] = n;
    else this.head[node] = n;
    if (n >= 0) this.prev[n] = p;
    else this.tail[node] = p;
    this.prev[pod] = -1;
    this.next[pod] = -1;
    this.count[node]!--;
    this.total--;
  }

  /** The node's longest-waiting pod, or -1. */
  first(node: number): number {
    return this.head[node]!;
  }

  size(node: number): number {
    return node < this.count.length ? this.count[node]! : 0;
  }
}
