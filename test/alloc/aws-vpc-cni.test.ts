/**
 * The Amazon VPC CNI modes against the worked numbers of aws/amazon-vpc-cni-k8s (ipamd, the datastore, the EKS
 * max-pods calculator, docs/eni-and-ip-target.md, docs/prefix-and-ip-target.md), each driven through the real
 * allocator and a real engine. One node per test unless stated; "ENIs" read from the gauges: every address the
 * node holds in its subnet is an ENI primary or a secondary/prefix address.
 */
import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/index.js';
import { maxPodsRange } from '../../src/alloc/info.js';
import { findMode } from '../../src/alloc/registry.js';
import { RunSpaces } from '../../src/alloc/spaces.js';
import { MAX_PODS, NODE_SUBNET_FULL, OK, PENDING, POD_SUBNET_FULL, causeOf } from '../../src/alloc/types.js';
import { build, clusterSpec, gaugesOf, recountOf } from './helpers.js';

const SIP = 'aws-vpc-cni';
const PD = 'aws-vpc-cni-prefix';

interface Opts {
  instanceType?: string;
  params?: Record<string, unknown>;
  nodeSubnet?: string;
  moreNodeSubnets?: string[];
  podSubnet?: string;
  maxPods?: number;
}

function setup(mode: string, o: Opts = {}) {
  const info = findMode(mode)!.info;
  const poolRaw = { instanceType: o.instanceType ?? 'm5.large' };
  const params = info.params.parse(o.params ?? {});
  const maxPods = o.maxPods ?? maxPodsRange(info, info.poolParams.parse(poolRaw), params).default;
  const engine = new Engine();
  const b = build(mode, clusterSpec({
    pools: [{ maxPods, nodeSubnet: o.nodeSubnet ?? '10.1.0.0/20', moreNodeSubnets: o.moreNodeSubnets, podSubnet: o.podSubnet, params: poolRaw }],
  }), { clock: engine, params: o.params });
  const handles = new Map<number, number>(); // pod → handle (granted or immediate)
  b.host.onGranted = (pod, _node, handle) => handles.set(pod, handle);
  let nextPod = 0;
  /** Adds n pods to node; returns their ids. */
  const add = (node: number, n: number): number[] => {
    const ids: number[] = [];
    for (let i = 0; i < n; i++) {
      const pod = nextPod++;
      const h = b.alloc.podAdd(pod, node);
      expect(h === PENDING || h >= 0).toBe(true);
      if (h >= 0) handles.set(pod, h);
      else pending.set(pod, node);
      ids.push(pod);
    }
    return ids;
  };
  const pending = new Map<number, number>();
  const remove = (pod: number, node: number): void => {
    const h = handles.get(pod);
    handles.delete(pod);
    pending.delete(pod);
    b.alloc.podRelease(pod, node, h ?? PENDING);
  };
  const run = (ms: number) => engine.run(engine.now + ms);
  const g = () => {
    const x = gaugesOf(b.alloc);
    expect(x).toEqual(recountOf(b.alloc));
    return x;
  };
  return { ...b, engine, add, remove, run, g, handles, maxPods };
}

/** Secondary-IP mode, one node, no custom networking: subnet addresses = ENIs + secondaries. */
function enis(x: { nodeIpsUsed: number; podIpsReserved: number }): number {
  return x.nodeIpsUsed - x.podIpsReserved;
}

