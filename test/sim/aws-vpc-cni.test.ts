/**
 * The Amazon VPC CNI modes through scenarios (file → validation → world → allocator → CSV rows): the worked numbers
 * of ipamd's warm pool and the max-pods "+ 2" as a user sees them. The bundled eks-* scenarios run with --check.
 */
import { describe, expect, test } from 'vitest';
import { parseScenario } from '../../src/scenario/index.js';
import { simulate, type SimulationResult } from '../../src/sim/run.js';

async function run(yaml: string): Promise<SimulationResult> {
  return simulate(parseScenario(yaml, 'aws.yaml'));
}

function last<T>(rows: readonly T[]): T {
  return rows[rows.length - 1]!;
}

describe('aws-vpc-cni through simulate() [ipamd, calculator]', () => {
  test('a full m5.large schedules 29 pods (the default max-pods): 27 get addresses, 2 wait for one', async () => {
    const r = await run(`
name: full
duration: 5m
modes: [aws-vpc-cni]
network: {nodeSubnet: 192.168.0.0/24}
nodePools: [{name: p, count: 1, instanceType: m5.large}]
workload:
  - {at: 10s, deploy: {name: a, pool: p, replicas: 29}}
`);
    const row = last(r.timeseries);
    expect([row.pods_running, row.pods_waiting_ip, row.pods_unschedulable]).toEqual([27, 2, 0]);
    expect([row.node_ips_used, row.pod_ips_reserved]).toEqual([30, 27]);
  });

  test('10 pods a node → 3 ENIs, 30 subnet addresses; back to 1 pod → 2 ENIs, 20', async () => {
    const r = await run(`
name: warm
duration: 10m
sampleEvery: 10s
modes: [aws-vpc-cni]
network: {nodeSubnet: 192.168.0.0/24}
nodePools: [{name: p, count: 4, instanceType: m5.large}]
workload:
  - {at: 10s, deploy: {name: a, pool: p, replicas: 40}}
  - {at: 3m, scale: {name: a, replicas: 4}}
`);
    const at = (s: number) => r.timeseries.find((x) => x.time_s === s)!;
    expect([at(170).node_ips_used, at(170).pod_ips_reserved]).toEqual([120, 108]);
    expect([last(r.timeseries).node_ips_used, last(r.timeseries).pod_ips_reserved]).toEqual([80, 72]);
  });

  test('prefix mode, m5.large: 108 pods → 7 prefixes (112 addresses); max-pods defaults to 110', async () => {
    const r = await run(`
name: pd
duration: 10m
modes: [aws-vpc-cni-prefix]
network: {nodeSubnet: 192.168.0.0/24}
nodePools: [{name: p, count: 1, instanceType: m5.large}]
workload:
  - {at: 10s, deploy: {name: a, pool: p, replicas: 108}}
`);
    const row = last(r.timeseries);
    expect([row.pods_running, row.pod_ips_reserved, row.node_ips_used]).toEqual([108, 112, 113]);
  });

  test('an unknown instance type is refused at load, naming close matches', () => {
    expect(() => parseScenario(`
name: bad
modes: [aws-vpc-cni]
network: {nodeSubnet: 192.168.0.0/24}
nodePools: [{name: p, count: 1, instanceType: m5.lrage}]
`, 'bad.yaml')).toThrow(/nodePools\[0\]\.instanceType: unknown instance type "m5\.lrage".*m5\.large/);
  });
});

describe('custom networking through simulate() [custom-net-doc]', () => {
  test('pod ENIs draw from the pool\'s pod subnet; the node subnet holds the node addresses only', async () => {
    const r = await run(`
name: custom
duration: 5m
platform: aws
modes: [aws-vpc-cni]
parameters: {aws-vpc-cni: {customNetworking: true}}
network: {nodeSubnet: 192.168.0.0/24, podSubnet: 100.64.0.0/20}
nodePools: [{name: p, count: 2, instanceType: m5.large, maxPods: 20}]
workload:
  - {at: 10s, deploy: {name: a, pool: p, replicas: 20}}
`);
    const row = last(r.timeseries);
    expect([row.pods_running, row.node_ips_used, row.pod_ips_reserved]).toEqual([20, 2, 36]);
  });

  test('with custom networking an m5.large defaults to max-pods 20, (3 − 1) × (10 − 1) + 2: a node full at 20 pods, 18 with addresses', async () => {
    const r = await run(`
name: custom-default
duration: 5m
platform: aws
modes: [aws-vpc-cni]
parameters: {aws-vpc-cni: {customNetworking: true}}
network: {nodeSubnet: 192.168.0.0/24, podSubnet: 100.64.0.0/20}
nodePools: [{name: p, count: 1, instanceType: m5.large}]
workload:
  - {at: 10s, deploy: {name: a, pool: p, replicas: 25}}
`);
    const row = last(r.timeseries);
    // 20 pods fit the node: 18 get the pod ENIs' addresses, 2 (the calculator's host-network allowance) wait; 5 find no room.
    expect([row.pods_running, row.pods_waiting_ip, row.pods_unschedulable]).toEqual([18, 2, 5]);
  });
});
