/** Placement (spread / pack) and the autoscaler, observed through scenarios. */
import { expect, test } from 'vitest';
import { parseScenario } from '../../src/scenario/index.js';
import { simulate } from '../../src/sim/run.js';

/** 10 nodes of 30 under an autoscaler (2–10), 50 replicas; `before` adds workload entries ahead of the deployment. */
const cluster = (placement: string, opts: { modes?: string; nodeSubnet?: string; before?: string } = {}) => `
name: placement
duration: 40m
sampleEvery: 10s
modes: [${opts.modes ?? 'overlay'}]
placement: ${placement}
network: {nodeSubnet: ${opts.nodeSubnet ?? '10.240.0.0/24'}}
nodePools:
  - name: p
    count: 10
    maxPods: 30
    autoscaler: {minCount: 2, maxCount: 10, provisionDelay: 3m, scaleDownDelay: 10m}
workload:${opts.before ?? ''}
  - {at: 0, deploy: {name: a, pool: p, replicas: 50}}
`;
test('spread keeps every node busy; pack fills nodes one by one so the autoscaler removes the idle ones', async () => {
  const spread = await simulate(parseScenario(cluster('spread'), 'spread.yaml'));
  const pack = await simulate(parseScenario(cluster('pack'), 'pack.yaml'));
  const last = (r: typeof spread) => r.timeseries[r.timeseries.length - 1]!;
  expect(last(spread).nodes).toBe(10); // 5 pods on each node: none idle
  expect(last(pack).nodes).toBe(2); // 30 + 20 pods: 8 idle nodes removed down to... 2 busy ones
  expect(last(pack).pods_running).toBe(50);
  // idle nodes go only after the scale-down delay (10 min, looked at every 10 s)
  expect(pack.timeseries.find((r) => r.time_s === 590)!.nodes).toBe(10);
  expect(pack.timeseries.find((r) => r.time_s === 620)!.nodes).toBe(2);
});

test('the autoscaler adds nodes for unschedulable pods after the provisioning delay, up to maxCount', async () => {
  const r = await simulate(parseScenario(`
name: scale-up
duration: 20m
sampleEvery: 10s
modes: [overlay]
network: {nodeSubnet: 10.240.0.0/24}
nodePools:
  - name: p
    count: 2
    maxPods: 30
    autoscaler: {minCount: 2, maxCount: 5, provisionDelay: 3m, scaleDownDelay: 10m}
workload:
  - {at: 0, deploy: {name: a, pool: p, replicas: 200}}
`, 'up.yaml'));
  const at = (t: number) => r.timeseries.find((x) => x.time_s === t)!;
  expect(at(0).nodes).toBe(2);
  expect(at(0).pods_unschedulable).toBe(140);
  expect(at(180).nodes).toBe(2); // first look at 10 s, nodes join 3 min later
  expect(at(190).nodes).toBe(5); // capped at maxCount
  expect(at(190).pods_running).toBe(150);
  expect(at(190).pods_unschedulable).toBe(50);
  expect(r.summary[0]!.max_nodes).toBe(5);
});

test('a daemonset puts exactly one pod on every ready node, however many pods the nodes already hold', async () => {
  const r = await simulate(parseScenario(`
name: daemonsets
duration: 5m
sampleEvery: 1m
modes: [overlay, azure]
network: {nodeSubnet: 10.240.0.0/24}
nodePools:
  - {name: p, count: 3, maxPods: 30}
workload:
  - {at: 0, deploy: {name: a, pool: p, replicas: 4}}
  - {at: 90s, daemonset: {name: agent}}
  - {at: 150s, daemonset: {name: logs, pool: p}}
`, 'daemonsets.yaml'));
  for (const mode of ['overlay', 'azure']) {
    const at = (s: number) => r.timeseries.find((row) => row.mode === mode && row.time_s === s)!.pods_running;
    expect(at(60)).toBe(4); // 2 + 1 + 1 pods: the nodes sit at different counts
    expect(at(120)).toBe(4 + 3); // one agent per node, not one per count a node passes through
    expect(at(180)).toBe(4 + 3 + 3);
  }
});

