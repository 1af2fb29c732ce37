/**
 * Safe output (issue 8): results are written to temporary files and renamed once complete; earlier results survive
 * a refused, failed or interrupted run untouched; an unwritable output folder is refused before the run starts;
 * SIGINT/SIGTERM stop a run within a second with exit 130/143 and no partial files (the built CLI, spawned).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, entries, ROOT, STACK_LINE, tempDir } from '../cli/helpers.js';
import { checkSeam } from '../../src/sim/check.js';
import { ensureBuilt } from '../helpers/build.js';

const dir = tempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SMALL = `name: small
duration: 10m
modes: [overlay]
nodePools: [{name: user, count: 3}]
workload:
  - {at: 0, deploy: {name: web, pool: user, replicas: 20}}
`;
/** Hours of churn at 1000 pods/s on 3000 nodes: minutes of work, so a signal always lands mid-run. */
const LONG = `name: long
duration: 4h
sampleEvery: 10m
modes: [overlay, azure]
network: {nodeSubnet: 10.240.0.0/16, podCidr: 10.32.0.0/12}
nodePools:
  - {name: user, count: 3000, maxPods: 250}
workload:
  - from: 0
    to: 4h
    churn: {pool: user, ratePerSecond: 1000, lifetime: 1000s}
`;
const small = join(dir, 'small.yaml');
const long = join(dir, 'long.yaml');
writeFileSync(small, SMALL);
writeFileSync(long, LONG);

const OLD = { 'summary.csv': 'old summary\n', 'timeseries.csv': 'old timeseries\n', 'events.csv': 'old events\n' };
function withOldResults(name: string): string {
  const out = join(dir, name);
  mkdirSync(out, { recursive: true });
  for (const [f, text] of Object.entries(OLD)) writeFileSync(join(out, f), text);
  return out;
}
function expectOldResults(out: string): void {
  expect(entries(out)).toEqual(Object.keys(OLD).sort());
  for (const [f, text] of Object.entries(OLD)) expect(readFileSync(join(out, f), 'utf8')).toBe(text);
}

describe('earlier results are replaced only by a completed run', () => {
  test('a refused run (bad input) leaves them untouched', async () => {
    const out = withOldResults('refused');
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, SMALL.replace('count: 3', 'count: -3'));
    expect((await cli('run', bad, '--out', out)).code).toBe(2);
    expectOldResults(out);
  });

  test('a run refused by a limit leaves them untouched', async () => {
    const out = withOldResults('limit');
    expect((await cli('run', long, '--out', out, '--max-events', '1000')).code).toBe(2);
    expectOldResults(out);
  });

  test('a run that fails (internal error) leaves them untouched', async () => {
    const out = withOldResults('failed');
    checkSeam.afterEvent = () => {
      throw new Error('injected');
    };
    try {
      expect((await cli('run', small, '--out', out, '--check')).code).toBe(1);
    } finally {
      checkSeam.afterEvent = null;
    }
    expectOldResults(out);
  });

  test('a completed run replaces them all and leaves no temporary file', async () => {
    const out = withOldResults('replaced');
    expect((await cli('run', small, '--out', out, '--quiet')).code).toBe(0);
    expect(entries(out)).toEqual(['events.csv', 'report.html', 'summary.csv', 'timeseries.csv']);
    expect(readFileSync(join(out, 'summary.csv'), 'utf8')).toMatch(/^mode,cluster,pool,seed/);
  });

  test('a folder in the way of a result file: exit 2, nothing replaced, no temporary files', async () => {
    const out = withOldResults('blocked');
    rmSync(join(out, 'events.csv'));
    mkdirSync(join(out, 'events.csv'));
    const r = await cli('run', small, '--out', out, '--quiet');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot write results to .*events\.csv exists and is not a file/);
    expect(entries(out)).toEqual(['events.csv', 'summary.csv', 'timeseries.csv']);
    expect(readFileSync(join(out, 'summary.csv'), 'utf8')).toBe(OLD['summary.csv']);
  });
});

describe('an unwritable output folder is refused before the run starts', () => {
  test.each([
    ['a file', (f: string) => f, /cannot write results to .*: it is a file, not a folder\. Choose another folder with --out\./],
    ['a folder under a file', (f: string) => join(f, 'sub', 'dir'), /cannot write results to .*: a part of the path is a file, not a folder\. Choose another folder with --out\./],
  ])('--out is %s: exit 2 at once (the long run never starts)', async (_what, outOf, message) => {
    const f = join(dir, `a-file-${_what.length}`);
    writeFileSync(f, 'x');
    const t = performance.now();
    const r = await cli('run', long, '--out', outOf(f));
    expect(performance.now() - t).toBeLessThan(2000);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(readFileSync(f, 'utf8')).toBe('x');
  });

  test('a folder that does not exist yet is fine, and is not created by a refused run', async () => {
    const out = join(dir, 'new', 'deeper');
    const bad = join(dir, 'bad2.yaml');
    writeFileSync(bad, 'duration: nope\n');
    expect((await cli('run', bad, '--out', out)).code).toBe(2);
    expect(existsSync(join(dir, 'new'))).toBe(false);
    expect((await cli('run', small, '--out', out, '--quiet')).code).toBe(0);
    expect(entries(out)).toHaveLength(4);
  });
});

describe('signals (the built CLI in a child process)', () => {
  const cliJs = join(ROOT, 'dist', 'cli.js');
  beforeAll(() => {
    ensureBuilt();
  }, 120_000);

  test.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('%s during a run: stops within a second, exit %i, no partial files, earlier results kept', async (signal, code) => {
    const out = withOldResults(`signal-${signal}`);
    const child = spawn(process.execPath, [cliJs, 'run', long, '--out', out], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<{ code: number | null; at: number }>((resolve) => child.on('exit', (c) => resolve({ code: c, at: performance.now() })));
    await new Promise((r) => setTimeout(r, 1500));
    expect(child.exitCode).toBe(null); // still running
    const sent = performance.now();
    child.kill(signal);
    const { code: exitCode, at } = await exited;
    expect(exitCode).toBe(code);
    expect(at - sent).toBeLessThan(1000);
    expect(stderr).toContain(`cnisim: interrupted by ${signal}; nothing was written`);
    expect(stderr).not.toMatch(STACK_LINE);
    expectOldResults(out); // no partial or temporary files (.*.tmp) either
  }, 30_000);
});
