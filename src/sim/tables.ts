/**
 * The pod and node tables of one run, over typed arrays indexed by small integer ids, ids recycled through free
 * lists. No per-pod or per-node objects.
 *
 * Pods: one interleaved Int32Array, a record of 8 Int32 per pod (32 bytes, two records per 64-byte line), field
 * offsets P_STATE … P_BSEQ, read as `f[(p << 3) + P_NODE]`. A churn arrival or departure touches one pod's record
 * (one cache line) and its node's record: no other pod's record, as a per-node linked list of pods would (its two
 * neighbours: two more misses per departure at 660k pods). The table grows by doubling up to 64k ids and by a
 * quarter beyond (at 1M pods its slack is ≤ 25%, not ≤ 100%); a run sizes it once from its expected peak.
 * alloc/free are O(1) (the free list is threaded through P_NSLOT) and touch only the fields a later step does not
 * set anyway. The bind time of a pod waiting for its address (P_WAITING, dynamic modes) is kept exactly (ms times
 * up to a year do not fit an Int32) in a Map beside the record, only while the pod waits: O(1) expected.
 */
import { internalError } from '../errors.js';
import { growFloat64, growInt32, growUint8 } from './structs.js';

/** Pod-table capacity for at least n ids: doubling below 64k, +25% above (bytes per live pod at the 1M scale). */
function podCapacity(cur: number, n: number): number {
  let cap = Math.max(16, cur);
  while (cap < n) cap = cap < 65_536 ? cap * 2 : cap + (cap >>> 2);
  return cap;
}

/** Int32 fields per pod record, and its log2 (a record starts at `p << POD_SHIFT`). */
export const POD_FIELDS = 8;
export const POD_SHIFT = 3;
/** Pod record fields (offsets into the record). */
export const P_STATE = 0;
export const P_NODE = 1;
export const P_HANDLE = 2;
/** Global node-pool index the pod belongs to. */
export const P_POOL = 3;
/** Deployment index (≥ 0), daemonset (daemonsetOwner(index)) or churn (OWNER_CHURN). */
export const P_OWNER = 4;
/** P_OWNER of a churn pod. */
export const OWNER_CHURN = -1;
/** P_OWNER of daemonset `ds`'s pods: -2, -3, … (below OWNER_CHURN). */
export function daemonsetOwner(ds: number): number {
  return -2 - ds;
}
export function isDaemonsetOwner(owner: number): boolean {
  return owner <= -2;
}
/** Index in its deployment's pod list. */
export const P_SLOT = 5;
/** A bound pod's slot in its node's slot table (NodeTable.slotPod); a free pod's next free id. */
export const P_NSLOT = 6;
/** A bound pod's bind number on its node (the node's binds counter when it was bound): orders evictions. */
export const P_BSEQ = 7;

/**
 * Heap bytes per entry of the waiting pods' Map [measured on Node 20 with --expose-gc: 29–49 bytes per entry
 * with Smi values, depending on the table's load; +16 for a HeapNumber value beyond 2^31 ms]: an upper bound.
 */
const WAIT_ENTRY_BYTES = 64;

/** P_HANDLE of a running hostNetwork pod: it holds no address (allocator handles are ≥ 0). */
export const HOST_NETWORK_HANDLE = -1;

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
  /** The records: `f[(p << POD_SHIFT) + P_…]`. Replaced when the table grows (alloc, reserve): re-read it after. */
  f: Int32Array;
  /** Ids the records can hold. */
  capacity: number;
  /**
   * Pod id → when it was bound to its node (ms), for pods in P_WAITING only: set when the allocator answers
   * PENDING, removed when the pod is granted or unbound (see waitStarted, waitEnded, waitDropped).
   */
  readonly boundAt: Map<number, number>;
  private freeHead: number;
  /** Ids handed out so far (high-water mark). */
  top: number;
  live: number;

  constructor(capacity = 1024) {
    this.f = new Int32Array(capacity << POD_SHIFT);
    this.capacity = capacity;
    this.boundAt = new Map<number, number>();
    this.freeHead = -1;
    this.top = 0;
    this.live = 0;
  }

  /**
   * A fresh pod id in state P_QUEUED, unbound (node −1). O(1) amortised. P_HANDLE, P_SLOT, P_NSLOT and P_BSEQ are
   * left as they were: they are meaningful only once set (bind, onGranted, a deployment's push), and nothing
   * reads them before.
   */
  alloc(pool: number, owner: number): number {
    let id = this.freeHead;
    if (id >= 0) this.freeHead = this.f[(id << POD_SHIFT) + P_NSLOT]!;
    else {
      id = this.top++;
      if (id >= this.capacity) this.grow(id + 1);
    }
    const f = this.f;
    const b = id << POD_SHIFT;
    f[b + P_STATE] = P_QUEUED;
    f[b + P_NODE] = -1;
    f[b + P_POOL] = pool;
    f[b + P_OWNER] = owner;
    this.live++;
    return id;
  }

  /** Makes room for `n` more ids at once (a deployment of n replicas): one resize instead of many. */
  reserve(n: number): void {
    if (this.top + n > this.capacity) this.grow(this.top + n);
  }

  /** O(1). The pod must not be waiting for an address any more (its bind time was dropped when it was unbound). */
  free(id: number): void {
    const b = id << POD_SHIFT;
    this.f[b + P_STATE] = P_FREE;
    this.f[b + P_NSLOT] = this.freeHead;
    this.freeHead = id;
    this.live--;
  }

  /** The pod starts waiting for its address at `nowMs`. O(1) expected. */
  waitStarted(id: number, nowMs: number): void {
    this.boundAt.set(id, nowMs);
  }

  /** The pod got its address: how long it waited (ms). O(1) expected. Throws if it was not waiting. */
  waitEnded(id: number, nowMs: number): number {
    const t = this.boundAt.get(id);
    if (t === undefined) throw internalError(`pod ${id} was granted an address but has no bind time`);
    this.boundAt.delete(id);
    return nowMs - t;
  }

  /** The pod stops waiting without an address (unbound, deleted). O(1) expected. */
  waitDropped(id: number): void {
    this.boundAt.delete(id);
  }

  /** Bytes held: the records, plus an estimate for the waiting pods' bind times. */
  get memoryBytes(): number {
    return this.f.byteLength + this.boundAt.size * WAIT_ENTRY_BYTES;
  }

  private grow(n: number): void {
    const cap = podCapacity(this.capacity, n);
    const f = new Int32Array(cap << POD_SHIFT);
    f.set(this.f);
    this.f = f;
    this.capacity = cap;
  }
}

