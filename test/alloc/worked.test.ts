/** The worked numbers of docs/model.md and issue 3, each as a plain test (dynamic's are in dynamic.test.ts). */
import { describe, expect, it } from 'vitest';
import { blocksPerNode } from '../../src/alloc/static-block/index.js';
import {
  MAX_PODS, NODE_LIMIT, NODE_SUBNET_FULL, OK, POD_CIDR_FULL, POD_SUBNET_FULL, causeOf, type Allocator,
} from '../../src/alloc/types.js';
import { VNET_IP_LIMIT } from '../../src/alloc/platform/azure-vnet.js';
import { planModes } from '../../src/plan/plan.js';
import { build, clusterSpec, gaugesOf, recountOf } from './helpers.js';

/** Joins nodes 0, 1, … until one is refused; returns how many joined and the refusal. */
function joinUntilRefused(a: Allocator, pool = 0, limit = 100_000): { joined: number; cause: number } {
  for (let n = 0; n < limit; n++) {
    const r = a.nodeJoin(n, pool);
    if (r !== OK) return { joined: n, cause: r };
  }
  return { joined: limit, cause: OK };
}

/** Adds pods to `node` until one is refused; returns the handles and the refusal cause. */
function fillNode(a: Allocator, node: number, firstPod = 0): { handles: number[]; cause: number } {
  const handles: number[] = [];
  for (let i = 0; i < 1000; i++) {
    const h = a.podAdd(firstPod + i, node);
    if (h < 0) return { handles, cause: causeOf(h) };
    handles.push(h);
  }
  throw new Error('node never refused a pod');
}

describe('static-block: blocks, usable and wasted addresses per node [podsubnet-doc]', () => {
  it.each([
    [30, 2, 31, 1],
    [31, 2, 31, 0],
    [32, 3, 47, 15],
  ])('max-pods %i → %i blocks, %i usable, %i wasted', (maxPods, blocks, usable, wasted) => {
    expect(blocksPerNode(maxPods, 16, true)).toBe(blocks);
    const { alloc } = build('static-block', clusterSpec({ pools: [{ maxPods, nodeSubnet: '10.1.0.0/24', podSubnet: '10.2.0.0/20' }] }));
    expect(alloc.nodeJoin(0, 0)).toBe(OK);
    const g0 = gaugesOf(alloc);
    // Reserved = the node's blocks; usable = those addresses minus the node's primary.
    expect(g0.podIpsReserved).toBe(blocks * 16);
    expect(g0.podIpsReserved - 1).toBe(usable);
    const { handles, cause } = fillNode(alloc, 0);
    expect(cause).toBe(MAX_PODS);
    expect(handles.length).toBe(maxPods);
    expect(new Set(handles).size).toBe(maxPods);
    const g = gaugesOf(alloc);
    expect(g.podIpsUsed).toBe(maxPods);
    expect(g.podIpsReserved - 1 - g.podIpsUsed).toBe(wasted);
    expect(g).toEqual(recountOf(alloc));
    // The primary (first address of the first block) never goes to a pod; every handle lies in the node's blocks.
    const blockIds = new Set(handles.map((h) => h >> 4));
    expect(blockIds.size).toBe(blocks);
    const first = Math.min(...blockIds) * 16;
    expect(handles).not.toContain(first);
  });

  it('never hands out a /28 holding an Azure-reserved address (first or last block of the subnet)', () => {
    // A /26 has 4 blocks; the first holds .0–.3 and the last holds .63: two usable blocks.
    const { alloc } = build('static-block', clusterSpec({ pools: [{ maxPods: 15, nodeSubnet: '10.1.0.0/24', podSubnet: '10.2.0.0/26' }] }));
    expect(alloc.nodeJoin(0, 0)).toBe(OK);
    expect(alloc.nodeJoin(1, 0)).toBe(OK);
    expect(alloc.nodeJoin(2, 0)).toBe(POD_SUBNET_FULL);
    const blocks = [...fillNode(alloc, 0).handles, ...fillNode(alloc, 1, 100).handles].map((h) => h >> 4);
    expect([...new Set(blocks)].sort()).toEqual([1, 2]);
    expect(gaugesOf(alloc).podIpsCapacity).toBe(32);
  });

  it('is all or nothing: a node needing 3 blocks where 2 are free takes none', () => {
    const { alloc, spaces } = build('static-block', clusterSpec({ pools: [{ maxPods: 32, nodeSubnet: '10.1.0.0/24', podSubnet: '10.2.0.0/26' }] }));
    expect(alloc.nodeJoin(0, 0)).toBe(POD_SUBNET_FULL);
    expect(spaces.totalUsed()).toBe(0);
    expect(gaugesOf(alloc).nodeIpsUsed).toBe(0);
  });

  it('refuses a pod subnet larger than /12', () => {
    expect(() => build('static-block', clusterSpec({ pools: [{ maxPods: 30, nodeSubnet: '10.1.0.0/24', podSubnet: '10.0.0.0/11' }] }))).toThrow(/larger than \/12/);
  });
});

