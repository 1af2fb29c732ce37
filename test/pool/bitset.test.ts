import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CnisimError } from '../../src/errors.js';
import { Bitset, MAX_BITS, popcount } from '../../src/pool/index.js';

/** Reference model: a plain boolean array with the same next-fit cursor rule. */
class RefBits {
  readonly bits: Uint8Array;
  count = 0;
  cursor = 0;
  constructor(readonly size: number) {
    this.bits = new Uint8Array(size);
  }
  allocate(): number {
    if (this.count === this.size) return -1;
    let i = this.cursor;
    while (this.bits[i]) i = i + 1 === this.size ? 0 : i + 1;
    this.bits[i] = 1;
    this.count++;
    this.cursor = i + 1 === this.size ? 0 : i + 1;
    return i;
  }
  runFree(i: number, n: number): boolean {
    for (let j = i; j < i + n; j++) if (this.bits[j]) return false;
    return true;
  }
  allocateAligned(k: number): number {
    const n = 2 ** k;
    for (let i = 0; i + n <= this.size; i += n) {
      if (this.runFree(i, n)) {
        this.bits.fill(1, i, i + n);
        this.count += n;
        return i;
      }
    }
    return -1;
  }
  fragmentation(k: number): number {
    const n = 2 ** k;
    let whole = 0;
    for (let i = 0; i + n <= this.size; i += n) if (this.runFree(i, n)) whole += n;
    return this.size - this.count - whole;
  }
}

type Op = { op: number; a: number; b: number };
const opArb = fc.record({ op: fc.integer({ min: 0, max: 9 }), a: fc.nat(), b: fc.nat() });

/** Applies one op to both and compares; returns a description for failures. */
function step(s: Bitset, r: RefBits, { op, a, b }: Op): void {
  const size = r.size;
  switch (op) {
    case 0:
    case 1:
    case 2:
      expect(s.allocate()).toBe(r.allocate());
      break;
    case 3: {
      const k = a % 8;
      expect(s.allocateAligned(k)).toBe(r.allocateAligned(k));
      break;
    }
    case 4:
    case 5: {
      // clear a set bit (found from a random start), or expect a throw on a clear one
      const i = a % size;
      if (r.bits[i]) {
        s.clear(i);
        r.bits[i] = 0;
        r.count--;
      } else {
        expect(() => s.clear(i)).toThrow(CnisimError);
      }
      break;
    }
    case 6: {
      const i = a % size;
      if (!r.bits[i]) {
        s.set(i);
        r.bits[i] = 1;
        r.count++;
      } else {
        expect(() => s.set(i)).toThrow(CnisimError);
      }
      break;
    }
    case 7: {
      const i = a % size;
      const n = b % (size - i + 1);
      if (r.runFree(i, n)) {
        s.setRun(i, n);
        r.bits.fill(1, i, i + n);
        r.count += n;
      } else expect(() => s.setRun(i, n)).toThrow(CnisimError);
      break;
    }
    case 8: {
      const i = a % size;
      const n = b % (size - i + 1);
      let allSet = true;
      for (let j = i; j < i + n; j++) if (!r.bits[j]) allSet = false;
      if (allSet) {
        s.clearRun(i, n);
        r.bits.fill(0, i, i + n);
        r.count -= n;
      } else expect(() => s.clearRun(i, n)).toThrow(CnisimError);
      break;
    }
    case 9: {
      const k = a % 8;
      expect(s.fragmentation(k)).toBe(r.fragmentation(k));
      const i = b % size;
      expect(s.test(i)).toBe(r.bits[i] === 1);
      break;
    }
  }
  expect(s.count).toBe(r.count);
}

function check(size: number, prefill: number, ops: Op[]): void {
  const s = new Bitset(size);
  const r = new RefBits(size);
  // Prefill a dense start (exercises the summary levels): set every bit, then clear every `prefill`-th.
  if (prefill > 0) {
    s.setRun(0, size);
    r.bits.fill(1);
    r.count = size;
    for (let i = 0; i < size; i += prefill) {
      s.clear(i);
      r.bits[i] = 0;
      r.count--;
    }
  }
  for (const o of ops) step(s, r, o);
  // Finally drain: allocate until full, both must agree to the end.
  for (;;) {
    const x = s.allocate();
    expect(x).toBe(r.allocate());
    if (x < 0) break;
  }
  expect(s.count).toBe(size);
  expect(s.fragmentation(0)).toBe(0);
}

describe('Bitset against a reference', () => {
  it('small sizes (one word, a few words, odd tails)', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 200 }), fc.constantFrom(0, 0, 3, 7), fc.array(opArb, { maxLength: 300 }), check), { numRuns: 300 });
  });
  it('sizes with one and two summary levels', () => {
    fc.assert(
      fc.property(fc.constantFrom(1025, 2048, 5000, 33 * 1024 + 7, 65536), fc.constantFrom(0, 97, 1009, 40000), fc.array(opArb, { maxLength: 200 }), check),
      { numRuns: 25 },
    );
  });
});

describe('Bitset structure', () => {
  it('finds the single free bit of a nearly full /8 reading few words (bounded worst case)', () => {
    const size = 2 ** 24;
    const s = new Bitset(size);
    s.setRun(0, size);
    let maxProbes = 0;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: size - 1 }), fc.integer({ min: 0, max: size - 1 }), (hole, cursorAt) => {
        // Move the cursor to an arbitrary place: free and re-take a bit there.
        s.clear(cursorAt);
        expect(s.allocate()).toBe(cursorAt);
        s.clear(hole);
        s.takeProbes();
        expect(s.allocate()).toBe(hole);
        maxProbes = Math.max(maxProbes, s.takeProbes());
        expect(s.allocate()).toBe(-1);
        expect(s.allocateAligned(0)).toBe(-1);
      }),
      { numRuns: 200 },
    );
    // Levels for 2^24 bits: 2^19 words, 2^14, 2^9, 16. ≤ 32 words per level visited on each of the two passes.
    expect(maxProbes).toBeLessThanOrEqual(200);
    expect(maxProbes).toBeGreaterThan(0);
  });

  it('keeps a /8 bitset within 2.2 MiB', () => {
    const before = process.memoryUsage().arrayBuffers;
    const s = new Bitset(2 ** 24);
    const bytes = process.memoryUsage().arrayBuffers - before;
    expect(s.size).toBe(2 ** 24);
    expect(bytes).toBeGreaterThanOrEqual(2 * 1024 * 1024);
    expect(bytes).toBeLessThanOrEqual(2.2 * 1024 * 1024);
  });

  it('refuses sizes above the limit with a limit error, not an out-of-memory crash', () => {
    let err: unknown;
    try {
      new Bitset(MAX_BITS + 1);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CnisimError);
    expect((err as CnisimError).code).toBe('limit');
    expect((err as CnisimError).message).toMatch(/limit/);
  });

  it('refuses invalid use', () => {
    const s = new Bitset(100);
    for (const bad of [-1, 100, 1.5, NaN]) {
      expect(() => s.set(bad)).toThrow(CnisimError);
      expect(() => s.test(bad)).toThrow(CnisimError);
    }
    expect(() => s.clear(3)).toThrow(/already clear/);
    expect(() => s.setRun(90, 11)).toThrow(CnisimError);
    expect(() => s.allocateAligned(29)).toThrow(CnisimError);
  });

  it('popcount matches a bit loop', () => {
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), (x) => {
        let n = 0;
        for (let i = 0; i < 32; i++) if (x & (1 << i)) n++;
        expect(popcount(x)).toBe(n);
      }),
    );
  });
});
