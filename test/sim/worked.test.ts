/**
 * the worked numbers of docs/model.md reproduced through scenarios (the whole path: file → validation → world → allocator →
 * CSV rows), not only through the allocator API (test/alloc/worked.test.ts does that).
 */
import { describe, expect, test } from 'vitest';
import { parseScenario } from '../../src/scenario/index.js';
import { simulate, type SimulationResult } from '../../src/sim/run.js';

async function run(yaml: string): Promise<SimulationResult> {
  return simulate(parseScenario(yaml, 'worked.yaml'));
}

function last<T>(rows: readonly T[]): T {
  return rows[rows.length - 1]!;
}

function maxOf(result: SimulationResult, key: 'node_ips_used' | 'pod_ips_reserved' | 'nodes'): number {
  return Math.max(...result.timeseries.map((r) => r[key]));
}

describe('static-block: blocks per node = ceil((max-pods + 1) / 16) [podsubnet-doc]', () => {
  test.each([
    [30, 2, 31, 1],
    [31, 2, 31, 0],
    [32, 3, 47, 15],
  ])('max-pods %i → %i blocks, %i usable, %i wasted per node', async (maxPods, blocks, usable, wasted) => {
    const r = await run(`
name: sb
duration: 5m
modes: [static-block]
network: {nodeSubnet: 10.240.0.0/24, podSubnet: 10.241.0.0/20}
nodePools: [{name: p, count: 10, maxPods: ${maxPods}}]
workload:
  - {at: 1m, deploy: {name: a, pool: p, replicas: ${maxPods * 10}}}
`);
    const row = last(r.timeseries);
    expect(row.nodes).toBe(10);
    expect(row.pods_running).toBe(maxPods * 10);
    expect(row.pod_ips_reserved).toBe(10 * blocks * 16);
    // usable = block addresses minus the node's primary; wasted = usable − max-pods
    expect(row.pod_ips_reserved / 10 - 1).toBe(usable);
    expect((row.pod_ips_reserved - row.pod_ips_used) / 10 - 1).toBe(wasted);
  });
});

describe('overlay [overlay-doc]', () => {
  test('a /24 node subnet holds 251 nodes; the 252nd is refused with node-subnet-full', async () => {
    const r = await run(`
name: o
duration: 5m
modes: [overlay]
network: {nodeSubnet: 10.240.0.0/24, podCidr: 10.32.0.0/12}
nodePools: [{name: p, count: 260, maxPods: 10}]
`);
    expect(r.summary[0]!.max_nodes).toBe(251);
    expect(r.summary[0]!.first_exhaustion_cause).toBe('node-subnet-full');
    expect(r.events.filter((e) => e.event === 'node-refused').every((e) => e.cause === 'node-subnet-full')).toBe(true);
  });

  test('the default 10.244.0.0/16 pod CIDR holds 256 nodes; the 257th is refused with pod-cidr-full', async () => {
    const r = await run(`
name: o
duration: 5m
modes: [overlay]
network: {nodeSubnet: 10.240.0.0/20}
nodePools: [{name: p, count: 257, maxPods: 10}]
`);
    expect(r.summary[0]!.max_nodes).toBe(256);
    expect(last(r.timeseries).pod_ips_reserved).toBe(65536);
    const refusals = r.events.filter((e) => e.event === 'node-refused');
    expect(refusals.length).toBeGreaterThan(0); // the 257th node, then its retries with backoff
    expect(refusals.every((e) => e.cause === 'pod-cidr-full')).toBe(true);
    expect(r.summary[0]!.first_exhaustion_cause).toBe('pod-cidr-full');
  });
});

test('kubenet stops at 400 nodes with node-limit [overlay-doc]', async () => {
  const r = await run(`
name: k
duration: 5m
modes: [kubenet]
network: {nodeSubnet: 10.240.0.0/20, podCidr: 10.32.0.0/12}
nodePools: [{name: p, count: 401, maxPods: 10}]
`);
  expect(r.summary[0]!.max_nodes).toBe(400);
  expect(r.summary[0]!.first_exhaustion_cause).toBe('node-limit');
});

