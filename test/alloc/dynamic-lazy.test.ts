/**
 * Dynamic mode, lazy pool-monitor ticks (issue 6): a node's monitor runs only at its phase times
 * (join + k × monitorInterval) and only while a tick has something to do; an idle node costs no events.
 * Checked by what a node holds and when its pods get addresses, not by counting engine events (except that an
 * idle cluster has none at all).
 */
import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/index.js';
import { OK, PENDING } from '../../src/alloc/types.js';
import { RunSpaces } from '../../src/alloc/spaces.js';
import { build, clusterSpec, gaugesOf, recountOf } from './helpers.js';

const HOUR = 3_600_000;

function setup(params: Record<string, unknown> = {}, podSubnet = '10.2.0.0/16', nodeSubnet = '10.1.0.0/20', maxPods = 110) {
  const engine = new Engine();
  const b = build('dynamic', clusterSpec({ pools: [{ maxPods, nodeSubnet, podSubnet }] }), { clock: engine, params });
  return { engine, ...b };
}

/** The node's pod-subnet addresses over time: sampled every `step` ms from `from` to `to`, changes only. */
function heldOver(b: ReturnType<typeof setup>, from: number, to: number, step: number): [number, number][] {
  const out: [number, number][] = [];
  for (let t = from; t <= to; t += step) {
    b.engine.run(t);
    const r = gaugesOf(b.alloc).podIpsReserved;
    if (out.length === 0 || out[out.length - 1]![1] !== r) out.push([t, r]);
  }
  return out;
}

describe('dynamic: idle nodes cost no monitor events', () => {
  it('1,000 idle nodes over an hour of simulated time process no events (eager ticks would be 3.6M)', () => {
    const { engine, alloc } = setup();
    for (let n = 0; n < 1000; n++) {
      engine.run(engine.now + 7); // joins spread over 7 s: every phase differs
      expect(alloc.nodeJoin(n, 0)).toBe(OK);
    }
    expect(engine.pending).toBe(0);
    engine.run(engine.now + HOUR);
    expect(engine.processed).toBe(0); // no ticks, and no exhaustion polls while the subnet is far from its thresholds
    expect(gaugesOf(alloc).podIpsReserved).toBe(1000 * 17);
  });

  it('a node that grows once settles at 33 and leaves nothing scheduled', () => {
    const b = setup();
    b.alloc.nodeJoin(0, 0);
    for (let p = 0; p < 9; p++) b.alloc.podAdd(p, 0); // 7 free < minFree 8
    expect(heldOver(b, 0, 10_000, 500)).toEqual([[0, 17], [4000, 33]]); // tick at 1 s, answer 3 s later
    b.engine.run(HOUR);
    expect(b.engine.pending).toBe(0);
    expect(gaugesOf(b.alloc).podIpsReserved).toBe(33);
  });

  it('releasing down goes one batch per round trip to the lower multiple, then stops', () => {
    const b = setup();
    const { engine, alloc, host } = b;
    alloc.nodeJoin(0, 0);
    const handles: number[] = [];
    for (let p = 0; p < 60; p++) handles.push(alloc.podAdd(p, 0));
    engine.run(HOUR);
    expect(gaugesOf(alloc).podsWaitingIp).toBe(0);
    expect(gaugesOf(alloc).podIpsReserved).toBe(1 + 80); // 60 pods: 80 (20 free ≥ 8, < 24)
    for (let p = 0; p < 60; p++) if (handles[p]! >= 0) alloc.podRelease(p, 0, handles[p]!);
    for (const g of host.grants) alloc.podRelease(g.pod, 0, g.handle);
    // 80 → 64 → 48 → 32 → 16: each tick (on the hour's phase, +1 s) marks a batch, its answer 3 s later returns it.
    const t = engine.now;
    expect(heldOver(b, t, t + 30_000, 500)).toEqual([[t, 81], [t + 4000, 65], [t + 8000, 49], [t + 12_000, 33], [t + 16_000, 17]]);
    engine.run(2 * HOUR);
    expect(engine.pending).toBe(0);
    expect(gaugesOf(alloc)).toEqual(recountOf(alloc));
  });

  it('a node leaving with a tick scheduled cancels it: nothing happens after', () => {
    const { engine, alloc, host } = setup();
    alloc.nodeJoin(0, 0);
    const h: number[] = [];
    for (let p = 0; p < 9; p++) h.push(alloc.podAdd(p, 0));
    expect(engine.pending).toBeGreaterThan(0);
    h.forEach((x, p) => alloc.podRelease(p, 0, x));
    alloc.nodeLeave(0);
    expect(engine.pending).toBe(0);
    engine.run(HOUR);
    expect(host.events).toEqual([]);
  });
});

