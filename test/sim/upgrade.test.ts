/** Upgrades with surge: maxSurge as a count or a percentage of the pool; every old node replaced; pods rescheduled. */
import { expect, test } from 'vitest';
import { parseScenario } from '../../src/scenario/index.js';
import { simulate } from '../../src/sim/run.js';

const upgrade = (maxSurge: string) => `
name: upgrade
duration: 2h
sampleEvery: 10s
modes: [overlay]
network: {nodeSubnet: 10.240.0.0/24}
nodePools: [{name: p, count: 9, maxPods: 30}]
workload:
  - {at: 0, deploy: {name: a, pool: p, replicas: 180}}
  - {at: 10m, upgrade: {pool: p, maxSurge: ${maxSurge}, drain: 1m, boot: 2m}}
`;

test.each([
  ['1', 1],
  ['"33%"', 3],
  ['"50%"', 5],
])('maxSurge %s: %i surge nodes at a time, all 9 replaced, every pod running again', async (surge, expected) => {
  const r = await simulate(parseScenario(upgrade(surge), 'upgrade.yaml'), { check: true });
  expect(Math.max(...r.timeseries.map((x) => x.surge_nodes))).toBe(expected);
  expect(r.summary[0]!.max_nodes).toBe(9 + expected);
  const done = r.events.find((e) => e.event === 'upgrade-done');
  expect(done).toBeDefined();
  const last = r.timeseries[r.timeseries.length - 1]!;
  expect(last.nodes).toBe(9);
  expect(last.pods_running).toBe(180);
  // every pod was rescheduled once: 180 at the start + 180 after their nodes were drained
  expect(r.summary[0]!.pods_started).toBe(360);
});

test('a larger surge finishes sooner', async () => {
  const end = async (surge: string) => {
    const r = await simulate(parseScenario(upgrade(surge), 'upgrade.yaml'));
    return r.events.find((e) => e.event === 'upgrade-done')!.time_s;
  };
  const one = await end('1');
  const half = await end('"50%"');
  expect(half).toBeLessThan(one);
  expect(one).toBe(600 + 9 * 180); // 9 rounds of boot 2 min + drain 1 min, one at a time
});