describe('azure (traditional) [aks-docs]', () => {
  test('a /24 fits 8 nodes of max-pods 30; the 9th is refused with node-subnet-full', async () => {
    const r = await run(`
name: a
duration: 5m
modes: [azure]
network: {nodeSubnet: 10.240.0.0/24}
nodePools: [{name: p, count: 9, maxPods: 30}]
`);
    expect(r.summary[0]!.max_nodes).toBe(8);
    expect(maxOf(r, 'node_ips_used')).toBe(8 * 31);
    expect(r.summary[0]!.first_exhaustion_cause).toBe('node-subnet-full');
  });

  test('50 nodes + 1 surge node at max-pods 30 hold 51 + 51·30 = 1,581 addresses (a /21)', async () => {
    const r = await run(`
name: a
duration: 2h
modes: [azure]
network: {nodeSubnet: 10.240.0.0/21}
nodePools: [{name: p, count: 50, maxPods: 30}]
workload:
  - {at: 1m, upgrade: {pool: p, maxSurge: 1, drain: 1m, boot: 1m}}
`);
    expect(maxOf(r, 'node_ips_used')).toBe(1581);
    expect(r.summary[0]!.nodes_refused).toBe(0);
    expect(r.events.some((e) => e.event === 'upgrade-done')).toBe(true);
  });

  test('the same cluster does not fit a /22 (1,019 addresses): the surge node is refused', async () => {
    const r = await run(`
name: a
duration: 30m
modes: [azure]
network: {nodeSubnet: 10.240.0.0/22}
nodePools: [{name: p, count: 32, maxPods: 30}]
workload:
  - {at: 1m, upgrade: {pool: p, maxSurge: 1, drain: 1m, boot: 1m}}
`);
    expect(r.summary[0]!.first_exhaustion_cause).toBe('node-subnet-full');
  });
});

describe('dynamic [podsubnet-doc, cns]', () => {
  const scenario = (pods: number, monitor = 'v1') => `
name: d
duration: 2m
sampleEvery: 10s
modes: [dynamic]
network: {nodeSubnet: 10.240.0.0/24, podSubnet: 10.241.0.0/20}
parameters: {dynamic: {monitor: ${monitor}, grantLatency: 2s}}
nodePools: [{name: p, count: 1, maxPods: 110}]
workload:
  - {at: 10s, deploy: {name: a, pool: p, replicas: ${pods}}}
`;
  test('a node holds 17 pod-subnet addresses at start (16 + its primary), still 17 with 8 pods', async () => {
    const r = await run(scenario(8));
    expect(r.timeseries[0]!.pod_ips_reserved).toBe(17);
    expect(last(r.timeseries).pod_ips_reserved).toBe(17);
    expect(last(r.timeseries).pods_running).toBe(8);
  });
  test('the 9th pod leaves fewer than 8 free: the node grows to 33', async () => {
    const r = await run(scenario(9));
    expect(last(r.timeseries).pod_ips_reserved).toBe(33);
  });
  test('monitor v2 with 25 pods targets 48 pod addresses (+ the primary)', async () => {
    const r = await run(scenario(25, 'v2'));
    expect(last(r.timeseries).pod_ips_reserved).toBe(48 + 1);
    expect(last(r.timeseries).pods_running).toBe(25);
  });
});

