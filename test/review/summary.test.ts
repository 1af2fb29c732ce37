/**
 * What a reviewer reads after `cnisim run` (issue 18, points 1, 2, 3 and 7), as they meet it: a scenario, the
 * command, then the console summary, summary.csv, timeseries.csv and events.csv.
 */
import { describe, expect, test } from 'vitest';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, tempDir } from '../cli/helpers.js';
import { humanSeconds } from '../../src/report/duration.js';
import { validateScenario } from '../../src/scenario/index.js';
import { simulate } from '../../src/sim/run.js';
import YAML from 'yaml';

const dir = tempDir('cnisim-review-');

type Row = Record<string, string>;

/** RFC 4180 rows (quoted fields may hold commas, quotes and newlines) as records keyed by the header. */
function parseCsv(text: string): Row[] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') (row.push(field), (field = ''));
    else if (ch === '\n') (row.push(field), rows.push(row), (row = []), (field = ''));
    else field += ch;
  }
  const [head, ...body] = rows;
  return body.map((r) => Object.fromEntries(head!.map((h, i) => [h, r[i] ?? ''])));
}
const csv = (out: string, file: string): Row[] => parseCsv(readFileSync(join(out, file), 'utf8'));

/** Runs a scenario file's text through `cnisim run`; returns the console output and the CSV files. */
async function run(name: string, yaml: string, ...flags: string[]) {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, yaml);
  const out = join(dir, `out-${name}`);
  const r = await cli('run', file, '--out', out, ...flags);
  // Only the validator's warnings may come before the run.
  expect(r.stderr.split('\n').filter((l) => l !== '' && !l.startsWith(`warning: ${file}:`))).toEqual([]);
  expect(r.code).toBe(0);
  return { stdout: r.stdout, summary: csv(out, 'summary.csv'), timeseries: csv(out, 'timeseries.csv'), events: csv(out, 'events.csv') };
}

/** The value of one labelled row of the console summary (first column). */
function consoleRow(stdout: string, label: string): string {
  const line = stdout.split('\n').find((l) => l.startsWith(label));
  if (line === undefined) throw new Error(`no row "${label}" in:\n${stdout}`);
  return line.slice(label.length).trim();
}

describe('pods still waiting at the end are said, not hidden', () => {
  test('grantLatency: 3000 is 3000 seconds: the pods that never got an address are counted and warned about', async () => {
    const r = await run('slow-grants', `
name: slow-grants
platform: azure
seed: 1
duration: 30m
sampleEvery: 5m
modes: [dynamic]
network: {nodeSubnet: 10.240.0.0/24, podSubnet: 10.241.0.0/20}
nodePools: [{name: user, count: 4, maxPods: 50}]
parameters: {dynamic: {grantLatency: 3000}}
workload:
  - {at: 1m, deploy: {name: web, pool: user, replicas: 200}}
`);
    const cluster = r.summary.find((s) => s.pool === '')!;
    // Each node starts with one batch of 16 (its first pods start at once); every later batch arrives after 50 min.
    expect(Number(cluster.pods_waiting_ip_end)).toBe(200 - 4 * 16);
    expect(Number(cluster.pods_started)).toBe(4 * 16);
    expect(r.stdout).toMatch(/warning: dynamic, cluster default: 136 pods still wait for an address at the end \(the IP wait percentiles count only pods that got one\)/);
    expect(consoleRow(r.stdout, 'pods waiting for IP at end')).toBe('136');
    // The last sample agrees with the summary.
    expect(r.timeseries[r.timeseries.length - 1]!.pods_waiting_ip).toBe('136');
  });
});

