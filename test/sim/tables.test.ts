/**
 * The pod table (src/sim/tables.ts): interleaved records against a reference model, its growth policy, and the
 * waiting pods' bind times in a world (kept only while a pod waits, none left behind by a deletion).
 */
import { describe, expect, test } from 'vitest';
import { Rng } from '../../src/rng.js';
import { readFileSync } from 'node:fs';
import { loadScenario, parseScenario } from '../../src/scenario/index.js';
import { expectedPeakPods } from '../../src/sim/estimate.js';
import { simulate } from '../../src/sim/run.js';
import { createWorld } from '../../src/sim/assemble.js';
import { checkerFor } from '../../src/sim/check.js';
import {
  POD_FIELDS, POD_SHIFT, PodTable, P_FREE, P_HANDLE, P_NSLOT, P_NODE, P_OWNER, P_POOL, P_BSEQ, P_QUEUED, P_SLOT, P_STATE,
  P_WAITING,
} from '../../src/sim/tables.js';

describe('PodTable records', () => {
  test('the eight field offsets are distinct and fill one record of 8 Int32 (32 bytes)', () => {
    const offsets = [P_STATE, P_NODE, P_HANDLE, P_POOL, P_OWNER, P_SLOT, P_NSLOT, P_BSEQ];
    expect(new Set(offsets).size).toBe(8);
    expect(offsets.every((o) => o >= 0 && o < POD_FIELDS)).toBe(true);
    expect(1 << POD_SHIFT).toBe(POD_FIELDS);
    const t = new PodTable(16);
    expect(t.f.byteLength).toBe(16 * 32);
  });

  test('alloc/free against a reference: ids unique among live pods, recycled, every record kept across growth', () => {
    const s = new Rng(6).stream('pod-table');
    const t = new PodTable(16);
    // Reference: live id → the fields the test set (handle, slot, prev are written by the test, as bind would).
    const ref = new Map<number, [number, number, number, number, number]>();
    const liveIds: number[] = [];
    const freed: number[] = [];
    let highWater = 0;
    for (let step = 0; step < 200_000; step++) {
      // Mostly allocations (the table grows past 64k ids), with frees all along.
      if (ref.size === 0 || s.uniform() < 0.75) {
        const pool = s.int(50);
        const owner = s.int(1000) - 3;
        const id = t.alloc(pool, owner);
        // LIFO reuse of freed ids, then fresh ids in order (plain checks: an expect per step would be slow).
        const want = freed.length > 0 ? freed.pop()! : highWater++;
        const f = t.f;
        const b = id << POD_SHIFT;
        if (id !== want || ref.has(id) || f[b + P_STATE] !== P_QUEUED || f[b + P_NODE] !== -1) {
          expect({ step, id, live: ref.has(id), state: f[b + P_STATE], node: f[b + P_NODE] }).toEqual({ step, id: want, live: false, state: P_QUEUED, node: -1 });
        }
        const handle = s.int(1 << 30);
        const slot = s.int(1 << 20);
        const prev = s.int(1 << 20) - 1;
        f[b + P_HANDLE] = handle;
        f[b + P_SLOT] = slot;
        f[b + P_BSEQ] = prev;
        ref.set(id, [pool, owner, handle, slot, prev]);
        liveIds.push(id);
      } else {
        // Free a random live pod (swap-removed from liveIds).
        const k = s.int(liveIds.length);
        const id = liveIds[k]!;
        liveIds[k] = liveIds[liveIds.length - 1]!;
        liveIds.pop();
        t.free(id);
        ref.delete(id);
        freed.push(id);
        if (t.f[(id << POD_SHIFT) + P_STATE] !== P_FREE) expect({ step, state: t.f[(id << POD_SHIFT) + P_STATE] }).toEqual({ step, state: P_FREE });
      }
      if (t.live !== ref.size) expect({ step, live: t.live }).toEqual({ step, live: ref.size });
    }
    expect(t.top).toBe(highWater);
    expect(t.top).toBeGreaterThan(65_536); // grown past the doubling range
    const f = t.f;
    const bad: string[] = [];
    for (const [id, [pool, owner, handle, slot, prev]] of ref) {
      const b = id << POD_SHIFT;
      const got = [f[b + P_STATE], f[b + P_POOL], f[b + P_OWNER], f[b + P_HANDLE], f[b + P_SLOT], f[b + P_BSEQ]];
      const want = [P_QUEUED, pool, owner, handle, slot, prev];
      if (got.some((v, i) => v !== want[i])) bad.push(`pod ${id}: ${got.join(',')} != ${want.join(',')}`);
    }
    expect(bad.slice(0, 5)).toEqual([]);
    expect(ref.size).toBeGreaterThan(50_000);
  });

  test('growth: doubling up to 64k ids, a quarter beyond; reserve grows once for a whole batch', () => {
    const t = new PodTable(16);
    const caps: number[] = [];
    for (let i = 0; i < 200_000; i++) {
      t.alloc(0, -1);
      if (caps[caps.length - 1] !== t.capacity) caps.push(t.capacity);
    }
    expect(caps.slice(0, 4)).toEqual([16, 32, 64, 128]);
    expect(caps).toContain(65_536);
    for (let i = 1; i < caps.length; i++) {
      expect(caps[i]).toBe(caps[i - 1]! < 65_536 ? caps[i - 1]! * 2 : caps[i - 1]! + (caps[i - 1]! >>> 2));
    }
    expect(t.f.length).toBe(t.capacity * POD_FIELDS);
    const r = new PodTable(16);
    r.reserve(1000);
    const cap = r.capacity;
    expect(cap).toBe(1024);
    for (let i = 0; i < 1000; i++) r.alloc(0, 0);
    expect(r.capacity).toBe(cap);
  });

  test('bind times: exact beyond the Int32 range, dropped on grant or unbind; memoryBytes counts them', () => {
    const t = new PodTable(16);
    const a = t.alloc(0, -1);
    const b = t.alloc(0, -1);
    const base = t.memoryBytes;
    expect(base).toBe(t.f.byteLength);
    const yearMs = 365 * 86_400_000 + 0.5; // above 2^31 and not an integer: kept as a double
    t.waitStarted(a, yearMs);
    t.waitStarted(b, 1000);
    expect(t.memoryBytes).toBeGreaterThan(base);
    expect(t.waitEnded(a, yearMs + 7)).toBe(7);
    expect(() => t.waitEnded(a, yearMs + 8)).toThrow(/no bind time/);
    t.waitDropped(b);
    expect(t.boundAt.size).toBe(0);
    expect(t.memoryBytes).toBe(base);
  });
});