describe('dynamic, as CNS does it [cns; issue 13]', () => {
  const tenNodes = (extra: string) => `
name: d
duration: 5m
sampleEvery: 10s
modes: [dynamic]
network: {nodeSubnet: 10.240.0.0/24, podSubnet: 10.241.0.0/20}
parameters: {dynamic: {grantLatency: 2s${extra}}}
nodePools: [{name: p, count: 10, maxPods: 30}]
workload:
  - {at: 10s, deploy: {name: a, pool: p, replicas: 300}}
`;
  test('10 nodes of max-pods 30 running 30 pods each hold 10 × (1 + 30) = 310 pod-subnet addresses (maxIPCount = max-pods)', async () => {
    const r = await run(tenNodes(''));
    expect(last(r.timeseries).pods_running).toBe(300);
    expect(last(r.timeseries).pod_ips_reserved).toBe(310);
  });
  test('with maxIPCount 250 they hold 10 × (1 + 48) = 490', async () => {
    const r = await run(tenNodes(', maxIPCount: 250'));
    expect(last(r.timeseries).pods_running).toBe(300);
    expect(last(r.timeseries).pod_ips_reserved).toBe(490);
  });

  test('a node leaving batch-1 mode holding 17 grows to 32, not 33 (v1 request arithmetic)', async () => {
    // Cluster "fill" makes the shared /25 (123 usable) exhausted (≥ 50 %) at the 30 s poll: main's idle node, in
    // batch-1 mode, gives one address back (16 → 15). At 35 s it gets 16 pods and grows one at a time to 17.
    // At 60 s "fill" scales to 0: recovered at the 90 s poll, and main's node (17 held, 16 assigned: 1 free < 8)
    // asks for the next multiple of 16: 32 (one batch more would be 33).
    const r = await run(`
name: d
duration: 3m
sampleEvery: 1s
modes: [dynamic]
network: {vnetCidr: 10.240.0.0/12, podSubnet: 10.241.0.0/25}
parameters: {dynamic: {exhaustedAbove: 0.5, recoveredBelow: 0.3}}
clusters:
  - name: main
    network: {nodeSubnet: 10.240.0.0/24}
    nodePools: [{name: p, count: 1, maxPods: 110}]
    workload: [{at: 35s, deploy: {name: a, pool: p, replicas: 16}}]
  - name: fill
    network: {nodeSubnet: 10.240.1.0/24}
    nodePools: [{name: p, count: 3, maxPods: 110}]
    workload: [{at: 60s, nodes: {pool: p, count: 0}}]
`);
    const main = r.timeseries.filter((row) => row.cluster === 'main');
    const held = [...new Set(main.map((row) => row.pod_ips_reserved - 1))]; // its primary not counted
    expect(held).toEqual([16, 15, 17, 32]);
    expect(r.events.filter((e) => e.cluster === 'main').map((e) => [e.time_s, e.event, e.cause])).toEqual([
      [30, 'subnet-exhausted', 'pod-subnet-scarce'],
      [90, 'subnet-recovered', ''],
    ]);
  });

  test('a release from 37 goes to the lower multiple of the batch, 32 (then 16)', async () => {
    // Cluster "fill" (3 nodes, 16 pods each: 33 held) and main's node (17) hold 116 of the shared /24's 251
    // (46 %): exhausted (≥ 40 %) at the 30 s poll. Main's 36 pods arrive at 35 s; in batch-1 mode its node grows
    // one address per round trip to 37 (by 123 s); fill, shrinking to 18 a node, keeps the subnet above 25 %.
    // At 125 s fill's nodes leave: recovered at the 150 s poll. Main scaled to 5 pods at 149.5 s: its tick at
    // 150 s (after the poll) finds 32 free ≥ 24 and releases to 32, the next tick to 16.
    const r = await run(`
name: d
duration: 3m
sampleEvery: 1s
modes: [dynamic]
network: {vnetCidr: 10.240.0.0/12, podSubnet: 10.241.0.0/24}
parameters: {dynamic: {exhaustedAbove: 0.4, recoveredBelow: 0.25}}
clusters:
  - name: main
    network: {nodeSubnet: 10.240.0.0/24}
    nodePools: [{name: p, count: 1, maxPods: 110}]
    workload:
      - {at: 35s, deploy: {name: a, pool: p, replicas: 36}}
      - {at: 149.5s, scale: {name: a, replicas: 5}}
  - name: fill
    network: {nodeSubnet: 10.240.1.0/24}
    nodePools: [{name: p, count: 3, maxPods: 110}]
    workload:
      - {at: 0, deploy: {name: f, pool: p, replicas: 48}}
      - {at: 125s, nodes: {pool: p, count: 0}}
`);
    const main = r.timeseries.filter((row) => row.cluster === 'main');
    const held = main.map((row) => row.pod_ips_reserved - 1).filter((h, i, all) => i === 0 || h !== all[i - 1]);
    expect(held.slice(-3)).toEqual([37, 32, 16]);
    expect(r.events.filter((e) => e.cluster === 'main').map((e) => [e.time_s, e.event])).toEqual([[30, 'subnet-exhausted'], [150, 'subnet-recovered']]);
  });

  test('20 idle nodes of max-pods 30 on a /24 pod subnet change its state at most once per 30 s poll (not 100 times in 10 minutes)', async () => {
    const r = await run(`
name: d
duration: 10m
sampleEvery: 1m
modes: [dynamic]
network: {nodeSubnet: 10.240.0.0/24, podSubnet: 10.241.0.0/24}
nodePools: [{name: p, count: 20, maxPods: 30}]
`);
    const flips = r.events.filter((e) => e.event === 'subnet-exhausted' || e.event === 'subnet-recovered');
    expect(flips.length).toBeGreaterThan(0);
    expect(flips.length).toBeLessThanOrEqual(20);
    for (const f of flips) expect(f.time_s % 30).toBe(0);
    expect(new Set(flips.map((f) => f.time_s)).size).toBe(flips.length);
    expect(flips.filter((f) => f.event === 'subnet-exhausted').every((f) => f.cause === 'pod-subnet-scarce')).toBe(true);
  });
});