/** Node states. */
export const N_FREE = 0;
/** Requested, joins when its boot event fires. */
export const N_BOOTING = 1;
export const N_READY = 2;
/** Cordoned (being drained or replaced): holds its addresses, takes no new pods. */
export const N_CORDONED = 3;
/** Requested, then no longer wanted before it joined: freed when its boot event fires. */
export const N_CANCELLED = 4;

/** Node record fields (offsets into a node's record in NodeTable.r). */
export const N_STATE = 0;
/** Global node-pool index. */
export const N_POOL = 1;
/** Pods bound to the node. */
export const N_PODS = 2;
/** Binds so far on the node (numbers its pods' P_BSEQ). */
export const N_BINDS = 3;
/** Placement links (src/sim/placement.ts): next and previous node of the same count, and the count (−1: not placed). */
export const N_NEXT = 4;
export const N_PREV = 5;
export const N_WHERE = 6;
/** Daemonset pods bound to the node (they do not keep a node from being idle). */
export const N_DAEMONS = 7;
/** Int32 fields per node record, and its log2: a record is 32 bytes, two per cache line. */
export const NODE_FIELDS = 8;
export const NODE_SHIFT = 3;

/**
 * Nodes: the fields a bind or departure reads and writes — state, pool, pod counts, bind counter and the placement
 * links — in one 32-byte Int32Array record per node, `r[(n << NODE_SHIFT) + N_…]`, so a placement touches one
 * line of node state, not one per field or per structure (with a million pods the pod records keep evicting node
 * state from the 512 KB L2, and every distinct line was a miss). Colder fields (idle time, surge, upgrade
 * generation) stay in their own arrays.
 *
 * Which pods a node holds is needed only to list them (evictions, --check), so that index is built on the first
 * such need, by one pass over the pod table, and kept up to date from then on: each bound pod gets a slot in its
 * node (a bitmap of slotWords words per node, lowest free slot first; the pod's P_NSLOT) and slotPod maps the slot
 * back to the pod. A run without evictions (pure churn) never builds it and pays nothing per bind.
 */
export class NodeTable {
  /** Records: `r[(n << NODE_SHIFT) + N_…]`. Replaced when the table grows: re-read it after alloc(). */
  r: Int32Array;
  /** When the node last became empty (for scale-down). */
  idleSince: Float64Array;
  /** 1 for surge nodes of an upgrade. */
  surge: Uint8Array;
  /** The upgrade generation the node was created under (nodes of older generations get replaced). */
  gen: Int32Array;
  /** Free-list link of a free node. */
  private link: Int32Array;
  /** Slot words per node: 32 slots each, at least the most pods a node may hold. */
  readonly slotWords: number;
  /** Once indexed: per node, slotWords words with bit s set when slot s holds a bound pod. Empty before. */
  private slotBits: Int32Array;
  /** Once indexed: per node, 32 × slotWords entries, the pod in each taken slot (stale in free slots). */
  slotPod: Int32Array;
  /** True once the slot index was built (then every bind and unbind keeps it up to date). */
  indexed: boolean;
  private capacity: number;
  private freeHead: number;
  top: number;

