/**
 * cilium-cluster-pool through the allocator API: the defaults' arithmetic, pods per range (size − 2 − router −
 * health), the /31 and /32 rule of Cilium's range allocator, next-fit ranges over several CIDRs, refusals.
 */
import { describe, expect, it } from 'vitest';
import { ciliumClusterPoolInfo, NODE_RANGE_FULL, podsPerRange, podsPerRange6, rangeUsable, rangeUsable6 } from '../../src/alloc/cilium-cluster-pool/info.js';
import { Engine } from '../../src/engine/index.js';
import { MAX_PODS, NODE_SUBNET_FULL, OK, PENDING, POD_CIDR_FULL, causeOf, type Allocator } from '../../src/alloc/types.js';
import { formatIp4 } from '../../src/net/index.js';
import { build, clusterSpec, gaugesOf, recountOf, type TestHost } from './helpers.js';

function cilium(opts: { podCidr?: string; podCidrs?: string[]; maxPods?: number; nodeSubnet?: string; params?: Record<string, unknown> } = {}) {
  const spec = clusterSpec({
    podCidr: opts.podCidr ?? '10.0.0.0/8',
    podCidrs: opts.podCidrs,
    pools: [{ maxPods: opts.maxPods ?? 110, nodeSubnet: opts.nodeSubnet ?? '172.16.0.0/12' }],
  });
  return build('cilium-cluster-pool', spec, { clock: new Engine(), params: opts.params });
}

/** Adds pods until one is refused or waits (its cause: the refusal's, or the recorded failure's); a waiting pod is deleted again. */
function fill(a: Allocator, host: TestHost, node: number, firstPod: number): { handles: number[]; cause: number } {
  const handles: number[] = [];
  for (let i = 0; i < 10_000; i++) {
    const h = a.podAdd(firstPod + i, node);
    if (h === PENDING) {
      a.podRelease(firstPod + i, node, PENDING);
      return { handles, cause: host.events.at(-1)!.cause };
    }
    if (h < 0) return { handles, cause: causeOf(h) };
    handles.push(h);
  }
  throw new Error('never refused');
}

describe('cilium-cluster-pool: the defaults [cilium-values, cilium-ipallocator, cilium-router-health]', () => {
  it('10.0.0.0/8 with /24 ranges: 65,536 node ranges; a /24 serves 254 addresses, 252 for pods', () => {
    const { alloc, host } = cilium({ maxPods: 300 });
    expect(gaugesOf(alloc).podIpsCapacity / 256).toBe(65_536);
    expect(rangeUsable(24)).toBe(254);
    expect(podsPerRange(24, true)).toBe(252);
    expect(alloc.nodeJoin(0, 0)).toBe(OK);
    const { handles, cause } = fill(alloc, host, 0, 0);
    expect(handles.length).toBe(252);
    expect(cause).toBe(NODE_RANGE_FULL);
    // Pods never get the network, router, health or broadcast address: .3 … .254.
    const last = handles.map((h) => formatIp4(alloc.address(0, h)));
    expect(last[0]).toBe('10.0.0.3');
    expect(last[251]).toBe('10.0.0.254');
  });

  it('max-pods binds first at the kubelet default of 110', () => {
    const { alloc, host } = cilium();
    alloc.nodeJoin(0, 0);
    expect(fill(alloc, host, 0, 0)).toMatchObject({ cause: MAX_PODS });
    expect(gaugesOf(alloc).podIpsUsed).toBe(110);
  });

  it('the defaults: ipam cluster-pool, 10.0.0.0/8, mask 24, max-pods 110', () => {
    expect(ciliumClusterPoolInfo.defaultPodCidr).toBe('10.0.0.0/8');
    expect(ciliumClusterPoolInfo.params.parse({})).toEqual({ clusterPoolIPv4MaskSize: 24, clusterPoolIPv6MaskSize: 120, healthEndpoint: true, retryInterval: 10_000 });
    expect(ciliumClusterPoolInfo.maxPods({}, ciliumClusterPoolInfo.params.parse({})).default).toBe(110);
  });
});

