/**
 * Real mistakes users make, each a file in test/fixtures/mistakes/ with its expected outcome in a header
 * (`# exit: N`, `# stderr: <text>` lines, optional `# args: <flags>`; JSON files keep it in `<file>.expect`),
 * run through the command line: exit code and every expected text on stderr; nothing written on refusal.
 */
import { afterAll, describe, expect, test } from 'vitest';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { cli, entries, ROOT, STACK_LINE, tempDir } from '../cli/helpers.js';

const dir = join(ROOT, 'test', 'fixtures', 'mistakes');
const files = readdirSync(dir).filter((f) => /\.(ya?ml|json)$/.test(f)).sort();
const tmp = tempDir();
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Expectation {
  mistake: string;
  exit: number;
  stderr: string[];
  args: string[];
}

function expectationOf(file: string): Expectation {
  const path = join(dir, file);
  const text = readFileSync(existsSync(`${path}.expect`) ? `${path}.expect` : path, 'utf8');
  const header = (key: string) => [...text.matchAll(new RegExp(`^# ${key}: ?(.*)$`, 'gm'))].map((m) => m[1]!.trim());
  const exit = header('exit');
  if (exit.length !== 1) throw new Error(`${file}: give exactly one "# exit: N" line`);
  return { mistake: header('mistake')[0] ?? '', exit: Number(exit[0]), stderr: header('stderr'), args: header('args').flatMap((a) => a.split(/\s+/)) };
}

describe('bundled mistakes through the command line', () => {
  test('there are at least 15 and each states what it expects', () => {
    expect(files.length).toBeGreaterThanOrEqual(15);
    for (const f of files) expect(expectationOf(f).stderr.length, f).toBeGreaterThan(0);
  });

  test.each(files)('%s', async (file) => {
    const e = expectationOf(file);
    const out = join(tmp, file);
    const r = await cli('run', join(dir, file), '--out', out, '--quiet', ...e.args);
    expect(r.code, r.stderr).toBe(e.exit);
    for (const text of e.stderr) expect(r.stderr).toContain(text);
    expect(r.stderr).not.toMatch(STACK_LINE);
    if (e.exit === 0) expect(entries(out)).toEqual(['events.csv', 'report.html', 'summary.csv', 'timeseries.csv']);
    else {
      expect(r.stderr.startsWith(`cnisim: ${join(dir, file)}: `)).toBe(true);
      expect(entries(out)).toEqual([]);
    }
  });
});
