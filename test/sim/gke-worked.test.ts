/**
 * GKE VPC-native worked numbers [gke-flexible] through whole scenarios (file → validation → world → allocator →
 * CSV rows): nodes per pod range = 2^(node mask − range mask), the node mask from 2 × max-pods.
 */
import { describe, expect, test } from 'vitest';
import { parseScenario } from '../../src/scenario/index.js';
import { simulate, type SimulationResult } from '../../src/sim/run.js';

async function run(yaml: string): Promise<SimulationResult> {
  return simulate(parseScenario(yaml, 'gke.yaml'));
}

function last<T>(rows: readonly T[]): T {
  return rows[rows.length - 1]!;
}

/** One pool of `count` nodes at `maxPods` on a pod range; the node subnet (a /20: 4,092 nodes) never binds. */
function onePool(podRange: string, maxPods: number | null, count: number, extra = ''): string {
  return `
name: gke
duration: 10m
platform: gcp
modes: [gke]
network: {nodeSubnet: 10.128.0.0/20, podCidr: ${podRange}, serviceCidr: 10.132.0.0/20}
${extra}
nodePools: [{name: p, count: ${count}${maxPods === null ? '' : `, maxPods: ${maxPods}`}}]
`;
}

describe('nodes per pod range [gke-flexible, gcpdiag]', () => {
  test.each([
    ['a /20, 110 pods → /24 each → 16 nodes', '10.4.0.0/20', 110, 16, 256],
    ['a /20, 30 pods → /26 each → 64 nodes', '10.4.0.0/20', 30, 64, 64],
    ['a /16, 110 pods (the "ran out of IP addresses" story) → 256 nodes', '10.4.0.0/16', 110, 256, 256],
    ['maxPods 8 → /28, a /21 → 128 nodes', '10.4.0.0/21', 8, 128, 16],
    ['a /14 (the default size), 110 pods → 1,024 nodes', '10.4.0.0/14', 110, 1024, 256],
  ])('%s', async (_name, range, maxPods, nodes, perNode) => {
    const r = await run(onePool(range, maxPods, nodes + 1));
    const s = r.summary[0]!;
    expect(s.max_nodes).toBe(nodes);
    expect(s.first_exhaustion_cause).toBe('pod-cidr-full');
    const row = last(r.timeseries);
    expect(row.pod_ips_reserved).toBe(nodes * perNode);
    expect(row.pod_ips_capacity).toBe(nodes * perNode); // a secondary range reserves nothing
    const refused = r.events.filter((e) => e.event === 'node-refused');
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every((e) => e.cause === 'pod-cidr-full')).toBe(true);
  });

  test('the default max-pods is 110 (a /24 per node): a /20 holds 16 nodes', async () => {
    const r = await run(onePool('10.4.0.0/20', null, 17));
    expect(r.summary[0]!.max_nodes).toBe(16);
  });

  test('Autopilot: 32 pods per node → /26; a /17 pod range → 512 nodes', async () => {
    const r = await run(onePool('10.4.0.0/17', 32, 513));
    expect(r.summary[0]!.max_nodes).toBe(512);
    expect(last(r.timeseries).pod_ips_reserved).toBe(512 * 64);
  });

  test('a node pool fills its /24s with 110 pods each', async () => {
    const r = await run(`${onePool('10.4.0.0/20', 110, 16)}
workload:
  - {at: 1m, deploy: {name: a, pool: p, replicas: 1760}}
`);
    const row = last(r.timeseries);
    expect(row.pods_running).toBe(1760);
    expect(row.pod_ips_used).toBe(1760);
    expect(row.pods_unschedulable).toBe(0);
  });
});

describe("node addresses come from the subnet's primary range: Google keeps 4 [vpc-subnets]", () => {
  test('a /24 primary range holds 252 nodes; the 253rd is refused node-subnet-full', async () => {
    const r = await run(`
name: gke
duration: 10m
platform: gcp
modes: [gke]
network: {nodeSubnet: 10.128.0.0/24, podCidr: 10.4.0.0/14, serviceCidr: 10.132.0.0/20}
nodePools: [{name: p, count: 260, maxPods: 110}]
`);
    expect(r.summary[0]!.max_nodes).toBe(252);
    expect(r.summary[0]!.first_exhaustion_cause).toBe('node-subnet-full');
    expect(last(r.timeseries).node_ips_capacity).toBe(252);
  });
});

describe('discontiguous multi-pod CIDR: a node pool with its own additional pod range [gke-multi-pod-cidr]', () => {
  test('pool A (110 → /24) fills a /16 at 256 nodes; pool B added with range B /18 at 32 pods (/26) brings 256 more', async () => {
    const r = await run(`
name: gke
duration: 30m
platform: gcp
modes: [gke]
network: {nodeSubnet: 10.128.0.0/20, podCidr: 10.4.0.0/16, serviceCidr: 10.132.0.0/20}
nodePools: [{name: a, count: 260, maxPods: 110}]
workload:
  - {at: 10m, addPool: {name: b, count: 260, maxPods: 32, podCidr: 10.8.0.0/18}}
`);
    expect(r.summary[0]!.max_nodes).toBe(512);
    const row = last(r.timeseries);
    expect(row.pod_ips_reserved).toBe(256 * 256 + 256 * 64);
    // Both ranges count as pod space: the /16 and the /18.
    expect(row.pod_ips_capacity).toBe(65536 + 16384);
    const refusedB = r.events.filter((e) => e.event === 'node-refused' && e.pool === 'b');
    expect(refusedB.length).toBeGreaterThan(0);
    expect(refusedB.every((e) => e.cause === 'pod-cidr-full')).toBe(true);
  });

  test('pools of different max-pods share one range: 8 /24s taken, the other half holds 32 /26s', async () => {
    const r = await run(`
name: gke
duration: 30m
platform: gcp
modes: [gke]
network: {nodeSubnet: 10.128.0.0/20, podCidr: 10.4.0.0/20, serviceCidr: 10.132.0.0/20}
nodePools: [{name: a, count: 8, maxPods: 110}]
workload:
  - {at: 5m, addPool: {name: b, count: 40, maxPods: 30}}
`);
    expect(r.summary[0]!.max_nodes).toBe(40);
    expect(last(r.timeseries).pod_ips_reserved).toBe(4096);
  });
});

describe('validation [gke-flexible]', () => {
  test.each([
    [7, 'below the gke minimum of 8'],
    [257, 'above the gke maximum of 256'],
  ])('maxPods %i is refused', (maxPods, words) => {
    expect(() => parseScenario(onePool('10.4.0.0/16', maxPods, 1), 'gke.yaml')).toThrow(words);
  });

  test('a pod range smaller than one node range is refused, naming the pool and the fix', async () => {
    await expect(run(onePool('10.4.0.0/25', 110, 1))).rejects.toThrow(/pod range 10\.4\.0\.0\/25 is smaller than the \/24 each node takes at max-pods 110.*use a larger pod range or a lower maxPods/);
  });
});
