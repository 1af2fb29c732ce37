/**
 * Kubernetes node IPAM worked numbers [k8s-cidrset, k8s-range] through whole scenarios:
 * 2^(mask − cluster mask) node ranges, CIDRNotAvailable once they are gone, host-local's size − 3 pods per node.
 */
import { describe, expect, test } from 'vitest';
import { parseScenario } from '../../src/scenario/index.js';
import { simulate, type SimulationResult } from '../../src/sim/run.js';

async function run(yaml: string): Promise<SimulationResult> {
  return simulate(parseScenario(yaml, 'kubernetes.yaml'));
}

function last<T>(rows: readonly T[]): T {
  return rows[rows.length - 1]!;
}

/** `count` nodes on cluster CIDR `cidr` at node mask `mask`; the node network (a /16) never binds. */
function cluster(cidr: string, mask: number | null, count: number, maxPods = 110, workload = ''): string {
  return `
name: k8s
duration: 10m
platform: kubernetes
modes: [kubernetes]
network: {nodeSubnet: 10.224.0.0/16, podCidr: ${cidr}, serviceCidr: 10.96.0.0/16}
${mask === null ? '' : `parameters: {kubernetes: {nodeCidrMaskSize: ${mask}}}`}
nodePools: [{name: p, count: ${count}, maxPods: ${maxPods}}]
${workload}
`;
}

describe('node ranges per cluster CIDR [k8s-cidrset]', () => {
  test.each([
    ['--cluster-cidr 10.244.0.0/16, default /24 → 256 nodes', '10.244.0.0/16', null, 256, 256],
    ['a /16 with --node-cidr-mask-size=25 → 512 nodes', '10.244.0.0/16', 25, 512, 128],
    ['a /22 cluster CIDR, /24 nodes → 4 nodes (kubernetes#92431)', '10.244.0.0/22', null, 4, 256],
    ['the same /22 with --node-cidr-mask-size=26 → 16 nodes', '10.244.0.0/22', 26, 16, 64],
    ['a /24 cluster CIDR with a /24 node mask → 1 node (kubernetes#85866)', '10.244.0.0/24', null, 1, 256],
  ])('%s; the next node gets CIDRNotAvailable', async (_name, cidr, mask, nodes, perNode) => {
    const r = await run(cluster(cidr, mask, nodes + 1, 60));
    const s = r.summary[0]!;
    expect(s.max_nodes).toBe(nodes);
    expect(s.first_exhaustion_cause).toBe('pod-cidr-full');
    expect(last(r.timeseries).pod_ips_reserved).toBe(nodes * perNode);
    expect(last(r.timeseries).pod_ips_capacity).toBe(nodes * perNode);
    const refused = r.events.filter((e) => e.event === 'node-refused');
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every((e) => e.cause === 'pod-cidr-full')).toBe(true);
    // The controller's own event, as a note beside each refusal: no second exhaustion counted.
    const notes = r.events.filter((e) => e.event === 'node-cidr-not-available');
    expect(notes.length).toBe(refused.length);
    expect(notes[0]!.cause).toBe('');
    expect(notes[0]!.detail).toContain('CIDRNotAvailable: CIDR allocation failed; there are no remaining CIDRs left to allocate in the accepted range');
    expect(last(r.timeseries).exhaustion_events).toBe(s.nodes_refused);
  });
});

test('a service range inside the cluster CIDR is never handed out: a /24 at mask 30 with a /26 service range inside → 48 nodes [k8s-range]', async () => {
  const r = await run(`
name: k8s
duration: 10m
platform: kubernetes
modes: [kubernetes]
network: {nodeSubnet: 10.224.0.0/16, podCidr: 10.10.0.0/24, serviceCidr: 10.10.0.64/26}
parameters: {kubernetes: {nodeCidrMaskSize: 30}}
nodePools: [{name: p, count: 50, maxPods: 1}]
`);
  expect(r.summary[0]!.max_nodes).toBe(48);
  expect(last(r.timeseries).pod_ips_capacity).toBe(48 * 4);
  expect(r.summary[0]!.first_exhaustion_cause).toBe('pod-cidr-full');
});

