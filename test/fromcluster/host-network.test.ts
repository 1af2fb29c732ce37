/**
 * `hostNetwork: true` on deploy and daemonset entries, usable in any scenario: such pods are placed and count
 * against max-pods, but never ask the allocator for an address (kube-proxy, the CNI's own agents). Checked with
 * --check on (the allocator contract and the world's counters after every event).
 */
import { describe, expect, test } from 'vitest';
import { parseScenario } from '../../src/scenario/index.js';
import { simulate } from '../../src/sim/run.js';
import { CnisimError } from '../../src/errors.js';

const run = (yaml: string) => simulate(parseScenario(yaml, 'host.yaml'), { check: true });
const last = <T>(rows: readonly T[]): T => rows[rows.length - 1]!;

describe('hostNetwork pods', () => {
  test('a hostNetwork daemonset takes a slot of max-pods on every node but no pod address (overlay)', async () => {
    const r = await run(`
name: h
duration: 5m
modes: [overlay]
nodePools: [{name: p, count: 4, maxPods: 10}]
workload:
  - {at: 0, daemonset: {name: kube-proxy, hostNetwork: true}}
  - {at: 0, daemonset: {name: agent}}
  - {at: 1m, deploy: {name: web, pool: p, replicas: 40}}
`);
    const row = last(r.timeseries);
    // 4 nodes × 10 slots: 4 kube-proxy + 4 agents + 32 of web; 8 web pods find no slot.
    expect(row.pods_running).toBe(40);
    expect(row.pods_unschedulable).toBe(8);
    // Only the agents and web pods hold addresses.
    expect(row.pod_ips_used).toBe(36);
  });

  test('a hostNetwork deployment is placed without addresses, even with no pod address left (azure: node subnet)', async () => {
    // A /27 holds 32 − 5 = 27 addresses: 2 nodes × (1 + 10) = 22 taken at join, none left for pods beyond those.
    const r = await run(`
name: h2
duration: 5m
modes: [azure]
network: {nodeSubnet: 10.240.0.0/27}
nodePools: [{name: p, count: 2, maxPods: 10}]
workload:
  - {at: 0, deploy: {name: hostnet, pool: p, replicas: 6, hostNetwork: true}}
  - {at: 0, deploy: {name: web, pool: p, replicas: 14}}
  - {at: 2m, scale: {name: hostnet, replicas: 2}}
`);
    const row = last(r.timeseries);
    // 20 slots: after the scale-down 2 host pods and 14 web pods run, 16 in all; only the web pods hold addresses.
    expect(row.pods_running).toBe(16);
    expect(row.pod_ips_used).toBe(14);
    expect(r.summary[0]!.max_pods_running).toBe(20);
  });

  test('dynamic: hostNetwork pods never enter the batch demand', async () => {
    const r = await run(`
name: h3
duration: 5m
modes: [dynamic]
network: {podSubnet: 10.241.0.0/22}
nodePools: [{name: p, count: 1, maxPods: 110}]
workload:
  - {at: 0, daemonset: {name: agents, hostNetwork: true}}
  - {at: 0, deploy: {name: sys, pool: p, replicas: 30, hostNetwork: true}}
  - {at: 0, deploy: {name: web, pool: p, replicas: 7}}
`);
    const row = last(r.timeseries);
    expect(row.pods_running).toBe(38);
    expect(row.pod_ips_used).toBe(7);
    // One batch of 16 and the node's primary: 7 pods leave 9 ≥ 8 free.
    expect(row.pod_ips_reserved).toBe(17);
  });

  test('hostNetwork must be a boolean', () => {
    let err: unknown;
    try {
      parseScenario('name: h\nduration: 1m\nnodePools: [{name: p}]\nworkload: [{at: 0, deploy: {name: a, pool: p, replicas: 1, hostNetwork: "yes"}}]\n', 'h.yaml');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CnisimError);
    expect((err as CnisimError).problems.map((p) => p.path)).toContain('workload[0].deploy.hostNetwork');
  });

  test('a deleted hostNetwork daemonset frees its slots', async () => {
    const r = await run(`
name: h4
duration: 5m
modes: [kubenet]
nodePools: [{name: p, count: 2, maxPods: 10}]
workload:
  - {at: 0, daemonset: {name: kube-proxy, hostNetwork: true}}
  - {at: 0, deploy: {name: web, pool: p, replicas: 20}}
  - {at: 2m, delete: {name: kube-proxy}}
`);
    const atStart = r.timeseries.find((x) => x.time_s === 60)!;
    expect(atStart.pods_running).toBe(20);
    expect(atStart.pods_unschedulable).toBe(2);
    const row = last(r.timeseries);
    expect(row.pods_running).toBe(20);
    expect(row.pod_ips_used).toBe(20);
    expect(row.pods_unschedulable).toBe(0);
  });
});
