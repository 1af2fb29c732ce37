/**
 * The command line in-process: exit codes (0 ran, 2 bad input, 1 internal), messages naming the file and field,
 * help and the wired commands, and stack traces only with --debug.
 */
import { afterAll, describe, expect, test } from 'vitest';
import { rmSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, entries, STACK_LINE, tempDir } from './helpers.js';
import { checkSeam } from '../../src/sim/check.js';
import { MODE_NAMES } from '../../src/alloc/registry.js';

const dir = tempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

export const SMALL = `name: small
seed: 7
duration: 10m
sampleEvery: 1m
modes: [overlay, azure]
network: {nodeSubnet: 10.240.0.0/22}
nodePools:
  - {name: user, count: 3, maxPods: 30}
workload:
  - at: 0
    deploy: {name: web, pool: user, replicas: 40}
`;
const small = join(dir, 'small.yaml');
writeFileSync(small, SMALL);

describe('run', () => {
  test('a valid scenario runs (exit 0), prints the summary table and writes three CSV files and the HTML report', async () => {
    const out = join(dir, 'out-ok');
    const r = await cli('run', small, '--out', out);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/small: 10m simulated, seed 7/);
    expect(r.stdout).toMatch(/overlay\s+azure/);
    expect(entries(out)).toEqual(['events.csv', 'report.html', 'summary.csv', 'timeseries.csv']);
    expect(readFileSync(join(out, 'summary.csv'), 'utf8').split('\n')[0]).toMatch(/^mode,cluster,pool,seed,max_nodes,/);
  });

  test('--quiet prints nothing; flags override the scenario', async () => {
    const out = join(dir, 'out-quiet');
    const r = await cli('run', small, '--out', out, '--quiet', '--modes', 'kubenet', '--seed', '9', '--sample-every', '5m');
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
    const summary = readFileSync(join(out, 'summary.csv'), 'utf8').trim().split('\n');
    expect(summary).toHaveLength(3); // the cluster's row and its node pool's
    expect(summary[1]).toMatch(/^kubenet,default,,9,/);
    expect(summary[2]).toMatch(/^kubenet,default,user,9,/);
    expect(readFileSync(join(out, 'timeseries.csv'), 'utf8').trim().split('\n')).toHaveLength(1 + 3); // 0, 5m, 10m
  });

  test.each([
    [['--modes', 'overlay,bogus'], /--modes: unknown mode "bogus"/],
    [['--modes', ','], /--modes: no mode given/],
    [['--mode', 'overlay,bogus'], /--modes: unknown mode "bogus"/],
    [['--seed', '1.5'], /^cnisim: --seed: expected a whole number ≥ 0, got 1\.5\n$/],
    [['--seed', 'abc'], /^cnisim: --seed: expected a whole number ≥ 0, got abc\n$/],
    [['--seed', '-1'], /--seed: expected a whole number ≥ 0, got -1/],
    [['--seed', '1', '--seed', '2'], /--seed: give it once/],
    [['--sample-every', 'soon'], /^cnisim: --sample-every: expected a duration > 0 such as 30s, 5m, 1\.5h or a number of seconds, got soon\n$/],
    [['--sample-every', '0'], /--sample-every: expected a duration > 0 .*, got 0/],
    [['--max-events', '-3'], /^cnisim: --max-events: expected a number > 0, got -3\n$/],
    [['--max-memory', 'lots'], /^cnisim: --max-memory: expected a number > 0, got lots\n$/],
    [['--frobnicate'], /Unknown argument: frobnicate/],
  ])('bad flag %j: exit 2, named, nothing written', async (flags, message) => {
    const out = join(dir, 'out-bad-flag');
    const r = await cli('run', small, '--out', out, ...flags);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(entries(out)).toEqual([]);
  });

  test('a missing file: exit 2 naming it', async () => {
    const r = await cli('run', join(dir, 'nope.yaml'), '--out', join(dir, 'x'));
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`cnisim: ${join(dir, 'nope.yaml')}: no such file\n`);
  });
});

