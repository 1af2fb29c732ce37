import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { IntList, IntQueue } from '../../src/sim/structs.js';

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