describe('max pods [calculator, limits]', () => {
  const mp = (mode: string, instanceType: string, params: Record<string, unknown> = {}) => {
    const info = findMode(mode)!.info;
    return maxPodsRange(info, info.poolParams.parse({ instanceType }), info.params.parse(params));
  };
  it('secondary IPs: ENIs × (IPv4 − 1) + 2', () => {
    expect(mp(SIP, 'm5.large').default).toBe(29);
    expect(mp(SIP, 't3.medium').default).toBe(17);
    expect(mp(SIP, 'm5.xlarge').default).toBe(58);
    expect(mp(SIP, 'c5.4xlarge').default).toBe(234);
    expect(mp(SIP, 't3.micro').default).toBe(4);
    expect(mp(SIP, 'm5.24xlarge').default).toBe(737);
    expect(mp(SIP, 'm5.large', { maxEni: 2 }).default).toBe(20);
  });
  it('custom networking: (ENIs − 1) × (IPv4 − 1) + 2', () => {
    expect(mp(SIP, 'm5.large', { customNetworking: true }).default).toBe(20);
    expect(mp(SIP, 'm5.xlarge', { customNetworking: true }).default).toBe(44);
  });
  it('prefixes: min(ENIs × (IPv4 − 1) × 16 + 2, 110 up to 30 vCPUs else 250)', () => {
    expect(mp(PD, 'm5.large').default).toBe(110);
    expect(mp(PD, 'm5.large').why).toContain('434');
    expect(mp(PD, 'c5.4xlarge').default).toBe(110); // 16 vCPUs
    expect(mp(PD, 'm5.24xlarge').default).toBe(250); // 96 vCPUs
    expect(mp(PD, 't3.micro').default).toBe(34);
  });
  it('a larger explicit max-pods only warns; two of the default are host-network pods', () => {
    const r = mp(SIP, 'm5.large');
    expect([r.max, r.aboveMaxWarns, r.hostNetworkPods]).toEqual([29, true, 2]);
  });
  it('the pool setting defaults to m5.large; an unknown type names close matches; prefixes need Nitro', () => {
    const info = findMode(SIP)!.info;
    expect(info.poolParams.parse({})).toMatchObject({ instanceType: 'm5.large', enis: 3, ipv4PerEni: 10 });
    const bad = info.poolParams.safeParse({ instanceType: 'm5.lrage' });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues[0]!.message).toMatch(/unknown instance type "m5.lrage".*did you mean m5.large/);
    expect(bad.error!.issues[0]!.path).toEqual(['instanceType']);
    const xen = findMode(PD)!.info.poolParams.safeParse({ instanceType: 'm4.large' });
    expect(xen.success).toBe(false);
    expect(xen.error!.issues[0]!.message).toMatch(/not a Nitro instance/);
    expect(findMode(SIP)!.info.poolParams.safeParse({ instanceType: 'm4.large' }).success).toBe(true);
  });
});