describe('dynamic: the monitor acts at phase times (join + k × monitorInterval)', () => {
  it('a pod added at join + 2.3 s triggers its batch request at join + 3 s, granted grantLatency later', () => {
    const latency = 2500;
    const b = setup({ grantLatency: latency / 1000 });
    const join = 12_345;
    b.engine.run(join);
    b.alloc.nodeJoin(0, 0);
    for (let p = 0; p < 8; p++) expect(b.alloc.podAdd(p, 0)).toBeGreaterThanOrEqual(0); // 8 free: idle
    b.engine.run(join + 2300);
    expect(b.alloc.podAdd(8, 0)).toBeGreaterThanOrEqual(0); // 7 free < minFree 8
    expect(heldOver(b, join + 2300, join + 20_000, 100)).toEqual([[join + 2300, 17], [join + 3000 + latency, 33]]);
    b.engine.run(join + HOUR);
    expect(gaugesOf(b.alloc).podIpsReserved).toBe(33); // 23 free: in [8, 24), nothing more to do
    expect(gaugesOf(b.alloc)).toEqual(recountOf(b.alloc));
  });

  it('a grant that leaves the node short brings the next tick at the first phase time after the grant', () => {
    // 40 pods at once: 16 served, 24 wait. Each round trip: a tick at a phase time, the grant 2.5 s later,
    // the next tick at the following phase time, 0.5 s after the grant.
    const latency = 2500;
    const { engine, alloc, host } = setup({ grantLatency: latency / 1000 });
    engine.run(700);
    alloc.nodeJoin(0, 0);
    const at: number[] = [];
    host.onGranted = () => at.push(engine.now);
    for (let p = 0; p < 40; p++) alloc.podAdd(p, 0);
    engine.run(60_000);
    // Ticks at 1.7 s (→ grant at 4.2 s: 16 served) and 4.7 s (→ grant at 7.2 s: the last 8 served).
    expect([...new Set(at)]).toEqual([700 + 1000 + latency, 700 + 4000 + latency]);
    expect(at.length).toBe(24);
    expect(gaugesOf(alloc).podsWaitingIp).toBe(0);
  });

  it('a refused batch is retried at the next phase time after the refusal (v1 every second, v2 every 60 s)', () => {
    // v1: the join's refusal arms a tick at 1.4 s; requests at 1.4, 4.4, 7.4 s are refused 2 s later, the one at
    // 10.4 s (after node 0 left) is granted at 12.4 s. v2 asks at once on the pod add (0.4 s) and is refused at
    // 2.4 s; its next reconcile is at the 60 s phase (60.4 s), granted at 62.4 s.
    for (const [monitor, grantedAt] of [['v1', 12_400], ['v2', 62_400]] as const) {
      // A /27 holds 27: node 0 takes 17, node 1 its primary; its batch of 16 does not fit (9 free).
      const { engine, alloc, host } = setup({ monitor, exhaustedAbove: 1, recoveredBelow: 0.99, grantLatency: 2 }, '10.2.0.0/27');
      alloc.nodeJoin(0, 0);
      engine.run(400);
      alloc.nodeJoin(1, 0); // phase 400 + k s
      expect(alloc.podAdd(100, 1)).toBe(PENDING);
      engine.run(10_000);
      expect(host.grants).toEqual([]);
      expect(host.events.filter((e) => e.event === 'batch-refused').length).toBe(1);
      alloc.nodeLeave(0); // at 10 s: 17 addresses come back
      engine.run(grantedAt - 1);
      expect(host.grants).toEqual([]);
      engine.run(grantedAt);
      expect(host.grants.map((g) => g.pod)).toEqual([100]);
      engine.run(HOUR);
      expect(engine.pending).toBe(0); // and nothing after it settles
    }
  });
});

describe('dynamic: an exhaustion flip wakes idle nodes', () => {
  it('another cluster filling a shared pod subnet switches this cluster’s idle node to batch 1 at the poll; its leaving switches back at the next', () => {
    // A /26 holds 59: exhausted at ≥ 50 % (29.5), recovered below 30 % (17.7); polls at k × 30 s.
    const engine = new Engine();
    const spaces = new RunSpaces();
    const params = { exhaustedAbove: 0.5, recoveredBelow: 0.3 };
    const pod = '10.2.0.0/26';
    const a = build('dynamic', clusterSpec({ name: 'a', pools: [{ maxPods: 30, nodeSubnet: '10.1.0.0/24', podSubnet: pod }] }), { clock: engine, params, spaces });
    const b = build('dynamic', clusterSpec({ name: 'b', pools: [{ maxPods: 30, nodeSubnet: '10.1.1.0/24', podSubnet: pod }] }), { clock: engine, params, spaces });
    a.alloc.nodeJoin(0, 0); // 17 used; idle
    engine.run(10_250);
    b.alloc.nodeJoin(0, 0); // 34 used: both clusters see the subnet exhausted at the 30 s poll
    engine.run(30_000 - 1);
    expect(a.host.events).toEqual([]);
    engine.run(30_000);
    expect(a.host.events.map((e) => e.event)).toEqual(['subnet-exhausted']);
    expect(b.host.events.map((e) => e.event)).toEqual(['subnet-exhausted']);
    // Batch 1 (maxFree 2): a's node (phase 0) marks one address at 31 s, returned at 34 s; and so on.
    engine.run(34_000 - 1);
    expect(gaugesOf(a.alloc).podIpsReserved).toBe(17);
    engine.run(34_000);
    expect(gaugesOf(a.alloc).podIpsReserved).toBe(16);
    engine.run(45_000);
    b.alloc.nodeLeave(0); // well below 30 %: recovered at the 60 s poll, seen by a
    engine.run(60_000 - 1);
    expect(a.host.events.map((e) => e.event)).toEqual(['subnet-exhausted']);
    engine.run(60_000);
    expect(a.host.events.map((e) => e.event)).toEqual(['subnet-exhausted', 'subnet-recovered']);
    engine.run(HOUR);
    // Back at batch 16, a's node settles where v1 leaves it: between minFree 8 and maxFree 24 free.
    const held = gaugesOf(a.alloc).podIpsReserved - 1;
    expect(held).toBeGreaterThanOrEqual(8);
    expect(held).toBeLessThan(24);
    expect(engine.pending).toBe(0);
    expect(gaugesOf(a.alloc)).toEqual(recountOf(a.alloc));
    expect(gaugesOf(b.alloc)).toEqual(recountOf(b.alloc));
  });
});
