/**
 * The contract every registered allocator keeps, checked on random sequences of node joins/leaves, pod
 * adds/releases and clock advances (fast-check), with a real Engine driving the timers:
 *   - no address is ever held by two pods (checked on every grant, immediate or later);
 *   - gauges() equals recount() after every step, and agrees with the pods the test holds;
 *   - every refusal and exhaustion event carries a registered cause the mode may raise; an event without one is a
 *     note: a subnet's recovery, or the detail of a refusal returned by the same call (Kubernetes' CIDRNotAvailable);
 *   - PENDING pods are eventually granted when the spaces have room (roomy cluster), or released;
 *   - after every pod and node has left, every pool of the run is empty and the gauges are zero.
 * Every mode of the table runs it, and so does the tests' own mode (test/alloc/test-modes.ts).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/index.js';
import { MODES } from '../../src/alloc/registry.js';
import { RunSpaces } from '../../src/alloc/spaces.js';
import { OK, PENDING, causeOf, type ClusterSpec } from '../../src/alloc/types.js';
import { causeDef, CORE_CAUSES } from '../../src/alloc/causes.js';
import { TINY } from './test-modes.js';
import { maxPodsRange, type ModeInfo } from '../../src/alloc/info.js';
import { clusterSpec, gaugesOf, recountOf, testHost } from './helpers.js';

interface Variant {
  name: string;
  entry: (typeof MODES)[number];
  params: Record<string, unknown>;
  /** Per node pool: its mode settings (default: none, the mode's defaults). */
  poolParams?: Record<string, unknown>[];
}

const VARIANTS: Variant[] = [
  ...MODES.map((entry) => ({ name: entry.info.name, entry, params: {} })),
  ...MODES.filter((e) => e.info.name === 'dynamic').map((entry) => ({ name: 'dynamic (monitor v2)', entry, params: { monitor: 'v2' } })),
  ...MODES.filter((e) => e.info.name.startsWith('aws-vpc-cni')).flatMap((entry) => [
    { name: `${entry.info.name} (warmIpTarget 2, minimumIpTarget 5)`, entry, params: { warmIpTarget: 2, minimumIpTarget: 5 } },
    { name: `${entry.info.name} (customNetworking, cooldown 0)`, entry, params: { customNetworking: true, ipCooldownPeriod: 0 } },
    // Pools of different instance types share one record layout (the largest's ENIs and slots).
    { name: `${entry.info.name} (pools of c5.4xlarge and t3.small)`, entry, params: {}, poolParams: [{ instanceType: 'c5.4xlarge' }, { instanceType: 't3.small' }] },
  ]),
  { name: 'tiny (the tests\' own mode)', entry: TINY, params: {} },
];

/** A cause a mode may return or record: a core cause or one it declares. */
function expectCauseOf(info: ModeInfo, code: number): void {
  const def = causeDef(code);
  expect(CORE_CAUSES.includes(code) || info.causes.some((c) => c.name === def.name)).toBe(true);
}

type Config = 'roomy' | 'tight';

function specFor(info: ModeInfo, config: Config, params: unknown, poolParams?: Record<string, unknown>[]): ClusterSpec {
  const dual = info.uses.dualStack ? 'fd12:3456:789a::/64' : null;
  // Roomy: /20 node subnets (an EKS node holds up to 30 addresses of its own subnet); tight: two /28s (AWS's
  // smallest subnet, 11 node addresses each), a /26 and a /27 pod subnet, 4 pod-CIDR blocks.
  const spec = config === 'roomy'
    ? clusterSpec({
      podCidr: '10.244.0.0/16',
      podCidr6: dual,
      pools: [
        { maxPods: 30, nodeSubnet: '10.1.0.0/20', podSubnet: '10.2.0.0/20' },
        { maxPods: 12, nodeSubnet: '10.1.16.0/20', podSubnet: '10.2.0.0/20' }, // shares the pod subnet
      ],
    })
    : clusterSpec({
      podCidr: '10.244.0.0/22',
      podCidr6: dual,
      pools: [
        { maxPods: 12, nodeSubnet: '10.1.0.0/28', podSubnet: '10.2.0.0/26' },
        { maxPods: 10, nodeSubnet: '10.1.1.0/28', podSubnet: '10.2.1.0/27' },
      ],
    });
  // Pool settings parsed as the scenario reader does; max-pods kept within what the mode's nodes can give addresses
  // to (the mode's max less its host-network pods), so waiting pods can all be served in the roomy spaces.
  return {
    ...spec,
    pools: spec.pools.map((p, i) => {
      const pool = info.poolParams.parse(poolParams?.[i] ?? p.params ?? {});
      const r = maxPodsRange(info, pool, params);
      return { ...p, params: pool, maxPods: Math.min(p.maxPods, r.max - (r.hostNetworkPods ?? 0)) };
    }),
  };
}