describe('secondary IPs, warm ENI target 1 [ipamd]', () => {
  it('m5.large: 0 pods → 1 ENI, 9 IPs; 10 pods → 3 ENIs, 27 secondary, 30 subnet addresses (17 idle)', () => {
    const t = setup(SIP);
    expect(t.alloc.nodeJoin(0, 0)).toBe(OK);
    expect([enis(t.g()), t.g().podIpsReserved, t.g().nodeIpsUsed]).toEqual([1, 9, 10]);
    t.run(60_000);
    expect(t.g().podIpsReserved).toBe(9);
    t.add(0, 10);
    t.run(30_000);
    const x = t.g();
    expect([enis(x), x.podIpsReserved, x.nodeIpsUsed, x.podIpsUsed, x.podIpsReserved - x.podIpsUsed]).toEqual([3, 27, 30, 10, 17]);
    t.add(0, 17); // 27 pods: still 3 ENIs (the instance's limit)
    t.run(30_000);
    expect([enis(t.g()), t.g().podIpsUsed]).toEqual([3, 27]);
  });

  it('the 10th pod waits for the second ENI, attached at the next 5 s tick', () => {
    const t = setup(SIP);
    t.alloc.nodeJoin(0, 0);
    const ids = t.add(0, 10);
    expect(t.handles.has(ids[9]!)).toBe(false);
    t.run(4_999);
    expect(t.handles.has(ids[9]!)).toBe(false);
    t.run(1);
    expect(t.handles.has(ids[9]!)).toBe(true);
    expect(enis(t.g())).toBe(2);
    t.run(5_000);
    expect(enis(t.g())).toBe(3);
  });

  it('back to 1 pod: one empty ENI goes, then available 17 < 18 keeps the second → 2 ENIs, 18 IPs', () => {
    const t = setup(SIP);
    t.alloc.nodeJoin(0, 0);
    const ids = t.add(0, 10);
    t.run(120_000);
    for (const p of ids.slice(1)) t.remove(p, 0); // pod 0 stays on the primary ENI
    // The third ENI never held a pod: it goes at the next tick; the second still cools, and is not needed.
    t.run(5_000);
    expect([enis(t.g()), t.g().podIpsReserved]).toEqual([2, 18]);
    t.run(600_000);
    expect([enis(t.g()), t.g().podIpsReserved, t.g().podIpsUsed]).toEqual([2, 18, 1]);
    expect(t.engine.pending).toBe(0); // settled: no ticks scheduled
  });

  it('an ENI younger than 1 min, or with an address in cooldown, is not freed', () => {
    for (const [removeAt, freedAt] of [[20_000, 65_000], [50_000, 80_000]] as const) {
      const t = setup(SIP);
      t.alloc.nodeJoin(0, 0);
      const ids = t.add(0, 19); // 9 + 9 + 1: the second ENI comes at 5 s, the third at 10 s, all hold pods
      t.run(removeAt);
      expect(enis(t.g())).toBe(3);
      for (const p of ids.slice(1)) t.remove(p, 0);
      // The second ENI is deletable at max(5 s + 1 min, removal + 30 s cooldown); one ENI per tick, then 17 < 18.
      t.run(freedAt - removeAt - 1);
      expect(enis(t.g())).toBe(3);
      t.run(1);
      expect(enis(t.g())).toBe(2);
      t.run(600_000);
      expect([enis(t.g()), t.g().podIpsReserved]).toEqual([2, 18]);
    }
  });

  it('single addresses are never released under the warm ENI target', () => {
    const t = setup(SIP);
    t.alloc.nodeJoin(0, 0);
    const ids = t.add(0, 9);
    t.run(60_000);
    expect(t.g().podIpsReserved).toBe(18);
    for (const p of ids) t.remove(p, 0);
    t.run(600_000);
    // 18 available ≥ (1 + 1) × 9: the second ENI goes; the primary's 9 stay
    expect(t.g().podIpsReserved).toBe(9);
  });

  it('m5.xlarge: 15 pods → 3 ENIs, 42 IPs; 29 pods → 4 ENIs, 56 IPs', () => {
    const t = setup(SIP, { instanceType: 'm5.xlarge' });
    t.alloc.nodeJoin(0, 0);
    t.add(0, 15);
    t.run(60_000);
    expect([enis(t.g()), t.g().podIpsReserved]).toEqual([3, 42]);
    t.add(0, 14);
    t.run(60_000);
    expect([enis(t.g()), t.g().podIpsReserved]).toEqual([4, 56]);
  });

  it('a full m5.large schedules 29 pods: 27 get addresses, 2 wait (the + 2 are host-network pods)', () => {
    const t = setup(SIP);
    expect(t.maxPods).toBe(29);
    t.alloc.nodeJoin(0, 0);
    t.add(0, 29);
    t.run(600_000);
    expect([t.g().podIpsUsed, t.g().podsWaitingIp]).toEqual([27, 2]);
    expect(causeOf(t.alloc.podAdd(1000, 0))).toBe(MAX_PODS);
  });

  it('a released address goes to no pod for 30 s (IP_COOLDOWN_PERIOD)', () => {
    const t = setup(SIP);
    t.alloc.nodeJoin(0, 0);
    const ids = t.add(0, 27);
    t.run(60_000);
    t.remove(ids[0]!, 0);
    const [w] = t.add(0, 1);
    expect(t.handles.has(w!)).toBe(false);
    t.run(29_999);
    expect(t.handles.has(w!)).toBe(false);
    t.run(1);
    expect(t.handles.has(w!)).toBe(true);
  });
});

