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

/** Runs an inline scenario (one pool `user`) with --check; returns its rows, summary and event names. */
async function runInline(name: string, modes: string[], pool: Record<string, unknown>, workload: Record<string, unknown>[], duration = '40m') {
  const scenario = validateScenario({ name, duration, sampleEvery: '10s', modes, nodePools: [{ name: 'user', ...pool }], workload }, `${name}.yaml`);
  const r = await simulate(scenario, { check: true });
  return { last: r.timeseries.at(-1)!, rows: r.timeseries, summary: r.summary[0]!, events: r.events.map((e) => e.event) };
}

describe('upgrades meet other changes', () => {
  test('old nodes removed by a scale-down need no replacement: the upgrade still ends, back to the desired count', async () => {
    const r = await runInline('upgrade-scale-down', ['overlay'], { count: 3, maxPods: 10 }, [
      { at: 0, deploy: { name: 'web', pool: 'user', replicas: 30 } },
      { at: 60, upgrade: { pool: 'user', maxSurge: 1, drain: '30s', boot: '3m' } },
      { at: 300, nodes: { pool: 'user', count: 1 } },
    ], '30m');
    expect(r.events).toEqual(['upgrade-started', 'upgrade-done']);
    expect({ nodes: r.last.nodes, surge: r.last.surge_nodes, running: r.last.pods_running, waiting: r.last.pods_unschedulable }).toEqual({ nodes: 1, surge: 0, running: 10, waiting: 20 });
  });

  test('old nodes removed by the autoscaler: the upgrade ends and a later one runs', async () => {
    const r = await runInline('upgrade-autoscaler', ['overlay'], { count: 3, maxPods: 10, autoscaler: { minCount: 1, maxCount: 3 } }, [
      { at: 60, upgrade: { pool: 'user', maxSurge: 1, drain: '30s', boot: '20m' } },
      { at: '50m', upgrade: { pool: 'user', maxSurge: 1, drain: '30s', boot: '1m' } },
    ], '60m');
    expect(r.events).toEqual(['upgrade-started', 'upgrade-done', 'upgrade-started', 'upgrade-done']);
    expect({ nodes: r.last.nodes, surge: r.last.surge_nodes }).toEqual({ nodes: 1, surge: 0 });
  });

  test('a migration during an upgrade completes it (every node is re-imaged) and the surge node goes', async () => {
    const r = await runInline('upgrade-migrate', ['kubenet'], { count: 3, maxPods: 10 }, [
      { at: 0, deploy: { name: 'web', pool: 'user', replicas: 30 } },
      { at: 60, upgrade: { pool: 'user', maxSurge: 1, drain: '30s', boot: '3m' } },
      { at: 250, migrate: { to: 'overlay' } },
    ]);
    expect(r.events).toEqual(['upgrade-started', 'upgrade-done', 'migrated']);
    expect({ nodes: r.last.nodes, surge: r.last.surge_nodes, running: r.last.pods_running }).toEqual({ nodes: 3, surge: 0, running: 30 });
  });
});

test('scaling down while nodes boot cancels the booting nodes first, not the running ones', async () => {
  const r = await runInline('cancel-booting', ['overlay', 'azure'], { count: 2, maxPods: 10, bootDelay: '5m' }, [
    { at: 0, deploy: { name: 'web', pool: 'user', replicas: 20 } },
    { at: 30, nodes: { pool: 'user', count: 5 } },
    { at: 60, nodes: { pool: 'user', count: 3 } },
  ], '10m');
  expect(r.rows.every((row) => row.pods_running === 20 && row.pods_unschedulable === 0)).toBe(true);
  expect(r.rows.find((row) => row.mode === 'azure' && row.time_s === 600)!.nodes).toBe(3); // one of the three booting nodes joins
  expect(r.summary.pods_started).toBe(20);
});

test('kubenet → overlay keeps kubenet\'s pod CIDR (a podCidr given to the migration is ignored, as the validator warns)', async () => {
  const scenario = validateScenario({
    name: 'kubenet-keeps', duration: '10m', sampleEvery: '1m', modes: ['kubenet'],
    network: { nodeSubnet: '10.240.0.0/22', podCidr: '10.244.0.0/16' },
    nodePools: [{ name: 'p', count: 3, maxPods: 30 }],
    workload: [
      { at: '10s', deploy: { name: 'a', pool: 'p', replicas: 60 } },
      { at: '2m', migrate: { to: 'overlay', podCidr: '100.64.0.0/22' } },
      { at: '4m', expandPodCidr: { podCidr: '10.244.0.0/15' } },
    ],
  }, 'kubenet-keeps.yaml');
  const r = await simulate(scenario, { check: true });
  expect(r.events.map((e) => e.detail)).toEqual(['kubenet → overlay over 10.244.0.0/16: 3 of 3 nodes re-imaged', 'pod CIDR expanded to 10.244.0.0/15']);
  expect(r.timeseries.find((x) => x.time_s === 180)!.pod_ips_capacity).toBe(65_536);
  expect(r.timeseries.find((x) => x.time_s === 300)!.pod_ips_capacity).toBe(131_072);
});

