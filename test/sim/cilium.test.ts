/**
 * Cilium cluster-pool's worked numbers through scenarios: 256 nodes on 10.244.0.0/16 with /24s (node 257 gets no
 * range), 60 pods per node with /26 ranges, and the 10.0.0.0/8 default.
 */
import { expect, test } from 'vitest';
import { parseScenario } from '../../src/scenario/index.js';
import { simulate, type SimulationResult } from '../../src/sim/run.js';

async function run(yaml: string): Promise<SimulationResult> {
  return simulate(parseScenario(yaml, 'cilium.yaml'));
}

function last<T>(rows: readonly T[]): T {
  return rows[rows.length - 1]!;
}

test('clusterPoolIPv4PodCIDRList 10.244.0.0/16, mask 24: 256 nodes; node 257 gets no PodCIDR (pod-cidr-full) [cilium-clusterpool]', async () => {
  const r = await run(`
name: cilium-257
platform: kubernetes
duration: 10m
modes: [cilium-cluster-pool]
network: {nodeSubnet: 10.240.0.0/20, podCidr: 10.244.0.0/16}
nodePools: [{name: p, count: 257}]
`);
  expect(r.summary[0]!.max_nodes).toBe(256);
  expect(last(r.timeseries).pod_ips_reserved).toBe(65_536);
  const refusals = r.events.filter((e) => e.event === 'node-refused');
  expect(refusals.length).toBeGreaterThan(0);
  expect(refusals.every((e) => e.cause === 'pod-cidr-full')).toBe(true);
  expect(r.summary[0]!.first_exhaustion_cause).toBe('pod-cidr-full');
});

test('mask 26 on a /16: 64 − 2 − router − health = 60 pods per node run, the rest of max-pods 110 wait [cilium-ipallocator]', async () => {
  const r = await run(`
name: cilium-26
platform: kubernetes
duration: 10m
modes: [cilium-cluster-pool]
network: {nodeSubnet: 10.240.0.0/24, podCidr: 10.244.0.0/16}
parameters:
  cilium-cluster-pool: {clusterPoolIPv4MaskSize: 26}
nodePools: [{name: p, count: 20}]
workload:
  - {at: 1m, deploy: {name: a, pool: p, replicas: 2200}}
`);
  const row = last(r.timeseries);
  expect(row.pod_ips_capacity / 64).toBe(1024);
  expect(row.pods_running).toBe(20 * 60);
  expect(row.pods_waiting_ip).toBe(20 * 50);
  expect(r.summary[0]!.first_exhaustion_cause).toBe('node-range-full');
});

test('the default pool 10.0.0.0/8 (no podCidr given): 65,536 /24 ranges, 110 pods per node at the kubelet default [cilium-values]', async () => {
  const r = await run(`
name: cilium-default
platform: kubernetes
duration: 10m
modes: [cilium-cluster-pool]
network: {nodeSubnet: 172.16.0.0/24, serviceCidr: 172.20.0.0/16}
nodePools: [{name: p, count: 3}]
workload:
  - {at: 1m, deploy: {name: a, pool: p, replicas: 400}}
`);
  const row = last(r.timeseries);
  expect(row.pod_ips_capacity).toBe(65_536 * 256);
  expect(row.pod_ips_reserved).toBe(3 * 256);
  expect(row.pods_running).toBe(330);
  expect(row.pods_unschedulable).toBe(70);
});

test('dual stack: each node takes a /24 and a /120; every pod an address of both [cilium-values]', async () => {
  const r = await run(`
name: cilium-dual
platform: kubernetes
duration: 10m
modes: [cilium-cluster-pool]
network:
  nodeSubnet: 172.16.0.0/24
  ipFamilies: [ipv4, ipv6]
  podCidrs: [10.244.0.0/16, fd00::/104]
  serviceCidrs: [10.96.0.0/12, fd12:3456:789a:1::/108]
nodePools: [{name: p, count: 4}]
workload:
  - {at: 1m, deploy: {name: a, pool: p, replicas: 400}}
`);
  const row = last(r.timeseries);
  expect(row.pods_running).toBe(400);
  expect(row.pod6_ips_used).toBe(400);
  expect(row.pod6_ips_reserved).toBe(4 * 256);
  expect(row.pod6_ips_capacity).toBe(2 ** 24);
});
