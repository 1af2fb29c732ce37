/** Dynamic pod-subnet allocation: the worked numbers of docs/model.md, the wait queue, exhaustion, limits. */
import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/index.js';
import { CLUSTER_POD_LIMIT, OK, PENDING, POD_SUBNET_FULL, causeOf } from '../../src/alloc/types.js';
import { build, clusterSpec, gaugesOf, recountOf } from './helpers.js';

function setup(params: Record<string, unknown> = {}, podSubnet = '10.2.0.0/20', maxPods = 30) {
  const engine = new Engine();
  const b = build('dynamic', clusterSpec({ pools: [{ maxPods, nodeSubnet: '10.1.0.0/24', podSubnet }] }), { clock: engine, params });
  return { engine, ...b };
}

/** Pod-subnet addresses a node holds for pods (its primary not counted) in a one-node cluster. */
function podAddresses(b: ReturnType<typeof setup>): number {
  return gaugesOf(b.alloc).podIpsReserved - 1;
}

describe('dynamic: pool monitor v1 [podsubnet-doc, cns]', () => {
  it('a node holds 17 at start, still 17 with 8 pods, and 33 once its 9th pod leaves fewer than 8 free', () => {
    const b = setup();
    const { alloc, engine } = b;
    expect(alloc.nodeJoin(0, 0)).toBe(OK);
    expect(gaugesOf(alloc).podIpsReserved).toBe(17);
    for (let p = 0; p < 8; p++) expect(alloc.podAdd(p, 0)).toBeGreaterThanOrEqual(0);
    engine.run(30_000);
    expect(gaugesOf(alloc).podIpsReserved).toBe(17);
    expect(alloc.podAdd(8, 0)).toBeGreaterThanOrEqual(0); // 7 free now, < minFree 8
    const t = engine.now;
    engine.run(t + 1000 + 3000 - 1); // the next tick asks; the grant comes 3 s later
    expect(gaugesOf(alloc).podIpsReserved).toBe(17);
    engine.run(t + 1000 + 3000);
    expect(gaugesOf(alloc).podIpsReserved).toBe(33);
    engine.run(t + 60_000); // 23 free < maxFree 24: nothing is released
    expect(gaugesOf(alloc).podIpsReserved).toBe(33);
    expect(gaugesOf(alloc)).toEqual(recountOf(alloc));
  });

  it('releases a batch when free ≥ 24, one batch per tick', () => {
    const b = setup();
    const { alloc, engine } = b;
    alloc.nodeJoin(0, 0);
    const handles: number[] = [];
    for (let p = 0; p < 30; p++) handles.push(alloc.podAdd(p, 0));
    engine.run(60_000);
    for (let p = 0; p < 30; p++) if (handles[p]! >= 0) alloc.podRelease(p, 0, handles[p]!);
    for (const g of b.host.grants) alloc.podRelease(g.pod, 0, g.handle);
    const held = podAddresses(b);
    expect(held).toBeGreaterThanOrEqual(32);
    engine.run(engine.now + 1000);
    expect(podAddresses(b)).toBe(held - 16);
    engine.run(engine.now + 60_000);
    expect(podAddresses(b)).toBe(16); // free 16 < 24: stays
  });

  it('pods without a free address wait and are served in arrival order when the batch arrives', () => {
    const b = setup({ grantLatency: 2 });
    const { alloc, engine } = b;
    alloc.nodeJoin(0, 0);
    for (let p = 0; p < 16; p++) expect(alloc.podAdd(p, 0)).toBeGreaterThanOrEqual(0);
    for (let p = 16; p < 20; p++) expect(alloc.podAdd(p, 0)).toBe(PENDING);
    expect(gaugesOf(alloc).podsWaitingIp).toBe(4);
    alloc.podRelease(17, 0, PENDING); // gives up waiting
    engine.run(999);
    expect(b.host.grants).toEqual([]);
    engine.run(3000); // tick at 1 s, grant at 3 s
    expect(b.host.grants.map((g) => g.pod)).toEqual([16, 18, 19]);
    expect(new Set(b.host.grants.map((g) => g.handle)).size).toBe(3);
    expect(gaugesOf(alloc).podsWaitingIp).toBe(0);
    expect(gaugesOf(alloc).podIpsUsed).toBe(19);
    expect(gaugesOf(alloc)).toEqual(recountOf(alloc));
  });

  it('a released address goes straight to the longest-waiting pod of the node', () => {
    const b = setup();
    const { alloc } = b;
    alloc.nodeJoin(0, 0);
    const h0 = alloc.podAdd(0, 0);
    for (let p = 1; p < 16; p++) alloc.podAdd(p, 0);
    expect(alloc.podAdd(16, 0)).toBe(PENDING);
    expect(alloc.podAdd(17, 0)).toBe(PENDING);
    alloc.podRelease(0, 0, h0);
    expect(b.host.grants).toEqual([{ pod: 16, node: 0, handle: h0 }]);
    expect(gaugesOf(alloc).podsWaitingIp).toBe(1);
  });
});

