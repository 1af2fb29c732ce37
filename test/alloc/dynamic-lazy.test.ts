/**
 * Dynamic mode, lazy pool-monitor ticks (issue 6): a node's monitor runs only at its phase times
 * (join + k × monitorInterval) and only while a tick has something to do; an idle node costs no events.
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

describe('dynamic: idle nodes cost no monitor events', () => {
  it('1,000 idle nodes over an hour of simulated time process no events (eager ticks would be 3.6M)', () => {
    const { engine, alloc } = setup();
    for (let n = 0; n < 1000; n++) {
      engine.run(engine.now + 7); // joins spread over 7 s: every phase differs
      expect(alloc.nodeJoin(n, 0)).toBe(OK);
    }
    expect(engine.pending).toBe(0);
    engine.run(engine.now + HOUR);
    expect(engine.processed).toBe(0);
    expect(gaugesOf(alloc).podIpsReserved).toBe(1000 * 17);
  });

  it('a node that grows once and then idles processes exactly one tick and one grant in an hour', () => {
    const { engine, alloc } = setup();
    alloc.nodeJoin(0, 0);
    for (let p = 0; p < 9; p++) alloc.podAdd(p, 0); // 7 free < minFree 8
    engine.run(HOUR);
    expect(engine.processed).toBe(2);
    expect(engine.pending).toBe(0);
    expect(gaugesOf(alloc).podIpsReserved).toBe(33);
  });

  it('releasing down ticks once per batch released, then stops', () => {
    const { engine, alloc, host } = setup();
    alloc.nodeJoin(0, 0);
    const handles: number[] = [];
    for (let p = 0; p < 60; p++) handles.push(alloc.podAdd(p, 0));
    engine.run(HOUR);
    const b = gaugesOf(alloc);
    expect(b.podsWaitingIp).toBe(0);
    const processedGrowing = engine.processed;
    expect(processedGrowing).toBeGreaterThan(0);
    expect(processedGrowing).toBeLessThan(40); // a handful of ticks and grants, not 3,600
    for (let p = 0; p < 60; p++) if (handles[p]! >= 0) alloc.podRelease(p, 0, handles[p]!);
    for (const g of host.grants) alloc.podRelease(g.pod, 0, g.handle);
    expect(gaugesOf(alloc).podIpsUsed).toBe(0);
    const held = gaugesOf(alloc).podIpsReserved - 1;
    expect(held).toBeGreaterThanOrEqual(24);
    engine.run(2 * HOUR);
    // Each release tick gives back one batch while free ≥ maxFree 24; the last leaves free < 24.
    const released = held - (gaugesOf(alloc).podIpsReserved - 1);
    expect(released % 16).toBe(0);
    expect(gaugesOf(alloc).podIpsReserved - 1).toBeLessThan(24);
    expect(engine.processed - processedGrowing).toBe(released / 16);
    expect(engine.pending).toBe(0);
  });

  it('a node leaving with a tick scheduled cancels it', () => {
    const { engine, alloc } = setup();
    alloc.nodeJoin(0, 0);
    const h: number[] = [];
    for (let p = 0; p < 9; p++) h.push(alloc.podAdd(p, 0));
    expect(engine.pending).toBe(1); // the tick at 1 s
    h.forEach((x, p) => alloc.podRelease(p, 0, x));
    alloc.nodeLeave(0);
    expect(engine.pending).toBe(0);
    engine.run(HOUR);
    expect(engine.processed).toBe(0);
  });
});

describe('dynamic: the monitor acts at phase times (join + k × monitorInterval)', () => {
  it('a pod added at join + 2.3 s triggers its batch request at join + 3 s, granted grantLatency later', () => {
    const latency = 2500;
    const { engine, alloc } = setup({ grantLatency: latency / 1000 });
    const join = 12_345;
    engine.run(join);
    alloc.nodeJoin(0, 0);
    for (let p = 0; p < 8; p++) expect(alloc.podAdd(p, 0)).toBeGreaterThanOrEqual(0); // 8 free: idle
    engine.run(join + 2300);
    expect(engine.processed).toBe(0);
    expect(engine.pending).toBe(0);
    expect(alloc.podAdd(8, 0)).toBeGreaterThanOrEqual(0); // 7 free < minFree 8
    engine.run(join + 3000 - 1);
    expect(engine.processed).toBe(0); // nothing at join + 2.3 s
    engine.run(join + 3000);
    expect(engine.processed).toBe(1); // the tick at the phase time asks for a batch
    engine.run(join + 3000 + latency - 1);
    expect(gaugesOf(alloc).podIpsReserved).toBe(17);
    engine.run(join + 3000 + latency);
    expect(gaugesOf(alloc).podIpsReserved).toBe(33);
    expect(engine.processed).toBe(2);
    engine.run(join + HOUR);
    expect(engine.processed).toBe(2); // 23 free: in [8, 24), nothing more to do
    expect(gaugesOf(alloc)).toEqual(recountOf(alloc));
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

  it('a refused batch is retried at the next phase time after the refusal (v1 and v2)', () => {
    // v1: the join's refusal arms a tick at 1.4 s; requests at 1.4, 4.4, 7.4 s are refused 2 s later, the one at
    // 10.4 s (after node 0 left) is granted at 12.4 s. v2 asks at once on the pod add (0.4 s): refused at 2.4,
    // 5.4, 8.4 s; the grant at 11.4 s fits.
    for (const [monitor, grantedAt, events] of [['v1', 12_400, 2], ['v2', 11_400, 1]] as const) {
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
      const before = engine.processed;
      engine.run(grantedAt - 1);
      expect(host.grants).toEqual([]);
      engine.run(grantedAt);
      expect(host.grants.map((g) => g.pod)).toEqual([100]);
      expect(engine.processed - before).toBe(events); // the request's tick (v1: 10.4 s) and the grant
      engine.run(HOUR);
      expect(engine.pending).toBe(0); // and nothing after it settles
    }
  });
});

describe('dynamic: an exhaustion flip wakes idle nodes', () => {
  it('another cluster filling a shared pod subnet switches this cluster’s idle node to batch 1; its leaving switches back', () => {
    // A /26 holds 59: exhausted at ≥ 50 % (29.5), recovered below 30 % (17.7).
    const engine = new Engine();
    const spaces = new RunSpaces();
    const params = { exhaustedAbove: 0.5, recoveredBelow: 0.3 };
    const pod = '10.2.0.0/26';
    const a = build('dynamic', clusterSpec({ name: 'a', pools: [{ maxPods: 30, nodeSubnet: '10.1.0.0/24', podSubnet: pod }] }), { clock: engine, params, spaces });
    const b = build('dynamic', clusterSpec({ name: 'b', pools: [{ maxPods: 30, nodeSubnet: '10.1.1.0/24', podSubnet: pod }] }), { clock: engine, params, spaces });
    a.alloc.nodeJoin(0, 0); // 17 used; idle
    engine.run(10_250);
    expect(engine.processed).toBe(0);
    b.alloc.nodeJoin(0, 0); // 34 used: both clusters see the subnet exhausted at once
    expect(a.host.events.map((e) => e.event)).toEqual(['subnet-exhausted']);
    expect(b.host.events.map((e) => e.event)).toEqual(['subnet-exhausted']);
    // Batch 1 (maxFree 2): a's node (phase 0) gives back one address per tick from 11 s, b's (phase 0.25 s) from 11.25 s.
    engine.run(11_000 - 1);
    expect(gaugesOf(a.alloc).podIpsReserved).toBe(17);
    engine.run(11_000);
    expect(gaugesOf(a.alloc).podIpsReserved).toBe(16);
    expect(gaugesOf(b.alloc).podIpsReserved).toBe(17);
    engine.run(11_250);
    expect(gaugesOf(b.alloc).podIpsReserved).toBe(16);
    engine.run(13_500); // a released 3 (11, 12, 13 s), b 3: 28 used
    expect(spaces.totalUsed()).toBe(28 + 2); // + the two node-subnet addresses
    b.alloc.nodeLeave(0); // 14 used (23.7 %): recovered, seen by a at once
    expect(a.host.events.map((e) => e.event)).toEqual(['subnet-exhausted', 'subnet-recovered']);
    expect(gaugesOf(a.alloc).podIpsReserved).toBe(14);
    const before = engine.processed;
    engine.run(HOUR);
    // a's tick at 14 s finds 13 free (in [8, 24)): nothing to do, nothing scheduled after it.
    expect(engine.processed - before).toBe(1);
    expect(engine.pending).toBe(0);
    expect(gaugesOf(a.alloc).podIpsReserved).toBe(14);
    expect(gaugesOf(a.alloc)).toEqual(recountOf(a.alloc));
    expect(gaugesOf(b.alloc)).toEqual(recountOf(b.alloc));
  });
});