test('daemonset pods come back on nodes re-imaged by a migration, and on nodes that join later', async () => {
  const r = await simulate(parseScenario(`
name: daemonsets-migrate
duration: 2h
sampleEvery: 1m
modes: [azure]
network: {vnetCidr: 10.224.0.0/12, nodeSubnet: 10.224.0.0/22}
nodePools:
  - {name: p, count: 4, maxPods: 30}
workload:
  - {at: 0, deploy: {name: a, pool: p, replicas: 20}}
  - {at: 1m, daemonset: {name: agent}}
  - {at: 30m, nodes: {pool: p, count: 6}}
  - {at: 1h, migrate: {to: overlay, podCidr: 192.168.0.0/16}}
`, 'daemonsets-migrate.yaml'));
  const at = (s: number) => r.timeseries.find((row) => row.time_s === s)!;
  expect(at(120).pods_running).toBe(20 + 4);
  expect(at(31 * 60).nodes).toBe(6);
  expect(at(31 * 60).pods_running).toBe(20 + 6); // the two new nodes got theirs at join
  expect(r.events.some((e) => e.event === 'migrated' && e.detail.includes('6 of 6 nodes'))).toBe(true);
  expect(at(61 * 60).pods_running).toBe(20 + 6); // every re-imaged node runs its agent again
});

test('deleting a daemonset deletes its pods everywhere and new nodes get none; a new one of the same name starts afresh', async () => {
  const r = await simulate(parseScenario(`
name: daemonsets-delete
duration: 20m
sampleEvery: 1m
modes: [overlay, dynamic]
network: {nodeSubnet: 10.240.0.0/24, podSubnet: 10.241.0.0/16}
nodePools:
  - {name: p, count: 3, maxPods: 30}
  - {name: q, count: 2, maxPods: 30}
workload:
  - {at: 0, deploy: {name: a, pool: p, replicas: 10}}
  - {at: 1m, daemonset: {name: agent}}
  - {at: 1m, daemonset: {name: logs, pool: q}}
  - {at: 5m, delete: {name: agent}}
  - {at: 6m, nodes: {pool: p, count: 4}}
  - {at: 10m, daemonset: {name: agent, pool: p}}
  - {at: 15m, delete: {name: logs}}
`, 'daemonsets-delete.yaml'));
  for (const mode of ['overlay', 'dynamic']) {
    const at = (s: number) => r.timeseries.find((row) => row.mode === mode && row.time_s === s)!;
    expect(at(2 * 60).pods_running).toBe(10 + 5 + 2); // agent on all 5 nodes, logs on q's 2
    expect(at(5 * 60).pods_running).toBe(10 + 2);
    expect(at(7 * 60).nodes).toBe(6);
    expect(at(7 * 60).pods_running).toBe(10 + 2); // the new node gets no deleted agent
    expect(at(11 * 60).pods_running).toBe(10 + 2 + 4); // the new agent: p's 4 nodes only
    expect(at(16 * 60).pods_running).toBe(10 + 4);
  }
});

test('daemonset pods do not keep a node: the autoscaler removes nodes that hold nothing else (checked after every event)', async () => {
  const r = await simulate(parseScenario(cluster('pack', {
    modes: 'overlay, azure', nodeSubnet: '10.240.0.0/22',
    before: '\n  - {at: 0, daemonset: {name: agent}}\n  - {at: 0, daemonset: {name: logs, pool: p}}',
  }), 'ds-down.yaml'), { check: true });
  for (const mode of ['overlay', 'azure']) {
    const at = (t: number) => r.timeseries.find((x) => x.mode === mode && x.time_s === t)!;
    // pack: 28 + 22 workload pods on two nodes beside their 2 agents each; the other 8 hold only their 2 agents
    expect(at(60).pods_running).toBe(50 + 2 * 10);
    expect(at(590).nodes).toBe(10);
    expect(at(620).nodes).toBe(2);
    expect(at(620).pods_running).toBe(50 + 2 * 2);
  }
});

