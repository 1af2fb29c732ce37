/** Dynamic pod-subnet allocation: the worked numbers of docs/model.md, the wait queue, exhaustion, limits. */
import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/index.js';
import { POD_SUBNET_SCARCE } from '../../src/alloc/dynamic/info.js';
import { VNET_IP_LIMIT } from '../../src/alloc/platform/azure-vnet.js';
import { OK, PENDING, POD_SUBNET_FULL } from '../../src/alloc/types.js';
import { build, clusterSpec, gaugesOf, recountOf } from './helpers.js';

function setup(params: Record<string, unknown> = {}, podSubnet = '10.2.0.0/20', maxPods = 110, networkIpLimit = 65_536) {
  const engine = new Engine();
  const b = build('dynamic', clusterSpec({ networkIpLimit, pools: [{ maxPods, nodeSubnet: '10.1.0.0/24', podSubnet }] }), { clock: engine, params });
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

  it('releases to the lower multiple of the batch when free ≥ 24; released addresses stay held until the answer', () => {
    const b = setup({ grantLatency: 2 });
    const { alloc, engine, spaces } = b;
    alloc.nodeJoin(0, 0);
    const handles: number[] = [];
    for (let p = 0; p < 40; p++) handles.push(alloc.podAdd(p, 0));
    engine.run(60_000);
    expect(podAddresses(b)).toBe(48); // 40 pods: 8 free, not < 8
    for (let p = 0; p < 40; p++) if (handles[p]! >= 0) alloc.podRelease(p, 0, handles[p]!);
    for (const g of b.host.grants) alloc.podRelease(g.pod, 0, g.handle);
    const t = engine.now; // 60 s, a phase time of the node: its next tick is at 61 s
    const used = spaces.totalUsed();
    engine.run(t + 1000);
    // The tick marks 16 pending release: no pod may take them, but the node still holds them (and the subnet).
    expect(podAddresses(b)).toBe(48);
    expect(spaces.totalUsed()).toBe(used);
    const h = alloc.podAdd(100, 0); // from the 32 still free
    expect(h).toBeGreaterThanOrEqual(0);
    alloc.podRelease(100, 0, h);
    engine.run(t + 1000 + 2000 - 1);
    expect(podAddresses(b)).toBe(48);
    engine.run(t + 1000 + 2000); // the answer: they return to the subnet
    expect(podAddresses(b)).toBe(32);
    expect(spaces.totalUsed()).toBe(used - 16);
    engine.run(t + 60_000);
    expect(podAddresses(b)).toBe(16); // 32 → 16 (free 32 ≥ 24), then 16 free < 24 stays
    expect(gaugesOf(alloc)).toEqual(recountOf(alloc));
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

describe('dynamic: maxIPCount [cns PR 843]', () => {
  it('defaults to max-pods (30 pods hold 30); a large cap lets v1 go to the next multiple (48), never further', () => {
    for (const [params, held] of [[{}, 30], [{ maxIPCount: 65_536 }, 48], [{ maxIPCount: 65_536, monitor: 'v2' }, 48]] as const) {
      const b = setup({ ...params, grantLatency: 1 }, '10.2.0.0/20', 30);
      for (let n = 0; n < 3; n++) b.alloc.nodeJoin(n, 0);
      for (let n = 0; n < 3; n++) for (let p = 0; p < 30; p++) b.alloc.podAdd(n * 100 + p, n);
      b.engine.run(120_000);
      expect(gaugesOf(b.alloc).podsWaitingIp).toBe(0);
      expect(gaugesOf(b.alloc).podIpsReserved).toBe(3 * (1 + held));
      expect(gaugesOf(b.alloc)).toEqual(recountOf(b.alloc));
    }
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
    // 16 pods left → 16·ceil(0.5 + 16/16) = 32: 16 marked pending release at once, gone with the answer.
    for (const g of b.host.grants) alloc.podRelease(g.pod, 0, g.handle);
    expect(podAddresses(b)).toBe(48);
    engine.run(engine.now + 3000);
    expect(podAddresses(b)).toBe(32);
    expect(gaugesOf(alloc)).toEqual(recountOf(alloc));
  });

  it('caps at min(maxIPCount, 250): max-pods 250 nodes with 250 pods hold 250', () => {
    const b = setup({ monitor: 'v2', grantLatency: 1 }, '10.2.0.0/20', 250);
    const { alloc, engine } = b;
    alloc.nodeJoin(0, 0);
    for (let p = 0; p < 250; p++) alloc.podAdd(p, 0);
    engine.run(120_000);
    expect(podAddresses(b)).toBe(250);
    expect(gaugesOf(alloc).podsWaitingIp).toBe(0);
  });
});

describe('dynamic: subnet exhaustion and refusals [cns]', () => {
  it('the control plane marks the subnet exhausted at its poll, nodes use batch 1, and it recovers at a later poll', () => {
    // A /26 holds 59 addresses: exhausted at ≥ 50 % (29.5), recovered below 30 % (17.7). Polls every 30 s.
    const b = setup({ exhaustedAbove: 0.5, recoveredBelow: 0.3 }, '10.2.0.0/26');
    const { alloc, engine, host } = b;
    const at: number[] = [];
    const record = host.record;
    host.record = (event, cause, node, detail) => {
      at.push(engine.now);
      record(event, cause, node, detail);
    };
    alloc.nodeJoin(0, 0); // 17 used
    alloc.nodeJoin(1, 0); // 34 used (57.6 %): nothing until the poll
    expect(host.events).toEqual([]);
    engine.run(30_000 - 1);
    expect(host.events).toEqual([]);
    engine.run(30_000);
    expect(host.events.map((e) => [e.event, e.cause, e.node])).toEqual([['subnet-exhausted', POD_SUBNET_SCARCE, -1]]);
    const before = gaugesOf(alloc).podIpsReserved;
    alloc.nodeJoin(2, 0); // primary + a batch of 1
    expect(gaugesOf(alloc).podIpsReserved - before).toBe(2);
    // Under exhaustion idle nodes give back one address per round trip until 1 is free (minFree 1, maxFree 2):
    // 3 × 2 = 6 used (10 %) after ~60 s; recovered at the next poll; they grow back to 16 and flip again.
    engine.run(300_000);
    const events = host.events.map((e) => e.event);
    expect(events.slice(0, 2)).toEqual(['subnet-exhausted', 'subnet-recovered']);
    expect(host.events[1]!.cause).toBe(0); // a recovery is no exhaustion event
    events.forEach((e, i) => expect(e).toBe(i % 2 === 0 ? 'subnet-exhausted' : 'subnet-recovered'));
    for (const t of at) expect(t % 30_000).toBe(0); // only at polls, at most one change each
    expect(new Set(at).size).toBe(at.length);
    expect(gaugesOf(alloc)).toEqual(recountOf(alloc));
  });

  it('subnetScarcity false: the subnet is never marked exhausted', () => {
    const b = setup({ exhaustedAbove: 0.5, recoveredBelow: 0.3, subnetScarcity: false }, '10.2.0.0/26');
    b.alloc.nodeJoin(0, 0);
    b.alloc.nodeJoin(1, 0);
    b.engine.run(600_000);
    expect(b.host.events).toEqual([]);
    expect(b.engine.pending).toBe(0);
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

  it('counts node addresses, primaries and batches against the VNet limit: batches refused (pods wait), then nodes', () => {
    const b = setup({}, '10.2.0.0/20', 110, 40);
    const { alloc, engine, host } = b;
    expect(alloc.nodeJoin(0, 0)).toBe(OK); // 1 + 1 + 16 = 18
    expect(alloc.nodeJoin(1, 0)).toBe(OK); // 36
    expect(alloc.nodeJoin(2, 0)).toBe(OK); // 38: its node address and primary fit, its batch does not
    expect(host.events.map((e) => [e.event, e.cause, e.node])).toEqual([['batch-refused', VNET_IP_LIMIT, 2]]);
    expect(alloc.podAdd(7, 2)).toBe(PENDING);
    expect(alloc.nodeJoin(3, 0)).toBe(OK); // 40
    expect(alloc.nodeJoin(4, 0)).toBe(VNET_IP_LIMIT);
    expect(gaugesOf(alloc).vnetIpsUsed).toBe(40);
    engine.run(60_000);
    expect(host.grants).toEqual([]);
    alloc.nodeLeave(3); // 2 addresses come back: node 2 asks for 16 and is still refused
    engine.run(120_000);
    expect(host.grants).toEqual([]);
    expect(gaugesOf(alloc).vnetIpsUsed).toBe(38);
    expect(gaugesOf(alloc)).toEqual(recountOf(alloc));
    expect(b.spaces.allBudgets().map((x) => x.used)).toEqual([38]);
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