describe('the VNet limit of 65,536 private addresses [vnet-limits, aks-api; issue 13]', () => {
  test('azure at max-pods 250 on a /15 node subnet stops at floor(65,536 / 251) = 261 nodes, refused vnet-ip-limit', async () => {
    const r = await run(`
name: a
duration: 5m
modes: [azure]
network: {nodeSubnet: 10.240.0.0/15}
nodePools: [{name: p, count: 300, maxPods: 250}]
`);
    expect(r.summary[0]!.max_nodes).toBe(261);
    expect(r.summary[0]!.first_exhaustion_cause).toBe('vnet-ip-limit');
    expect(last(r.timeseries).vnet_ips_used).toBe(261 * 251);
    expect(r.events.filter((e) => e.event === 'node-refused').every((e) => e.cause === 'vnet-ip-limit')).toBe(true);
  });

  test('static-block at max-pods 250 counts 17 per node: 3,855 nodes, 963,750 pods', async () => {
    const r = await run(`
name: s
duration: 5m
modes: [static-block]
network: {nodeSubnet: 10.240.0.0/20, podSubnet: 10.64.0.0/12}
nodePools: [{name: p, count: 4000, maxPods: 250}]
workload:
  - {at: 1m, deploy: {name: a, pool: p, replicas: 1000000}}
`);
    const row = last(r.timeseries);
    expect(row.nodes).toBe(3855);
    expect(row.pods_running).toBe(963_750);
    expect(row.vnet_ips_used).toBe(3855 * 17);
    expect(r.summary[0]!.first_exhaustion_cause).toBe('vnet-ip-limit');
  });

  test('static-block with reservePrimaryIp false gives all 16·N addresses to pods: max-pods 32 takes 2 blocks', async () => {
    const r = await run(`
name: s
duration: 5m
modes: [static-block]
network: {nodeSubnet: 10.240.0.0/24, podSubnet: 10.241.0.0/20}
parameters: {static-block: {reservePrimaryIp: false}}
nodePools: [{name: p, count: 10, maxPods: 32}]
workload:
  - {at: 1m, deploy: {name: a, pool: p, replicas: 320}}
`);
    expect(last(r.timeseries).pods_running).toBe(320);
    expect(last(r.timeseries).pod_ips_reserved).toBe(10 * 32);
  });

  test('dynamic: 1,000 nodes asked for 60 pods each run 971 × 60 + 29 × 48 = 59,652; the rest wait (vnet-ip-limit)', async () => {
    // Per node 1 node address + 1 primary + batches towards 80. After three rounds of batches the VNet holds
    // 2,000 + 1,000 × 48 = 50,000; the fourth round has room for 15,536 / 16 = 971 batches.
    const r = await run(`
name: d
duration: 10m
sampleEvery: 1m
modes: [dynamic]
network: {nodeSubnet: 10.240.0.0/22, podSubnet: 10.64.0.0/14}
nodePools: [{name: p, count: 1000, maxPods: 250}]
workload:
  - {at: 1m, deploy: {name: a, pool: p, replicas: 60000}}
`);
    const row = last(r.timeseries);
    expect(row.nodes).toBe(1000);
    expect(row.pods_running).toBe(59_652);
    expect(row.pods_waiting_ip).toBe(60_000 - 59_652);
    expect(row.vnet_ips_used).toBe(65_536);
    const refused = r.events.filter((e) => e.event === 'batch-refused');
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every((e) => e.cause === 'vnet-ip-limit')).toBe(true);
  });

  test('clusters in one VNet share the limit; network.vnetIpLimit sets it', async () => {
    const r = await run(`
name: v
duration: 5m
modes: [azure]
network: {vnetCidr: 10.0.0.0/8, vnetIpLimit: 1000}
clusters:
  - {name: a, network: {nodeSubnet: 10.1.0.0/20}, nodePools: [{name: p, count: 20, maxPods: 30}]}
  - {name: b, network: {nodeSubnet: 10.2.0.0/20}, nodePools: [{name: p, count: 20, maxPods: 30}]}
`);
    const end = r.timeseries.filter((row) => row.time_s === 300);
    expect(end.reduce((n, row) => n + row.nodes, 0)).toBe(Math.floor(1000 / 31));
    expect(end.reduce((n, row) => n + row.vnet_ips_used, 0)).toBe(Math.floor(1000 / 31) * 31);
  });
});

