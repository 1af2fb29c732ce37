/**
 * The one seeded random source of a run, split into named streams (arrivals, lifetimes, placement, …).
 *
 * Each stream is its own seedrandom `alea` generator (Baagøe's multiply-with-carry, period ~2^116, fast) seeded
 * with the run seed and the stream name, so a stream's sequence depends only on (seed, name): adding a stream or
 * drawing more from another never shifts it. Every draw is O(1) and allocates nothing.
 */
import seedrandom from 'seedrandom';
import { inputError, internalError } from './errors.js';

/** Alea's state (seedrandom's names): three fractions in [0, 1) and a carry. */
interface AleaState {
  c: number;
  s0: number;
  s1: number;
  s2: number;
}

/**
 * One independent sequence of draws. Seeded by seedrandom's `alea`; the generator step itself is inlined here (the
 * same arithmetic as seedrandom's `Alea.next`, so the same numbers), which saves a closure call per draw.
 */
export class Stream {
  readonly name: string;
  /** [c, s0, s1, s2] in a typed array: unboxed doubles (object fields holding doubles are boxed in V8). */
  private readonly st: Float64Array;

  constructor(name: string, state: AleaState) {
    this.name = name;
    this.st = Float64Array.of(state.c, state.s0, state.s1, state.s2);
  }

  /** Uniform in [0, 1), 32 bits of resolution. */
  uniform(): number {
    return this.next();
  }

  /** Exponentially distributed with the given mean (> 0); the result is > 0. */
  exponential(mean: number): number {
    if (!(mean > 0 && mean < Infinity)) throw internalError(`Stream.exponential: mean ${String(mean)}: expected a finite number > 0`);
    // u is in [0, 1); u = 0 would give an infinite draw, so draw again (probability 2^-32). −ln u > 0 for u < 1.
    let u = this.next();
    while (u === 0) u = this.next();
    return -mean * Math.log(u);
  }

  /**
   * An exponential draw rounded to a whole number: Math.round(exponential(mean)), the same value, returned as a
   * small integer. Written without calls (the generator step inline): a double returned from a call that is not
   * inlined is boxed, one allocation per draw, and the simulator's handlers are too large to inline everything.
   */
  exponentialRounded(mean: number): number {
    if (!(mean > 0 && mean < Infinity)) throw internalError(`Stream.exponentialRounded: mean ${String(mean)}: expected a finite number > 0`);
    const st = this.st;
    let u = 0;
    do {
      const t = 2091639 * st[1]! + st[0]! * 2.3283064365386963e-10;
      const c = t | 0;
      u = t - c;
      st[0] = c;
      st[1] = st[2]!;
      st[2] = st[3]!;
      st[3] = u;
    } while (u === 0);
    return Math.round(-mean * Math.log(u));
  }

  /** Uniform integer in 0..n−1 (n an integer, 1 ≤ n ≤ 2^32). Bias at most n / 2^32. */
  int(n: number): number {
    if (!(n >= 1 && n <= 2 ** 32 && Math.floor(n) === n)) throw internalError(`Stream.int: n ${String(n)}: expected an integer 1..2^32`);
    return Math.floor(this.next() * n);
  }

  /** Alea's step (Baagøe): t = 2091639 × s0 + c × 2^−32; shift the state; the new s2 = frac(t), the carry = ⌊t⌋. */
  private next(): number {
    const st = this.st;
    const t = 2091639 * st[1]! + st[0]! * 2.3283064365386963e-10;
    const c = t | 0;
    const r = t - c;
    st[0] = c;
    st[1] = st[2]!;
    st[2] = st[3]!;
    st[3] = r;
    return r;
  }
}

export class Rng {
  readonly seed: number | string;
  private readonly streams: Map<string, Stream>;

  constructor(seed: number | string) {
    if (typeof seed === 'number' ? !Number.isFinite(seed) : typeof seed !== 'string') {
      throw inputError(`seed ${String(seed)}: expected a finite number or a string`);
    }
    this.seed = seed;
    this.streams = new Map();
  }

  /** The stream called `name`: the same object on every call, its sequence fixed by (seed, name). */
  stream(name: string): Stream {
    let s = this.streams.get(name);
    if (s === undefined) {
      // The seed's type is part of the text so 1 and "1" give different runs; the NUL separates seed from name.
      const text = `${typeof this.seed === 'number' ? 'n' : 's'}:${String(this.seed)}\u0000${name}`;
      s = new Stream(name, seedrandom.alea(text, { state: true }).state());
      this.streams.set(name, s);
    }
    return s;
  }
}
