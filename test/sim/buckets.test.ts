/**
 * Placement buckets (src/sim/placement.ts) against a reference that keeps, per pod count, the nodes in the order
 * they reached it: spread takes the first node of the lowest count below maxPods, pack the first of the highest,
 * removal the first of the lowest count overall. The links live in the node table's records, so the node table
 * grows (and replaces its array) in the middle of the operations.
 */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { Buckets } from '../../src/sim/placement.js';
import { NodeTable } from '../../src/sim/tables.js';

const MAX_PODS = 5;
const NODES = 21;

describe('Buckets (placement)', () => {
  test('lowest / highest / lowestAny / nodesIn / countOf agree with a per-count FIFO reference', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ op: fc.constantFrom('add', 'remove', 'inc', 'dec', 'grow'), node: fc.integer({ min: 0, max: NODES - 1 }) }),
          { maxLength: 300 },
        ),
        (ops) => {
          const table = new NodeTable(MAX_PODS, 16);
          const ids: number[] = [];
          for (let i = 0; i < NODES; i++) ids.push(table.alloc(0));
          const b = new Buckets(MAX_PODS, table);
          // Reference: count → nodes in the order they reached it.
          const lists: number[][] = Array.from({ length: MAX_PODS + 1 }, () => []);
          const countOf = new Map<number, number>();
          const leave = (n: number): void => {
            const l = lists[countOf.get(n)!]!;
            l.splice(l.indexOf(n), 1);
          };
          const enter = (n: number, c: number): void => {
            lists[c]!.push(n);
            countOf.set(n, c);
          };
          for (const { op, node } of ops) {
            const n = ids[node]!;
            const c = countOf.get(n);
            if (op === 'grow') {
              for (let i = 0; i < 20; i++) table.alloc(1);
            } else if (op === 'add' && c === undefined) {
              b.add(n, 0);
              enter(n, 0);
            } else if (op === 'remove' && c !== undefined) {
              b.remove(n);
              leave(n);
              countOf.delete(n);
            } else if (op === 'inc' && c !== undefined && c < MAX_PODS) {
              b.move(n, c + 1);
              leave(n);
              enter(n, c + 1);
            } else if (op === 'dec' && c !== undefined && c > 0) {
              b.move(n, c - 1);
              leave(n);
              enter(n, c - 1);
            }
            const below = lists.slice(0, MAX_PODS).map((l) => l[0] ?? -1);
            expect(b.size).toBe(countOf.size);
            expect(b.lowest()).toBe(below.find((x) => x >= 0) ?? -1);
            expect(b.highest()).toBe([...below].reverse().find((x) => x >= 0) ?? -1);
            expect(b.lowestAny()).toBe(lists.map((l) => l[0] ?? -1).find((x) => x >= 0) ?? -1);
            for (let k = 0; k <= MAX_PODS; k++) expect(b.nodesIn(k)).toEqual(lists[k]);
            for (const id of ids) {
              expect(b.countOf(id)).toBe(countOf.get(id) ?? -1);
              expect(b.has(id)).toBe(countOf.has(id));
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
