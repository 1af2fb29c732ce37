/**
 * Generated timelines that mix every workload entry (deploy, scale, delete, daemonsets, churn, node counts,
 * upgrades, migrations, pod CIDR expansion, pools added and removed) on small clusters of every mode, run with
 * --check: the world's bookkeeping and the allocator contract are verified after every event, and a second run
 * must give the same rows. Scenarios the validator refuses are skipped (a share of them is expected).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MODE_NAMES } from '../../src/alloc/registry.js';
import { CnisimError } from '../../src/errors.js';
import { validateScenario, type Scenario } from '../../src/scenario/index.js';
import { simulate } from '../../src/sim/run.js';

const RUNS = Number(process.env['CNISIM_LIFECYCLE_RUNS'] ?? 300);
const at = fc.integer({ min: 1, max: 1800 });
const name = fc.constantFrom('web', 'api', 'agent');
const pool = fc.constantFrom('p0', 'p0', 'p1');
const w = <T>(weight: number, arbitrary: fc.Arbitrary<T>) => ({ weight, arbitrary });

const event = fc.oneof(
  w(1, fc.record({ at, deploy: fc.record({ name: fc.constant('batch'), pool, replicas: fc.integer({ min: 0, max: 60 }) }) })),
  w(3, fc.record({ at, scale: fc.record({ name: fc.constantFrom('web', 'api'), replicas: fc.integer({ min: 0, max: 60 }) }) })),
  w(1, fc.record({ at, delete: fc.record({ name }) })),
  w(2, fc.tuple(at, fc.integer({ min: 60, max: 900 }), pool, fc.constantFrom(0.05, 0.2, 1), fc.constantFrom(30, 300))
    .map(([from, span, p, rate, life]) => ({ from, to: from + span, churn: { pool: p, ratePerSecond: rate, lifetime: life } }))),
  w(3, fc.record({ at, nodes: fc.record({ pool, count: fc.integer({ min: 0, max: 6 }) }) })),
  w(3, fc.record({ at, upgrade: fc.record({ pool, maxSurge: fc.constantFrom(1, 2, '50%'), drain: fc.constantFrom(10, 60), boot: fc.constantFrom(30, 120) }, { requiredKeys: ['pool'] }) })),
  w(1, fc.record({ at, migrate: fc.record({ to: fc.constant('overlay'), podCidr: fc.constant('192.168.0.0/16') }) })),
  w(1, fc.record({ at, expandPodCidr: fc.record({ podCidr: fc.constant('10.244.0.0/21') }) })),
  w(1, fc.record({ at, addPool: fc.record({ name: fc.constant('p2'), count: fc.integer({ min: 0, max: 4 }), maxPods: fc.constant(20) }) })),
  w(1, fc.record({ at, removePool: fc.record({ pool }) })),
);

const scenario = fc.record({
  name: fc.constant('lifecycle-fuzz'),
  seed: fc.integer({ min: 0, max: 1000 }),
  duration: fc.constant('40m'),
  sampleEvery: fc.constant('1m'),
  modes: fc.subarray([...MODE_NAMES], { minLength: 1, maxLength: 2 }),
  placement: fc.constantFrom('spread', 'pack'),
  network: fc.constant({ nodeSubnet: '10.240.0.0/22', podSubnet: '10.241.0.0/22', podCidr: '10.244.0.0/22' }),
  nodePools: fc.tuple(
    fc.record({ name: fc.constant('p0'), count: fc.integer({ min: 1, max: 4 }), maxPods: fc.constantFrom(10, 20, 30) }),
    fc.record({
      name: fc.constant('p1'), count: fc.integer({ min: 0, max: 3 }), maxPods: fc.constantFrom(10, 30),
      autoscaler: fc.constant({ minCount: 0, maxCount: 5, provisionDelay: '1m', scaleDownDelay: '2m' }),
    }),
  ),
  // Two deployments and a daemonset from the start, then the generated entries (scale and delete name them).
  workload: fc.tuple(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 40 }), fc.array(event, { minLength: 1, maxLength: 7 })).map(([web, api, rest]) => [
    { at: 0, deploy: { name: 'web', pool: 'p0', replicas: web } },
    { at: 0, deploy: { name: 'api', pool: 'p1', replicas: api } },
    { at: 0, daemonset: { name: 'agent' } },
    ...rest,
  ]),
});

function valid(raw: unknown): Scenario | null {
  try {
    return validateScenario(raw, 'lifecycle-fuzz.yaml');
  } catch (err) {
    if (err instanceof CnisimError && err.code === 'input') return null;
    throw err;
  }
}

describe('generated lifecycles', () => {
  it(`${RUNS} timelines: every event keeps the bookkeeping (--check), and a second run gives the same rows`, async () => {
    let ran = 0;
    await fc.assert(
      fc.asyncProperty(scenario, async (raw) => {
        const s = valid(raw);
        if (s === null) return;
        ran++;
        const a = await simulate(s, { check: true });
        const b = await simulate(s);
        expect(b.timeseries).toEqual(a.timeseries);
        expect(b.summary).toEqual(a.summary);
        // Every running pod holds an address of the space pods draw from.
        for (const row of a.timeseries) expect(row.pods_running).toBeLessThanOrEqual(row.pod_ips_used);
      }),
      { numRuns: RUNS, seed: 20261123 },
    );
    expect(ran).toBeGreaterThan(RUNS / 2); // most generated timelines are valid, or the property proves little
  }, 120_000);
});