describe('dynamic: pool monitor v2 [cns]', () => {
  it('with 25 pods the node targets 48', () => {
    const b = setup({ monitor: 'v2' });
    const { alloc, engine } = b;
    alloc.nodeJoin(0, 0);
    for (let p = 0; p < 25; p++) alloc.podAdd(p, 0);
    engine.run(30_000);
    expect(podAddresses(b)).toBe(48);
    expect(gaugesOf(alloc).podsWaitingIp).toBe(0);
    expect(b.host.grants.map((g) => g.pod)).toEqual([16, 17, 18, 19, 20, 21, 22, 23, 24]);
    // Down to 8 pods: target 16·ceil(0.5 + 8/16) = 16.
    for (const g of b.host.grants) alloc.podRelease(g.pod, 0, g.handle);
    expect(podAddresses(b)).toBe(32); // 16 pods left → 16·ceil(1.5) = 32
  });
});

describe('dynamic: subnet exhaustion and refusals [cns]', () => {
  it('switches every node to batch 1 above the threshold and back below the lower one, recording both', () => {
    // A /26 holds 59 addresses: exhausted at ≥ 50 % (30), recovered below 30 % (< 17.7).
    const b = setup({ exhaustedAbove: 0.5, recoveredBelow: 0.3 }, '10.2.0.0/26');
    const { alloc, engine, host } = b;
    alloc.nodeJoin(0, 0); // 17 used
    expect(host.events).toEqual([]);
    alloc.nodeJoin(1, 0); // 34 used: exhausted
    expect(host.events.map((e) => [e.event, e.cause, e.node])).toEqual([['subnet-exhausted', POD_SUBNET_FULL, -1]]);
    const before = gaugesOf(alloc).podIpsReserved;
    alloc.nodeJoin(2, 0); // primary + a batch of 1
    expect(gaugesOf(alloc).podIpsReserved - before).toBe(2);
    // Under exhaustion nodes 0 and 1 give back one address per tick until 1 is free (minFree 1, maxFree 2).
    engine.run(3000);
    expect(host.events.map((e) => e.event)).toEqual(['subnet-exhausted']);
    engine.run(20_000);
    expect(host.events.map((e) => e.event).slice(0, 2)).toEqual(['subnet-exhausted', 'subnet-recovered']);
    expect(host.events[1]!.cause).toBe(0); // a recovery is no exhaustion event
    expect(gaugesOf(alloc)).toEqual(recountOf(alloc));
  });

  it('a batch the subnet cannot fill is recorded and retried at the next tick', () => {
    // A /27 holds 27: node 0 takes 17, node 1 its primary, and its batch of 16 does not fit (9 free).
    const b = setup({ exhaustedAbove: 1, recoveredBelow: 0.99 }, '10.2.0.0/27');
    const { alloc, engine, host } = b;
    alloc.nodeJoin(0, 0);
    expect(alloc.nodeJoin(1, 0)).toBe(OK);
    expect(host.events.map((e) => [e.event, e.cause, e.node])).toEqual([['batch-refused', POD_SUBNET_FULL, 1]]);
    expect(alloc.podAdd(100, 1)).toBe(PENDING);
    engine.run(20_000);
    expect(host.grants).toEqual([]);
    expect(host.events.length).toBe(1); // once per refusal streak
    alloc.nodeLeave(0); // 17 addresses come back
    engine.run(30_000);
    expect(host.grants.map((g) => g.pod)).toEqual([100]);
  });

  it('refuses a node when the pod subnet cannot give even its primary address', () => {
    const b = setup({}, '10.2.0.0/29'); // 3 usable addresses
    const { alloc, host } = b;
    expect(alloc.nodeJoin(0, 0)).toBe(OK); // primary + batch refused
    expect(host.events.map((e) => e.event)).toContain('batch-refused');
    expect(alloc.nodeJoin(1, 0)).toBe(OK);
    expect(alloc.nodeJoin(2, 0)).toBe(OK);
    expect(alloc.nodeJoin(3, 0)).toBe(POD_SUBNET_FULL);
    expect(gaugesOf(alloc).nodeIpsUsed).toBe(3);
  });

  it('refuses pods beyond the cluster pod limit, waiting pods included', () => {
    const b = setup({ clusterPodLimit: 20 });
    const { alloc } = b;
    alloc.nodeJoin(0, 0);
    for (let p = 0; p < 20; p++) expect(alloc.podAdd(p, 0)).toBeGreaterThanOrEqual(PENDING);
    expect(causeOf(alloc.podAdd(20, 0))).toBe(CLUSTER_POD_LIMIT);
  });

  it('a leaving node stops its timers and returns everything, a request in flight included', () => {
    const b = setup();
    const { alloc, engine, spaces, host } = b;
    alloc.nodeJoin(0, 0);
    const hs: number[] = [];
    for (let p = 0; p < 10; p++) hs.push(alloc.podAdd(p, 0));
    engine.run(1500); // the tick at 1 s asked for a batch; its grant is due at 4 s
    hs.forEach((h, p) => alloc.podRelease(p, 0, h));
    alloc.nodeLeave(0);
    expect(spaces.totalUsed()).toBe(0);
    engine.run(60_000);
    expect(spaces.totalUsed()).toBe(0);
    expect(host.grants).toEqual([]);
    expect(host.events).toEqual([]);
    expect(gaugesOf(alloc)).toEqual(recountOf(alloc));
  });
});
