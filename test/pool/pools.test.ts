import { AZURE_SUBNET } from '../../src/alloc/platform/reserves.js';
import { NO_RESERVE } from '../../src/pool/reserve.js';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CnisimError } from '../../src/errors.js';
import { formatIp4, parseCidr4, parseCidr6, type Cidr4 } from '../../src/net/index.js';
import { AddressPool, BlockPool, BlockPool6 } from '../../src/pool/index.js';

type Op = { op: number; a: number };
const opArb = fc.record({ op: fc.integer({ min: 0, max: 7 }), a: fc.nat() });

function cidrArb(minPrefix: number, maxPrefix: number): fc.Arbitrary<Cidr4> {
  return fc.tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: minPrefix, max: maxPrefix })).map(([ip, p]) => {
    const size = 2 ** (32 - p);
    return parseCidr4(`${formatIp4(ip - (ip % size))}/${p}`);
  });
}

function isErr(f: () => unknown, code: string): void {
  let err: unknown;
  try {
    f();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(CnisimError);
  expect((err as CnisimError).code).toBe(code);
}

/** Reference AddressPool: a Set of taken offsets (reserved included) and the same next-fit cursor. */
class RefPool {
  readonly taken = new Set<number>();
  readonly reserved = new Set<number>();
  readonly blocks = new Map<number, number>(); // offset → log2
  readonly singles = new Set<number>();
  cursor = 0;
  constructor(readonly size: number, azure: boolean) {
    if (azure) for (const o of [0, 1, 2, 3, size - 1]) this.reserved.add(o), this.taken.add(o);
  }
  allocate(): number {
    if (this.taken.size === this.size) return -1;
    let i = this.cursor;
    while (this.taken.has(i)) i = (i + 1) % this.size;
    this.taken.add(i);
    this.singles.add(i);
    this.cursor = (i + 1) % this.size;
    return i;
  }
  wholeFree(i: number, n: number): boolean {
    for (let j = i; j < i + n; j++) if (this.taken.has(j)) return false;
    return true;
  }
  allocateBlock(k: number): number {
    const n = 2 ** k;
    for (let i = 0; i + n <= this.size; i += n) {
      if (this.wholeFree(i, n)) {
        for (let j = i; j < i + n; j++) this.taken.add(j);
        this.blocks.set(i, k);
        return i;
      }
    }
    return -1;
  }
  fragmentation(k: number): number {
    const n = 2 ** k;
    let whole = 0;
    for (let i = 0; i + n <= this.size; i += n) if (this.wholeFree(i, n)) whole += n;
    return this.size - this.taken.size - whole;
  }
}

function nth<T>(s: Iterable<T>, i: number): T | undefined {
  const arr = [...s];
  return arr.length === 0 ? undefined : arr[i % arr.length];
}

describe('AddressPool against a Set', () => {
  it('allocate / blocks / free / reservations / exhaustion', () => {
    fc.assert(
      fc.property(cidrArb(22, 29), fc.boolean(), fc.array(opArb, { maxLength: 400 }), (cidr, azure, ops: Op[]) => {
        const p = new AddressPool(cidr, azure ? AZURE_SUBNET : NO_RESERVE);
        const r = new RefPool(cidr.size, azure);
        expect(p.capacity).toBe(cidr.size - (azure ? 5 : 0));
        for (const { op, a } of ops) {
          switch (op) {
            case 0:
            case 1:
            case 2:
              expect(p.allocate()).toBe(r.allocate());
              break;
            case 3: {
              const k = a % 7;
              expect(p.allocateBlock(k)).toBe(r.allocateBlock(k));
              break;
            }
            case 4: {
              const o = nth(r.singles, a);
              if (o === undefined) break;
              p.free(o);
              r.singles.delete(o);
              r.taken.delete(o);
              expect(() => p.free(o)).toThrow(CnisimError);
              break;
            }
            case 5: {
              const o = nth(r.blocks.keys(), a);
              if (o === undefined) break;
              const k = r.blocks.get(o)!;
              p.freeBlock(o, k);
              r.blocks.delete(o);
              for (let j = o; j < o + 2 ** k; j++) r.taken.delete(j);
              break;
            }
            case 6: {
              const o = a % cidr.size;
              expect(p.isAllocated(o)).toBe(r.taken.has(o) && !r.reserved.has(o));
              if (r.reserved.has(o)) isErr(() => p.free(o), 'internal');
              else if (!r.taken.has(o)) isErr(() => p.free(o), 'internal');
              break;
            }
            case 7: {
              const k = a % 9;
              expect(p.fragmentation(k)).toBe(r.fragmentation(k));
              break;
            }
          }
          expect(p.used).toBe(r.taken.size - r.reserved.size);
        }
        // Exhaustion: fill up, then every allocation is refused and nothing reserved was handed out.
        for (;;) {
          const o = p.allocate();
          expect(o).toBe(r.allocate());
          if (o < 0) break;
          expect(r.reserved.has(o)).toBe(false);
        }
        expect(p.used).toBe(p.capacity);
        expect(p.allocateBlock(0)).toBe(-1);
      }),
      { numRuns: 150 },
    );
  });

  it('never hands out a block containing an Azure-reserved address', () => {
    const p = new AddressPool(parseCidr4('10.1.0.0/24'), AZURE_SUBNET);
    const got: number[] = [];
    for (let o = p.allocateBlock(4); o >= 0; o = p.allocateBlock(4)) got.push(o);
    // 16 /28s in a /24; the first (holds .0–.3) and the last (holds .255) are unusable.
    expect(got).toEqual(Array.from({ length: 14 }, (_, i) => (i + 1) * 16));
    expect(p.fragmentation(4)).toBe(12 + 15); // 12 free in the first /28, 15 in the last
    isErr(() => p.freeBlock(0, 4), 'internal');
    isErr(() => p.freeBlock(24, 4), 'internal');
    p.freeBlock(32, 4);
    expect(p.allocateBlock(4)).toBe(32);
  });

  it('a /24 node subnet with Azure reservations holds 251 nodes [overlay-doc]', () => {
    const p = new AddressPool(parseCidr4('10.224.0.0/24'), AZURE_SUBNET);
    let n = 0;
    while (p.allocate() >= 0) n++;
    expect(n).toBe(251);
    expect(p.capacity).toBe(251);
  });

  it('refuses bad input and invalid use', () => {
    isErr(() => new AddressPool(parseCidr4('10.0.0.0/30'), AZURE_SUBNET), 'input');
    isErr(() => new AddressPool(parseCidr4('0.0.0.0/3'), NO_RESERVE), 'limit');
    const p = new AddressPool(parseCidr4('10.0.0.0/28'), NO_RESERVE);
    isErr(() => p.free(16), 'internal');
    isErr(() => p.free(-1), 'internal');
    isErr(() => p.isAllocated(16), 'internal');
    isErr(() => p.freeBlock(3, 2), 'internal');
  });

  it('keeps a /8 pool within 2.2 MiB', () => {
    const before = process.memoryUsage().arrayBuffers;
    const p = new AddressPool(parseCidr4('10.0.0.0/8'), AZURE_SUBNET);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThanOrEqual(2.2 * 1024 * 1024);
    expect(p.capacity).toBe(2 ** 24 - 5);
  });
});

describe('BlockPool against a Set', () => {
  it('allocate / free / reservations / exhaustion', () => {
    fc.assert(
      fc.property(
        cidrArb(12, 29).chain((c) => fc.tuple(fc.constant(c), fc.integer({ min: c.prefix, max: Math.min(32, c.prefix + 10) }))),
        fc.boolean(),
        fc.array(opArb, { maxLength: 300 }),
        ([cidr, bp], azure, ops: Op[]) => {
          const p = new BlockPool(cidr, bp, azure ? AZURE_SUBNET : NO_RESERVE);
          const blocks = 2 ** (bp - cidr.prefix);
          const bs = 2 ** (32 - bp);
          // Reference: a block is reserved when it holds offset 0..3 or size-1.
          const reserved = new Set<number>();
          if (azure) for (const o of [0, 1, 2, 3, cidr.size - 1]) reserved.add(Math.floor(o / bs));
          const live = new Set<number>();
          let cursor = 0;
          const refAlloc = (): number => {
            if (live.size + reserved.size === blocks) return -1;
            let i = cursor;
            while (live.has(i) || reserved.has(i)) i = (i + 1) % blocks;
            live.add(i);
            cursor = (i + 1) % blocks;
            return i;
          };
          expect(p.blocks).toBe(blocks);
          expect(p.blockSize).toBe(bs);
          expect(p.capacity).toBe(blocks - reserved.size);
          for (const { op, a } of ops) {
            if (op <= 3) expect(p.allocate()).toBe(refAlloc());
            else if (op <= 5) {
              const i = nth(live, a);
              if (i === undefined) continue;
              p.free(i);
              live.delete(i);
              isErr(() => p.free(i), 'internal');
            } else {
              const i = a % blocks;
              expect(p.isAllocated(i)).toBe(live.has(i));
              if (reserved.has(i)) isErr(() => p.free(i), 'internal');
            }
            expect(p.used).toBe(live.size);
          }
          for (let i = p.allocate(); i >= 0; i = p.allocate()) {
            expect(reserved.has(i)).toBe(false);
            live.add(i);
          }
          expect(live.size).toBe(p.capacity);
          expect(p.used).toBe(p.capacity);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('overlay default pod CIDR holds 256 /24s', () => {
    const p = new BlockPool(parseCidr4('10.244.0.0/16'), 24, NO_RESERVE);
    const seen = new Set<number>();
    for (let i = p.allocate(); i >= 0; i = p.allocate()) seen.add(i);
    expect(seen.size).toBe(256);
    isErr(() => new BlockPool(parseCidr4('10.244.0.0/16'), 12, NO_RESERVE), 'input');
  });
});

describe('BlockPool6 against a Set', () => {
  it('lowest free index first, free, exhaustion', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 }), fc.array(opArb, { maxLength: 400 }), (bits, ops: Op[]) => {
        const p = new BlockPool6(parseCidr6('fd12:3456:789a::/112'), 112 + bits);
        const cap = 2 ** bits;
        expect(p.capacity).toBe(cap);
        expect(p.blockSize).toBe(2 ** (16 - bits));
        const live = new Set<number>();
        const refAlloc = (): number => {
          if (live.size === cap) return -1;
          let i = 0;
          while (live.has(i)) i++;
          live.add(i);
          return i;
        };
        for (const { op, a } of ops) {
          if (op <= 3) expect(p.allocate()).toBe(refAlloc());
          else if (op <= 5) {
            const i = nth(live, a);
            if (i === undefined) continue;
            p.free(i);
            live.delete(i);
            isErr(() => p.free(i), 'internal');
          } else {
            const i = a % cap;
            expect(p.isAllocated(i)).toBe(live.has(i));
          }
          expect(p.used).toBe(live.size);
        }
        isErr(() => p.isAllocated(cap), 'internal');
      }),
      { numRuns: 200 },
    );
  });

  it('works on a /64 and a /48 without materialising the range', () => {
    const before = process.memoryUsage().arrayBuffers;
    const p = new BlockPool6(parseCidr6('fd12:3456:789a::/48'), 120);
    expect(p.capacity).toBe(2 ** 72);
    for (let i = 0; i < 5000; i++) expect(p.allocate()).toBe(i);
    p.free(17);
    p.free(4000);
    expect(p.allocate()).toBe(17);
    expect(p.allocate()).toBe(4000);
    expect(p.allocate()).toBe(5000);
    expect(p.isAllocated(2 ** 52)).toBe(false);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 * 1024);
    const q = new BlockPool6(parseCidr6('fd12:3456:789a::/64'), 80);
    expect(q.capacity).toBe(65536);
    expect(q.blockSize).toBe(2 ** 48);
    isErr(() => new BlockPool6(parseCidr6('fd12:3456:789a::/64'), 48), 'input');
  });
});
