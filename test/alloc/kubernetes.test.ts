/**
 * kubernetes mode at the allocator: cidrset's next-fit order and wrap, service-range occupation (the tables of
 * kubernetes' cidr_set_test.go / range_allocator_test.go whose outcome is a count), host-local's addresses.
 */
import { describe, expect, test } from 'vitest';
import { formatIp4 } from '../../src/net/index.js';
import { causeName, OK, causeOf } from '../../src/alloc/types.js';
import { kubernetesPlanner } from '../../src/alloc/kubernetes/plan.js';
import { kubernetesInfo } from '../../src/alloc/kubernetes/info.js';
import { build, clusterSpec, gaugesOf } from './helpers.js';

function k8s(podCidr: string, opts: { mask?: number; serviceCidr?: string; maxPods?: number; podCidr6?: string } = {}) {
  return build('kubernetes', clusterSpec({ podCidr, serviceCidr: opts.serviceCidr ?? '10.96.0.0/16', podCidr6: opts.podCidr6 ?? null, pools: [{ maxPods: opts.maxPods ?? 110, nodeSubnet: '10.1.0.0/16' }] }), {
    params: opts.mask === undefined ? {} : { nodeCidrMaskSize: opts.mask },
  });
}

/** Joins nodes from `from` until one is refused; returns how many joined. */
function fill(alloc: ReturnType<typeof k8s>['alloc'], from = 0): number {
  let n = from;
  while (alloc.nodeJoin(n, 0) === OK) n++;
  return n - from;
}

/** The network address of node `node`'s range: its first pod's address less the 2 host-local keeps. */
function rangeOf(alloc: ReturnType<typeof k8s>['alloc'], node: number): string {
  const h = alloc.podAdd(1_000_000 + node, node);
  const ip = alloc.address(node, h) - 2;
  alloc.podRelease(1_000_000 + node, node, h);
  return formatIp4(ip);
}

describe('service ranges are occupied up front [k8s-range filterOutServiceRange]', () => {
  test('a /24 cluster CIDR at mask 30 with a /26 service range inside yields 64 − 16 = 48 node ranges', () => {
    const { alloc } = k8s('10.10.0.0/24', { mask: 30, serviceCidr: '10.10.0.64/26' });
    expect(gaugesOf(alloc).podIpsCapacity).toBe(48 * 4);
    expect(fill(alloc)).toBe(48);
  });

  test('the first range handed out is still the first (Occupy leaves the next-fit cursor alone); none lies in the service range', () => {
    const { alloc } = k8s('10.10.0.0/24', { mask: 26, serviceCidr: '10.10.0.64/26' });
    expect(fill(alloc)).toBe(3);
    expect([0, 1, 2].map((n) => rangeOf(alloc, n))).toEqual(['10.10.0.0', '10.10.0.128', '10.10.0.192']);
  });

  test('a service range smaller than a node range still costs the whole node range', () => {
    const { alloc } = k8s('10.244.0.0/16', { serviceCidr: '10.244.7.16/28' });
    expect(fill(alloc)).toBe(255);
  });

  test('a service CIDR outside the cluster CIDR costs nothing (kubeadm: 10.96.0.0/12 beside 10.244.0.0/16)', () => {
    const { alloc } = k8s('10.244.0.0/16', { serviceCidr: '10.96.0.0/12' });
    expect(fill(alloc)).toBe(256);
  });
});

describe('next-fit from the range after the last handed out, wrapping [k8s-cidrset AllocateNext]', () => {
  test('a released range is reused only after the allocator wraps; then CIDRNotAvailable', () => {
    const { alloc, host } = k8s('10.244.0.0/22');
    for (const n of [0, 1, 2]) expect(alloc.nodeJoin(n, 0)).toBe(OK);
    expect([0, 1, 2].map((n) => rangeOf(alloc, n))).toEqual(['10.244.0.0', '10.244.1.0', '10.244.2.0']);
    alloc.nodeLeave(0);
    expect(alloc.nodeJoin(3, 0)).toBe(OK);
    expect(rangeOf(alloc, 3)).toBe('10.244.3.0'); // not the freed 10.244.0.0
    expect(alloc.nodeJoin(4, 0)).toBe(OK);
    expect(rangeOf(alloc, 4)).toBe('10.244.0.0'); // wrapped
    expect(host.events).toEqual([]);
    const r = alloc.nodeJoin(5, 0);
    expect(causeName(r)).toBe('pod-cidr-full');
    expect(host.events).toHaveLength(1);
    expect(host.events[0]).toMatchObject({ event: 'node-cidr-not-available', cause: 0, node: 5 });
    expect(host.events[0]!.detail).toMatch(/^CIDRNotAvailable: CIDR allocation failed; there are no remaining CIDRs left to allocate in the accepted range \(10\.244\.0\.0\/22: 4 \/24 ranges\)/);
  });
});