function paramsFor(v: Variant, config: Config): Record<string, unknown> {
  // Only the dynamic schema has these keys; other modes take their defaults.
  const timing = v.entry.info.name === 'dynamic'
    ? config === 'roomy' ? { grantLatency: 2 } : { grantLatency: 0.5, exhaustedAbove: 0.7, recoveredBelow: 0.5 }
    : {};
  return { ...timing, ...v.params };
}

type Op =
  | { t: 'join'; pool: number }
  | { t: 'leave'; k: number }
  | { t: 'add'; k: number; n: number }
  | { t: 'release'; k: number; n: number }
  | { t: 'time'; ms: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.record({ t: fc.constant('join' as const), pool: fc.nat(1) }), weight: 3 },
  { arbitrary: fc.record({ t: fc.constant('leave' as const), k: fc.nat(1000) }), weight: 1 },
  { arbitrary: fc.record({ t: fc.constant('add' as const), k: fc.nat(1000), n: fc.integer({ min: 1, max: 12 }) }), weight: 5 },
  { arbitrary: fc.record({ t: fc.constant('release' as const), k: fc.nat(1000), n: fc.integer({ min: 1, max: 8 }) }), weight: 3 },
  { arbitrary: fc.record({ t: fc.constant('time' as const), ms: fc.integer({ min: 1, max: 6000 }) }), weight: 2 },
);

interface PodState {
  node: number;
  handle: number;
}