test('the peak of unschedulable pods counts peaks between samples (churn on a full node), not pods a deploy places at once', async () => {
  /** One node of 10 pods, sampled every minute for 2 minutes. */
  const oneNode = (name: string, workload: string) => parseScenario(`
name: ${name}
duration: 2m
sampleEvery: 1m
modes: [overlay]
network: {nodeSubnet: 10.240.0.0/24}
nodePools:
  - {name: user, count: 1, maxPods: 10}
workload:
${workload}
`, `${name}.yaml`);
  const r = await simulate(oneNode('peak-unschedulable', `
  - {at: 0, deploy: {name: web, pool: user, replicas: 10}}
  - {from: 1, to: 30, churn: {pool: user, ratePerSecond: 2, lifetime: 5s}}`));
  expect(Math.max(...r.timeseries.map((x) => x.pods_unschedulable))).toBe(0); // the samples at 0, 60, 120 s see none
  // churn pods queue behind the full node and leave unplaced after their 5 s lifetime: up to 15 wait at once
  expect(r.summary[0]!.pods_unschedulable_max).toBe(15);
  const placedAtOnce = await simulate(oneNode('deploy-fits', `
  - {at: 30s, deploy: {name: web, pool: user, replicas: 10}}`));
  expect(placedAtOnce.summary[0]!.pods_unschedulable_max).toBe(0);
});

test('autoscaler sizing: a new node has room for maxPods less its daemonset pods; an upgrade\'s surge nodes add no room', async () => {
  const run = async (yaml: string) => (await simulate(parseScenario(yaml, 'sizing.yaml'), { check: true })).timeseries;
  const lastWaiting = (rows: readonly { time_s: number; pods_unschedulable: number }[]) => Math.max(...rows.filter((x) => x.pods_unschedulable > 0).map((x) => x.time_s));
  // 1 node of 10 (9 + its agent); 10 more pods need 2 nodes of 9: both asked at the 60 s tick, joined at 240 s.
  const ds = await run(`
name: sizing-daemonsets
duration: 15m
sampleEvery: 10s
modes: [overlay]
nodePools:
  - {name: user, count: 1, maxPods: 10, autoscaler: {minCount: 1, maxCount: 5}}
workload:
  - {at: 0, daemonset: {name: agent}}
  - {at: 0, deploy: {name: web, pool: user, replicas: 9}}
  - {at: 60, scale: {name: web, replicas: 19}}
`);
  expect(lastWaiting(ds)).toBe(230);
  expect(ds.find((x) => x.time_s === 240)!.nodes).toBe(3);
  // During an upgrade (a surge node booting), 5 more pods get a node of their own, asked at the 250 s tick (joined
  // 430 s); the pods of the old node drained at 270 s wait for the next surge node (450 s). Counting the surge node
  // as room, the scale-up came only after the upgrade (pods waited until 870 s).
  const up = await run(`
name: sizing-surge
duration: 40m
sampleEvery: 10s
modes: [overlay]
nodePools:
  - {name: user, count: 3, maxPods: 10, autoscaler: {minCount: 3, maxCount: 10}}
workload:
  - {at: 0, deploy: {name: web, pool: user, replicas: 30}}
  - {at: 60, upgrade: {pool: user, maxSurge: 1, drain: 30s, boot: 3m}}
  - {at: 245, scale: {name: web, replicas: 35}}
`);
  expect(lastWaiting(up)).toBe(440);
});

test('a scale-down deletes pods not yet on a node first, then the newest (as the ReplicaSet controller ranks them)', async () => {
  const r = await simulate(parseScenario(`
name: scale-down-order
duration: 3m
sampleEvery: 10s
modes: [overlay]
nodePools:
  - {name: user, count: 2, maxPods: 10}
workload:
  - {at: 0, deploy: {name: web, pool: user, replicas: 30}}
  - {at: 60, nodes: {pool: user, count: 1}}
  - {at: 120, scale: {name: web, replicas: 10}}
`, 'scale-down-order.yaml'), { check: true });
  const at = (t: number) => r.timeseries.find((x) => x.time_s === t)!;
  expect([at(60).pods_running, at(60).pods_unschedulable]).toEqual([10, 20]);
  expect([at(120).pods_running, at(120).pods_unschedulable]).toEqual([10, 0]);
  expect(r.summary[0]!.pods_started).toBe(20); // the 10 running pods stay: no pod deleted to start a queued one
});