describe('overlay [overlay-doc]', () => {
  it('a /24 node subnet holds 251 nodes; the 252nd is refused node-subnet-full', () => {
    const { alloc } = build('overlay', clusterSpec({ pools: [{ maxPods: 250, nodeSubnet: '10.224.0.0/24' }] }));
    expect(joinUntilRefused(alloc)).toEqual({ joined: 251, cause: NODE_SUBNET_FULL });
    expect(gaugesOf(alloc).nodeIpsUsed).toBe(251);
  });

  it('the default pod CIDR 10.244.0.0/16 holds 256 nodes; the 257th is refused pod-cidr-full', () => {
    const { alloc } = build('overlay', clusterSpec({ podCidr: '10.244.0.0/16', pools: [{ maxPods: 250, nodeSubnet: '10.224.0.0/16' }] }));
    expect(joinUntilRefused(alloc)).toEqual({ joined: 256, cause: POD_CIDR_FULL });
    const g = gaugesOf(alloc);
    expect(g.podIpsReserved).toBe(65_536);
    expect(g.podIpsCapacity).toBe(65_536);
    expect(g).toEqual(recountOf(alloc));
  });

  it('stops at 5,000 nodes with node-limit', () => {
    const { alloc } = build('overlay', clusterSpec({ podCidr: '10.0.0.0/8', pools: [{ maxPods: 250, nodeSubnet: '172.16.0.0/16' }] }));
    expect(joinUntilRefused(alloc)).toEqual({ joined: 5000, cause: NODE_LIMIT });
  });

  it('a node takes 250 pods from its /24, all in it; the 251st is refused max-pods', () => {
    const { alloc } = build('overlay', clusterSpec({ pools: [{ maxPods: 250, nodeSubnet: '10.224.0.0/24' }] }));
    expect(alloc.nodeJoin(0, 0)).toBe(OK);
    expect(alloc.nodeJoin(1, 0)).toBe(OK);
    const a = fillNode(alloc, 0);
    const b = fillNode(alloc, 1, 1000);
    expect(a.cause).toBe(MAX_PODS);
    expect(a.handles.length).toBe(250);
    expect(new Set(a.handles.map((h) => h >> 8)).size).toBe(1);
    expect(new Set([...a.handles, ...b.handles]).size).toBe(500);
  });

  it('dual stack: each node also takes a /80 of the IPv6 pod CIDR, each pod one IPv6 address', () => {
    const { alloc } = build('overlay', clusterSpec({ podCidr6: 'fd12:3456:789a::/64', pools: [{ maxPods: 20, nodeSubnet: '10.224.0.0/24' }] }));
    expect(alloc.nodeJoin(0, 0)).toBe(OK);
    expect(alloc.nodeJoin(1, 0)).toBe(OK);
    for (let p = 0; p < 5; p++) expect(alloc.podAdd(p, 0)).toBeGreaterThanOrEqual(0);
    const g = gaugesOf(alloc);
    expect(g.pod6Reserved).toBe(2 * 2 ** 48);
    expect(g.pod6Used).toBe(5);
    expect(g.pod6Capacity).toBe(2 ** 64);
    expect(g).toEqual(recountOf(alloc));
  });

  it('clusters reusing one pod CIDR each get their own pool over it', () => {
    const a = build('overlay', clusterSpec({ name: 'a', podCidr: '10.244.0.0/22', pools: [{ maxPods: 30, nodeSubnet: '10.1.0.0/24' }] }));
    const b = build('overlay', clusterSpec({ name: 'b', podCidr: '10.244.0.0/22', pools: [{ maxPods: 30, nodeSubnet: '10.2.0.0/24' }] }), { spaces: a.spaces });
    expect(joinUntilRefused(a.alloc)).toEqual({ joined: 4, cause: POD_CIDR_FULL });
    expect(joinUntilRefused(b.alloc)).toEqual({ joined: 4, cause: POD_CIDR_FULL });
  });
});