describe('WARM_IP_TARGET / MINIMUM_IP_TARGET [ipamd datastoreTargetState, eni-ip-doc]', () => {
  it('t3.small, warm 2, minimum 5: 0 pods → 2 ENIs, 5 IPs; 5 pods → 3 ENIs, 7 IPs (3 + 3 + 1); 9 pods → 9', () => {
    const t = setup(SIP, { instanceType: 't3.small', params: { warmIpTarget: 2, minimumIpTarget: 5 } });
    t.alloc.nodeJoin(0, 0);
    expect(t.g().podIpsReserved).toBe(3); // node init: the primary ENI's 3
    t.run(5_000);
    expect([enis(t.g()), t.g().podIpsReserved]).toEqual([2, 5]);
    t.run(60_000);
    expect(t.g().podIpsReserved).toBe(5);
    t.add(0, 5);
    t.run(60_000);
    expect([enis(t.g()), t.g().podIpsReserved]).toEqual([3, 7]);
    t.add(0, 4);
    t.run(60_000);
    expect([enis(t.g()), t.g().podIpsReserved, t.g().podIpsUsed]).toEqual([3, 9, 9]);
  });

  it('m5.large, warm 2, minimum 10: 0 pods → 2 ENIs, 10 IPs (9 + 1)', () => {
    const t = setup(SIP, { params: { warmIpTarget: 2, minimumIpTarget: 10 } });
    t.alloc.nodeJoin(0, 0);
    t.run(60_000);
    expect([enis(t.g()), t.g().podIpsReserved]).toEqual([2, 10]);
  });

  it('p3dn.24xlarge, warm 5, minimum 10, 45 pods → 2 ENIs, 50 IPs (49 + 1)', () => {
    const t = setup(SIP, { instanceType: 'p3dn.24xlarge', params: { warmIpTarget: 5, minimumIpTarget: 10 } });
    t.alloc.nodeJoin(0, 0);
    t.run(30_000);
    t.add(0, 45);
    t.run(120_000);
    expect([enis(t.g()), t.g().podIpsReserved, t.g().podIpsUsed]).toEqual([2, 50, 45]);
  });

  it('single addresses above the target are released, at most one decrease per 30 s', () => {
    const t = setup(SIP, { params: { warmIpTarget: 2 } });
    t.alloc.nodeJoin(0, 0);
    const ids = t.add(0, 20);
    t.run(120_000);
    expect(t.g().podIpsReserved).toBe(22);
    for (const p of ids.slice(0, 10)) t.remove(p, 0);
    // over = 12 − 2 = 10, released at the next tick (cooling addresses are freeable)
    t.run(5_000);
    expect(t.g().podIpsReserved).toBe(12);
    for (const p of ids.slice(10, 15)) t.remove(p, 0);
    t.run(5_000);
    expect(t.g().podIpsReserved).toBe(12); // within 30 s of the last decrease
    t.run(30_000);
    expect(t.g().podIpsReserved).toBe(7);
  });
});

describe('prefix delegation [ipamd, prefix-doc]', () => {
  it('m5.large, warm prefix 1, 110 max pods: 0 → 1 prefix, 5 → 2, 16 → 2, 17 → 3 (48), 108 → 7 (112) and no more', () => {
    const t = setup(PD);
    expect(t.maxPods).toBe(110);
    t.alloc.nodeJoin(0, 0);
    const at = (n: number) => {
      t.add(0, n - t.g().podIpsUsed - t.g().podsWaitingIp);
      t.run(120_000);
      return t.g().podIpsReserved / 16;
    };
    expect(t.g().podIpsReserved).toBe(16);
    expect(at(5)).toBe(2);
    expect(at(16)).toBe(2);
    expect(at(17)).toBe(3);
    expect(at(108)).toBe(7);
    t.run(600_000);
    expect(t.g().podIpsReserved).toBe(112);
    expect(t.g().nodeIpsUsed).toBe(113); // all 7 on the primary ENI (9 slots)
    expect(at(110)).toBe(7); // 112 ≥ 110: never more
  });

  it('t3.small, warm prefix 1, 58 pods → 5 prefixes: 3 on the primary ENI, 2 on the second', () => {
    const t = setup(PD, { instanceType: 't3.small' });
    t.alloc.nodeJoin(0, 0);
    t.add(0, 58);
    t.run(300_000);
    const x = t.g();
    expect([x.podIpsReserved, x.nodeIpsUsed, x.podIpsReserved - x.podIpsUsed]).toEqual([80, 82, 22]);
  });

  it('free prefixes above the target are released; a partly used one never is', () => {
    const t = setup(PD);
    t.alloc.nodeJoin(0, 0);
    const ids = t.add(0, 60);
    t.run(120_000);
    expect(t.g().podIpsReserved).toBe(80); // ceil(76 / 16) = 5
    // Keep one pod in each of the first four prefixes.
    const keep = new Set([ids[0], ids[16], ids[32], ids[48]]);
    for (const p of ids) if (!keep.has(p)) t.remove(p, 0);
    t.run(120_000);
    // Prefixes 1–4 hold a pod each, prefix 5 is free (= the warm target): nothing more goes.
    expect([t.g().podIpsReserved, t.g().podIpsUsed]).toEqual([80, 4]);
  });

  it('a /24 yields at most 14 prefixes (224 addresses); then pods wait and the event says InsufficientCidrBlocks', () => {
    const t = setup(PD, { nodeSubnet: '10.1.0.0/24', maxPods: 250 });
    t.alloc.nodeJoin(0, 0);
    t.add(0, 250);
    t.run(1_200_000);
    const x = t.g();
    expect([x.podIpsReserved, x.podIpsUsed, x.podsWaitingIp]).toEqual([224, 224, 26]);
    const e = t.host.events.find((ev) => ev.event === 'ip-request-refused')!;
    expect(e.cause).toBe(NODE_SUBNET_FULL);
    expect(e.detail).toMatch(/^InsufficientCidrBlocks: subnet 10\.1\.0\.0\/24 has 25 free addresses, 0 in free aligned \/28s/);
    expect(x.fragmentation).toBe(1);
  });
});

