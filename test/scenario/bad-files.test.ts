/**
 * Data-driven: every file in test/fixtures/bad is a real mistake; its leading `# expect: <path>: <message>`
 * lines must each appear in the refusal as a `file: path: message` line (a fragment of it).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CnisimError } from '../../src/errors.js';
import { loadScenario } from '../../src/scenario/index.js';

const DIR = join(import.meta.dirname, '..', 'fixtures', 'bad');
const files = readdirSync(DIR).filter((f) => f.endsWith('.yaml')).sort();

function expectations(path: string): string[] {
  const out: string[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const m = /^# expect: (.*)$/.exec(line);
    if (!m) break;
    out.push(m[1]!);
  }
  return out;
}

function refusal(path: string): CnisimError {
  try {
    loadScenario(path);
  } catch (err) {
    if (err instanceof CnisimError) return err;
    throw err;
  }
  throw new Error(`${path} was accepted`);
}

describe('bad scenario files are refused with their expected messages', () => {
  it('has a fixture per rule', () => {
    expect(files.length).toBeGreaterThanOrEqual(100);
  });
  for (const name of files) {
    it(name, () => {
      const path = join(DIR, name);
      const want = expectations(path);
      expect(want.length, `${name} needs "# expect:" lines`).toBeGreaterThan(0);
      const err = refusal(path);
      expect(err.code).toBe('input');
      expect(err.file).toBe(path);
      expect(err.problems.length).toBeGreaterThan(0);
      const lines = err.message.split('\n');
      for (const w of want) {
        const hit = lines.some((l) => l.startsWith(`${path}: `) && l.includes(w));
        expect(hit, `expected a line containing\n  ${w}\ngot\n  ${lines.join('\n  ')}`).toBe(true);
      }
      // Every problem is in the message, with its path.
      if (err.problems.length <= 100) {
        for (const p of err.problems) expect(err.message).toContain(p.path === '' ? `${path}: ${p.message}` : `${path}: ${p.path}: ${p.message}`);
      }
    });
  }
});