describe('kubenet [overlay-doc]', () => {
  it('stops at 400 nodes with node-limit', () => {
    const { alloc } = build('kubenet', clusterSpec({ podCidr: '10.0.0.0/12', pools: [{ maxPods: 110, nodeSubnet: '10.224.0.0/16' }] }));
    expect(joinUntilRefused(alloc)).toEqual({ joined: 400, cause: NODE_LIMIT });
    expect(gaugesOf(alloc).podIpsReserved).toBe(400 * 256);
  });

  it('refuses a dual-stack cluster', () => {
    expect(() => build('kubenet', clusterSpec({ podCidr6: 'fd12:3456:789a::/64', pools: [{ maxPods: 110, nodeSubnet: '10.224.0.0/16' }] }))).toThrow(/no dual stack/);
  });
});

describe('azure (traditional) [overlay-doc, aks-docs]', () => {
  it('a /24 fits 8 nodes of max-pods 30; the 9th is refused node-subnet-full', () => {
    const { alloc, spaces } = build('azure', clusterSpec({ pools: [{ maxPods: 30, nodeSubnet: '10.240.0.0/24' }] }));
    expect(joinUntilRefused(alloc)).toEqual({ joined: 8, cause: NODE_SUBNET_FULL });
    // All or nothing: the refused 9th node left nothing behind (251 − 8·31 = 3 addresses still free).
    expect(spaces.totalUsed()).toBe(248);
  });

  it('50 nodes + 1 surge at max-pods 30 need 1,581 addresses: they fit a /21, not a /22', () => {
    const big = build('azure', clusterSpec({ pools: [{ maxPods: 30, nodeSubnet: '10.240.0.0/21' }] }));
    for (let n = 0; n < 51; n++) expect(big.alloc.nodeJoin(n, 0)).toBe(OK);
    const g = gaugesOf(big.alloc);
    expect(g.nodeIpsUsed).toBe(1581);
    expect(g.podIpsReserved).toBe(51 * 30);
    expect(g).toEqual(recountOf(big.alloc));
    const small = build('azure', clusterSpec({ pools: [{ maxPods: 30, nodeSubnet: '10.240.0.0/22' }] }));
    expect(joinUntilRefused(small.alloc)).toEqual({ joined: 32, cause: NODE_SUBNET_FULL });
  });

  it('pods take the node\'s pre-reserved addresses: max-pods of them, then max-pods is refused', () => {
    const { alloc } = build('azure', clusterSpec({ pools: [{ maxPods: 30, nodeSubnet: '10.240.0.0/24' }] }));
    expect(alloc.nodeJoin(0, 0)).toBe(OK);
    const { handles, cause } = fillNode(alloc, 0);
    expect(cause).toBe(MAX_PODS);
    expect(handles).toEqual(Array.from({ length: 30 }, (_, i) => 5 + i)); // the node took .4, its pods .5–.34
    const g = gaugesOf(alloc);
    expect([g.nodeIpsUsed, g.podIpsReserved, g.podIpsUsed]).toEqual([31, 30, 30]);
  });
});

