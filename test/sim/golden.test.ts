/**
 * Golden runs: every bundled scenario is simulated and its summary.csv compared byte for byte with
 * test/golden/<name>.summary.csv. Regenerate deliberately with `UPDATE_GOLDEN=1 npx vitest run test/sim/golden.test.ts`
 * and review the diff: a changed golden file is a changed result.
 */
import { describe, expect, test } from 'vitest';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadScenario } from '../../src/scenario/index.js';
import { simulate } from '../../src/sim/run.js';
import { resultFiles } from '../../src/report/csv.js';

const root = join(import.meta.dirname, '..', '..');
const update = process.env.UPDATE_GOLDEN === '1';
const scenarios = readdirSync(join(root, 'scenarios')).filter((f) => f.endsWith('.yaml')).sort();

describe('golden summaries of the bundled scenarios', () => {
  test.each(scenarios)('%s', async (file) => {
    const scenario = loadScenario(join(root, 'scenarios', file));
    const result = await simulate(scenario);
    const summary = resultFiles(result).get('summary.csv')!;
    const golden = join(root, 'test', 'golden', `${scenario.name}.summary.csv`);
    if (update || !existsSync(golden)) {
      if (!update) throw new Error(`no golden file ${golden}: run with UPDATE_GOLDEN=1 once and review it`);
      writeFileSync(golden, summary);
    }
    expect(summary).toBe(readFileSync(golden, 'utf8'));
  });
});