describe('host-local serves the node range less network, gateway and broadcast [host-local]', () => {
  test('a /24 node range runs 110 pods (kubelet default max-pods)', async () => {
    const r = await run(cluster('10.244.0.0/16', null, 2, 110, `workload:
  - {at: 1m, deploy: {name: a, pool: p, replicas: 220}}`));
    expect(last(r.timeseries).pods_running).toBe(220);
  });

  test('a /26 node range serves 61 pods: with max-pods 110 the 62nd pod of a node is refused node-range-full', async () => {
    const yaml = cluster('10.244.0.0/16', 26, 1, 110, `workload:
  - {at: 1m, deploy: {name: a, pool: p, replicas: 80}}`);
    const s = parseScenario(yaml, 'kubernetes.yaml');
    // Allowed with a warning: kubelet does not know the node's range.
    expect(s.warnings.map((w) => w.message).join('\n')).toContain('a /26 node range serves 61 pods');
    const r = await simulate(s);
    expect(last(r.timeseries).pods_running).toBe(61);
    expect(r.summary[0]!.first_exhaustion_cause).toBe('node-range-full');
    expect(r.events.some((e) => e.event === 'pod-refused' && e.cause === 'node-range-full')).toBe(true);
  });

  test('a /25 node range serves 125 pods: every pod of 120 per node runs', async () => {
    const r = await run(cluster('10.244.0.0/16', 25, 2, 125, `workload:
  - {at: 1m, deploy: {name: a, pool: p, replicas: 250}}`));
    expect(last(r.timeseries).pods_running).toBe(250);
  });
});

describe('dual stack: one range per family, both or none [k8s-range]', () => {
  function dual(cidr6: string, count: number): string {
    return `
name: k8s
duration: 10m
platform: kubernetes
modes: [kubernetes]
network:
  nodeSubnet: 10.224.0.0/16
  ipFamilies: [ipv4, ipv6]
  podCidrs: [10.244.0.0/16, ${cidr6}]
  serviceCidrs: [10.96.0.0/16, fd12:3456:789a:1::/108]
nodePools: [{name: p, count: ${count}, maxPods: 30}]
`;
  }

  test('fd00::/48 with /64 node ranges: 2^16 IPv6 ranges, so IPv4 (256) binds', async () => {
    const r = await run(dual('fd00::/48', 257));
    expect(r.summary[0]!.max_nodes).toBe(256);
    const row = last(r.timeseries);
    expect(row.pod6_ips_capacity).toBe(65536 * 2 ** 64);
    expect(row.pod6_ips_reserved).toBe(256 * 2 ** 64);
  });

  test('fd01::/64 with /64 node ranges: one node gets ranges, every other dual-stack node CIDRNotAvailable (rancher#38115)', async () => {
    const r = await run(dual('fd01::/64', 3));
    expect(r.summary[0]!.max_nodes).toBe(1);
    expect(r.summary[0]!.first_exhaustion_cause).toBe('pod-cidr-full');
    expect(r.events.some((e) => e.event === 'node-cidr-not-available')).toBe(true);
    // The IPv4 range of a refused node was given back: one /24 held.
    expect(last(r.timeseries).pod_ips_reserved).toBe(256);
  });

  test('fd00::/40 with /64 node ranges (24 bits longer) is refused as kube-controller-manager refuses to start', async () => {
    await expect(run(dual('fd00::/40', 1))).rejects.toThrow(/refuses to start.*New CIDR set failed; the node CIDR size is too big.*at most 16 bits longer.*use a \/48 or larger IPv6 pod CIDR/);
  });
});

describe('validation fits self-managed clusters', () => {
  test('a node mask larger than the cluster CIDR is refused naming the parameter', async () => {
    await expect(run(cluster('10.244.0.0/24', 22, 1))).rejects.toThrow(/nodeCidrMaskSize \/22 is larger than the cluster CIDR 10\.244\.0\.0\/24/);
  });

  // kubeadm's default --service-cidr is 10.96.0.0/12; AKS's rule (smaller than /12) applies to AKS modes only.
  test("kubeadm's service CIDR 10.96.0.0/12 is accepted under platform kubernetes", async () => {
    const r = await run(`
name: k8s
duration: 5m
platform: kubernetes
modes: [kubernetes]
network: {nodeSubnet: 10.224.0.0/16, podCidr: 10.244.0.0/16, serviceCidr: 10.96.0.0/12}
nodePools: [{name: p, count: 3}]
`);
    expect(r.summary[0]!.max_nodes).toBe(3);
  });
});
