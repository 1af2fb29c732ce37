/** `import { simulate } from 'cnisim'` (the package's own entry point, as a user imports it) returns the CSV rows. */
import { beforeAll, expect, test } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ensureBuilt, ROOT } from './helpers/build.js';
import { loadScenario } from '../src/scenario/index.js';
import { simulate } from '../src/sim/run.js';
import { resultFiles } from '../src/report/csv.js';

beforeAll(() => {
  ensureBuilt();
}, 120_000);

test('the package entry point gives the rows the CSV files hold', async () => {
  const script = `
    import { loadScenario, simulate, resultFiles } from 'cnisim';
    const r = await simulate(loadScenario('scenarios/static-block-waste.yaml'));
    process.stdout.write(JSON.stringify({ summary: r.summary, csv: resultFiles(r).get('summary.csv') }));`;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
  expect(child.stderr).toBe('');
  const out = JSON.parse(child.stdout) as { summary: { max_pod_ips_reserved: number }[]; csv: string };
  expect(out.summary[0]!.max_pod_ips_reserved).toBe(1120);
  const direct = resultFiles(await simulate(loadScenario(join(ROOT, 'scenarios', 'static-block-waste.yaml'))));
  expect(out.csv).toBe(direct.get('summary.csv'));
});