test('expandPodCidr asks again at once for nodes refused for lack of pod CIDR (after the provisioning delay, not the backoff)', async () => {
  const scenario = validateScenario({
    name: 'expand-resumes', duration: '20m', sampleEvery: '10s', modes: ['overlay'],
    network: { podCidr: '10.244.0.0/23' },
    nodePools: [{ name: 'user', count: 2, maxPods: 10, autoscaler: { minCount: 2, maxCount: 6 } }],
    workload: [
      { at: 0, deploy: { name: 'web', pool: 'user', replicas: 20 } },
      { at: 60, scale: { name: 'web', replicas: 50 } },
      { at: 600, expandPodCidr: { podCidr: '10.244.0.0/22' } },
    ],
  }, 'expand-resumes.yaml');
  const r = await simulate(scenario, { check: true });
  const at = (t: number) => r.timeseries.find((x) => x.time_s === t)!;
  expect(at(770).nodes).toBe(2);
  expect(at(780).nodes).toBe(4); // 600 s + 3 min provisioning; the /22 holds four /24s
  expect(at(780).pods_running).toBe(40);
});

describe('upgrades meet other changes (review findings)', () => {
  const yaml = (pools: Record<string, unknown>[], workload: Record<string, unknown>[], modes: string[], duration: string) => validateScenario({
    name: 'upgrade-review', seed: 1, duration, sampleEvery: '1m', modes,
    network: { nodeSubnet: '10.240.0.0/22', podCidr: '10.244.0.0/16' }, nodePools: pools, workload,
  }, 'upgrade-review.yaml');

  test('a scale-down below the old nodes left keeps a node running while the surge nodes boot', async () => {
    const r = await simulate(yaml([{ name: 'p', count: 2, maxPods: 30 }], [
      { at: 0, deploy: { name: 'a', pool: 'p', replicas: 30 } },
      { at: '10m', upgrade: { pool: 'p', maxSurge: 2, drain: '1m', boot: '5m' } },
      { at: '11m', nodes: { pool: 'p', count: 1 } },
    ], ['overlay'], '1h'), { check: true });
    expect(Math.min(...r.timeseries.map((x) => x.nodes))).toBe(1);
    expect(Math.max(...r.timeseries.map((x) => x.pods_unschedulable))).toBe(0);
    expect(r.events.map((e) => e.event)).toEqual(['upgrade-started', 'upgrade-done']);
  });

  test('a migration ending an upgrade cancels its booting surge nodes instead of removing running ones', async () => {
    const r = await simulate(yaml([{ name: 'p', count: 4, maxPods: 30 }], [
      { at: 0, deploy: { name: 'a', pool: 'p', replicas: 60 } },
      { at: '10m', upgrade: { pool: 'p', maxSurge: 2, drain: '5m', boot: '5m' } },
      { at: '12m', migrate: { to: 'overlay', podCidr: '10.244.0.0/16' } },
    ], ['azure'], '1h'), { check: true });
    expect(r.timeseries.filter((x) => x.time_s >= 720).every((x) => x.nodes === 4 && x.surge_nodes === 0)).toBe(true);
    expect(r.summary[0]!.pods_started).toBe(120); // 60, and 60 again after the re-image: nobody evicted twice
  });

  test('removing a pool during its upgrade cancels the upgrade and requests nothing for the deleted pool', async () => {
    const r = await simulate(yaml([{ name: 'sys', count: 1, maxPods: 30 }, { name: 'p', count: 4, maxPods: 30 }], [
      { at: 0, deploy: { name: 'a', pool: 'p', replicas: 60 } },
      { at: '10m', upgrade: { pool: 'p', maxSurge: 1, drain: '5m', boot: '2m' } },
      { at: '13m', removePool: { pool: 'p' } },
    ], ['overlay'], '1h'), { check: true });
    expect(r.events.map((e) => e.event)).toEqual(['upgrade-started', 'upgrade-cancelled', 'pool-removed']);
    expect(r.timeseries.at(-1)!.nodes).toBe(1);
  });

  test('a scale-up during an upgrade asks for the nodes the pods need, not one per surge node as well', async () => {
    const r = await simulate(yaml([{ name: 'p', count: 4, maxPods: 30, autoscaler: { minCount: 4, maxCount: 10 } }], [
      { at: 0, deploy: { name: 'a', pool: 'p', replicas: 120 } },
      { at: '10m', upgrade: { pool: 'p', maxSurge: 1, drain: '1m', boot: '3m' } },
      { at: '11m', scale: { name: 'a', replicas: 140 } },
    ], ['overlay'], '2h'), { check: true });
    expect(r.timeseries.filter((x) => x.time_s >= 1560).every((x) => x.nodes === 5)).toBe(true);
  });

  test('a failed upgrade leaves the pool at its count: nodes still draining go back into placement', async () => {
    const r = await simulate(validateScenario({
      name: 'upgrade-fails', seed: 1, duration: '3h', sampleEvery: '1m', modes: ['azure'],
      network: { nodeSubnet: '10.240.0.0/24' }, nodePools: [{ name: 'user', count: 7, maxPods: 30 }],
      workload: [{ at: 0, deploy: { name: 'app', pool: 'user', replicas: 200 } }, { at: '10m', upgrade: { pool: 'user', maxSurge: 2, drain: '1h', boot: '3m' } }],
    }, 'upgrade-fails.yaml'), { check: true });
    expect(r.events.map((e) => e.event)).toContain('upgrade-failed');
    const last = r.timeseries.at(-1)!;
    expect([last.nodes, last.pods_running, last.pods_unschedulable]).toEqual([7, 200, 0]);
  });
});
