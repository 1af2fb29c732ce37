/**
 * ipamd's per-node state, laid out for the pod path (IpamdAllocator in ./ipamd.ts makes the decisions).
 *
 * A pod's add or release on a node it has not touched for a while misses the cache on every line it reads, and at
 * a churn over tens of thousands of nodes those misses are the run's cost. So each node has one record (`i`, with
 * Float64 / Uint16 / Uint8 views `f`, `u16`, `u8` of the same buffer; stride RS words, a multiple of 64 bytes) that
 * holds what the pod path reads and writes, in this order:
 *   - the release times and slots of the node's two oldest addresses in cooldown, its pod count (Int32) and its
 *     other counts (Uint16: they are bounded by the node's address slots);
 *   - the ready bitset's summary words (bit w: word w has a ready slot);
 *   - each ENI's assigned-address count (Uint16);
 *   - the ready bitset (bit s: address slot s is attached, unassigned and out of cooldown);
 *   - prefix mode: each slot position's assigned-address count (Uint8, at most 16).
 * For an m5.large in secondary-IP mode that is 56 bytes, one line; with prefixes, the pod path touches the first
 * two of three (the low positions' ready bits and counts: pods take the lowest ready address). Everything else is
 * colder and lives apart: timers (`times`, T_…), subnets (`subs`, S_…), ENI attachments (`eniCidrs`, `eniPrimary`,
 * `eniCreated`), slot positions' addresses (`cidrAddr`).
 *
 * Addresses in cooldown wait in release order, which is also the order they become usable (one cooldown period
 * for all). The oldest K are in the record itself, two in its fields and as many more as its last line has spare
 * bytes (K = 2 for an m5.large with secondary IPs, 7 with prefixes; in a churn on m5.large nodes 83 % and 98 % of
 * releases find fewer than K cooling on their node, so a release and the next add there touch no other line); the
 * others wait in a ring per node (`ring`, capacity: the node's address slots), moved back to the ring's start when
 * four or fewer are left, so a node's usual few stay in one line. Push and pop are O(K); taking slots out of the
 * middle (a position released while its addresses cool) rewrites the queue, O(cooling), which only ipamd's pool
 * decrease and ENI removal do.
 *
 * Indexing: node records at node × RS; ENIs at node × E + device; slot positions at node × C + device × P + k;
 * address slots (s) are node-relative, (device × P + k) × U + j, U = 1 (secondary IPs) or 16 (prefixes).
 */
import { internalError } from '../../errors.js';
import { growF64, growI32 } from '../mechanics.js';

// A node record's fields. Float64 index (record start / 8): the release times of its two oldest cooling addresses.
export const F_COOL_AT = 0; // oldest, Infinity: none; 1: the second oldest
// Int32 index (record start / 4):
export const H_PODS = 4; // pods on the node: assigned + waiting (max-pods may pass 65,535)
// Uint16 index (record start / 2): counts bounded by the node's address slots (at most 24,192).
export const H_POOL1 = 10; // node-pool index + 1, 0: not joined
export const H_TOTAL = 11; // addresses attached as slots (IPs, or 16 × prefixes)
export const H_ASSIGNED = 12; // addresses given to pods
export const H_FREE = 13; // slot positions with no assigned address (free IPs / free prefixes)
export const H_EMPTY = 14; // non-primary ENIs with no assigned address
export const H_CIDRS = 15; // slot positions filled (IPs or prefixes)
export const H_ENIS = 16; // ENIs attached, the primary included
export const H_COOLING = 17; // addresses in cooldown
const H_COOL_SLOT = 18; // slot of the oldest cooling address; 19: of the second oldest
/** Int32 words of the fields above. */
const H_WORDS = 10;
/** Cooling addresses held in the record's fields; more go in its last line's spare bytes (NodeRecords.K). */
const INLINE = 2;
/** Ring entries (16 bytes) in a 64-byte line: a queue this short is kept at its ring's start. */
const LINE_ENTRIES = 4;

/** Node timers (Float64, stride 8). */
export const T_JOIN = 0;
export const T_TICK = 1; // handle of the scheduled tick, -1: none
export const T_TICK_AT = 2;
export const T_COOL_TIMER = 3; // handle of the scheduled cooldown wake-up, -1: none
export const T_LAST_DECREASE = 4;
export const T_LAST_INSUFFICIENT = 5;
const T_STRIDE = 8;

/** Node subnets and flags (Int32, stride 4). */
export const S_SUB = 0; // index into the allocator's subnets of the node's own subnet
export const S_ENI_SUB = 1; // … of its pod ENIs' subnet
export const S_REFUSING = 2; // 1 while a refusal streak is recorded
const S_COOL_HEAD = 3; // ring index of the second-oldest cooling address
const S_STRIDE = 4;

