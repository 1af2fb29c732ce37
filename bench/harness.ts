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
  /**
   * Time subject and baseline in alternation (subject, baseline, baseline, subject, …) rather than one after the
   * other, and report each from the median of its calls: on a shared machine whose speed drifts over seconds, both
   * then see the same machine, so the ratio is steadier. Needs a baseline; at least 5 calls each.
   */
  interleave?: boolean;
  /**
   * Every call starts a fresh process (the `startup` and `whole-run` suites): no untimed warm-up call (there is
   * nothing to warm), subject and baseline alternate `minRuns` times each (default 5) and each side is the median.
   */
  freshProcesses?: boolean;
  minRuns?: number;
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

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

async function timeOnce(t: Timed): Promise<number> {
  t.setup?.();
  // No gc() here: a forced full collection before every call also ages out compiled code (V8 flushes bytecode
  // of functions that survived several full GCs unused), which made 10k-pod runs 10× slower (measured).
  const t0 = performance.now();
  await t.fn();
  return performance.now() - t0;
}

/**
 * Alternating calls (after one untimed warm-up each, unless every call is a fresh process) until both have run
 * ≥ minRuns (5) times and 2 × timeMs has passed. Without a baseline, the subject alone the same number of times.
 */
async function interleaved(c: BenchCase, timeMs: number): Promise<BenchRow> {
  const base = c.baseline;
  const minRuns = c.minRuns ?? 5;
  if (c.freshProcesses !== true) {
    await timeOnce(c.subject);
    if (base) await timeOnce(base);
  }
  const ts: number[] = [], tb: number[] = [];
  const start = performance.now();
  for (let i = 0; ts.length < minRuns || performance.now() - start < 2 * timeMs; i++) {
    if (i % 2 === 0) {
      ts.push(await timeOnce(c.subject));
      if (base) tb.push(await timeOnce(base));
    } else {
      if (base) tb.push(await timeOnce(base));
      ts.push(await timeOnce(c.subject));
    }
  }
  const ops = c.ops / (median(ts) / 1000);
  if (!base) return { suite: c.suite, case: c.name, ops_per_s: ops, baseline_ops_per_s: null, ratio: null };
  const bops = (c.baselineOps ?? c.ops) / (median(tb) / 1000);
  return { suite: c.suite, case: c.name, ops_per_s: ops, baseline_ops_per_s: bops, ratio: ops / bops };
}

export async function runCase(c: BenchCase): Promise<BenchRow> {
  await c.check();
  const time = c.timeMs ?? 400;
  if ((c.interleave === true && c.baseline) || c.freshProcesses === true) return interleaved(c, time);
  const ops = await opsPerSecond(c.subject, c.ops, time);
  const base = c.baseline ? await opsPerSecond(c.baseline, c.baselineOps ?? c.ops, time) : null;
  return { suite: c.suite, case: c.name, ops_per_s: ops, baseline_ops_per_s: base, ratio: base === null ? null : ops / base };
}

/** Throws with a message naming the case when a benchmark's result is wrong. */
export function expectEq(what: string, got: unknown, want: unknown): void {
  if (got !== want) throw new Error(`bench check failed: ${what}: got ${String(got)}, want ${String(want)}`);
}
