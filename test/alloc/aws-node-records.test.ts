/**
 * ipamd's node records (src/alloc/aws-vpc-cni/node-records.ts) against naive models: the cooling queue (the oldest K
 * addresses in the record, the rest in a per-node ring that is rewound when short) against an array per node, and
 * the ready bitset against a Set per node, over random pushes, pops and removals on several nodes at once, with the
 * arrays growing as node ids rise. Layouts: m5.large in both modes (one record line; three with prefixes), a large
 * instance with prefixes (several summary words), and small ones whose queues fill and whose rings wrap.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NodeRecords } from '../../src/alloc/aws-vpc-cni/node-records.js';

type Op =
  | { t: 'push'; node: number; slot: number }
  | { t: 'pop'; node: number }
  | { t: 'remove'; node: number; from: number; len: number }
  | { t: 'ready'; node: number; slot: number; on: boolean };

function opsArb(nodes: number, slots: number, pushWeight = 5): fc.Arbitrary<Op[]> {
  const node = fc.nat(nodes - 1);
  const slot = fc.nat(slots - 1);
  return fc.array(
    fc.oneof(
      { arbitrary: fc.record({ t: fc.constant('push' as const), node, slot }), weight: pushWeight },
      { arbitrary: fc.record({ t: fc.constant('pop' as const), node }), weight: 4 },
      { arbitrary: fc.record({ t: fc.constant('remove' as const), node, from: slot, len: fc.integer({ min: 1, max: 16 }) }), weight: 1 },
      { arbitrary: fc.record({ t: fc.constant('ready' as const), node, slot, on: fc.boolean() }), weight: 3 },
    ),
    { maxLength: 300 },
  );
}

/** Runs `ops` on fresh records and models; checks every observable after each step. */
function check(enis: number, perEni: number, prefix: boolean, nodes: number, ops: Op[]): void {
  const rec = new NodeRecords(enis, perEni, prefix);
  const slots = rec.SLOTS;
  const queue: { t: number; s: number }[][] = [];
  const ready: Set<number>[] = [];
  let now = 0;
  const touch = (node: number): void => {
    if (queue[node] !== undefined) return;
    rec.ensure(node);
    rec.reset(node, 0, now);
    queue[node] = [];
    ready[node] = new Set();
  };
  for (const op of ops) {
    now += 7;
    touch(op.node);
    const q = queue[op.node]!;
    switch (op.t) {
      case 'push':
        // A slot cools at most once at a time, and the queue never holds more than the node's slots.
        if (q.some((e) => e.s === op.slot) || q.length === slots) break;
        rec.coolPush(op.node, op.slot, now);
        q.push({ t: now, s: op.slot });
        break;
      case 'pop':
        if (q.length === 0) break;
        expect(rec.coolPop(op.node)).toBe(q.shift()!.s);
        break;
      case 'remove': {
        const to = Math.min(slots, op.from + op.len);
        const gone = q.filter((e) => e.s >= op.from && e.s < to).length;
        expect(rec.coolRemove(op.node, op.from, to)).toBe(gone);
        queue[op.node] = q.filter((e) => !(e.s >= op.from && e.s < to));
        expect(rec.lastCooling(op.node, op.from, to)).toBe(-Infinity);
        break;
      }
      case 'ready':
        if (op.on) {
          rec.setReady(op.node, op.slot);
          ready[op.node]!.add(op.slot);
        } else {
          rec.clearReady(op.node, op.slot);
          ready[op.node]!.delete(op.slot);
        }
        break;
    }
    const m = queue[op.node]!;
    expect(rec.cooling(op.node)).toBe(m.length);
    expect(rec.coolHeadAt(op.node)).toBe(m.length === 0 ? Infinity : m[0]!.t);
    const last = m.reduce((a, e) => Math.max(a, e.t), -Infinity);
    expect(rec.lastCooling(op.node, 0, slots)).toBe(last);
    rec.markCooling(op.node);
    for (const e of m) expect(rec.marked(e.s)).toBe(true);
    const rs = ready[op.node]!;
    expect(rec.lowestReady(op.node)).toBe(rs.size === 0 ? -1 : Math.min(...rs));
  }
  // Nodes share nothing: every node's queue drains to its own model.
  for (let node = 0; node < queue.length; node++) {
    const m = queue[node];
    if (m === undefined) continue;
    for (const e of m) expect(rec.coolPop(node)).toBe(e.s);
    expect(rec.cooling(node)).toBe(0);
    expect(rec.coolHeadAt(node)).toBe(Infinity);
  }
}