  /** `maxPods`: the most pods any node of the run may hold. */
  constructor(maxPods: number, capacity = 256) {
    this.slotWords = Math.max(1, Math.ceil(maxPods / 32));
    this.capacity = capacity;
    this.r = new Int32Array(capacity << NODE_SHIFT);
    this.idleSince = new Float64Array(capacity);
    this.surge = new Uint8Array(capacity);
    this.gen = new Int32Array(capacity);
    this.link = new Int32Array(capacity);
    this.slotBits = new Int32Array(0);
    this.slotPod = new Int32Array(0);
    this.indexed = false;
    this.freeHead = -1;
    this.top = 0;
  }

  alloc(pool: number): number {
    let id = this.freeHead;
    if (id >= 0) this.freeHead = this.link[id]!;
    else {
      id = this.top++;
      if (id >= this.capacity) this.grow();
    }
    const b = id << NODE_SHIFT;
    this.r.fill(0, b, b + NODE_FIELDS);
    this.r[b + N_STATE] = N_BOOTING;
    this.r[b + N_POOL] = pool;
    this.r[b + N_WHERE] = -1;
    if (this.indexed) this.slotBits.fill(0, id * this.slotWords, (id + 1) * this.slotWords);
    this.idleSince[id] = 0;
    this.surge[id] = 0;
    this.gen[id] = 0;
    return id;
  }

  free(id: number): void {
    this.r[(id << NODE_SHIFT) + N_STATE] = N_FREE;
    this.link[id] = this.freeHead;
    this.freeHead = id;
  }

  stateOf(n: number): number {
    return this.r[(n << NODE_SHIFT) + N_STATE]!;
  }
  setState(n: number, state: number): void {
    this.r[(n << NODE_SHIFT) + N_STATE] = state;
  }
  poolOf(n: number): number {
    return this.r[(n << NODE_SHIFT) + N_POOL]!;
  }
  podsOf(n: number): number {
    return this.r[(n << NODE_SHIFT) + N_PODS]!;
  }
  bindsOf(n: number): number {
    return this.r[(n << NODE_SHIFT) + N_BINDS]!;
  }
  /** True when the node holds no pods but daemonset pods (cluster-autoscaler's rule for an unneeded node). */
  isIdle(n: number): boolean {
    return this.r[(n << NODE_SHIFT) + N_PODS] === this.r[(n << NODE_SHIFT) + N_DAEMONS];
  }

  /**
   * Once indexed: puts pod p in the node's lowest free slot and returns the slot (−1 when every slot is taken).
   * O(slotWords).
   */
  takeSlot(node: number, p: number): number {
    const bits = this.slotBits, words = this.slotWords;
    const base = node * words;
    for (let i = 0; i < words; i++) {
      const w = bits[base + i]!;
      if (w !== -1) {
        const bit = 31 - Math.clz32(~w & ((w + 1) | 0)); // lowest clear bit (int32 arithmetic throughout)
        bits[base + i] = w | (1 << bit);
        const slot = (i << 5) + bit;
        this.slotPod[(base << 5) + slot] = p;
        return slot;
      }
    }
    return -1;
  }

  /** Once indexed: frees slot s of the node. O(1). */
  freeSlot(node: number, s: number): void {
    this.slotBits[node * this.slotWords + (s >>> 5)]! &= ~(1 << (s & 31));
  }

  /**
   * Builds the slot index from the pod table (each bound pod gets the lowest free slot of its node, in pod id
   * order; its P_NSLOT is set) and keeps it up to date from now on. O(pods), once per run.
   */
  index(pods: PodTable): void {
    if (this.indexed) return;
    const f = pods.f;
    this.slotBits = new Int32Array(this.capacity * this.slotWords);
    this.slotPod = new Int32Array(this.capacity * this.slotWords * 32);
    for (let p = 0; p < pods.top; p++) {
      const b = p << POD_SHIFT;
      const st = f[b + P_STATE];
      if (st === P_RUNNING || st === P_WAITING) f[b + P_NSLOT] = this.takeSlot(f[b + P_NODE]!, p);
    }
    this.indexed = true;
  }

  /** The pods bound to the node, in slot order (builds the slot index on first use). O(slotWords × 32). */
  slotted(node: number, pods: PodTable): number[] {
    this.index(pods);
    const out: number[] = [];
    const words = this.slotWords, base = node * words;
    for (let i = 0; i < words; i++) {
      for (let w = this.slotBits[base + i]!; w !== 0; w &= w - 1) out.push(this.slotPod[((base + i) << 5) + 31 - Math.clz32(w & -w)]!);
    }
    return out;
  }

  /** Doubles the capacity (records, cold arrays and the slot index keep their node indices). */
  private grow(): void {
    const cap = 2 * this.capacity;
    const r = new Int32Array(cap << NODE_SHIFT);
    r.set(this.r);
    this.r = r;
    this.idleSince = growFloat64(this.idleSince, cap);
    this.surge = growUint8(this.surge, cap);
    this.gen = growInt32(this.gen, cap);
    this.link = growInt32(this.link, cap);
    if (this.indexed) {
      this.slotBits = growInt32(this.slotBits, cap * this.slotWords);
      this.slotPod = growInt32(this.slotPod, cap * this.slotWords * 32);
    }
    this.capacity = cap;
  }
}
