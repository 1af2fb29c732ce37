/** results/bench.csv is real CSV: case names with commas stay one cell, and every row has the header's columns. */
import { describe, expect, test } from 'vitest';
import { BENCH_COLUMNS, benchCsv } from '../../bench/csv.js';
import type { BenchRow } from '../../bench/harness.js';

/** RFC 4180: fields separated by commas, quoted when they hold a comma, quote or newline ("" inside a quoted field). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length > 0) throw new Error('CSV does not end with a newline');
  return rows;
}

describe('bench.csv', () => {
  // Case names as the suites write them (bench/e2e.bench.ts, bench/startup.bench.ts).
  const rows: BenchRow[] = [
    { suite: 'e2e', case: 'million-pods 4,000 × 250 static-block (pods/s) vs bare placement', ops_per_s: 4_431_000.4, baseline_ops_per_s: 9_100_000, ratio: 0.487 },
    { suite: 'startup', case: 'cnisim --version (starts/s) vs node -e 0', ops_per_s: 11.5, baseline_ops_per_s: 14.25, ratio: 0.807 },
    { suite: 'pool', case: 'allocate "quoted", /12', ops_per_s: 1e7, baseline_ops_per_s: null, ratio: null },
  ];

  test('parses back to the header and the same cells, one per column', () => {
    const parsed = parseCsv(benchCsv(rows));
    expect(parsed[0]).toEqual([...BENCH_COLUMNS]);
    expect(parsed.slice(1)).toEqual([
      ['e2e', 'million-pods 4,000 × 250 static-block (pods/s) vs bare placement', '4431000', '9100000', '0.49'],
      ['startup', 'cnisim --version (starts/s) vs node -e 0', '11.50', '14.25', '0.81'],
      ['pool', 'allocate "quoted", /12', '10000000', '', ''],
    ]);
  });
});
