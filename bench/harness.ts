/**
 * The benchmark harness: every case checks its result before it is timed, and a case may carry a naive
 * baseline that runs in the same process, so figures are reported as ratios (these machines are shared and noisy).
 *
 * A suite file `bench/<name>.bench.ts` exports `cases(): BenchCase[]`; `bench/index.ts` finds and runs them all.
 */
import { Bench } from 'tinybench';

export interface Timed {
  /** Runs before every timed call (not timed): build fresh state here. */
  setup?: () => void;
  /** The timed call (may return a promise: it is awaited and timed to its end). */
  fn: () => void | Promise<void>;
}

export interface BenchCase {
  suite: string;
  name: string;
  /** Operations one call of `fn` performs (ops_per_s = ops / seconds per call). */
  ops: number;
  /** Operations one call of the baseline's `fn` performs, when it differs from `ops`. */
  baselineOps?: number;
  subject: Timed;
  baseline?: Timed;
  /** Runs subject (and baseline) once untimed and throws (or rejects) if the result is wrong. */
  check: () => void | Promise<void>;
  /** Timing budget per task in ms (default 400). */
  timeMs?: number;
}

export interface BenchRow {
  suite: string;
  case: string;
  ops_per_s: number;
  baseline_ops_per_s: number | null;
  ratio: number | null;
}

async function opsPerSecond(t: Timed, ops: number, timeMs: number): Promise<number> {
  const bench = new Bench({ time: timeMs, iterations: 3, warmup: true, warmupIterations: 1, warmupTime: 50 });
  bench.add('x', t.fn, t.setup ? { beforeEach: t.setup } : {});
  await bench.run();
  const r = bench.tasks[0]!.result;
  if (r.state !== 'completed') throw new Error(`benchmark did not complete: ${r.state}${'error' in r ? `: ${String(r.error)}` : ''}`);
  return ops / (r.period / 1000);
}

export async function runCase(c: BenchCase): Promise<BenchRow> {
  await c.check();
  const time = c.timeMs ?? 400;
  const ops = await opsPerSecond(c.subject, c.ops, time);
  const base = c.baseline ? await opsPerSecond(c.baseline, c.baselineOps ?? c.ops, time) : null;
  return { suite: c.suite, case: c.name, ops_per_s: ops, baseline_ops_per_s: base, ratio: base === null ? null : ops / base };
}

/** Throws with a message naming the case when a benchmark's result is wrong. */
export function expectEq(what: string, got: unknown, want: unknown): void {
  if (got !== want) throw new Error(`bench check failed: ${what}: got ${String(got)}, want ${String(want)}`);
}