/** A dynamic burst whose deployment is cut down while most pods still wait for their address. */
const burst = (scaleAt: string) => `
name: waiting-deleted
seed: 3
duration: 10m
sampleEvery: 5s
modes: [dynamic]
network: {nodeSubnet: 10.240.0.0/24, podSubnet: 10.241.0.0/18}
parameters:
  dynamic: {batchSize: 16, grantLatency: 5s, monitor: v1}
nodePools:
  - {name: user, count: 4, maxPods: 110}
workload:
  - {at: 1m, deploy: {name: burst, pool: user, replicas: 300}}
  - {at: ${scaleAt}, scale: {name: burst, replicas: 20}}
`;

describe('waiting pods in a world', () => {
  test('a pod deleted before its grant leaves no bind time behind', () => {
    const scenario = parseScenario(burst('62s'), 'waiting-deleted.yaml');
    const world = createWorld(scenario, 'dynamic', { check: true });
    world.start();
    const c = world.clusters[0]!.counters;
    world.engine.run(61_000);
    const waitingBefore = c.podsWaitingIp;
    expect(waitingBefore).toBeGreaterThan(100); // most of the burst waits for batches
    expect(world.pods.boundAt.size).toBe(waitingBefore);
    world.engine.run(62_000);
    // The scale-down deleted waiting pods: their bind times went with them.
    expect(c.podsWaitingIp).toBeLessThan(waitingBefore);
    expect(world.pods.live).toBe(20);
    expect(world.pods.boundAt.size).toBe(c.podsWaitingIp);
    world.engine.run(scenario.durationMs);
    expect(c.podsWaitingIp).toBe(0);
    expect(world.pods.boundAt.size).toBe(0);
    checkerFor(world).verify('at the end');
  });

  test('--check catches a bind time left behind', () => {
    const scenario = parseScenario(burst('62s'), 'waiting-deleted.yaml');
    const world = createWorld(scenario, 'dynamic');
    world.start();
    world.engine.run(scenario.durationMs);
    checkerFor(world).verify('before');
    world.pods.boundAt.set(0, 1);
    expect(() => checkerFor(world).verify('after')).toThrow(/bind times kept/);
  });

  test('a pod waiting in the table is found by the recount, and one without a bind time is reported', () => {
    const scenario = parseScenario(burst('9m'), 'waiting-deleted.yaml');
    const world = createWorld(scenario, 'dynamic');
    world.start();
    world.engine.run(61_000);
    const f = world.pods.f;
    let waiting = -1;
    for (let p = 0; p < world.pods.top && waiting < 0; p++) if (f[(p << POD_SHIFT) + P_STATE] === P_WAITING) waiting = p;
    expect(waiting).toBeGreaterThanOrEqual(0);
    checkerFor(world).verify('before');
    const t = world.pods.boundAt.get(waiting)!;
    world.pods.boundAt.delete(waiting);
    world.pods.boundAt.set(-5, t); // same count, wrong pod
    expect(() => checkerFor(world).verify('after')).toThrow(new RegExp(`pod ${waiting} waits for an address but has no bind time`));
  });

  test('pods refused an address and deleted while queued again are released cleanly (--check)', async () => {
    // An overlay node's /28 block offers 16 slots while the pool says max-pods 30: the allocator refuses the 17th
    // pod (max-pods) although the scheduler placed it; the refused pods go back to the queue and the scale-down
    // deletes them there. (Before the fix they stayed in P_WAITING: the run crashed.)
    const r = await simulate(parseScenario(`
name: refused-then-deleted
duration: 10m
sampleEvery: 10s
modes: [overlay]
network: {nodeSubnet: 10.240.0.0/24, podCidr: 10.32.0.0/16}
parameters:
  overlay: {blockPrefix: 28}
nodePools:
  - {name: user, count: 1, maxPods: 30}
workload:
  - {at: 1m, deploy: {name: a, pool: user, replicas: 20}}
  - {at: 3m, scale: {name: a, replicas: 5}}
`, 'refused.yaml'), { check: true });
    expect(r.events.filter((e) => e.event === 'pod-refused').length).toBeGreaterThan(0);
    const at = (s: number) => r.timeseries.find((row) => row.time_s === s)!;
    expect([at(170).pods_running, at(170).pods_unschedulable]).toEqual([16, 4]);
    expect([at(180).pods_running, at(180).pods_unschedulable, at(180).pods_waiting_ip]).toEqual([5, 0, 0]);
  });
});

describe('pod table sizing', () => {
  test('expectedPeakPods covers the churn scenario\'s simulated peak with at most 10 % to spare', () => {
    const golden = readFileSync(new URL('../golden/churn.summary.csv', import.meta.url), 'utf8').trim().split('\n');
    const header = golden[0]!.split(','), row = golden[1]!.split(',');
    const peak = Number(row[header.indexOf('max_pods_running')]);
    expect(peak).toBeGreaterThan(600_000);
    const expected = expectedPeakPods(loadScenario(new URL('../../scenarios/churn.yaml', import.meta.url).pathname));
    expect(expected).toBeGreaterThanOrEqual(peak);
    expect(expected).toBeLessThanOrEqual(1.1 * peak);
  });
});