/** Runs one sequence against a fresh allocator; returns the refusal causes seen. */
function runSequence(v: Variant, config: Config, ops: Op[]): Set<number> {
  const info = v.entry.info;
  const params = info.params.parse(paramsFor(v, config));
  const spec = specFor(info, config, params, v.poolParams);
  const engine = new Engine();
  const spaces = new RunSpaces();
  const host = testHost(engine);
  const alloc = v.entry.create({ host, spaces, cluster: spec, params });

  const nodes: number[] = []; // live node ids, in join order
  const poolOfNode = new Map<number, number>();
  const freeNodeIds: number[] = [];
  let nextNode = 0;
  const pods = new Map<number, PodState>();
  const freePodIds: number[] = [];
  let nextPod = 0;
  const held = new Map<number, number>(); // absolute address → pod
  const causes = new Set<number>();
  /** host.events indices of notes (no cause) recorded by a call that returned a refusal. */
  const notes = new Set<number>();

  const key = (node: number, handle: number) => alloc.address(node, handle);
  const claim = (pod: number, node: number, handle: number) => {
    const k = key(node, handle);
    if (held.has(k)) throw new Error(`address ${k} given to pod ${pod} is held by pod ${held.get(k)}`);
    held.set(k, pod);
  };
  host.onGranted = (pod, node, handle) => {
    const p = pods.get(pod);
    if (p === undefined || p.node !== node || p.handle !== PENDING) throw new Error(`granted pod ${pod} on node ${node} is not waiting there`);
    expect(handle).toBeGreaterThanOrEqual(0);
    p.handle = handle;
    claim(pod, node, handle);
  };
  const releasePod = (pod: number) => {
    const p = pods.get(pod)!;
    // Forget the pod first: its address may go straight to a waiting pod (host.granted) inside podRelease.
    if (p.handle >= 0) held.delete(key(p.node, p.handle));
    pods.delete(pod);
    alloc.podRelease(pod, p.node, p.handle);
    freePodIds.push(pod);
  };
  const check = () => {
    const g = gaugesOf(alloc);
    // Fragmentation is computed from the pools on every call by both paths: comparing it would prove nothing.
    // Waiting pods are checked against the test's own count below (a mode that never queues writes 0 on both paths).
    expect({ ...g, fragmentation: 0 }).toEqual({ ...recountOf(alloc), fragmentation: 0 });
    let granted = 0;
    for (const p of pods.values()) if (p.handle >= 0) granted++;
    expect(g.podIpsUsed).toBe(granted);
    expect(g.podsWaitingIp).toBe(pods.size - granted);
    expect(g.nodeIpsUsed).toBeGreaterThanOrEqual(nodes.length);
    expect(g.podIpsReserved).toBeGreaterThanOrEqual(g.podIpsUsed);
    expect(g.fragmentation).toBeGreaterThanOrEqual(0);
    expect(g.fragmentation).toBeLessThanOrEqual(1);
    host.events.forEach((e, i) => {
      // A recovery is the end of an exhaustion, not one: no cause (it would count as an exhaustion event).
      if (e.event === 'subnet-recovered') expect(e.cause).toBe(0);
      else if (!notes.has(i)) expectCauseOf(info, e.cause);
    });
  };

  for (const op of ops) {
    if (op.t === 'join') {
      const node = freeNodeIds.length > 0 ? freeNodeIds.pop()! : nextNode++;
      const mark = host.events.length;
      const r = alloc.nodeJoin(node, op.pool);
      if (r === OK) {
        nodes.push(node);
        poolOfNode.set(node, op.pool);
      } else {
        for (let i = mark; i < host.events.length; i++) if (host.events[i]!.cause === 0) notes.add(i);
        expectCauseOf(info, r);
        causes.add(r);
        freeNodeIds.push(node);
      }
    } else if (op.t === 'leave' && nodes.length > 0) {
      const node = nodes.splice(op.k % nodes.length, 1)[0]!;
      for (const [pod, p] of [...pods]) if (p.node === node) releasePod(pod);
      alloc.nodeLeave(node);
      poolOfNode.delete(node);
      freeNodeIds.push(node);
    } else if (op.t === 'add' && nodes.length > 0) {
      const node = nodes[op.k % nodes.length]!;
      for (let i = 0; i < op.n; i++) {
        const pod = freePodIds.length > 0 ? freePodIds.pop()! : nextPod++;
        pods.set(pod, { node, handle: PENDING });
        const r = alloc.podAdd(pod, node);
        if (r >= 0) {
          pods.get(pod)!.handle = r;
          claim(pod, node, r);
        } else if (r !== PENDING) {
          const c = causeOf(r);
          expectCauseOf(info, c);
          causes.add(c);
          pods.delete(pod);
          freePodIds.push(pod);
        }
      }
    } else if (op.t === 'release' && pods.size > 0) {
      const ids = [...pods.keys()];
      const start = op.k % ids.length;
      for (let i = 0; i < op.n && i < ids.length; i++) releasePod(ids[(start + i) % ids.length]!);
    } else if (op.t === 'time') {
      engine.run(engine.now + op.ms);
    }
    check();
  }

  if (config === 'roomy') {
    // Every waiting pod gets its address once the monitor has had time (ample room in the roomy spaces).
    engine.run(engine.now + 120_000);
    for (const [pod, p] of pods) if (p.handle === PENDING) throw new Error(`pod ${pod} on node ${p.node} still waits after 120 s`);
    check();
  }

  // Everything leaves: pods (waiting ones leave the queue), then nodes.
  for (const pod of [...pods.keys()]) releasePod(pod);
  check();
  for (const node of [...nodes]) alloc.nodeLeave(node);
  nodes.length = 0;
  engine.run(engine.now + 30_000);
  check();
  for (const u of spaces.all()) expect({ space: u.key, used: u.pool.used }).toEqual({ space: u.key, used: 0 });
  const g = gaugesOf(alloc);
  expect([g.nodeIpsUsed, g.podIpsReserved, g.podIpsUsed, g.podsWaitingIp, g.pod6Reserved, g.pod6Used]).toEqual([0, 0, 0, 0, 0, 0]);
  expect(held.size).toBe(0);
  return causes;
}

describe.each(VARIANTS)('allocator contract: $name', (v) => {
  for (const config of ['roomy', 'tight'] as const) {
    it(`${config}: no address held twice, gauges = recount, refusals carry a cause, pools empty at the end`, () => {
      const seen = new Set<number>();
      fc.assert(
        fc.property(fc.array(opArb, { minLength: 1, maxLength: 60 }), (ops) => {
          for (const c of runSequence(v, config, ops)) seen.add(c);
        }),
        { numRuns: 40, seed: 20_240_601 },
      );
      // The tight spaces must really run out, or the refusal paths went untested.
      if (config === 'tight') expect(seen.size).toBeGreaterThan(0);
    });
  }
});