describe('bad values of the new settings are refused naming the field', () => {
  const scenario = (network: string, parameters: string) => `
name: bad
duration: 5m
modes: [dynamic, static-block]
network: {nodeSubnet: 10.240.0.0/24, podSubnet: 10.241.0.0/20${network}}
parameters: {${parameters}}
nodePools: [{name: p, count: 1, maxPods: 30}]
`;
  test.each([
    [', vnetIpLimit: -1', '', /network\.vnetIpLimit: -1 is not a number of addresses: give a whole number ≥ 1/],
    [', vnetIpLimit: 1000.5', '', /network\.vnetIpLimit: 1000\.5 is not a number of addresses/],
    ['', 'dynamic: {maxIPCount: 0}', /parameters\.dynamic\.maxIPCount: 0 is not a per-node address cap/],
    ['', 'dynamic: {exhaustionPollInterval: 0}', /parameters\.dynamic\.exhaustionPollInterval: 0 ms is too short/],
    ['', 'dynamic: {perNodeCap: 250}', /parameters\.dynamic\.perNodeCap: perNodeCap was renamed maxIPCount/],
    ['', 'dynamic: {clusterPodLimit: 65000}', /parameters\.dynamic\.clusterPodLimit: clusterPodLimit is gone.*network\.vnetIpLimit/],
    ['', 'static-block: {primaryIp: false}', /parameters\.static-block\.primaryIp: primaryIp was renamed reservePrimaryIp/],
  ])('network%s parameters {%s}', (network, parameters, message) => {
    expect(() => parseScenario(scenario(network, parameters), 'bad.yaml')).toThrow(message);
  });
});