describe('cilium-cluster-pool: pool size [cilium-clusterpool]', () => {
  it('10.244.0.0/16 with /24 ranges: 256 nodes; node 257 gets no range (pod-cidr-full)', () => {
    const { alloc } = cilium({ podCidr: '10.244.0.0/16' });
    for (let n = 0; n < 256; n++) expect(alloc.nodeJoin(n, 0)).toBe(OK);
    expect(alloc.nodeJoin(256, 0)).toBe(POD_CIDR_FULL);
    // A node that leaves frees its range for the next.
    alloc.nodeLeave(17);
    expect(alloc.nodeJoin(256, 0)).toBe(OK);
  });

  it('mask 26 on a /16: 1,024 nodes × (64 − 2 − 2) = 60 pod addresses; pods past 60 wait on their node (node-range-full)', () => {
    const { alloc, host } = cilium({ podCidr: '10.244.0.0/16', params: { clusterPoolIPv4MaskSize: 26 } });
    for (let n = 0; n < 1024; n++) expect(alloc.nodeJoin(n, 0)).toBe(OK);
    expect(alloc.nodeJoin(1024, 0)).toBe(POD_CIDR_FULL);
    const { handles, cause } = fill(alloc, host, 5, 0);
    expect(handles.length).toBe(60);
    expect(cause).toBe(NODE_RANGE_FULL);
    expect(gaugesOf(alloc)).toEqual(recountOf(alloc));
  });

  it('several pod CIDRs are used in order, each next-fit (cidralloc.NewCIDRSets)', () => {
    const { alloc } = cilium({ podCidrs: ['10.1.0.0/23', '10.2.0.0/24'] });
    const first = (n: number) => formatIp4(alloc.address(n, alloc.podAdd(n, n)));
    for (let n = 0; n < 3; n++) expect(alloc.nodeJoin(n, 0)).toBe(OK);
    expect([first(0), first(1), first(2)]).toEqual(['10.1.0.3', '10.1.1.3', '10.2.0.3']);
    expect(alloc.nodeJoin(3, 0)).toBe(POD_CIDR_FULL);
  });

  it('next-fit: a released range is handed out again only after the allocator wraps', () => {
    const { alloc } = cilium({ podCidr: '10.1.0.0/22' });
    for (let n = 0; n < 3; n++) alloc.nodeJoin(n, 0);
    alloc.nodeLeave(0);
    alloc.nodeJoin(3, 0);
    expect(formatIp4(alloc.address(3, alloc.podAdd(0, 3)))).toBe('10.1.3.3');
    alloc.nodeJoin(4, 0);
    expect(formatIp4(alloc.address(4, alloc.podAdd(1, 4)))).toBe('10.1.0.3');
  });

  it('the node subnet keeps its network, gateway and broadcast addresses: a /29 holds 5 nodes', () => {
    const { alloc } = cilium({ nodeSubnet: '172.16.0.0/29' });
    for (let n = 0; n < 5; n++) expect(alloc.nodeJoin(n, 0)).toBe(OK);
    expect(alloc.nodeJoin(5, 0)).toBe(NODE_SUBNET_FULL);
  });
});

describe('cilium-cluster-pool: small masks [cilium-ipallocator allocator_test.go]', () => {
  it('a /31 range holds 2 addresses and a /32 one (no network or broadcast below /30); /30 and larger size − 2', () => {
    expect(rangeUsable(32)).toBe(1);
    expect(rangeUsable(31)).toBe(2);
    expect(rangeUsable(30)).toBe(2);
    expect(rangeUsable(29)).toBe(6);
  });

  it('the router and the health endpoint leave no pod address in a /31 or /32: refused at load, with the fix', () => {
    for (const m of [31, 32]) {
      const r = ciliumClusterPoolInfo.params.safeParse({ clusterPoolIPv4MaskSize: m });
      expect(r.success).toBe(false);
      expect(r.error!.issues[0]!.message).toMatch(/use a \/29 or larger/);
    }
    // Without the health endpoint a /31 keeps one pod address; a /30 keeps one with it.
    expect(podsPerRange(31, false)).toBe(1);
    expect(podsPerRange(30, true)).toBe(0);
    expect(podsPerRange(30, false)).toBe(1);
    const { alloc, host } = cilium({ podCidr: '10.9.0.0/30', params: { clusterPoolIPv4MaskSize: 31, healthEndpoint: false } });
    alloc.nodeJoin(0, 0);
    alloc.nodeJoin(1, 0);
    expect(fill(alloc, host, 0, 0).handles.map((h) => formatIp4(alloc.address(0, h)))).toEqual(['10.9.0.1']);
    expect(fill(alloc, host, 1, 10).handles.map((h) => formatIp4(alloc.address(1, h)))).toEqual(['10.9.0.3']);
  });
});

