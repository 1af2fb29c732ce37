/**
 * The one seeded random source of a run, split into named streams (arrivals, lifetimes, placement, …).
 *
 * Each stream is its own seedrandom `alea` generator (Baagøe's multiply-with-carry, period ~2^116, fast) seeded
 * with the run seed and the stream name, so a stream's sequence depends only on (seed, name): adding a stream or
 * drawing more from another never shifts it. Every draw is O(1) and allocates nothing.
 */
import seedrandom from 'seedrandom';
import { inputError, internalError } from './errors.js';

type Prng = () => number;

/** One independent sequence of draws. */
export class Stream {
  readonly name: string;
  private readonly next: Prng;

  constructor(name: string, next: Prng) {
    this.name = name;
    this.next = next;
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

  /** Uniform integer in 0..n−1 (n an integer, 1 ≤ n ≤ 2^32). Bias at most n / 2^32. */
  int(n: number): number {
    if (!(n >= 1 && n <= 2 ** 32 && Math.floor(n) === n)) throw internalError(`Stream.int: n ${String(n)}: expected an integer 1..2^32`);
    return Math.floor(this.next() * n);
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
      s = new Stream(name, seedrandom.alea(text));
      this.streams.set(name, s);
    }
    return s;
  }
}
