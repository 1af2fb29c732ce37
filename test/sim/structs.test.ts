import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { Buckets, IntList, IntQueue } from '../../src/sim/structs.js';

describe('IntQueue', () => {
  test('behaves like an array used as a FIFO, across growth and wrap-around', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer({ min: 0, max: 1e6 }), fc.constant(-1)), { maxLength: 300 }), (ops) => {
        const q = new IntQueue(4);
        const ref: number[] = [];
        for (const op of ops) {
          if (op < 0) {
            if (ref.length === 0) continue;
            expect(q.peek()).toBe(ref[0]);
            expect(q.shift()).toBe(ref.shift());
          } else {
            q.push(op);
            ref.push(op);
          }
          expect(q.length).toBe(ref.length);
        }
      }),
    );
  });
});

describe('IntList', () => {
  test('push returns the index, pop the last value', () => {
    const l = new IntList(2);
    for (let i = 0; i < 100; i++) expect(l.push(i * 3)).toBe(i);
    expect(l.length).toBe(100);
    expect(l.pop()).toBe(297);
    expect(l.items[50]).toBe(150);
  });
});

describe('Buckets (placement)', () => {
  /** Reference: a Map node → count; spread = lowest count < max (ties: earliest added to that count), pack = highest. */
  test('lowest/highest/lowestAny agree with a brute-force reference', () => {
    const maxPods = 5;
    fc.assert(
      fc.property(
        fc.array(fc.record({ op: fc.constantFrom('add', 'remove', 'inc', 'dec'), node: fc.integer({ min: 0, max: 20 }) }), { maxLength: 200 }),
        (ops) => {
          const b = new Buckets(maxPods);
          const count = new Map<number, number>();
          for (const { op, node } of ops) {
            const has = count.has(node);
            if (op === 'add' && !has) {
              b.add(node, 0);
              count.set(node, 0);
            } else if (op === 'remove' && has) {
              b.remove(node);
              count.delete(node);
            } else if (op === 'inc' && has && count.get(node)! < maxPods) {
              count.set(node, count.get(node)! + 1);
              b.move(node, count.get(node)!);
            } else if (op === 'dec' && has && count.get(node)! > 0) {
              count.set(node, count.get(node)! - 1);
              b.move(node, count.get(node)!);
            }
            expect(b.size).toBe(count.size);
            const free = [...count.values()].filter((c) => c < maxPods);
            const lo = b.lowest();
            const hi = b.highest();
            if (free.length === 0) {
              expect(lo).toBe(-1);
              expect(hi).toBe(-1);
            } else {
              expect(count.get(lo)).toBe(Math.min(...free));
              expect(count.get(hi)).toBe(Math.max(...free));
            }
            const any = b.lowestAny();
            if (count.size === 0) expect(any).toBe(-1);
            else expect(count.get(any)).toBe(Math.min(...count.values()));
            for (const [n, c] of count) expect(b.has(n) && c >= 0).toBe(true);
          }
        },
      ),
    );
  });
});