describe('cilium-cluster-pool: the planner [cilium-clusterpool]', () => {
  it('256 nodes need a /16 of /24 ranges; max-pods above a /26 range\'s 60 pod addresses is a blocker', async () => {
    const { planModes } = await import('../../src/plan/plan.js');
    const [p] = planModes({ modes: ['cilium-cluster-pool'], nodes: 256 });
    expect(p!.spaces.find((s) => s.space === 'pod-cidr')!.prefix).toBe(16);
    expect(p!.blockers).toEqual([]);
    const [q] = planModes({ modes: ['cilium-cluster-pool'], nodes: 256, params: { 'cilium-cluster-pool': ciliumClusterPoolInfo.params.parse({ clusterPoolIPv4MaskSize: 26 }) } });
    expect(q!.blockers.join()).toMatch(/max-pods 110 is above the 60 pod addresses of a \/26 node range/);
    expect(q!.spaces.find((s) => s.space === 'pod-cidr')!.prefix).toBe(18);
  });
});

describe('cilium-cluster-pool: dual stack [cilium-values, cilium-ipallocator]', () => {
  function dual(podCidr6: string, params: Record<string, unknown> = {}) {
    const spec = clusterSpec({ podCidr: '10.244.0.0/16', podCidr6, pools: [{ maxPods: 300, nodeSubnet: '172.16.0.0/24' }] });
    return build('cilium-cluster-pool', spec, { clock: new Engine(), params });
  }

  it('an IPv6 range serves size − 1 (no broadcast; the bitmap caps at 65,536): /120 → 255, 253 for pods', () => {
    expect([rangeUsable6(120), podsPerRange6(120, true), rangeUsable6(64), rangeUsable6(128)]).toEqual([255, 253, 65_535, 1]);
  });

  it('a node takes a /24 and a /120: the IPv4 range binds at 252 pods, each with an address of both', () => {
    const { alloc, host } = dual('fd00::/104');
    alloc.nodeJoin(0, 0);
    expect(fill(alloc, host, 0, 0)).toMatchObject({ cause: NODE_RANGE_FULL });
    const g = gaugesOf(alloc);
    expect([g.podIpsUsed, g.pod6Used, g.pod6Reserved, g.pod6Capacity]).toEqual([252, 252, 256, 2 ** 24]);
    expect(g).toEqual(recountOf(alloc));
  });

  it('a /122 IPv6 range (61 pod addresses) binds before the /24', () => {
    const { alloc, host } = dual('fd00::/104', { clusterPoolIPv6MaskSize: 122 });
    alloc.nodeJoin(0, 0);
    expect(fill(alloc, host, 0, 0).handles.length).toBe(61);
  });

  it('both families or none: with the IPv6 CIDR out of ranges the node is refused and its IPv4 range returns', () => {
    const { alloc, spaces } = dual('fd00::/119');
    expect(alloc.nodeJoin(0, 0)).toBe(OK);
    expect(alloc.nodeJoin(1, 0)).toBe(OK);
    expect(alloc.nodeJoin(2, 0)).toBe(POD_CIDR_FULL);
    expect(gaugesOf(alloc).podIpsReserved).toBe(2 * 256);
    alloc.nodeLeave(0);
    alloc.nodeLeave(1);
    expect(spaces.totalUsed()).toBe(0);
  });
});