const RUNS = process.env['CNISIM_LONG'] ? 2000 : 60;

describe('ipamd node records', () => {
  it('m5.large, secondary IPs (27 slots): cooling queue and ready bits match the models', () => {
    fc.assert(fc.property(opsArb(70, 27), (ops) => check(3, 9, false, 70, ops)), { numRuns: RUNS, seed: 15_001 });
  });

  it('m5.large, prefixes (432 slots): cooling queue and ready bits match the models', () => {
    fc.assert(fc.property(opsArb(5, 432), (ops) => check(3, 9, true, 5, ops)), { numRuns: RUNS, seed: 15_002 });
  });

  it('a 24xlarge with prefixes (15 ENIs × 49 prefixes: 11,760 slots, 12 summary words): the same', () => {
    fc.assert(fc.property(opsArb(3, 11_760, 7), (ops) => check(15, 49, true, 3, ops)), { numRuns: Math.ceil(RUNS / 3), seed: 15_006 });
  });

  it('two slots per node: the queue fills within the record', () => {
    fc.assert(fc.property(opsArb(3, 2), (ops) => check(2, 1, false, 3, ops)), { numRuns: RUNS, seed: 15_003 });
  });

  it('eight and twelve slots, pushes outweigh pops: queues fill, the ring wraps and is rewound', () => {
    fc.assert(fc.property(opsArb(2, 8, 9), (ops) => check(2, 4, false, 2, ops)), { numRuns: RUNS, seed: 15_004 });
    fc.assert(fc.property(opsArb(2, 12, 7), (ops) => check(3, 4, false, 2, ops)), { numRuns: RUNS, seed: 15_005 });
  });

  for (const [enis, perEni, prefix] of [[2, 4, false], [3, 9, true]] as const) {
    it(`${enis} × ${perEni} ${prefix ? 'prefixes' : 'addresses'}, a full queue: the ring wraps past its end many times, then is rewound`, () => {
      const slots = new NodeRecords(enis, perEni, prefix).SLOTS;
      const ops: Op[] = [];
      for (let s = 0; s < slots; s++) ops.push({ t: 'push', node: 1, slot: s });
      // Pop the oldest and cool it again (40 times): the queue stays full but for one, its ring part moves round the
      // ring's end (the tail passes it after K + 1 rounds).
      for (let k = 0; k < 40; k++) ops.push({ t: 'pop', node: 1 }, { t: 'push', node: 1, slot: k % slots });
      for (let k = 0; k < slots; k++) ops.push({ t: 'pop', node: 1 });
      // Node 0's ring is next to node 1's: a write past node 0's end would land in node 1's entries.
      for (let s = 0; s < slots; s++) ops.push({ t: 'push', node: 0, slot: s }, { t: 'push', node: 1, slot: s });
      for (let k = 0; k < 40; k++) ops.push({ t: 'pop', node: 0 }, { t: 'push', node: 0, slot: k % slots });
      ops.push({ t: 'remove', node: 0, from: 3, len: 9 }, { t: 'remove', node: 1, from: 0, len: 2 });
      check(enis, perEni, prefix, 2, ops);
    });
  }

  it('m5.large: one record line with secondary IPs (2 cooling addresses in it), three with prefixes (7)', () => {
    const sip = new NodeRecords(3, 9, false);
    const pd = new NodeRecords(3, 9, true);
    expect([sip.RS, sip.K]).toEqual([16, 2]);
    expect([pd.RS, pd.K]).toEqual([48, 7]);
  });
});