describe('subnets [vpc-subnets, custom-net-doc]', () => {
  it('a /24 holds 8 m5.large nodes of 10 pods (240 addresses); a 9th reaches 1 ENI (250) and backs off', () => {
    const t = setup(SIP, { nodeSubnet: '10.1.0.0/24' });
    for (let n = 0; n < 8; n++) {
      expect(t.alloc.nodeJoin(n, 0)).toBe(OK);
      t.add(n, 10);
    }
    t.run(60_000);
    expect(t.g().nodeIpsUsed).toBe(240);
    expect(t.alloc.nodeJoin(8, 0)).toBe(OK);
    t.add(8, 10);
    t.run(60_000);
    expect([t.g().nodeIpsUsed, t.g().podsWaitingIp]).toEqual([250, 1]);
    const e = t.host.events.filter((ev) => ev.event === 'ip-request-refused');
    expect(e.length).toBe(1);
    expect(e[0]!.detail).toMatch(/^InsufficientFreeAddressesInSubnet: subnet 10\.1\.0\.0\/24 has 1 free addresses; node 8 asked for a new ENI with 9 addresses; no growth for 120 s/);
    expect(t.alloc.nodeJoin(9, 0)).toBe(OK); // the last address
    expect(t.alloc.nodeJoin(10, 0)).toBe(NODE_SUBNET_FULL);
  });

  it('after a refused ENI the node retries only 120 s later', () => {
    const t = setup(SIP, { nodeSubnet: '10.1.0.0/24' });
    const pods: number[][] = [];
    for (let n = 0; n < 8; n++) {
      t.alloc.nodeJoin(n, 0);
      pods.push(t.add(n, 10));
    }
    t.run(60_000);
    t.alloc.nodeJoin(8, 0); // at 60 s; its second ENI is refused at its first tick, 65 s
    t.add(8, 10);
    t.run(10_000);
    for (const p of pods[0]!) t.remove(p, 0);
    t.alloc.nodeLeave(0); // 30 addresses free from 70 s
    t.run(115_000 - 1); // just before 185 s: still backing off
    expect(t.g().podsWaitingIp).toBe(1);
    t.run(1); // 185 s = 65 s + 120 s, a phase time of node 8
    expect(t.g().podsWaitingIp).toBe(0);
  });

  it('a pool over two subnets balances its nodes; each subnet runs out on its own', () => {
    const t = setup(SIP, { nodeSubnet: '10.1.0.0/28', moreNodeSubnets: ['10.1.1.0/27'] });
    // /28: 11 addresses (one node: 1 + 9, a second ENI cannot fit); /27: 27 addresses.
    expect(t.alloc.nodeJoin(0, 0)).toBe(OK); // → /28 (ties: first)
    expect(t.alloc.nodeJoin(1, 0)).toBe(OK); // → /27
    expect(t.g().nodeIpsUsed).toBe(20);
    expect(t.alloc.nodeJoin(2, 0)).toBe(OK); // both have one node: the /28 (1 left → 0 after the node address)
    expect(t.alloc.nodeJoin(3, 0)).toBe(OK); // /28 is full → /27
    expect(t.alloc.address(3, 0) >>> 8 & 255).toBe(1);
    t.add(0, 10);
    t.run(60_000);
    expect(t.g().podsWaitingIp).toBe(1); // node 0's second ENI does not fit its /28
  });

  it('custom networking: pod ENIs (primaries included) from the pod subnet; the node subnet holds the node address only', () => {
    const t = setup(SIP, { params: { customNetworking: true }, podSubnet: '10.2.0.0/24' });
    expect(t.maxPods).toBe(20);
    t.alloc.nodeJoin(0, 0);
    const x = t.g();
    expect([x.nodeIpsUsed, x.podIpsReserved]).toEqual([1, 9]);
    const spaces = (t.spaces as RunSpaces).all();
    expect(spaces.map((s) => [s.cidr.text, s.pool.used])).toEqual([['10.1.0.0/20', 1], ['10.2.0.0/24', 10]]);
    t.add(0, 20);
    t.run(120_000);
    expect([t.g().podIpsUsed, t.g().podsWaitingIp, t.g().podIpsReserved]).toEqual([18, 2, 18]);
  });

  it('custom networking: a node whose pod subnet cannot give its first ENI does not join', () => {
    const t = setup(SIP, { params: { customNetworking: true }, podSubnet: '10.2.0.0/28' });
    expect(t.alloc.nodeJoin(0, 0)).toBe(OK); // 10 of 11
    expect(t.alloc.nodeJoin(1, 0)).toBe(POD_SUBNET_FULL);
    expect(t.g().nodeIpsUsed).toBe(1);
  });

  it('addresses come lowest-first: the node address, then its ENI\'s', () => {
    const t = setup(SIP, { nodeSubnet: '10.1.0.0/24' });
    t.alloc.nodeJoin(0, 0);
    const [p] = t.add(0, 1);
    expect(t.alloc.address(0, t.handles.get(p!)!) & 255).toBe(5); // .4 is the node (first 4 reserved)
  });
});