describe('the VNet limit of 65,536 private addresses [vnet-limits, aks-api]', () => {
  it('azure at max-pods 250 on a /15 node subnet: 261 nodes, the 262nd refused vnet-ip-limit; a leaving node makes room', () => {
    const { alloc, spaces } = build('azure', clusterSpec({ pools: [{ maxPods: 250, nodeSubnet: '10.240.0.0/15' }] }));
    expect(joinUntilRefused(alloc)).toEqual({ joined: 261, cause: VNET_IP_LIMIT });
    expect(gaugesOf(alloc).vnetIpsUsed).toBe(261 * 251);
    expect(gaugesOf(alloc)).toEqual(recountOf(alloc));
    alloc.nodeLeave(0);
    expect(spaces.allBudgets()[0]!.used).toBe(260 * 251);
    expect(alloc.nodeJoin(0, 0)).toBe(OK);
  });

  it('static-block at max-pods 250 counts 17 a node: 3,855 nodes', () => {
    const { alloc } = build('static-block', clusterSpec({ pools: [{ maxPods: 250, nodeSubnet: '10.240.0.0/20', podSubnet: '10.64.0.0/12' }] }));
    expect(joinUntilRefused(alloc)).toEqual({ joined: 3855, cause: VNET_IP_LIMIT });
    expect(gaugesOf(alloc).vnetIpsUsed).toBe(3855 * 17);
    expect(gaugesOf(alloc)).toEqual(recountOf(alloc));
  });

  it('overlay and kubenet count node addresses only; clusters sharing the key share the limit', () => {
    const a = build('overlay', clusterSpec({ name: 'a', networkIpLimit: 10, podCidr: '10.32.0.0/16', pools: [{ maxPods: 30, nodeSubnet: '10.1.0.0/24' }] }));
    const b = build('kubenet', clusterSpec({ name: 'b', networkIpLimit: 10, podCidr: '10.33.0.0/16', pools: [{ maxPods: 30, nodeSubnet: '10.2.0.0/24' }] }), { spaces: a.spaces });
    expect(joinUntilRefused(a.alloc, 0, 6)).toEqual({ joined: 6, cause: OK });
    expect(joinUntilRefused(b.alloc)).toEqual({ joined: 4, cause: VNET_IP_LIMIT });
    expect(gaugesOf(a.alloc).vnetIpsUsed + gaugesOf(b.alloc).vnetIpsUsed).toBe(10);
    expect(recountOf(b.alloc).vnetIpsUsed).toBe(4);
  });

  it.each(['overlay', 'kubenet', 'azure', 'static-block', 'dynamic'])('%s gives back every counted address when its nodes leave', (mode) => {
    const spec = clusterSpec({ networkIpLimit: 1000, podCidr: '10.32.0.0/16', pools: [{ maxPods: 30, nodeSubnet: '10.1.0.0/22', podSubnet: '10.2.0.0/20' }] });
    const clock = { now: 0, define: () => 0, schedule: () => 0, cancel: () => true };
    const { alloc, spaces } = build(mode, spec, { clock });
    const joined = joinUntilRefused(alloc, 0, 100).joined;
    expect(joined).toBeGreaterThan(0);
    const used = spaces.allBudgets()[0]!.used;
    expect(used).toBe(gaugesOf(alloc).vnetIpsUsed);
    expect(used).toBeLessThanOrEqual(1000);
    for (let n = 0; n < joined; n++) alloc.nodeLeave(n);
    expect(spaces.allBudgets()[0]!.used).toBe(0);
    expect(gaugesOf(alloc).vnetIpsUsed).toBe(0);
  });

  it('cnisim plan says which binds: the VNet (azure 261, static-block 3,855 nodes) or the per-node cap (dynamic)', () => {
    const [azure, sb] = planModes({ modes: ['azure', 'static-block'], nodes: 4000, maxPods: 250 });
    expect(azure!.blockers.join()).toMatch(/the VNet limit binds: .*at most 261 nodes fit/);
    expect(sb!.blockers.join()).toMatch(/the VNet limit binds: 68,000 addresses .*at most 3,855 nodes fit/);
    const [fits] = planModes({ modes: ['static-block'], nodes: 3855, maxPods: 250 });
    expect(fits!.blockers).toEqual([]);
    expect(fits!.notes.join()).toMatch(/65,535 addresses count .* 1 to spare/);
    const [dyn] = planModes({ modes: ['dynamic'], nodes: 10, maxPods: 30, pods: 300 });
    expect(dyn!.spaces.find((x) => x.space === 'pod-subnet')!.needed).toBe(310);
    expect(dyn!.notes.join()).toMatch(/the per-node cap binds: a node of 30 pods would ask for 48 addresses, maxIPCount = max-pods 30 stops it at 30/);
  });
});
