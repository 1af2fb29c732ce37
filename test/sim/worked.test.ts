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