describe('plan [ipamd, calculator, vpc-subnets]', () => {
  it('8 m5.large nodes of 10 addressed pods (12 with aws-node and kube-proxy) need 240 addresses: a /24; 9 need a /23; prefixes: 18 /28s → a /23', async () => {
    const { planModes } = await import('../../src/plan/plan.js');
    const [sip8, pd8] = planModes({ modes: [SIP, PD], nodes: 8, pods: 96 });
    expect([sip8!.spaces[0]!.needed, sip8!.spaces[0]!.prefix]).toEqual([240, 24]);
    // 16 prefixes + the first /28 (node addresses) + the last: 18 /28s > the 16 of a /24
    expect([pd8!.spaces[0]!.needed, pd8!.spaces[0]!.prefix]).toEqual([256, 23]);
    const [sip9] = planModes({ modes: [SIP], nodes: 9, pods: 108 });
    expect([sip9!.spaces[0]!.needed, sip9!.spaces[0]!.prefix]).toEqual([270, 23]);
  });

  it('full nodes: 27 addressed pods on 3 ENIs (30 addresses); prefixes 108 pods → 7 prefixes', async () => {
    const { planModes } = await import('../../src/plan/plan.js');
    const [sip, pd] = planModes({ modes: [SIP, PD], nodes: 50, surge: 1 });
    expect(sip!.spaces[0]!.needed).toBe(51 * 30);
    expect(pd!.spaces[0]!.needed).toBe((51 * 7 + Math.ceil((51 - 12) / 16)) * 16);
    expect(sip!.blockers).toEqual([]);
    // max-pods 250 on m5.large: 248 pods a node would need an address, 27 can have one.
    const [big] = planModes({ modes: [SIP], nodes: 2, maxPods: 250 });
    expect(big!.blockers.join()).toMatch(/248 pods a node need an address .* m5\.large gives at most 27/);
  });

  it('warm IP targets shrink the need: m5.large, 10 pods, warm 2 → 12 IPs on 2 ENIs (14 addresses) a node', async () => {
    const { planModes } = await import('../../src/plan/plan.js');
    const params = { [SIP]: findMode(SIP)!.info.params.parse({ warmIpTarget: 2 }) };
    const [p] = planModes({ modes: [SIP], nodes: 10, pods: 120, params });
    expect(p!.spaces[0]!.needed).toBe(140);
  });

  it('custom networking: the node subnet holds node addresses, the pod subnet the pod ENIs', async () => {
    const { planModes } = await import('../../src/plan/plan.js');
    const params = { [SIP]: findMode(SIP)!.info.params.parse({ customNetworking: true }) };
    const [p] = planModes({ modes: [SIP], nodes: 10, pods: 100, params });
    expect(p!.maxPods).toBe(20);
    expect(p!.spaces.map((s) => [s.space, s.needed])).toEqual([['node-subnet', 10], ['pod-subnet', 10 * 2 * 10]]);
  });
});
