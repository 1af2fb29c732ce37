/**
 * Suite `pool`: the bitset pools against a naive baseline (a Set<number> of taken addresses with a next-free
 * scan), same workload, same run. Targets from issue 2: /12 sequential allocate ≥ 30M ops/s, churn at 95 %
 * occupancy ≥ 10M pairs/s, /28 blocks ≥ 3M/s, /24 blocks ≥ 1M/s, ≥ 10× the baseline in every phase and ≥ 30×
 * in churn; on a nearly full /8 one allocation ≤ 50 µs (≥ 20,000 ops/s). "Random" is a fixed-seed xorshift32.
 */
import { NO_RESERVE } from '../src/pool/reserve.js';
import { expectEq, type BenchCase } from './harness.js';
import { parseCidr4 } from '../src/net/index.js';
import { AddressPool, BlockPool } from '../src/pool/index.js';

const SEED = 0x9e3779b9;

/** xorshift32 (Marsaglia 2003): a tiny fixed-seed generator, so both sides see the same "random" workload. */
class XorShift32 {
  private s: number;
  constructor(seed: number) {
    this.s = seed | 0 || 1;
  }
  /** Integer in [0, n), n ≤ 2^21: multiply-shift range reduction (Lemire), exact in doubles, no division. */
  below(n: number): number {
    let x = this.s;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.s = x;
    return ((x >>> 0) * n * 2.3283064365386963e-10) | 0; // × 2^-32
  }
}

/** A fixed-seed permutation of 0..n-1 (Fisher–Yates). */
function permutation(n: number, seed: number): Int32Array {
  const a = new Int32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  const rng = new XorShift32(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.below(i + 1);
    const t = a[i]!;
    a[i] = a[j]!;
    a[j] = t;
  }
  return a;
}

/** The naive baseline: a Set of taken offsets, next-free scan from a cursor (aligned scan for blocks). */
class SetPool {
  readonly taken = new Set<number>();
  private cursor = 0;
  private blockCursor = 0;
  constructor(readonly size: number) {}
  allocate(): number {
    if (this.taken.size === this.size) return -1;
    let i = this.cursor;
    while (this.taken.has(i)) i = i + 1 === this.size ? 0 : i + 1;
    this.taken.add(i);
    this.cursor = i + 1 === this.size ? 0 : i + 1;
    return i;
  }
  free(i: number): void {
    if (!this.taken.delete(i)) throw new Error(`baseline: ${i} was not taken`);
  }
  isAllocated(i: number): boolean {
    return this.taken.has(i);
  }
  /** Next aligned run of 2^log2 free offsets at or after the block cursor, wrapping. */
  allocateBlock(log2: number): number {
    const n = 1 << log2;
    const groups = this.size / n;
    for (let tried = 0; tried < groups; tried++) {
      const start = this.blockCursor;
      this.blockCursor = start + n === this.size ? 0 : start + n;
      let j = 0;
      while (j < n && !this.taken.has(start + j)) j++;
      if (j === n) {
        for (j = 0; j < n; j++) this.taken.add(start + j);
        return start;
      }
    }
    return -1;
  }
}

/**
 * The subset of pool operations the workloads use. The shared workload functions below serve the checks; each
 * timed function has its own copy of the loop so that its call sites stay monomorphic (as in a real allocator).
 */
interface Pool {
  allocate(): number;
  free(i: number): void;
}

interface ChurnPool extends Pool {
  isAllocated(i: number): boolean;
}

const P12 = parseCidr4('10.0.0.0/12');
const N12 = P12.size; // 1,048,576

/** Allocates n addresses; returns a checksum (sum of offsets) so the check can compare with the expected set. */
function allocateN(p: Pool, n: number): number {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += p.allocate();
  return sum;
}

function freeHalfRealloc(p: Pool, half: Int32Array): number {
  for (let i = 0; i < half.length; i++) p.free(half[i]!);
  let sum = 0;
  for (let i = 0; i < half.length; i++) sum += p.allocate();
  return sum;
}

/** `pairs` free+allocate pairs: free a uniformly random allocated address (by rejection), allocate one. */
function churn(p: ChurnPool, size: number, rng: XorShift32, pairs: number): void {
  for (let k = 0; k < pairs; k++) {
    let r = rng.below(size);
    while (!p.isAllocated(r)) r = rng.below(size);
    p.free(r);
    p.allocate();
  }
}

