/**
 * The command line as a new user meets it (issue 18, point 5): the same flag spellings everywhere, numbers and
 * durations refused with a message naming the flag and the form, help that fits 80 columns without a command
 * broken across lines, one hint for a bare `cnisim`, a progress bar with elapsed time and ETA.
 */
import { describe, expect, test } from 'vitest';
import { Writable } from 'node:stream';
import { join } from 'node:path';
import { cli, entries, tempDir } from '../cli/helpers.js';
import { Progress } from '../../src/report/progress.js';
import { HELP_WIDTH } from '../../src/commands/flags.js';

const dir = tempDir('cnisim-review-cli-');
const SCENARIO = 'scenarios/dynamic-burst.yaml';

describe('--mode and --modes, wherever modes are chosen', () => {
  test('run --mode dynamic runs one mode, as run --modes dynamic does', async () => {
    for (const flag of ['--mode', '--modes']) {
      const out = join(dir, `run${flag}`);
      const r = await cli('run', SCENARIO, flag, 'dynamic', '--out', out, '--quiet');
      expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
      expect(entries(out)).toContain('summary.csv');
    }
  });

  test('plan --modes overlay,azure and plan --mode overlay,azure print the same table', async () => {
    const a = await cli('plan', '--modes', 'overlay,azure', '--nodes', '10');
    const b = await cli('plan', '--mode', 'overlay,azure', '--nodes', '10');
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
  });

  test('sweep --mode is --modes too (a bad name is refused naming the flag)', async () => {
    const r = await cli('sweep', SCENARIO, '--mode', 'flannel', '--out', join(dir, 'sweep'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^cnisim: --modes: unknown mode "flannel"; expected all, or a comma-separated list of /);
  });
});

describe('numbers and durations: the flag, the form expected, the text given', () => {
  test.each([
    [['run', SCENARIO, '--seed', 'abc'], '--seed: expected a whole number ≥ 0, got abc'],
    [['run', SCENARIO, '--sample-every', '5 minutes'], '--sample-every: expected a duration > 0 such as 30s, 5m, 1.5h or a number of seconds, got 5 minutes'],
    [['run', SCENARIO, '--max-events', 'many'], '--max-events: expected a number > 0, got many'],
    [['plan', '--nodes', 'ten'], '--nodes: expected a whole number ≥ 1 and ≤ 10,000,000, got ten'],
    [['plan', '--nodes', '10', '--surge', 'lots'], '--surge: expected a node count (e.g. 1) or a percentage of the pool (e.g. 33%), got lots'],
    [['plan', '--nodes', '10', '--surge', '150%'], '--surge: a percentage must be above 0% and at most 100%, got 150%'],
    [['plan', '--nodes', '10', '--max-pods', '3.5'], '--max-pods: expected a whole number ≥ 1 and ≤ 10,000,000, got 3.5'],
    [['sweep', SCENARIO, '--seeds', 'x'], '--seeds: expected a whole number ≥ 1, got x'],
    [['sweep', SCENARIO, '--workers', '0'], '--workers: expected a whole number ≥ 1 and ≤ 1,024, got 0'],
  ])('%j → %s', async (args, message) => {
    const r = await cli(...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`cnisim: ${message}\n`);
  });

  test('plan --surge 33% is a third of the nodes, rounded up, as an upgrade takes it', async () => {
    const r = await cli('plan', '--mode', 'azure', '--nodes', '50', '--surge', '33%');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/nodes \+ surge\s+50 \+ 17/);
  });
});

describe('help fits 80 columns; no command is broken across lines', () => {
  test.each(['', 'run', 'plan', 'sweep', 'merge', 'from-az', 'validate'])('cnisim %s --help', async (command) => {
    const r = await cli(...(command ? [command] : []), '--help');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    for (const l of lines) expect(l.length, l).toBeLessThanOrEqual(HELP_WIDTH);
    // An example is a whole command on its own line (continued only with a shell `\`).
    const examples = lines.slice(lines.indexOf('Examples:') + 1);
    for (let i = 0; i < examples.length; i++) {
      if (!examples[i]!.startsWith('    cnisim ')) continue;
      let cmd = examples[i]!.trim();
      while (cmd.endsWith('\\')) cmd = `${cmd.slice(0, -1).trim()} ${examples[++i]!.trim()}`;
      expect(cmd).toMatch(/^cnisim [a-z-]+ .*\S$/);
      expect(cmd.split(' ').every((w) => w !== '')).toBe(true);
    }
  });
});

describe('a bare cnisim', () => {
  test('prints one hint, once', async () => {
    const r = await cli();
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('cnisim: name a command: run, validate, modes, plan, sweep, merge, from-az or from-cluster\n(see cnisim --help)\n');
  });
});

describe('the progress bar', () => {
  test('shows the mode, the time elapsed and the estimated time left', () => {
    let text = '';
    const tty = Object.assign(new Writable({ write(chunk, _enc, done) { text += String(chunk); done(); } }), {
      isTTY: true, columns: 120, cursorTo: () => true, clearLine: () => true, moveCursor: () => true,
    });
    const bar = new Progress(true, tty);
    bar.update(0.25, 'dynamic');
    bar.stop();
    expect(text).toMatch(/\d+% \| dynamic \| \d+s elapsed, ETA \d+s/);
  });
});
