/**
 * The pod and node tables of one run: struct-of-arrays over typed arrays indexed by small integer ids,
 * ids recycled through free lists. No per-pod or per-node objects: a pod id costs 41 bytes here; the pod table
 * grows by doubling up to 64k ids and by a quarter beyond (so at 1M pods its slack is ≤ 25%, not ≤ 100%).
 * alloc/free are O(1) and touch only the fields a later step does not set anyway (fewer cache lines per pod).
 */
import { growFloat64, growInt32, growUint8 } from './structs.js';

/** Pod-table capacity for at least n ids: doubling below 64k, +25% above (bytes per live pod at the 1M scale). */
function podCapacity(cur: number, n: number): number {
  let cap = Math.max(16, cur);
  while (cap < n) cap = cap < 65_536 ? cap * 2 : cap + (cap >>> 2);
  return cap;
}

function resizeI32(a: Int32Array, cap: number): Int32Array {
  const b = new Int32Array(cap);
  b.set(a);
  return b;
}

/** Pod states. */
export const P_FREE = 0;
/** Unschedulable: waits in its pool's queue for a node with room. */
export const P_QUEUED = 1;
/** Bound to a node, waiting for an address (ContainerCreating). */
export const P_WAITING = 2;
export const P_RUNNING = 3;
/** Deleted while in a queue: freed when the queue reaches it. */
export const P_ZOMBIE = 4;

export class PodTable {
  state: Uint8Array;
  node: Int32Array;
  handle: Int32Array;
  /** Global node-pool index the pod belongs to. */
  pool: Int32Array;
  /** Deployment index (≥ 0), daemonset (-2 - index) or churn (-1). */
  owner: Int32Array;
  /** Index in its deployment's pod list. */
  slot: Int32Array;
  /** Per-node doubly linked list of bound pods. */
  next: Int32Array;
  prev: Int32Array;
  /** When the pod was bound to its node (ms): the start of its address wait. */
  boundAt: Float64Array;
  private freeHead: number;
  /** Ids handed out so far (high-water mark). */
  top: number;
  live: number;

  constructor(capacity = 1024) {
    this.state = new Uint8Array(capacity);
    this.node = new Int32Array(capacity);
    this.handle = new Int32Array(capacity);
    this.pool = new Int32Array(capacity);
    this.owner = new Int32Array(capacity);
    this.slot = new Int32Array(capacity);
    this.next = new Int32Array(capacity);
    this.prev = new Int32Array(capacity);
    this.boundAt = new Float64Array(capacity);
    this.freeHead = -1;
    this.top = 0;
    this.live = 0;
  }

  /**
   * A fresh pod id in state P_QUEUED, unbound (node −1). O(1) amortised. `handle`, `slot`, `next`, `prev` and
   * `boundAt` are left as they were: they are meaningful only once set (bind, onGranted, a deployment's push),
   * and nothing reads them before.
   */
  alloc(pool: number, owner: number): number {
    let id = this.freeHead;
    if (id >= 0) this.freeHead = this.next[id]!;
    else {
      id = this.top++;
      if (id >= this.state.length) this.grow(id + 1);
    }
    this.state[id] = P_QUEUED;
    this.node[id] = -1;
    this.pool[id] = pool;
    this.owner[id] = owner;
    this.live++;
    return id;
  }

  /** Makes room for `n` more ids at once (a deployment of n replicas): one resize instead of many. */
  reserve(n: number): void {
    if (this.top + n > this.state.length) this.grow(this.top + n);
  }

  free(id: number): void {
    this.state[id] = P_FREE;
    this.next[id] = this.freeHead;
    this.freeHead = id;
    this.live--;
  }

  private grow(n: number): void {
    const cap = podCapacity(this.state.length, n);
    const state = new Uint8Array(cap);
    state.set(this.state);
    this.state = state;
    this.node = resizeI32(this.node, cap);
    this.handle = resizeI32(this.handle, cap);
    this.pool = resizeI32(this.pool, cap);
    this.owner = resizeI32(this.owner, cap);
    this.slot = resizeI32(this.slot, cap);
    this.next = resizeI32(this.next, cap);
    this.prev = resizeI32(this.prev, cap);
    const boundAt = new Float64Array(cap);
    boundAt.set(this.boundAt);
    this.boundAt = boundAt;
  }
}

/** Node states. */
export const N_FREE = 0;
/** Requested, joins when its boot event fires. */
export const N_BOOTING = 1;
export const N_READY = 2;
/** Cordoned (being drained or replaced): holds its addresses, takes no new pods. */
export const N_CORDONED = 3;

export class NodeTable {
  state: Uint8Array;
  pool: Int32Array;
  /** Pods bound to the node. */
  pods: Int32Array;
  /** Head of the node's pod list. */
  head: Int32Array;
  /** When the node last became empty (for scale-down). */
  idleSince: Float64Array;
  /** 1 for surge nodes of an upgrade. */
  surge: Uint8Array;
  /** The upgrade generation the node was created under (nodes of older generations get replaced). */
  gen: Int32Array;
  private freeHead: number;
  top: number;

  constructor(capacity = 256) {
    this.state = new Uint8Array(capacity);
    this.pool = new Int32Array(capacity);
    this.pods = new Int32Array(capacity);
    this.head = new Int32Array(capacity);
    this.idleSince = new Float64Array(capacity);
    this.surge = new Uint8Array(capacity);
    this.gen = new Int32Array(capacity);
    this.freeHead = -1;
    this.top = 0;
  }

  alloc(pool: number): number {
    let id = this.freeHead;
    if (id >= 0) this.freeHead = this.head[id]!;
    else {
      id = this.top++;
      if (id >= this.state.length) this.grow(id + 1);
    }
    this.state[id] = N_BOOTING;
    this.pool[id] = pool;
    this.pods[id] = 0;
    this.head[id] = -1;
    this.idleSince[id] = 0;
    this.surge[id] = 0;
    this.gen[id] = 0;
    return id;
  }

  free(id: number): void {
    this.state[id] = N_FREE;
    this.head[id] = this.freeHead;
    this.freeHead = id;
  }

  private grow(n: number): void {
    this.state = growUint8(this.state, n);
    this.pool = growInt32(this.pool, n);
    this.pods = growInt32(this.pods, n);
    this.head = growInt32(this.head, n);
    this.idleSince = growFloat64(this.idleSince, n);
    this.surge = growUint8(this.surge, n);
    this.gen = growInt32(this.gen, n);
  }
}