describe('other commands', () => {
  test('validate: 0 for a valid file, 2 with file and path for a bad one', async () => {
    const ok = await cli('validate', small);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/small\.yaml: valid — 1 cluster\(s\), 1 node pool\(s\), modes overlay, azure/);
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, SMALL.replace('maxPods: 30', 'maxPods: 300'));
    const r = await cli('validate', bad);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${bad}: nodePools[0].maxPods: 300`);
  });

  test('modes lists every mode', async () => {
    const r = await cli('modes');
    expect(r.code).toBe(0);
    for (const m of MODE_NAMES) expect(r.stdout).toMatch(new RegExp(`^${m} — `, 'm'));
  });

  test('plan, sweep, merge and from-az are wired in', async () => {
    const help = await cli('--help');
    expect(help.code).toBe(0);
    for (const c of ['run', 'validate', 'modes', 'plan', 'sweep', 'merge', 'from-az']) expect(help.stdout).toMatch(new RegExp(`cnisim ${c}\\b`));
    const plan = await cli('plan', '--mode', 'overlay', '--nodes', '10');
    expect(plan.code).toBe(0);
    expect(plan.stdout).toMatch(/overlay/);
    const fromAz = await cli('from-az');
    expect(fromAz.code).toBe(2);
    expect(fromAz.stderr).toMatch(/^cnisim: from-az: give the az command/);
    const merge = await cli('merge', join(dir, 'missing.json'), '--out', join(dir, 'merged'));
    expect(merge.code).toBe(2);
    expect(merge.stderr).not.toMatch(STACK_LINE);
    expect(entries(join(dir, 'merged'))).toEqual([]);
  });

  test('help everywhere returns 0 and documents the limits and --check', async () => {
    const r = await cli('run', '--help');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    for (const flag of ['--max-events', '--max-memory', '--check', '--out', '--debug']) expect(r.stdout).toContain(flag);
    expect((await cli('validate', '--help')).code).toBe(0);
  });

  test.each([
    [[], /^cnisim: name a command: run, validate, modes, plan, sweep, merge, from-az or from-cluster\n\(see cnisim --help\)\n$/],
    [['runn', 'x.yaml'], /unknown command "runn". Did you mean run\?/],
    [['run'], /Not enough non-option arguments/],
  ])('command line %j: exit 2', async (args, message) => {
    const r = await cli(...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});

describe('stack traces only with --debug', () => {
  let events = 0;
  const failing = () => {
    events = 0;
    checkSeam.afterEvent = (w) => {
      if (++events >= 5) throw new TypeError('injected bug');
    };
  };

  test('an internal error: exit 1, message, no stack trace; with --debug the stack', async () => {
    failing();
    try {
      const out = join(dir, 'out-internal');
      const r = await cli('run', small, '--out', out, '--check', '--quiet');
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^cnisim: internal error: .*injected bug/);
      expect(r.stderr).toMatch(/--debug/);
      expect(r.stderr).not.toMatch(STACK_LINE);
      expect(entries(out)).toEqual([]);
      const d = await cli('run', small, '--out', out, '--check', '--quiet', '--debug');
      expect(d.code).toBe(1);
      expect(d.stderr).toMatch(STACK_LINE);
    } finally {
      checkSeam.afterEvent = null;
    }
  });

  test('an input error: no stack trace; with --debug the stack', async () => {
    const bad = join(dir, 'bad2.yaml');
    writeFileSync(bad, 'duration: -5m\nnodePools: []\n');
    const r = await cli('run', bad, '--out', join(dir, 'o'));
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(STACK_LINE);
    const d = await cli('run', bad, '--out', join(dir, 'o'), '--debug');
    expect(d.code).toBe(2);
    expect(d.stderr).toMatch(STACK_LINE);
  });
});
