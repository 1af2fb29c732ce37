/** The same scenario and seed give byte-identical files; another seed gives other arrivals. */
import { expect, test } from 'vitest';
import { join } from 'node:path';
import { loadScenario, validateScenario } from '../../src/scenario/index.js';
import { readScenarioFile } from '../../src/scenario/read.js';
import { simulate } from '../../src/sim/run.js';
import { resultFiles } from '../../src/report/csv.js';

const file = join(import.meta.dirname, '..', '..', 'scenarios', 'aks-modes.yaml');

test('two runs of a churning scenario give byte-identical CSV files', async () => {
  const s = loadScenario(file);
  const a = resultFiles(await simulate(s, { modes: ['dynamic', 'azure'] }));
  const b = resultFiles(await simulate(loadScenario(file), { modes: ['dynamic', 'azure'] }));
  for (const name of ['timeseries.csv', 'summary.csv', 'events.csv']) expect(b.get(name)).toBe(a.get(name));
  expect(a.get('timeseries.csv')!.split('\n').length).toBeGreaterThan(700);
});

test('another seed gives another run', async () => {
  const raw = readScenarioFile(file) as Record<string, unknown>;
  const a = await simulate(validateScenario({ ...raw, seed: 1 }, file), { modes: ['overlay'] });
  const b = await simulate(validateScenario({ ...raw, seed: 2 }, file), { modes: ['overlay'] });
  expect(a.summary[0]!.seed).toBe(1);
  expect(b.summary[0]!.seed).toBe(2);
  expect(resultFiles(a).get('timeseries.csv')).not.toBe(resultFiles(b).get('timeseries.csv'));
});