export class NodeRecords {
  /** ENIs per node, positions per ENI, positions per node, addresses per position (and log2), slots per node. */
  readonly E: number;
  readonly P: number;
  readonly C: number;
  readonly U: number;
  readonly ushift: number;
  readonly SLOTS: number;
  /** Ready bitset words and summary words per node. */
  readonly W: number;
  readonly SW: number;
  /** Record stride (Int32 words); Uint16 index of the ENI counts and Uint8 index of the position counts in a record; word of the ready bits. */
  readonly RS: number;
  private readonly EA: number;
  private readonly PA: number;
  private readonly RW: number;
  /** Cooling addresses the record holds (INLINE in the fields, the rest in its spare tail: Float64 / Uint16 index of their times and slots). */
  readonly K: number;
  private readonly TT: number;
  private readonly TS: number;
  i: Int32Array;
  f: Float64Array;
  u16: Uint16Array;
  u8: Uint8Array;
  times: Float64Array;
  subs: Int32Array;
  eniCidrs: Int32Array; // positions filled, -1: not attached
  eniPrimary: Int32Array; // the ENI's primary address (offset in its subnet)
  eniCreated: Float64Array;
  cidrAddr: Int32Array; // offset in the ENI's subnet of the position's address or /28, -1: empty
  /** Cooling addresses after a node's oldest: per node SLOTS entries of [release time, slot]. */
  ring: Float64Array;
  /** Nodes the arrays hold. */
  length: number;
  /** Scratch: a bitset over one node's slots (cooling marks), one node's cooling queue (the rare paths). */
  private readonly marks: Int32Array;
  private readonly qTime: Float64Array;
  private readonly qSlot: Int32Array;

  constructor(enis: number, perEni: number, prefix: boolean) {
    this.E = enis;
    this.P = perEni;
    this.C = enis * perEni;
    this.U = prefix ? 16 : 1;
    this.ushift = prefix ? 4 : 0;
    this.SLOTS = this.C * this.U;
    if (this.SLOTS > 0xffff) throw internalError(`ipamd: ${this.SLOTS} address slots per node do not fit the record's Uint16 counts`);
    this.W = Math.ceil(this.SLOTS / 32);
    this.SW = Math.ceil(this.W / 32);
    const eniWords = Math.ceil(enis / 2);
    const posWords = prefix ? Math.ceil(this.C / 4) : 0;
    this.EA = (H_WORDS + this.SW) * 2;
    this.RW = H_WORDS + this.SW + eniWords;
    this.PA = (this.RW + this.W) * 4;
    this.RS = Math.ceil((this.RW + this.W + posWords) / 16) * 16;
    // The spare bytes at the record's end hold more cooling addresses (10 bytes each: a time and a slot).
    const tail = Math.ceil((prefix ? this.PA + this.C : (this.RW + this.W) * 4) / 8) * 8;
    const extra = Math.floor((this.RS * 4 - tail) / 10);
    this.K = INLINE + extra;
    this.TT = tail / 8;
    this.TS = (tail + 8 * extra) / 2;
    this.length = 0;
    this.i = new Int32Array(0);
    this.f = new Float64Array(0);
    this.u16 = new Uint16Array(0);
    this.u8 = new Uint8Array(0);
    this.times = new Float64Array(0);
    this.subs = new Int32Array(0);
    this.eniCidrs = new Int32Array(0);
    this.eniPrimary = new Int32Array(0);
    this.eniCreated = new Float64Array(0);
    this.cidrAddr = new Int32Array(0);
    this.ring = new Float64Array(0);
    this.marks = new Int32Array(this.W);
    this.qTime = new Float64Array(this.SLOTS);
    this.qSlot = new Int32Array(this.SLOTS);
    this.grow(64);
  }

  /** Makes room for node ids up to `node` (doubling); new nodes are not joined and have no ENI. */
  ensure(node: number): void {
    if (node < this.length) return;
    let len = this.length;
    while (len <= node) len *= 2;
    this.grow(len);
  }

  private grow(len: number): void {
    const buf = new ArrayBuffer(len * this.RS * 4);
    new Int32Array(buf).set(this.i);
    this.i = new Int32Array(buf);
    this.f = new Float64Array(buf);
    this.u16 = new Uint16Array(buf);
    this.u8 = new Uint8Array(buf);
    this.times = growF64(this.times, len * T_STRIDE, -1);
    this.subs = growI32(this.subs, len * S_STRIDE, -1);
    this.eniCidrs = growI32(this.eniCidrs, len * this.E, -1);
    this.eniPrimary = growI32(this.eniPrimary, len * this.E, -1);
    this.eniCreated = growF64(this.eniCreated, len * this.E, 0);
    this.cidrAddr = growI32(this.cidrAddr, len * this.C, -1);
    this.ring = growF64(this.ring, len * this.SLOTS * 2, 0);
    this.length = len;
  }