describe('upgrades: started, failed, with their pool; retried with the pool backoff whatever maxSurge is', () => {
  const scenario = (maxSurge: string) => `
name: surge-refused
platform: azure
seed: 1
duration: 2h
sampleEvery: 10m
modes: [azure]
network: {nodeSubnet: 10.240.0.0/24}
nodePools: [{name: user, count: 8, maxPods: 30}, {name: system, count: 1, maxPods: 10, nodeSubnet: 10.240.1.0/28}]
workload:
  - {at: 0, deploy: {name: app, pool: user, replicas: 200}}
  - {at: 10m, upgrade: {pool: user, maxSurge: ${maxSurge}, drain: 1m, boot: 3m}}
`;

  test('a /24 holds 8 nodes of 30 pods: every surge node is refused; the upgrade fails after 5 refused rounds, in every output', async () => {
    const r = await run('surge-1', scenario('1'));
    const cluster = r.summary.find((s) => s.pool === '')!;
    const user = r.summary.find((s) => s.pool === 'user')!;
    const system = r.summary.find((s) => s.pool === 'system')!;
    expect([cluster.upgrades_started, cluster.upgrades_failed]).toEqual(['1', '1']);
    expect([user.upgrades_started, user.upgrades_failed]).toEqual(['1', '1']);
    expect([system.upgrades_started, system.upgrades_failed]).toEqual(['0', '0']);
    const failed = r.events.filter((e) => e.event === 'upgrade-failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]!.pool).toBe('user');
    expect(failed[0]!.detail).toMatch(/refused 5 times in a row \(retried with the pool's backoff\); 8 old nodes of user not replaced/);
    // Five refusals, each after the previous retry's backoff (10 s doubling) and the surge node's 3m boot.
    const refusals = r.events.filter((e) => e.event === 'node-refused').map((e) => Number(e.time_s));
    expect(refusals).toEqual([780, 780 + 10 + 180, 970 + 20 + 180, 1170 + 40 + 180, 1390 + 80 + 180]);
    expect(Number(failed[0]!.time_s)).toBe(refusals[4]);
    expect(consoleRow(r.stdout, 'upgrades started / failed')).toBe('1 / 1');
    expect(r.stdout).toMatch(/warning: azure, node pool user: 1 of 1 upgrade\(s\) failed \(events\.csv: upgrade-failed\)/);
  });

  test('maxSurge 33% asks for 3 surge nodes at once: refused together they are one round, so it fails at the same time as maxSurge 1', async () => {
    const one = await run('surge-1b', scenario('1'));
    const pct = await run('surge-33', scenario('"33%"'));
    const at = (r: typeof one) => r.events.find((e) => e.event === 'upgrade-failed')!.time_s;
    expect(pct.events.find((e) => e.event === 'upgrade-started')!.detail).toMatch(/max surge 3/);
    expect(pct.events.filter((e) => e.event === 'node-refused' && e.time_s === '780')).toHaveLength(3);
    expect(at(pct)).toBe(at(one));
  });
});

describe('first exhaustion is a refusal of a space; a threshold crossing is reported as what it is', () => {
  test('dynamic on a shared /22: cluster a crosses the 95% scarcity threshold without a refusal; cluster b is refused', async () => {
    const r = await run('shared', readFileSync('scenarios/shared-pod-subnet.yaml', 'utf8'), '--modes', 'dynamic');
    const a = r.summary.find((s) => s.cluster === 'a' && s.pool === '')!;
    const b = r.summary.find((s) => s.cluster === 'b' && s.pool === '')!;
    expect([a.first_exhaustion_s, a.first_exhaustion_cause, a.refusals]).toEqual(['', '', '0']);
    // The control plane polls the subnet every 30 s (exhaustionPollInterval): the crossing is seen at a poll.
    expect([a.first_threshold_s, a.first_threshold_event]).toEqual(['1410', 'subnet-exhausted (pod-subnet-scarce)']);
    expect([b.first_exhaustion_s, b.first_exhaustion_cause, b.refusals_by_cause]).toEqual(['1384', 'pod-subnet-full', 'pod-subnet-full:8']);
    expect(r.stdout).toMatch(/first threshold crossed\s+23m 30s\s+23m 30s\n  event\s+subnet-exhausted\s+subnet-exhausted\n/);
    expect(r.stdout).toMatch(/first exhaustion\s+–\s+23m 4s\n  of\s+–\s+pod-subnet-full\n/);
  });

  test('refusals by cause: kubenet at its 400-node route limit is refused with node-limit, a limit, not an address space', async () => {
    const r = await run('k400', readFileSync('scenarios/kubenet-400.yaml', 'utf8'));
    const c = r.summary.find((s) => s.pool === '')!;
    expect([c.refusals, c.refusals_by_cause, c.first_exhaustion_cause]).toEqual(['156', 'node-limit:156', 'node-limit']);
    expect(consoleRow(r.stdout, 'refusals')).toBe('156');
    expect(consoleRow(r.stdout, '  by cause')).toBe('node-limit');
  });
});

describe('peaks are exact, like the maxima, not read at sample times', () => {
  test('a burst between two samples: 100 pods and 8 more nodes for one minute show in the peaks, not in the samples', async () => {
    const r = await run('burst', `
name: burst
platform: azure
seed: 1
duration: 20m
sampleEvery: 10m
modes: [overlay]
network: {nodeSubnet: 10.240.0.0/24, podCidr: 10.244.0.0/16}
nodePools: [{name: user, count: 2, maxPods: 110}]
workload:
  - {at: 1m, nodes: {pool: user, count: 10}}
  - {at: 1m, deploy: {name: burst, pool: user, replicas: 100}}
  - {at: 2m, delete: {name: burst}}
  - {at: 2m, nodes: {pool: user, count: 2}}
`);
    const c = r.summary.find((s) => s.pool === '')!;
    expect(r.timeseries.map((t) => t.pods_running)).toEqual(['0', '0', '0']);
    expect(r.timeseries.map((t) => t.pod_ips_reserved)).toEqual(['512', '512', '512']);
    // 100 pods of the /16's 65,536 addresses; 10 nodes × a /24 each.
    expect(Number(c.peak_utilization)).toBeCloseTo(100 / 65_536, 5);
    expect(Number(c.max_pod_ips_reserved)).toBe(10 * 256);
    expect(Number(c.peak_reserved_utilization)).toBeCloseTo(2560 / 65_536, 5);
    expect(consoleRow(r.stdout, 'peak utilization')).toBe('0.2%');
  });
});

describe('a row per node pool as well as per cluster', () => {
  test('three pools: summary.csv has the cluster row (pool empty) and one per pool; the console lists the pools', async () => {
    const r = await run('three-pools', `
name: three-pools
platform: azure
seed: 3
duration: 30m
sampleEvery: 5m
modes: [overlay, azure]
network: {nodeSubnet: 10.240.0.0/22}
nodePools:
  - {name: system, count: 2, maxPods: 30}
  - {name: web, count: 3, maxPods: 30, autoscaler: {minCount: 3, maxCount: 6}}
  - {name: batch, count: 2, maxPods: 30}
workload:
  - {at: 0, daemonset: {name: agent}}
  - {at: 1m, deploy: {name: front, pool: web, replicas: 150}}
  - {at: 1m, deploy: {name: jobs, pool: batch, replicas: 80}}
`);
    expect(r.summary.map((s) => `${s.mode}/${s.pool}`)).toEqual(['overlay/', 'overlay/system', 'overlay/web', 'overlay/batch', 'azure/', 'azure/system', 'azure/web', 'azure/batch']);
    for (const mode of ['overlay', 'azure']) {
      const rows = r.summary.filter((s) => s.mode === mode);
      const [cluster, ...pools] = rows;
      // Pods started and events add up; address-space figures are the cluster's only.
      expect(pools.reduce((n, p) => n + Number(p.pods_started), 0)).toBe(Number(cluster!.pods_started));
      for (const p of pools) expect([p.peak_utilization, p.max_pod_ips_reserved]).toEqual(['', '']);
      expect(cluster!.peak_utilization).not.toBe('');
    }
    // batch: 2 nodes × (30 − 1 daemonset pod) = 58 of 80 pods run; no autoscaler, so 22 have no room left.
    const batch = r.summary.find((s) => s.mode === 'overlay' && s.pool === 'batch')!;
    expect([batch.max_pods_running, batch.pods_unschedulable_end, batch.pods_no_room_max, batch.pods_waiting_node_max]).toEqual(['60', '22', '22', '0']);
    expect(r.stdout).toMatch(/^node pool\s+max nodes\s+max pods\s+unsched\. max \(node\/no room\)/m);
    expect(r.stdout).toMatch(/^overlay\/batch\s+2\s+60\s+22 \(0\/22\)\s+22\/0/m);
    expect(r.stdout).toMatch(/warning: overlay, cluster default: 22 pods still unschedulable at the end/);
  });
});

describe('unschedulable, split: waiting for a node the autoscaler brings, or no room left', () => {
  const yaml = (autoscaler: string) => `
name: split
platform: azure
seed: 1
duration: 30m
sampleEvery: 1m
modes: [overlay]
network: {nodeSubnet: 10.240.0.0/24}
nodePools: [{name: user, count: 2, maxPods: 50${autoscaler}}]
workload:
  - {at: 1m, deploy: {name: web, pool: user, replicas: 300}}
`;

  test('with an autoscaler up to 10 nodes, the 200 pods that wait are waiting for a node, none has no room', async () => {
    const r = await run('split-as', yaml(', autoscaler: {minCount: 2, maxCount: 10}'));
    const c = r.summary.find((s) => s.pool === '')!;
    expect([c.pods_unschedulable_max, c.pods_waiting_node_max, c.pods_no_room_max, c.pods_unschedulable_end]).toEqual(['200', '200', '0', '0']);
    const at2m = r.timeseries.find((t) => t.time_s === '120')!;
    expect([at2m.pods_unschedulable, at2m.pods_waiting_node, at2m.pods_no_room]).toEqual(['200', '200', '0']);
    expect(consoleRow(r.stdout, '  waiting for a node (max)')).toBe('200');
  });

  test('with no autoscaler the same 200 pods have no room left, to the end', async () => {
    const r = await run('split-fixed', yaml(''));
    const c = r.summary.find((s) => s.pool === '')!;
    expect([c.pods_unschedulable_max, c.pods_waiting_node_max, c.pods_no_room_max, c.pods_unschedulable_end]).toEqual(['200', '0', '200', '200']);
    for (const t of r.timeseries) expect(Number(t.pods_waiting_node) + Number(t.pods_no_room)).toBe(Number(t.pods_unschedulable));
    expect(consoleRow(r.stdout, '  no room left (max)')).toBe('200');
  });

  test('an autoscaler whose nodes are refused (node subnet full): the pods have no room, the autoscaler cannot bring it', async () => {
    const r = await run('split-refused', yaml(', autoscaler: {minCount: 2, maxCount: 10}').replace('10.240.0.0/24', '10.240.0.0/28').replace('modes: [overlay]', 'modes: [azure]'));
    const c = r.summary.find((s) => s.pool === '')!;
    // A /28 keeps 11 addresses: 2 nodes of 1 + 50 do not even fit; the first is refused at once.
    expect(Number(c.nodes_refused)).toBeGreaterThan(0);
    expect(Number(c.pods_no_room_max)).toBe(300);
  });
});

describe('durations read as durations', () => {
  test('the console prints 9m 33.279s where summary.csv keeps 573.279 in a _s column', async () => {
    const r = await run('aks-dynamic', readFileSync('scenarios/aks-modes.yaml', 'utf8'), '--modes', 'dynamic');
    const c = r.summary.find((s) => s.pool === '')!;
    expect(c.ip_wait_p99_s).toBe('573.279');
    expect(consoleRow(r.stdout, 'IP wait p99')).toBe('9m 33.279s');
    expect(c.first_exhaustion_s).toBe('4454');
    expect(consoleRow(r.stdout, 'first exhaustion')).toBe('1h 14m 14s');
    expect(consoleRow(r.stdout, '  of')).toBe('pod-subnet-full');
  });

  test.each([
    [0, '0s'], [0.25, '0.25s'], [1.5, '1.5s'], [60, '1m'], [1021.5, '17m 1.5s'], [3661, '1h 1m 1s'], [90061.001, '1d 1h 1m 1.001s'],
  ])('%d s → %s', (s, text) => {
    expect(humanSeconds(s)).toBe(text);
  });
});

describe('the summary through simulate() is the same as the files', () => {
  test('pool rows and cluster rows come from one run; same scenario and seed give byte-identical rows', async () => {
    const s = validateScenario(YAML.parse(readFileSync('scenarios/dynamic-upgrade.yaml', 'utf8')), 'dynamic-upgrade.yaml');
    const a = await simulate(s);
    const b = await simulate(s);
    expect(JSON.stringify(b.summary)).toBe(JSON.stringify(a.summary));
    expect(a.summary.filter((r) => r.pool !== '').map((r) => r.pool)).toEqual(['user', 'user']);
  });
});

describe('pool rows add up to their cluster row (every bundled scenario, from its golden summary)', () => {
  const goldens = readdirSync('test/golden').filter((f) => f.endsWith('.summary.csv'));
  test.each(goldens)('%s', (f) => {
    const rows = parseCsv(readFileSync(join('test/golden', f), 'utf8'));
    const clusters = rows.filter((r) => r.pool === '');
    expect(clusters.length).toBeGreaterThan(0);
    for (const c of clusters) {
      const pools = rows.filter((r) => r.pool !== '' && r.mode === c.mode && r.cluster === c.cluster);
      expect(pools.length).toBeGreaterThan(0);
      const sum = (k: string) => pools.reduce((n, p) => n + Number(p[k]), 0);
      for (const k of ['pods_started', 'nodes_refused', 'pods_unschedulable_end', 'pods_waiting_ip_end', 'upgrades_started', 'upgrades_failed']) {
        expect(sum(k), `${f} ${c.mode}/${c.cluster} ${k}`).toBe(Number(c[k]));
      }
      for (const k of ['max_nodes', 'max_pods_running', 'pods_unschedulable_max', 'pods_waiting_node_max', 'pods_no_room_max', 'pods_waiting_ip_max']) {
        for (const p of pools) expect(Number(p[k])).toBeLessThanOrEqual(Number(c[k]));
      }
      // Refusals of a pool are the cluster's refusals on that pool's nodes (allocator-wide ones have no pool).
      expect(sum('refusals')).toBeLessThanOrEqual(Number(c.refusals));
    }
  });
});

describe('pods that waited for an address and never got one are counted', () => {
  test('eks-warm-pool: 15 pods wait at once for an address (IP wait p99 0 s: none of them got one before the scale-down)', async () => {
    const r = await run('ekswait', readFileSync('scenarios/eks-warm-pool.yaml', 'utf8'));
    const c = r.summary.find((s) => s.pool === '')!;
    expect([c.pods_waiting_ip_max, c.pods_waiting_ip_end, c.ip_wait_p99_s]).toEqual(['15', '0', '0']);
    expect(consoleRow(r.stdout, 'pods waiting for IP (max)')).toBe('15');
  });
});
