/**
 * No drift between the docs and the program: every ```console block of README.md and docs/*.md (docs/modes/ too)
 * is run and its output compared with the block. In a block, a line `$ command` (continued by a trailing `\`) is
 * run with `sh -c` in a scratch folder holding a copy of scenarios/ and the built CLI, `cnisim` standing for
 * `node dist/cli.js`; the lines after it, up to the next `$` line, are its expected stdout. A line that is just `…`
 * stands for any number of lines, and `…` inside a line for any text (timings, say). Blocks with a command other
 * than cnisim, node, cat or cut (kubectl, az) are not run; the test lists them. Fix a failure by pasting the
 * program's output into the doc (the test prints it).
 *
 * Also: no markdown link in these files points outside the repository, or to a file that does not exist.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ensureBuilt, ROOT } from '../helpers/build.js';

/** The markdown files checked: README.md and every .md under docs/. */
function docFiles(): string[] {
  const out = ['README.md'];
  const walk = (dir: string): void => {
    if (!existsSync(join(ROOT, dir))) return;
    for (const e of readdirSync(join(ROOT, dir), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (e.isDirectory()) walk(join(dir, e.name));
      else if (e.name.endsWith('.md')) out.push(join(dir, e.name));
    }
  };
  walk('docs');
  return out;
}

export interface Example {
  file: string;
  line: number;
  command: string;
  expected: string[];
}

const RUNNABLE = new Set(['cnisim', 'node', 'cat', 'cut']);

/** The commands of a file's ```console blocks with their expected output; blocks that cannot run are in `skipped`. */
export function examples(file: string, text: string): { runs: Example[]; skipped: string[] } {
  const lines = text.split('\n');
  const runs: Example[] = [];
  const skipped: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.trim() !== '```console') continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && lines[end]!.trim() !== '```') end++;
    const block: Example[] = [];
    for (let j = start; j < end; j++) {
      const l = lines[j]!;
      if (l.startsWith('$ ')) {
        let command = l.slice(2);
        while (command.endsWith('\\') && j + 1 < end) command = command.slice(0, -1) + ' ' + lines[++j]!.trim();
        block.push({ file, line: j + 1, command: command.trim(), expected: [] });
      } else if (block.length > 0) block.at(-1)!.expected.push(l);
    }
    const bad = block.find((e) => !RUNNABLE.has(e.command.split(/\s+/)[0]!));
    if (bad) skipped.push(`${file}:${bad.line}: ${bad.command.split(/\s+/)[0]} (not run)`);
    else runs.push(...block);
    i = end;
  }
  return { runs, skipped };
}

/** Whether `actual` lines match `expected` ones: `…` alone matches any lines, `…` in a line any text. */
export function matches(expected: readonly string[], actual: readonly string[]): boolean {
  const exp = expected.map((l) => l.trimEnd());
  while (exp.length > 0 && exp.at(-1) === '') exp.pop();
  const act = actual.map((l) => l.trimEnd());
  while (act.length > 0 && act.at(-1) === '') act.pop();
  const lineRe = exp.map((l) => new RegExp(`^${l.split('…').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`));
  const memo = new Map<number, boolean>();
  const go = (i: number, j: number): boolean => {
    const key = i * (act.length + 1) + j;
    const hit = memo.get(key);
    if (hit !== undefined) return hit;
    let ok: boolean;
    if (i === exp.length) ok = j === act.length;
    else if (exp[i] === '…') ok = go(i + 1, j) || (j < act.length && go(i, j + 1));
    else ok = j < act.length && lineRe[i]!.test(act[j]!) && go(i + 1, j + 1);
    memo.set(key, ok);
    return ok;
  };
  return go(0, 0);
}

describe('the docs show what the program prints', () => {
  let work = '';
  const all = docFiles().map((f) => ({ file: f, ...examples(f, readFileSync(join(ROOT, f), 'utf8')) }));
  beforeAll(() => {
    ensureBuilt();
    work = mkdtempSync(join(tmpdir(), 'cnisim-docs-'));
    cpSync(join(ROOT, 'scenarios'), join(work, 'scenarios'), { recursive: true });
    symlinkSync(join(ROOT, 'dist'), join(work, 'dist'));
    symlinkSync(join(ROOT, 'node_modules'), join(work, 'node_modules'));
    symlinkSync(join(ROOT, 'package.json'), join(work, 'package.json'));
  }, 120_000);
  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test('the README has the demo command and its table', () => {
    const demo = all.find((d) => d.file === 'README.md')!.runs.find((e) => e.command === 'node dist/cli.js run scenarios/aks-modes.yaml');
    expect(demo, 'README.md: a ```console block with `$ node dist/cli.js run scenarios/aks-modes.yaml`').toBeDefined();
    expect(demo!.expected.some((l) => /^pods unschedulable \(max\)/.test(l))).toBe(true);
  });

  // Pages without a runnable console block have nothing to compare: only the link check below reads them.
  for (const doc of all.filter((d) => d.runs.length > 0)) {
    // Commands of one file run in order (a later one may read what an earlier one wrote).
    test(`${doc.file}: ${doc.runs.length} command(s)${doc.skipped.length ? `; ${doc.skipped.join(', ')}` : ''}`, () => {
      for (const ex of doc.runs) {
        const r = spawnSync('sh', ['-c', `cnisim() { "${process.execPath}" dist/cli.js "$@"; }\n${ex.command}`], { cwd: work, encoding: 'utf8' });
        const actual = r.stdout.split('\n');
        if (!matches(ex.expected, actual)) {
          expect.fail(`${ex.file}:${ex.line}: \`${ex.command}\` printed (exit ${String(r.status)}):\n${r.stdout}${r.stderr ? `\nstderr:\n${r.stderr}` : ''}\nbut the doc shows:\n${ex.expected.join('\n')}`);
        }
      }
    }, 180_000);
  }


  test('no link points outside the repository or to a missing file', () => {
    const outside: string[] = [];
    for (const { file } of all) {
      const text = readFileSync(join(ROOT, file), 'utf8');
      for (const m of text.matchAll(/\]\(([^)\s#]+)[^)]*\)/g)) {
        const target = m[1]!;
        if (/^[a-z]+:/i.test(target)) continue; // a URL
        const to = resolve(dirname(join(ROOT, file)), target);
        if (relative(ROOT, to).startsWith('..')) outside.push(`${file}: ${target}`);
        else if (!existsSync(to)) outside.push(`${file}: ${target} (missing)`);
      }
    }
    expect(outside).toEqual([]);
  });
});

describe('the matcher', () => {
  test('… alone spans lines, … in a line spans text', () => {
    expect(matches(['a', '…', 'd'], ['a', 'b', 'c', 'd'])).toBe(true);
    expect(matches(['a', '…', 'd'], ['a', 'd'])).toBe(true);
    expect(matches(['x: … events in … s'], ['x: 511,835 events in 6.0 s'])).toBe(true);
    expect(matches(['a', 'b'], ['a', 'c'])).toBe(false);
    expect(matches(['a'], ['a', 'b'])).toBe(false);
  });
});
