/**
 * Lifecycle scenarios end with everything leaving: after the workload is deleted and every pool is scaled to zero,
 * every address space is empty again. Each run verifies the allocator contract after every event (`check`).
 */
import { describe, expect, test } from 'vitest';
import { join } from 'node:path';
import { loadScenario, validateScenario } from '../../src/scenario/index.js';
import { readScenarioFile } from '../../src/scenario/read.js';
import { simulate } from '../../src/sim/run.js';

const dir = join(import.meta.dirname, '..', '..', 'scenarios');
const LIFECYCLE = ['azure-upgrade-surge', 'dynamic-upgrade', 'kubenet-to-overlay', 'azure-to-overlay', 'shared-pod-subnet', 'dual-stack-overlay'];

type Raw = Record<string, unknown> & { workload?: Record<string, unknown>[]; nodePools?: { name: string }[]; clusters?: Raw[] };

/** The scenario with, near its end, every deployment deleted and every pool scaled to 0 nodes. */
function withEverythingLeaving(name: string) {
  const file = join(dir, `${name}.yaml`);
  const end = loadScenario(file).durationMs / 1000;
  const raw = readScenarioFile(file) as Raw;
  const teardown = (c: Raw) => {
    const deployments = (c.workload ?? []).flatMap((e) => ('deploy' in e ? [(e.deploy as { name: string }).name] : []));
    c.workload = [
      ...(c.workload ?? []),
      ...deployments.map((d) => ({ at: end - 600, delete: { name: d } })),
      ...(c.nodePools ?? []).map((p) => ({ at: end - 300, nodes: { pool: p.name, count: 0 } })),
    ];
  };
  if (raw.clusters) raw.clusters.forEach(teardown);
  else teardown(raw);
  return validateScenario(raw, file);
}

describe('after everything leaves, every pool is empty (checked after every event)', () => {
  test.each(LIFECYCLE)('%s', async (name) => {
    const scenario = withEverythingLeaving(name);
    const result = await simulate(scenario, { check: true });
    const finals = new Map<string, (typeof result.timeseries)[number]>();
    for (const row of result.timeseries) finals.set(`${row.mode}/${row.cluster}`, row);
    expect(finals.size).toBeGreaterThan(0);
    for (const [key, row] of finals) {
      expect({ key, nodes: row.nodes, node: row.node_ips_used, reserved: row.pod_ips_reserved, used: row.pod_ips_used, pods: row.pods_running, v6: row.pod6_ips_reserved })
        .toEqual({ key, nodes: 0, node: 0, reserved: 0, used: 0, pods: 0, v6: 0 });
    }
    // something happened before the teardown
    expect(Math.max(...result.timeseries.map((r) => r.pods_running))).toBeGreaterThan(0);
  });
});

describe('removePool', () => {
  test('evicted pods wait unschedulable, never re-placed on the pool\'s other doomed nodes (every pod started once)', async () => {
    const scenario = validateScenario({
      name: 'remove-pool', duration: '10m', sampleEvery: '1m', modes: ['azure', 'overlay'],
      network: { nodeSubnet: '10.240.0.0/24' },
      nodePools: [{ name: 'p', count: 3, maxPods: 30 }, { name: 'q', count: 1, maxPods: 30 }],
      workload: [{ at: 0, deploy: { name: 'a', pool: 'p', replicas: 60 } }, { at: '5m', removePool: { pool: 'p' } }],
    }, 'remove-pool.yaml');
    const result = await simulate(scenario, { check: true });
    for (const mode of ['azure', 'overlay']) {
      const last = result.timeseries.filter((r) => r.mode === mode).at(-1)!;
      expect({ mode, nodes: last.nodes, running: last.pods_running, unschedulable: last.pods_unschedulable }).toEqual({ mode, nodes: 1, running: 0, unschedulable: 60 });
      expect(result.summary.find((r) => r.mode === mode)!.pods_started).toBe(60);
    }
  });
});