  /** Index in `times` of a node's timer, in `subs` of its subnet field. */
  t(node: number, field: number): number {
    return node * T_STRIDE + field;
  }

  s(node: number, field: number): number {
    return node * S_STRIDE + field;
  }

  /** Clears a joining node's record (counts, ready bits, ENI and position counts, cooling) and timers. */
  reset(node: number, pool: number, now: number): void {
    const r = node * this.RS;
    this.i.fill(0, r, r + this.RS);
    this.f[(r >> 1) + F_COOL_AT] = Infinity;
    this.u16[(r << 1) + H_POOL1] = pool + 1;
    const t = node * T_STRIDE;
    this.times[t + T_JOIN] = now;
    this.times[t + T_TICK] = -1;
    this.times[t + T_TICK_AT] = Infinity;
    this.times[t + T_COOL_TIMER] = -1;
    this.times[t + T_LAST_DECREASE] = -Infinity;
    this.times[t + T_LAST_INSUFFICIENT] = -Infinity;
    this.subs[node * S_STRIDE + S_REFUSING] = 0;
    this.subs[node * S_STRIDE + S_COOL_HEAD] = 0;
  }

  /** The node's pool, or -1: not joined. */
  poolOf(node: number): number {
    return node < this.length ? this.u16[node * this.RS * 2 + H_POOL1]! - 1 : -1;
  }

  /** The node leaves: not joined. */
  leave(node: number): void {
    this.u16[node * this.RS * 2 + H_POOL1] = 0;
  }

  // --- ENI and position counts ------------------------------------------------------------------------------

  /** Uint16 index of ENI `dev`'s assigned count. */
  eniAssigned(node: number, dev: number): number {
    return node * this.RS * 2 + this.EA + dev;
  }

  /** Uint8 index of slot position `c`'s assigned count (prefix mode). */
  posAssigned(node: number, c: number): number {
    return node * this.RS * 4 + this.PA + c;
  }

  // --- ready bitset -------------------------------------------------------------------------------------------

  setReady(node: number, s: number): void {
    const wi = s >>> 5;
    const r = node * this.RS;
    this.i[r + this.RW + wi]! |= 1 << (s & 31);
    this.i[r + H_WORDS + (wi >>> 5)]! |= 1 << (wi & 31);
  }

  clearReady(node: number, s: number): void {
    const wi = s >>> 5;
    const r = node * this.RS;
    const k = r + this.RW + wi;
    const w = this.i[k]! & ~(1 << (s & 31));
    this.i[k] = w;
    if (w === 0) this.i[r + H_WORDS + (wi >>> 5)]! &= ~(1 << (wi & 31));
  }

  isReady(node: number, s: number): boolean {
    return (this.i[node * this.RS + this.RW + (s >>> 5)]! & (1 << (s & 31))) !== 0;
  }

  /** The lowest ready slot, or -1. O(SW). */
  lowestReady(node: number): number {
    const r = node * this.RS;
    for (let k = 0; k < this.SW; k++) {
      const sw = this.i[r + H_WORDS + k]!;
      if (sw !== 0) {
        const wi = (k << 5) + (31 - Math.clz32(sw & -sw));
        const w = this.i[r + this.RW + wi]!;
        return (wi << 5) + (31 - Math.clz32(w & -w));
      }
    }
    return -1;
  }

  // --- addresses in cooldown ---------------------------------------------------------------------------------

  /** Float64 index of the node record's j-th cooling time, Uint16 index of its slot (j < K). */
  private inTime(r: number, j: number): number {
    return j < INLINE ? (r >> 1) + F_COOL_AT + j : (r >> 1) + this.TT + j - INLINE;
  }

  private inSlot(r: number, j: number): number {
    return j < INLINE ? (r << 1) + H_COOL_SLOT + j : (r << 1) + this.TS + j - INLINE;
  }

  /** Slot `s` starts its cooldown at `now` (the newest). O(1). */
  coolPush(node: number, s: number, now: number): void {
    const r = node * this.RS;
    const q = r << 1;
    const n = this.u16[q + H_COOLING]!;
    if (n < this.K) {
      this.f[this.inTime(r, n)] = now;
      this.u16[this.inSlot(r, n)] = s;
    } else {
      let k = this.subs[node * S_STRIDE + S_COOL_HEAD]! + n - this.K;
      if (k >= this.SLOTS) k -= this.SLOTS;
      const e = (node * this.SLOTS + k) * 2;
      this.ring[e] = now;
      this.ring[e + 1] = s;
    }
    this.u16[q + H_COOLING] = n + 1;
  }

