/**
 * Drift test of the documented output: every ```console block of README.md and docs/*.md that shows one
 * `$ cnisim run …` or `$ cnisim plan …` command is run, and each stretch of lines between `…` lines must appear,
 * in order and line for line, in what the command prints today.
 */
import { describe, expect, test } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, ROOT, tempDir } from '../cli/helpers.js';

const dir = tempDir('cnisim-review-readme-');

interface Example {
  readonly where: string;
  readonly args: string[];
  readonly segments: string[][];
}

function examples(): Example[] {
  const files = ['README.md', ...(existsSync(join(ROOT, 'docs')) ? readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => join('docs', f)) : [])];
  const out: Example[] = [];
  for (const f of files) {
    const text = readFileSync(join(ROOT, f), 'utf8');
    for (const m of text.matchAll(/```console\n([\s\S]*?)```/g)) {
      const lines = m[1]!.split('\n').map((l) => l.trimEnd());
      const first = lines[0]!;
      const cmd = /^\$ cnisim (run|plan) ([^|<>#\\]*)$/.exec(first);
      if (!cmd || lines.slice(1).some((l) => l.startsWith('$ '))) continue;
      const segments: string[][] = [[]];
      for (const l of lines.slice(1)) {
        if (l === '…') segments.push([]);
        else segments[segments.length - 1]!.push(l);
      }
      const args = [cmd[1]!, ...cmd[2]!.trim().split(/\s+/)];
      if (cmd[1] === 'run') args.push('--out', join(dir, `out-${out.length}`));
      out.push({ where: `${f}: ${first}`, args, segments: segments.map((s) => (s.at(-1) === '' ? s.slice(0, -1) : s)).filter((s) => s.length > 0) });
    }
  }
  return out;
}

const found = examples();

describe('documented cnisim output is what cnisim prints', () => {
  test('the docs show the summary and a headroom answer', () => {
    expect(found.some((e) => e.args[0] === 'run' && e.segments.flat().some((l) => l.startsWith('first threshold crossed')))).toBe(true);
    expect(found.some((e) => e.args[0] === 'plan' && e.segments.flat().some((l) => l.startsWith('headroom:')))).toBe(true);
  });

  test.each(found.map((e) => [e.where, e] as const))('%s', async (_where, e) => {
    const r = await cli(...e.args);
    expect(r.code).toBe(0);
    const actual = r.stdout.split('\n').map((l) => l.trimEnd());
    let from = 0;
    for (const seg of e.segments) {
      let at = -1;
      for (let i = from; i + seg.length <= actual.length; i++) {
        if (seg.every((l, k) => actual[i + k] === l)) {
          at = i;
          break;
        }
      }
      expect(at, `not found after line ${from}:\n${seg.join('\n')}\n--- actual:\n${actual.join('\n')}`).toBeGreaterThanOrEqual(0);
      from = at + seg.length;
    }
  });
});
