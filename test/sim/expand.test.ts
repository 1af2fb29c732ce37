/** expandPodCidr: an overlay cluster stuck at 256 nodes on a /16 grows on after the pod CIDR becomes a /15. */
import { expect, test } from 'vitest';
import { parseScenario } from '../../src/scenario/index.js';
import { simulate } from '../../src/sim/run.js';

test('overlay grows past 256 nodes after the pod CIDR expands from /16 to /15, existing /24s kept', async () => {
  const scenario = parseScenario(`
name: expand
duration: 1h
modes: [overlay]
network: {nodeSubnet: 10.240.0.0/20, podCidr: 10.244.0.0/16}
nodePools: [{name: p, count: 300, maxPods: 10}]
workload:
  - {at: 0, deploy: {name: a, pool: p, replicas: 3000}}
  - {at: 30m, expandPodCidr: {podCidr: 10.244.0.0/15}}
`, 'expand.yaml');
  const r = await simulate(scenario, { check: true });
  const before = r.timeseries.filter((x) => x.time_s < 1800);
  const after = r.timeseries[r.timeseries.length - 1]!;
  expect(Math.max(...before.map((x) => x.nodes))).toBe(256);
  expect(before[before.length - 1]!.pod_ips_capacity).toBe(65536);
  expect(after.pod_ips_capacity).toBe(131072);
  expect(after.nodes).toBe(300);
  expect(after.pods_running).toBe(3000);
  expect(r.events.some((e) => e.event === 'pod-cidr-expanded')).toBe(true);
});

test('expanding to a /14 around a /16 in its upper half adds both siblings', async () => {
  const scenario = parseScenario(`
name: expand
duration: 1h
modes: [overlay]
network: {nodeSubnet: 10.240.0.0/20, podCidr: 10.247.0.0/16}
nodePools: [{name: p, count: 1000, maxPods: 10}]
workload:
  - {at: 30m, expandPodCidr: {podCidr: 10.244.0.0/14}}
`, 'expand.yaml');
  const r = await simulate(scenario, { check: true });
  const after = r.timeseries[r.timeseries.length - 1]!;
  expect(after.pod_ips_capacity).toBe(4 * 65536);
  expect(after.nodes).toBe(1000);
});
