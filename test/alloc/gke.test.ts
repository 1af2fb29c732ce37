/** gke mode at the allocator: the per-node range table, ranges of several sizes in one pod range, the planner. */
import { describe, expect, test } from 'vitest';
import { formatIp4 } from '../../src/net/index.js';
import { OK, causeName } from '../../src/alloc/types.js';
import { gkeInfo, gkeNodePrefix } from '../../src/alloc/gke/info.js';
import { gkePlanner } from '../../src/alloc/gke/plan.js';
import { smallestPrefix } from '../../src/plan/plan.js';
import { build, clusterSpec, gaugesOf, recountOf } from './helpers.js';

describe('a node takes at least twice its max-pods [gke-flexible]', () => {
  test.each([
    [8, 28], [9, 27], [16, 27], [17, 26], [32, 26], [33, 25], [64, 25], [65, 24], [110, 24],
    // beyond the documented table (uncertain): the same rule
    [111, 24], [128, 24], [129, 23], [256, 23],
  ])('max-pods %i → /%i', (maxPods, prefix) => {
    expect(gkeNodePrefix(maxPods)).toBe(prefix);
  });

  test('max-pods 8–256, default 110', () => {
    expect(gkeInfo.maxPods({}, {})).toMatchObject({ default: 110, min: 8, max: 256 });
  });
});

describe('node pools of different sizes on one pod range: the lowest free aligned range [assumption]', () => {
  test('a /26 node, then a /24 node (aligned past it), then a /26 node fills the gap', () => {
    const { alloc } = build('gke', clusterSpec({ podCidr: '10.4.0.0/22', pools: [{ maxPods: 110, nodeSubnet: '10.128.0.0/24' }, { maxPods: 30, nodeSubnet: '10.128.1.0/24' }] }));
    const first = (node: number) => formatIp4(alloc.address(node, alloc.podAdd(node, node)) - 2);
    expect(alloc.nodeJoin(0, 1)).toBe(OK);
    expect(alloc.nodeJoin(1, 0)).toBe(OK);
    expect(alloc.nodeJoin(2, 1)).toBe(OK);
    expect([0, 1, 2].map(first)).toEqual(['10.4.0.0', '10.4.1.0', '10.4.0.64']);
    // Two /24s left (10.4.2.0, 10.4.3.0), and two /26s in the first /24.
    expect(alloc.nodeJoin(3, 0)).toBe(OK);
    expect(alloc.nodeJoin(4, 0)).toBe(OK);
    expect(causeName(alloc.nodeJoin(5, 0))).toBe('pod-cidr-full');
    expect(alloc.nodeJoin(5, 1)).toBe(OK);
    expect(alloc.nodeJoin(6, 1)).toBe(OK);
    expect(causeName(alloc.nodeJoin(7, 1))).toBe('pod-cidr-full');
    expect(gaugesOf(alloc)).toEqual(recountOf(alloc));
    expect(gaugesOf(alloc).podIpsReserved).toBe(1024);
  });

  test('free addresses stranded for a /24 show as fragmentation', () => {
    const { alloc } = build('gke', clusterSpec({ podCidr: '10.4.0.0/23', pools: [{ maxPods: 110, nodeSubnet: '10.128.0.0/24' }, { maxPods: 30, nodeSubnet: '10.128.1.0/24' }] }));
    alloc.nodeJoin(0, 1);
    alloc.nodeJoin(1, 1);
    alloc.nodeJoin(2, 1);
    alloc.nodeJoin(3, 1);
    alloc.nodeJoin(4, 1); // 10.4.1.0/26: both /24s are broken
    alloc.nodeLeave(0);
    // Free: 10.4.0.0/26 and 10.4.1.64–255, 256 addresses, none of them in a whole free /24.
    expect(gaugesOf(alloc).fragmentation).toBe(1);
    expect(causeName(alloc.nodeJoin(5, 0))).toBe('pod-cidr-full');
  });
});

describe('a pool with its own pod range [gke-multi-pod-cidr]', () => {
  test("draws only from it; the cluster range's nodes never enter it", () => {
    const { alloc } = build('gke', clusterSpec({ podCidr: '10.4.0.0/24', pools: [{ maxPods: 110, nodeSubnet: '10.128.0.0/24' }, { maxPods: 110, nodeSubnet: '10.128.1.0/24', podCidr: '10.8.0.0/23' }] }));
    expect(alloc.nodeJoin(0, 0)).toBe(OK);
    expect(causeName(alloc.nodeJoin(1, 0))).toBe('pod-cidr-full');
    expect(alloc.nodeJoin(1, 1)).toBe(OK);
    expect(alloc.nodeJoin(2, 1)).toBe(OK);
    expect(causeName(alloc.nodeJoin(3, 1))).toBe('pod-cidr-full');
    expect(formatIp4(alloc.address(2, alloc.podAdd(0, 2)))).toMatch(/^10\.8\.[01]\.2$/);
    expect(gaugesOf(alloc).podIpsCapacity).toBe(256 + 512);
  });
});

describe('planner [gke-flexible, vpc-subnets]', () => {
  const plan = (nodes: number, maxPods: number) => gkePlanner.needs({ nodes, surge: 0, maxPods, pods: nodes * maxPods, params: {}, pool: {} });
  test.each([
    [16, 110, 20], [17, 110, 19], [64, 30, 20], [1024, 110, 14], [512, 32, 17], [128, 8, 21],
  ])('%i nodes at %i pods need a /%i pod range', (nodes, maxPods, prefix) => {
    const need = plan(nodes, maxPods).spaces.find((s) => s.space === 'pod-cidr')!;
    expect(smallestPrefix(need, need.needed)).toBe(prefix);
  });

  test('the primary range keeps 4: 252 nodes fit a /24, 253 need a /23; the smallest is a /29', () => {
    const need = plan(252, 110).spaces.find((s) => s.space === 'node-subnet')!;
    expect(smallestPrefix(need, 252)).toBe(24);
    expect(smallestPrefix(need, 253)).toBe(23);
    expect(smallestPrefix(need, 1)).toBe(29);
  });

  test('max-pods outside 8–256 is a blocker', () => {
    expect(plan(10, 300).blockers.join()).toContain("outside gke's range 8–256");
  });
});