describe('host-local: the node range less network, gateway and broadcast [host-local]', () => {
  test('pods get .2, .3, … of their node range', () => {
    const { alloc } = k8s('10.244.0.0/16');
    alloc.nodeJoin(0, 0);
    alloc.nodeJoin(1, 0);
    const ips = [0, 1, 2].map((p) => formatIp4(alloc.address(1, alloc.podAdd(p, 1))));
    expect(ips).toEqual(['10.244.1.2', '10.244.1.3', '10.244.1.4']);
  });

  test.each([
    [24, 253],
    [26, 61],
    [28, 13],
    [30, 1],
  ])('a /%i node range serves %i pods, then node-range-full', (mask, pods) => {
    const { alloc } = k8s('10.244.0.0/16', { mask, maxPods: 256 });
    alloc.nodeJoin(0, 0);
    for (let p = 0; p < pods; p++) expect(alloc.podAdd(p, 0)).toBeGreaterThanOrEqual(0);
    expect(causeName(causeOf(alloc.podAdd(pods, 0)))).toBe('node-range-full');
  });

  test('max-pods below the range binds first (max-pods, a scheduling limit)', () => {
    const { alloc } = k8s('10.244.0.0/16', { maxPods: 110 });
    alloc.nodeJoin(0, 0);
    for (let p = 0; p < 110; p++) alloc.podAdd(p, 0);
    expect(causeName(causeOf(alloc.podAdd(110, 0)))).toBe('max-pods');
  });
});

describe('dual stack [k8s-cidrset]', () => {
  test('fd00::/48 at /64 holds 2^16 IPv6 node ranges', () => {
    const { alloc } = k8s('10.0.0.0/8', { podCidr6: 'fd00::/48' });
    expect(gaugesOf(alloc).pod6Capacity).toBe(2 ** 16 * 2 ** 64);
  });

  test('the IPv6 node mask may be at most 16 bits longer than the cluster CIDR: /48 → /64 starts, /47 → /64 does not', () => {
    expect(() => k8s('10.0.0.0/8', { podCidr6: 'fd00::/48' })).not.toThrow();
    expect(() => k8s('10.0.0.0/8', { podCidr6: 'fd00::/47' })).toThrow(/New CIDR set failed; the node CIDR size is too big/);
  });
});

describe('max-pods and planner [kubelet-config, k8s-cidrset]', () => {
  test("kubelet's default 110; above what the node range serves only warns", () => {
    expect(kubernetesInfo.maxPods({}, kubernetesInfo.params.parse({}))).toMatchObject({ default: 110, min: 1, max: 253, aboveMaxWarns: true });
    // A range larger than cnisim's 256 pods per node: a hard maximum.
    expect(kubernetesInfo.maxPods({}, kubernetesInfo.params.parse({ nodeCidrMaskSize: 23 }))).toMatchObject({ default: 110, max: 256 });
    expect(kubernetesInfo.maxPods({}, kubernetesInfo.params.parse({ nodeCidrMaskSize: 23 })).aboveMaxWarns).toBeUndefined();
    expect(kubernetesInfo.maxPods({}, kubernetesInfo.params.parse({ nodeCidrMaskSize: 26 }))).toMatchObject({ default: 110, max: 61, aboveMaxWarns: true });
  });

  test('512 nodes at mask 25 need a /16 cluster CIDR; 513 a /15', () => {
    const params = kubernetesInfo.params.parse({ nodeCidrMaskSize: 25 });
    const at = (nodes: number) => {
      const need = kubernetesPlanner.needs({ nodes, surge: 0, maxPods: 110, pods: nodes * 110, params, pool: {} }).spaces.find((s) => s.space === 'pod-cidr')!;
      let p = need.smallest;
      while (need.capacity(p) < need.needed) p--;
      return p;
    };
    expect(at(512)).toBe(16);
    expect(at(513)).toBe(15);
  });
});