/** Fills `p` completely, then frees a fixed-seed random 5 %; returns how many stay allocated. */
function fillTo95(p: Pool, size: number): number {
  for (let i = 0; i < size; i++) p.allocate();
  const perm = permutation(size, SEED + 1);
  const holes = Math.floor(size * 0.05);
  for (let i = 0; i < holes; i++) p.free(perm[i]!);
  return size - holes;
}

function sumRange(n: number, step = 1): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += i * step;
  return s;
}

export function cases(): BenchCase[] {
  const out: BenchCase[] = [];
  const plain = NO_RESERVE;

  // 1. /12: allocate all 1M addresses in order into a fresh pool.
  {
    let p = new AddressPool(P12, plain);
    let b = new SetPool(N12);
    out.push({
      suite: 'pool',
      name: '/12 sequential allocate 1M',
      ops: N12,
      check: () => {
        const q = new AddressPool(P12, plain);
        expectEq('sum of offsets', allocateN(q, N12), sumRange(N12));
        expectEq('full pool refuses', q.allocate(), -1);
        const s = new SetPool(N12);
        expectEq('baseline sum', allocateN(s, N12), sumRange(N12));
      },
      subject: { setup: () => void (p = new AddressPool(P12, plain)), fn: () => { for (let i = 0; i < N12; i++) p.allocate(); } },
      baseline: { setup: () => void (b = new SetPool(N12)), fn: () => { for (let i = 0; i < N12; i++) b.allocate(); } },
    });
  }

  // 2. /12 full: free a fixed-seed random half, then reallocate it (ops = 512K frees + 512K allocations per call;
  //    the pool ends full again). State is built in check(), which runs first, so a filtered-out case costs nothing.
  {
    let half = new Int32Array(0);
    let p = new AddressPool(parseCidr4('10.0.0.0/30'), plain);
    let b = new SetPool(1);
    out.push({
      suite: 'pool',
      name: '/12 free random half + reallocate',
      ops: N12,
      check: () => {
        half = permutation(N12, SEED).slice(0, N12 / 2);
        let halfSum = 0;
        for (const o of half) halfSum += o;
        p = new AddressPool(P12, plain);
        allocateN(p, N12);
        b = new SetPool(N12);
        allocateN(b, N12);
        expectEq('reallocated the freed half', freeHalfRealloc(p, half), halfSum);
        expectEq('pool full again', p.used, N12);
        expectEq('baseline reallocated the freed half', freeHalfRealloc(b, half), halfSum);
        for (const o of half) if (!p.isAllocated(o)) throw new Error(`bench check failed: ${o} not reallocated`);
      },
      subject: {
        fn: () => {
          for (let i = 0; i < half.length; i++) p.free(half[i]!);
          for (let i = 0; i < half.length; i++) p.allocate();
        },
      },
      baseline: {
        fn: () => {
          for (let i = 0; i < half.length; i++) b.free(half[i]!);
          for (let i = 0; i < half.length; i++) b.allocate();
        },
      },
      timeMs: 600,
    });
  }

  // 3. /12 at 95 % occupancy: free + allocate pairs (ops = pairs).
  {
    const PAIRS = 1 << 20;
    let p = new AddressPool(parseCidr4('10.0.0.0/30'), plain);
    let live = 0;
    const rng = new XorShift32(SEED + 2);
    let b = new SetPool(1);
    const bRng = new XorShift32(SEED + 2);
    out.push({
      suite: 'pool',
      name: '/12 churn free+allocate at 95%',
      ops: PAIRS,
      check: () => {
        p = new AddressPool(P12, plain);
        live = fillTo95(p, N12);
        b = new SetPool(N12);
        fillTo95(b, N12);
        // Same seed, same next-fit rule: both sides must free and hand out exactly the same addresses.
        const r1 = new XorShift32(SEED + 4);
        const r2 = new XorShift32(SEED + 4);
        for (let k = 0; k < 50_000; k++) {
          let r = r1.below(N12);
          while (!p.isAllocated(r)) r = r1.below(N12);
          p.free(r);
          let q = r2.below(N12);
          while (!b.isAllocated(q)) q = r2.below(N12);
          b.free(q);
          expectEq(`pair ${k}: freed`, r, q);
          expectEq(`pair ${k}: allocated`, p.allocate(), b.allocate());
        }
        expectEq('occupancy unchanged', p.used, live);
        expectEq('baseline occupancy unchanged', b.taken.size, live);
        churn(p, N12, rng, PAIRS);
        expectEq('occupancy unchanged after a timed-size run', p.used, live);
      },
      subject: {
        fn: () => {
          for (let k = 0; k < PAIRS; k++) {
            let r = rng.below(N12);
            while (!p.isAllocated(r)) r = rng.below(N12);
            p.free(r);
            p.allocate();
          }
        },
      },
      baseline: {
        fn: () => {
          for (let k = 0; k < PAIRS; k++) {
            let r = bRng.below(N12);
            while (!b.isAllocated(r)) r = bRng.below(N12);
            b.free(r);
            b.allocate();
          }
        },
      },
    });
  }

  // 4. /12: aligned /28 blocks (16 addresses) until the pool is full.
  {
    const BLOCKS = N12 / 16;
    const blocksOf = (q: { allocateBlock(k: number): number }): number => {
      let sum = 0;
      for (let i = 0; i < BLOCKS; i++) sum += q.allocateBlock(4);
      return sum;
    };
    let p = new AddressPool(P12, plain);
    let b = new SetPool(N12);
    out.push({
      suite: 'pool',
      name: '/12 aligned /28 blocks',
      ops: BLOCKS,
      check: () => {
        const q = new AddressPool(P12, plain);
        expectEq('block offsets', blocksOf(q), sumRange(BLOCKS, 16));
        expectEq('full pool refuses a block', q.allocateBlock(4), -1);
        expectEq('baseline block offsets', blocksOf(new SetPool(N12)), sumRange(BLOCKS, 16));
      },
      subject: { setup: () => void (p = new AddressPool(P12, plain)), fn: () => { for (let i = 0; i < BLOCKS; i++) p.allocateBlock(4); } },
      baseline: { setup: () => void (b = new SetPool(N12)), fn: () => { for (let i = 0; i < BLOCKS; i++) b.allocateBlock(4); } },
    });
  }

  // 5. 10.0.0.0/8 carved into /24 blocks (65,536), one per node, until full.
  {
    const P8 = parseCidr4('10.0.0.0/8');
    const BLOCKS = 1 << 16;
    let p = new BlockPool(P8, 24, plain);
    let b = new SetPool(BLOCKS);
    out.push({
      suite: 'pool',
      name: '/8 BlockPool /24 blocks',
      ops: BLOCKS,
      check: () => {
        const q = new BlockPool(P8, 24, plain);
        expectEq('block indices', allocateN(q, BLOCKS), sumRange(BLOCKS));
        expectEq('full block pool refuses', q.allocate(), -1);
        expectEq('baseline block indices', allocateN(new SetPool(BLOCKS), BLOCKS), sumRange(BLOCKS));
      },
      subject: { setup: () => void (p = new BlockPool(P8, 24, plain)), fn: () => { for (let i = 0; i < BLOCKS; i++) p.allocate(); } },
      baseline: { setup: () => void (b = new SetPool(BLOCKS)), fn: () => { for (let i = 0; i < BLOCKS; i++) b.allocate(); } },
    });
  }

  // 6. A full /8 with one free address, the cursor just past it: every allocation scans the whole range and wraps.
  //    No Set baseline: a Set of 2^24 numbers is V8's maximum Set size (~0.5 GiB) and one scan takes ~1 s.
  {
    const REPS = 200;
    let p: AddressPool | null = null;
    const hole = new XorShift32(SEED + 3).below(1 << 24);
    const build = (): AddressPool => {
      if (p) return p;
      const q = new AddressPool(parseCidr4('10.0.0.0/8'), plain);
      while (q.allocate() >= 0);
      q.free(hole);
      p = q;
      return q;
    };
    const worst = (q: AddressPool): number => {
      let got = 0;
      for (let i = 0; i < REPS; i++) {
        got = q.allocate();
        q.free(got);
      }
      return got;
    };
    out.push({
      suite: 'pool',
      name: '/8 nearly full: allocate the one free address',
      ops: REPS,
      check: () => {
        const q = build();
        expectEq('finds the single free address', worst(q), hole);
        expectEq('used', q.used, (1 << 24) - 1);
      },
      subject: { fn: () => void worst(build()) },
    });
  }
  return out;
}
