/**
 * `npm run bench [-- FILTER…]`: runs every `bench/*.bench.ts` suite (or those whose suite or case name contains
 * a filter word), prints a table and writes `results/bench.csv` (suite,case,ops_per_s,baseline_ops_per_s,ratio;
 * bench/csv.ts).
 */
import { readdirSync, mkdirSync, writeFileSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runCase, type BenchCase, type BenchRow } from './harness.js';
import { benchCsv, fmt } from './csv.js';

const here = dirname(fileURLToPath(import.meta.url));
const filters = process.argv.slice(2);

async function main(): Promise<void> {
  const files = readdirSync(here).filter((f) => f.endsWith('.bench.js')).sort();
  const rows: BenchRow[] = [];
  for (const f of files) {
    const mod = (await import(pathToFileURL(join(here, f)).href)) as { cases: () => BenchCase[] | Promise<BenchCase[]> };
    const cases = await mod.cases();
    for (const c of cases) {
      const key = `${c.suite}/${c.name}`;
      if (filters.length > 0 && !filters.some((w) => key.includes(w))) continue;
      const row = await runCase(c);
      rows.push(row);
      console.log(
        `${key.padEnd(48)} ${fmt(row.ops_per_s).padStart(14)} ops/s` +
          (row.baseline_ops_per_s === null ? '' : `  baseline ${fmt(row.baseline_ops_per_s).padStart(12)}  ×${fmt(row.ratio)}`),
      );
      (globalThis as { gc?: () => void }).gc?.();
    }
  }
  const out = join(here, '..', '..', 'results', 'bench.csv');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out + '.tmp', benchCsv(rows));
  renameSync(out + '.tmp', out);
  console.log(`\nwrote ${out} (${rows.length} rows)`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
