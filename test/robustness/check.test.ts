/**
 * --check (issue 8): every bundled scenario runs with the invariant checks on and passes; the checks catch an
 * injected fault (a miscounting allocator, a leaked address, a broken pod count, a VNet count adrift, a double
 * free), the run then exits 1 naming the event and the time, and no results are written.
 */
import { afterAll, afterEach, describe, expect, test } from 'vitest';
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, entries, ROOT, STACK_LINE, tempDir } from '../cli/helpers.js';
import { checkSeam } from '../../src/sim/check.js';
import { loadScenario } from '../../src/scenario/index.js';
import { simulate } from '../../src/sim/run.js';
import { estimateRun } from '../../src/sim/estimate.js';
import type { Allocator, Gauges } from '../../src/alloc/types.js';
import type { World } from '../../src/sim/world.js';

const dir = tempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  checkSeam.afterEvent = null;
});

const scenarios = readdirSync(join(ROOT, 'scenarios')).filter((f) => f.endsWith('.yaml')).sort();

describe('every bundled scenario passes --check', () => {
  test.each(scenarios)('%s', async (file) => {
    const scenario = loadScenario(join(ROOT, 'scenarios', file));
    let checked = 0;
    checkSeam.afterEvent = () => {
      checked++;
    };
    const plain = await simulate(scenario);
    expect(checked).toBe(0); // no checks without --check
    const result = await simulate(scenario, { check: true });
    expect(checked).toBe(result.eventsProcessed); // after every event
    // The checks observe; they change nothing.
    expect(result.summary).toEqual(plain.summary);
    expect(result.timeseries.length).toBe(plain.timeseries.length);
    // The estimate that guards --max-events does not undercount this run.
    expect(estimateRun(scenario).events).toBeGreaterThanOrEqual(result.eventsProcessed * 0.5);
  });
});

const SMALL = `name: small
duration: 20m
sampleEvery: 1m
modes: [overlay]
network: {nodeSubnet: 10.240.0.0/22}
nodePools:
  - {name: user, count: 3, maxPods: 30, autoscaler: {minCount: 1, maxCount: 6}}
workload:
  - at: 0
    deploy: {name: web, pool: user, replicas: 60}
  - {from: 1m, to: 15m, churn: {pool: user, ratePerSecond: 0.5, lifetime: 2m}}
`;
const small = join(dir, 'small.yaml');
writeFileSync(small, SMALL);

/** Wraps the cluster's allocator once, after `after` events, with `fault` overriding some of its methods. */
function injectAt(after: number, fault: (inner: Allocator) => Partial<Allocator>): void {
  let n = 0;
  checkSeam.afterEvent = (w: World) => {
    if (++n !== after) return;
    const inner = w.clusters[0]!.alloc;
    const o = fault(inner);
    w.clusters[0]!.alloc = {
      mode: inner.mode,
      nodeJoin: o.nodeJoin ?? ((node, pool) => inner.nodeJoin(node, pool)),
      nodeLeave: o.nodeLeave ?? ((node) => inner.nodeLeave(node)),
      podAdd: o.podAdd ?? ((pod, node) => inner.podAdd(pod, node)),
      podRelease: o.podRelease ?? ((pod, node, h) => inner.podRelease(pod, node, h)),
      address: (node, h) => inner.address(node, h),
      gauges: o.gauges ?? ((g) => inner.gauges(g)),
      recount: o.recount ?? ((g) => inner.recount(g)),
    };
  };
}

async function expectInvariantFailure(message: RegExp): Promise<void> {
  const out = join(dir, 'out');
  writeFileSync(join(dir, 'keep.txt'), 'x');
  const r = await cli('run', small, '--out', out, '--check', '--quiet');
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(/^cnisim: internal error: /);
  expect(r.stderr).toMatch(/(after event #\d+ \w+\(\d+\)|at a sample) at t=[\d.]+s \(mode overlay\)/);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).toMatch(/no results were written/);
  expect(r.stderr).not.toMatch(STACK_LINE);
  expect(entries(out)).toEqual([]);
}

describe('an injected fault is caught: exit 1 naming the event and time, nothing written', () => {
  test('the sanity run passes with --check', async () => {
    const r = await cli('run', small, '--out', join(dir, 'ok'), '--check', '--quiet');
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  test('an allocator whose gauges miscount used addresses', async () => {
    injectAt(40, (inner) => ({ gauges: (g: Gauges) => (inner.gauges(g), (g.podIpsUsed += 1)) }));
    await expectInvariantFailure(/pods running but \d+ pod addresses used|gauge podIpsUsed is \d+ but a recount/);
  });

  test('an allocator that keeps an address it was told to release (a leak)', async () => {
    let leaked = false;
    injectAt(10, (inner) => ({
      podRelease: (pod, node, h) => {
        if (!leaked && h >= 0) {
          leaked = true;
          return;
        }
        inner.podRelease(pod, node, h);
      },
    }));
    await expectInvariantFailure(/pods running but \d+ pod addresses used/);
  });

  test('a recount that disagrees with the incremental gauges (only the full recount sees it)', async () => {
    injectAt(5, (inner) => ({ recount: (g: Gauges) => (inner.recount(g), (g.podIpsReserved += 256)) }));
    await expectInvariantFailure(/gauge podIpsReserved is \d+ but a recount of the overlay allocator gives \d+/);
  });

  test('the world losing count of its pods', async () => {
    let n = 0;
    checkSeam.afterEvent = (w) => {
      if (++n === 30) w.clusters[0]!.counters.podsUnschedulable++;
    };
    await expectInvariantFailure(/pods unschedulable but \d+ queued in its pools/);
  });

  test("a VNet's shared count that drifts from its clusters' vnet_ips_used", async () => {
    let n = 0;
    checkSeam.afterEvent = (w) => {
      if (++n === 20) w.spaces.allBudgets()[0]!.used++;
    };
    await expectInvariantFailure(/VNet the VNet: \d+ addresses count against its limit, but its clusters' vnet_ips_used add up to \d+/);
  });

  test('an address freed twice: the pool throws and the error names the event', async () => {
    const shrink = join(dir, 'shrink.yaml');
    writeFileSync(shrink, `duration: 10m\nmodes: [overlay]\nnetwork: {nodeSubnet: 10.240.0.0/22}\nnodePools: [{name: user, count: 3}]\nworkload:\n  - {at: 5m, nodes: {pool: user, count: 2}}\n`);
    injectAt(1, (inner) => ({
      nodeLeave: (node) => {
        inner.nodeLeave(node);
        inner.nodeLeave(node); // a bug: the node's addresses go back twice
      },
    }));
    const out = join(dir, 'out-double');
    const r = await cli('run', shrink, '--out', out, '--check', '--quiet');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^cnisim: internal error: .*after event #\d+ onWorkload\(0\) at t=300s \(mode overlay\): /);
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(entries(out)).toEqual([]);
  });
});