  /** Takes the oldest cooling slot out of the queue (the caller checked there is one). O(K). */
  coolPop(node: number): number {
    const r = node * this.RS;
    const q = r << 1;
    const s = this.u16[q + H_COOL_SLOT]!;
    const n = this.u16[q + H_COOLING]! - 1;
    this.u16[q + H_COOLING] = n;
    if (n === 0) {
      this.f[(r >> 1) + F_COOL_AT] = Infinity;
      return s;
    }
    const held = n < this.K ? n : this.K - 1; // in the record after the shift, before a refill from the ring
    for (let j = 0; j < held; j++) {
      this.f[this.inTime(r, j)] = this.f[this.inTime(r, j + 1)]!;
      this.u16[this.inSlot(r, j)] = this.u16[this.inSlot(r, j + 1)]!;
    }
    if (n >= this.K) {
      const hs = node * S_STRIDE + S_COOL_HEAD;
      const h = this.subs[hs]!;
      const e = (node * this.SLOTS + h) * 2;
      this.f[this.inTime(r, this.K - 1)] = this.ring[e]!;
      this.u16[this.inSlot(r, this.K - 1)] = this.ring[e + 1]!;
      const left = n - this.K;
      const h1 = h + 1 === this.SLOTS ? 0 : h + 1;
      if (left === 0 || h1 === 0) this.subs[hs] = 0;
      else if (left <= LINE_ENTRIES) this.rewind(node, h1, left);
      else this.subs[hs] = h1;
    }
    return s;
  }

  /** Moves the node's `left` ring entries from index h to the ring's start (one line), so a short queue stays there. */
  private rewind(node: number, h: number, left: number): void {
    const base = node * this.SLOTS;
    for (let j = 0; j < left; j++) {
      let k = h + j;
      if (k >= this.SLOTS) k -= this.SLOTS;
      this.qTime[j] = this.ring[(base + k) * 2]!;
      this.qSlot[j] = this.ring[(base + k) * 2 + 1]!;
    }
    for (let j = 0; j < left; j++) {
      this.ring[(base + j) * 2] = this.qTime[j]!;
      this.ring[(base + j) * 2 + 1] = this.qSlot[j]!;
    }
    this.subs[node * S_STRIDE + S_COOL_HEAD] = 0;
  }

  /** Release time of the oldest cooling slot (Infinity: none). */
  coolHeadAt(node: number): number {
    return this.f[((node * this.RS) >> 1) + F_COOL_AT]!;
  }

  /** Addresses of the node in cooldown. */
  cooling(node: number): number {
    return this.u16[node * this.RS * 2 + H_COOLING]!;
  }

  /** Copies the node's cooling slots, oldest first, into qTime / qSlot; how many. O(cooling). */
  private gather(node: number): number {
    const r = node * this.RS;
    const n = this.u16[(r << 1) + H_COOLING]!;
    const h = this.subs[node * S_STRIDE + S_COOL_HEAD]!;
    for (let j = 0; j < n; j++) {
      if (j < this.K) {
        this.qTime[j] = this.f[this.inTime(r, j)]!;
        this.qSlot[j] = this.u16[this.inSlot(r, j)]!;
        continue;
      }
      let k = h + j - this.K;
      if (k >= this.SLOTS) k -= this.SLOTS;
      const e = (node * this.SLOTS + k) * 2;
      this.qTime[j] = this.ring[e]!;
      this.qSlot[j] = this.ring[e + 1]!;
    }
    return n;
  }

  /** Takes the cooling slots in [from, to) out of the queue, keeping the others' order; how many. O(cooling). */
  coolRemove(node: number, from: number, to: number): number {
    const r = node * this.RS;
    const n = this.gather(node);
    this.u16[(r << 1) + H_COOLING] = 0;
    this.f[(r >> 1) + F_COOL_AT] = Infinity;
    this.subs[node * S_STRIDE + S_COOL_HEAD] = 0;
    let kept = 0;
    for (let j = 0; j < n; j++) {
      const s = this.qSlot[j]!;
      if (s >= from && s < to) continue;
      this.coolPush(node, s, this.qTime[j]!);
      kept++;
    }
    return n - kept;
  }

  /** The latest release time among the cooling slots in [from, to) (-Infinity: none). O(cooling). */
  lastCooling(node: number, from: number, to: number): number {
    const n = this.gather(node);
    let last = -Infinity;
    for (let j = 0; j < n; j++) {
      const s = this.qSlot[j]!;
      if (s >= from && s < to) last = Math.max(last, this.qTime[j]!);
    }
    return last;
  }

  /** Marks the node's cooling slots in a scratch bitset read by `marked` (until the next call). O(W + cooling). */
  markCooling(node: number): void {
    this.marks.fill(0);
    const n = this.gather(node);
    for (let j = 0; j < n; j++) {
      const s = this.qSlot[j]!;
      this.marks[s >>> 5]! |= 1 << (s & 31);
    }
  }

  marked(s: number): boolean {
    return (this.marks[s >>> 5]! & (1 << (s & 31))) !== 0;
  }
}
