/**
 * Resource limits (issue 8): a run whose estimate exceeds --max-events / --max-memory is refused before it starts
 * (exit 2, naming the flag), quickly even when the scenario is huge; and a scenario that fails forever still ends
 * fast because every retry backs off (nodes and pods to 10 min) or gives up (upgrades after 5 refusals).
 */
import { afterAll, describe, expect, test } from 'vitest';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, entries, tempDir } from '../cli/helpers.js';
import { estimateRun, DEFAULT_LIMITS } from '../../src/sim/estimate.js';
import { parseScenario } from '../../src/scenario/index.js';
import { RETRY_MAX_MS } from '../../src/sim/setup.js';

const dir = tempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const YEAR_OF_CHURN = `name: year
duration: 365d
sampleEvery: 1d
modes: [overlay]
network: {nodeSubnet: 10.240.0.0/16, podCidr: 10.32.0.0/12}
nodePools:
  - {name: user, count: 3000, maxPods: 250}
workload:
  - from: 0
    to: 365d
    churn: {pool: user, ratePerSecond: 1000, lifetime: 10m}
`;

const TEN_MILLION = `name: ten-million
duration: 1h
modes: [overlay, azure, dynamic, kubenet]
network: {vnetCidr: 10.0.0.0/8, nodeSubnet: 10.0.0.0/16, podSubnet: 10.64.0.0/10, podCidr: 100.64.0.0/10, serviceCidr: 192.168.0.0/16, dnsServiceIp: 192.168.0.10}
nodePools:
  - {name: user, count: 40000, maxPods: 250}
workload:
  - at: 0
    deploy: {name: web, pool: user, replicas: 10000000}
`;

describe('limits are checked before a run starts', () => {
  test('365 days of churn at 1000 pods/s is refused in well under a second under the default limits, naming --max-events', async () => {
    const f = file('year.yaml', YEAR_OF_CHURN);
    const out = join(dir, 'out-year');
    // `run` imports its modules on its first call (src/cli.ts); time a call that does not load them.
    expect((await cli('run', f, '--out', out)).code).toBe(2);
    const t = performance.now();
    const r = await cli('run', f, '--out', out);
    const elapsed = performance.now() - t;
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^cnisim: ${f}: this run would process about 1\\.3e\\+11 events, above the limit of 2\\.0e\\+9 .*Raise --max-events`));
    expect(elapsed).toBeLessThan(1000);
    expect(entries(out)).toEqual([]);
  });

  test('10 million replicas under four modes is refused by its memory estimate, naming --max-memory', async () => {
    const s = parseScenario(TEN_MILLION, 'ten-million.yaml');
    const est = estimateRun(s);
    expect(est.memoryMb).toBeGreaterThan(900); // 10M live pods at ~96 bytes
    const f = file('ten-million.yaml', TEN_MILLION);
    const t = performance.now();
    const r = await cli('run', f, '--out', join(dir, 'out-10m'), '--max-memory', '512');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/would need about \d+ MB, above the limit of 512 MB .*Raise --max-memory/);
    expect(performance.now() - t).toBeLessThan(1000);
    expect(entries(join(dir, 'out-10m'))).toEqual([]);
  });

  test('--max-events below an ordinary run refuses it; raising it lets the same run go', async () => {
    const text = `duration: 10m\nmodes: [overlay]\nnodePools: [{name: user, count: 3}]\nworkload:\n  - {from: 0, to: 10m, churn: {pool: user, ratePerSecond: 1, lifetime: 1m}}\n`;
    const f = file('small.yaml', text);
    const est = estimateRun(parseScenario(text, f));
    expect(est.events).toBeGreaterThan(1200); // 600 arrivals and departures at least
    const low = await cli('run', f, '--out', join(dir, 'o1'), '--quiet', '--max-events', String(Math.floor(est.events / 2)));
    expect(low.code).toBe(2);
    expect(low.stderr).toContain('Raise --max-events');
    const ok = await cli('run', f, '--out', join(dir, 'o1'), '--quiet', '--max-events', String(Math.ceil(est.events)));
    expect(ok.code).toBe(0);
    const mem = await cli('run', f, '--out', join(dir, 'o2'), '--quiet', '--max-memory', String(Math.floor(est.memoryMb / 2)));
    expect(mem.code).toBe(2);
    expect(mem.stderr).toContain('Raise --max-memory');
  });

  test('the defaults are the documented ones', () => {
    expect(DEFAULT_LIMITS).toEqual({ maxEvents: 2e9, maxMemoryMb: 4096 });
  });
});

describe('a run always terminates', () => {
  const NEVER_FITS = `name: never-fits
duration: 30d
sampleEvery: 1h
modes: [azure, overlay]
network: {nodeSubnet: 10.240.0.0/27}
nodePools:
  - name: user
    count: 50
    maxPods: 30
    autoscaler: {minCount: 50, maxCount: 500}
workload:
  - at: 0
    deploy: {name: web, pool: user, replicas: 20000}
  - from: 0
    to: 30d
    churn: {pool: user, ratePerSecond: 0.2, lifetime: 1h}
  - at: 1d
    upgrade: {pool: user, maxSurge: 1}
`;

  test('nodes refused for 30 simulated days: retries back off to 10 minutes, the upgrade gives up, the run ends fast', async () => {
    const f = file('never-fits.yaml', NEVER_FITS);
    const out = join(dir, 'out-never');
    const t = performance.now();
    const r = await cli('run', f, '--out', out, '--quiet');
    const elapsed = performance.now() - t;
    expect(r.code).toBe(0);
    expect(elapsed).toBeLessThan(20_000);
    const [header, ...rows] = readFileSync(join(out, 'summary.csv'), 'utf8').trim().split('\n');
    const col = header!.split(',').indexOf('nodes_refused');
    const retriesBound = (30 * 86_400_000) / RETRY_MAX_MS + 64; // one retry per backoff cap, plus the doubling steps
    for (const row of rows) {
      const refused = Number(row.split(',')[col]);
      expect(refused).toBeGreaterThan(100); // it kept trying…
      expect(refused).toBeLessThanOrEqual(retriesBound); // …but backed off
    }
    const events = readFileSync(join(out, 'events.csv'), 'utf8');
    expect(events).toMatch(/,upgrade-failed,/);
  });
});
