/**
 * results/bench.csv: one row per case (suite, case, ops_per_s, baseline_ops_per_s, ratio), written with the same
 * CSV writer as the run's files (csv-stringify via src/report/csv.ts), so a case name with commas — "4,000 × 250" —
 * stays one quoted cell.
 */
import { toCsv } from '../src/report/csv.js';
import type { BenchRow } from './harness.js';

export const BENCH_COLUMNS: readonly (keyof BenchRow)[] = ['suite', 'case', 'ops_per_s', 'baseline_ops_per_s', 'ratio'];

/** A figure as printed and written: whole numbers from 100 up, else two decimals; '' for none. */
export function fmt(n: number | null): string {
  if (n === null) return '';
  return n >= 100 ? Math.round(n).toString() : n.toFixed(2);
}

export function benchCsv(rows: readonly BenchRow[]): string {
  return toCsv<Record<keyof BenchRow, string>>(BENCH_COLUMNS, rows.map((r) => ({
    suite: r.suite, case: r.case, ops_per_s: fmt(r.ops_per_s), baseline_ops_per_s: fmt(r.baseline_ops_per_s), ratio: fmt(r.ratio),
  })));
}
