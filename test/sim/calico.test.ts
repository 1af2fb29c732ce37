/**
 * Calico's worked numbers through scenarios (file → validation → world → allocator → CSV rows): 520 dense nodes
 * on the default 192.168.0.0/16 pool with and without strict affinity, and the per-host block limit with /29s.
 */
import { describe, expect, test } from 'vitest';
import { parseScenario } from '../../src/scenario/index.js';
import { simulate, type SimulationResult } from '../../src/sim/run.js';

async function run(yaml: string): Promise<SimulationResult> {
  return simulate(parseScenario(yaml, 'calico.yaml'));
}

function last<T>(rows: readonly T[]): T {
  return rows[rows.length - 1]!;
}

/** 520 nodes of max-pods 110 on Calico's default pool (no podCidr given), filled 5 min after they joined. */
function dense(strictAffinity: boolean): string {
  return `
name: calico-520
platform: kubernetes
duration: 30m
modes: [calico]
network: {nodeSubnet: 10.240.0.0/20}
parameters:
  calico: {strictAffinity: ${strictAffinity}}
nodePools: [{name: p, count: 520, maxPods: 110}]
workload:
  - {at: 5m, deploy: {name: a, pool: p, replicas: 57200}}
`;
}

describe('calico: 520 nodes × 110 pods on 192.168.0.0/16 with /26 blocks [calico-ipam]', () => {
  test('strict affinity: 520 tunnel blocks + 504 second blocks use all 1,024; 504 × 110 + 16 × 63 = 56,448 pods run', async () => {
    const r = await run(dense(true));
    const row = last(r.timeseries);
    expect(row.nodes).toBe(520);
    expect(row.pod_ips_capacity).toBe(65_536);
    expect(row.pod_ips_reserved).toBe(65_536);
    expect(row.pods_running).toBe(504 * 110 + 16 * 63);
    expect(row.pods_running).toBe(56_448);
    // The other 16 × 47 pods wait on their nodes (ContainerCreating), as kubelet retries them.
    expect(row.pods_waiting_ip).toBe(16 * 47);
    expect(r.summary[0]!.first_exhaustion_cause).toBe('pod-cidr-full');
    expect(r.events.every((e) => e.event === 'address-refused' && e.cause === 'pod-cidr-full')).toBe(true);
  });

  test('without strict affinity the 16 nodes borrow from the second blocks: all 57,200 run', async () => {
    const r = await run(dense(false));
    const row = last(r.timeseries);
    expect(row.pods_running).toBe(57_200);
    expect(row.pods_waiting_ip).toBe(0);
    expect(row.pod_ips_reserved).toBe(65_536);
    // Each borrowed address is an event: the pool has no block left.
    const borrowed = r.events.filter((e) => e.event === 'address-borrowed');
    expect(borrowed.length).toBeGreaterThan(0);
    expect(borrowed.every((e) => e.cause === 'pod-cidr-full')).toBe(true);
    expect(r.events.every((e) => e.event === 'address-borrowed')).toBe(true);
  });
});

test('calico: /29 blocks on one node stop at 20 blocks: 20 × 8 − 1 (tunnel) = 159 pods run [calico-ipam]', async () => {
  const r = await run(`
name: calico-29
platform: kubernetes
duration: 10m
modes: [calico]
network: {nodeSubnet: 10.240.0.0/24, podCidr: 10.32.0.0/16}
parameters:
  calico: {blockSize: 29}
nodePools: [{name: p, count: 1, maxPods: 250}]
workload:
  - {at: 1m, deploy: {name: a, pool: p, replicas: 200}}
`);
  const row = last(r.timeseries);
  expect(row.pods_running).toBe(159);
  expect(row.pod_ips_reserved).toBe(160);
  expect(row.pods_waiting_ip).toBe(41);
  expect(r.summary[0]!.first_exhaustion_cause).toBe('block-limit');
});

test('calico: a scaled-down deployment gives its empty blocks back 15–22.5 min later, one per node stays [calico-kc]', async () => {
  const r = await run(`
name: calico-down
platform: kubernetes
duration: 40m
sampleEvery: 30s
modes: [calico]
network: {nodeSubnet: 10.240.0.0/24, podCidr: 10.32.0.0/16}
nodePools: [{name: p, count: 2, maxPods: 200}]
workload:
  - {at: 1m, deploy: {name: a, pool: p, replicas: 400}}
  - {at: 5m, scale: {name: a, replicas: 0}}
`);
  const at = (s: number) => r.timeseries.find((x) => x.time_s === s)!;
  // 200 pods + tunnel = 201 → 4 /26 blocks per node.
  expect(at(240).pod_ips_reserved).toBe(2 * 4 * 64);
  expect(at(300 + 15 * 60 - 30).pod_ips_reserved).toBe(2 * 4 * 64);
  expect(last(r.timeseries).pod_ips_reserved).toBe(2 * 64);
  const released = r.timeseries.find((x) => x.time_s > 300 && x.pod_ips_reserved === 2 * 64)!.time_s;
  expect(released - 300).toBeGreaterThanOrEqual(15 * 60);
  expect(released - 300).toBeLessThanOrEqual(22.5 * 60);
});

test('calico dual stack: each pod also takes an IPv6 address; 110 pods per node hold 2 /122 blocks [calico-ipam]', async () => {
  const r = await run(`
name: calico-dual
platform: kubernetes
duration: 10m
modes: [calico]
network:
  nodeSubnet: 10.240.0.0/24
  ipFamilies: [ipv4, ipv6]
  podCidrs: [10.32.0.0/16, fd12:3456:789a::/64]
  serviceCidrs: [10.96.0.0/12, fd12:3456:789a:1::/108]
nodePools: [{name: p, count: 10, maxPods: 110}]
workload:
  - {at: 1m, deploy: {name: a, pool: p, replicas: 1100}}
`);
  const row = last(r.timeseries);
  expect(row.pods_running).toBe(1100);
  expect(row.pod6_ips_used).toBe(1100);
  expect(row.pod6_ips_reserved).toBe(10 * 2 * 64);
  expect(row.pod_ips_reserved).toBe(10 * 2 * 64);
});
