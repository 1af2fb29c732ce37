/** The seeded random source: reproducible, streams independent, draws in range with the right means. */
import { describe, expect, it } from 'vitest';
import seedrandom from 'seedrandom';
import { Rng } from '../src/rng.js';

function draws(rng: Rng, name: string, n: number): number[] {
  const s = rng.stream(name);
  return Array.from({ length: n }, () => s.uniform());
}

describe('Rng', () => {
  it('exponentialRounded(mean) is Math.round(exponential(mean)), draw for draw', () => {
    const a = new Rng(5).stream('x'), b = new Rng(5).stream('x');
    for (const mean of [0.5, 1, 1000, 1e6, 3.6e6]) {
      for (let i = 0; i < 2000; i++) expect(a.exponentialRounded(mean)).toBe(Math.round(b.exponential(mean)));
    }
    expect(() => a.exponentialRounded(0)).toThrow(/mean/);
  });

  it('each stream draws exactly what seedrandom\'s alea draws for its seed text (the step is inlined, not changed)', () => {
    for (const [seed, name] of [[7, 'a'], ['x', 'churn/c/0/arrivals'], [0, '']] as const) {
      const text = `${typeof seed === 'number' ? 'n' : 's'}:${String(seed)}\u0000${name}`;
      const ref = seedrandom.alea(text);
      expect(draws(new Rng(seed), name, 5000)).toEqual(Array.from({ length: 5000 }, () => ref()));
    }
  });

  it('the same seed gives the same sequence; another seed another', () => {
    expect(draws(new Rng(7), 'a', 50)).toEqual(draws(new Rng(7), 'a', 50));
    expect(draws(new Rng('x'), 'a', 50)).toEqual(draws(new Rng('x'), 'a', 50));
    expect(draws(new Rng(7), 'a', 50)).not.toEqual(draws(new Rng(8), 'a', 50));
    expect(draws(new Rng(7), 'a', 50)).not.toEqual(draws(new Rng('7'), 'a', 50));
  });

  it('streams are independent: drawing from one never shifts another', () => {
    const alone = draws(new Rng(1), 'arrivals', 100);
    const r = new Rng(1);
    const a = r.stream('arrivals');
    const b = r.stream('lifetimes');
    const mixed: number[] = [];
    for (let i = 0; i < 100; i++) {
      for (let j = 0; j < i % 3; j++) b.exponential(10);
      mixed.push(a.uniform());
    }
    expect(mixed).toEqual(alone);
    expect(draws(new Rng(1), 'lifetimes', 20)).not.toEqual(draws(new Rng(1), 'arrivals', 20));
    expect(r.stream('arrivals')).toBe(a);
  });

  it('uniform is in [0, 1) with mean ≈ 1/2', () => {
    const s = new Rng(3).stream('u');
    let sum = 0, min = 1, max = 0;
    for (let i = 0; i < 20_000; i++) {
      const u = s.uniform();
      min = Math.min(min, u);
      max = Math.max(max, u);
      sum += u;
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    expect(Math.abs(sum / 20_000 - 0.5)).toBeLessThan(0.01);
  });

  it('exponential is > 0 with the given mean', () => {
    const s = new Rng(4).stream('e');
    let sum = 0, min = Infinity;
    for (let i = 0; i < 40_000; i++) {
      const x = s.exponential(250);
      min = Math.min(min, x);
      sum += x;
    }
    expect(min).toBeGreaterThan(0);
    // standard error of the mean: 250 / sqrt(40000) = 1.25; allow 4 of them
    expect(Math.abs(sum / 40_000 - 250)).toBeLessThan(5);
    expect(() => s.exponential(0)).toThrow();
  });

  it('int(n) covers 0..n−1 evenly and nothing else', () => {
    const s = new Rng(5).stream('i');
    const counts = new Array<number>(7).fill(0);
    for (let i = 0; i < 70_000; i++) counts[s.int(7)]!++;
    expect(counts.length).toBe(7);
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500);
    expect(s.int(1)).toBe(0);
    for (const bad of [0, 1.5, -3, NaN]) expect(() => s.int(bad)).toThrow();
  });
});
