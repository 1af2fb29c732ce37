/**
 * Parameter sweeps: every combination of the --vary values × mode × seed, run on a tinypool worker pool (or in
 * process with one worker), aggregated into `sweep.csv`: a row per combination, mode and cluster with the mean,
 * p5 and p95 of each summary figure across seeds. The order of rows and the arithmetic depend only on the task
 * list, never on which worker finished first, so serial, parallel and sharded-then-merged runs write the same
 * bytes. A shard (`--shard i/n`) runs tasks i, i+n, i+2n, … and writes their raw summaries as JSON (numbers
 * round-trip exactly); `mergeShards` checks the shards belong together and aggregates them like a whole run.
 * Costs: building the tasks O(combinations × file size) (one validation per combination); aggregation
 * O(tasks × figures × log seeds).
 */
import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { readFileSync } from 'node:fs';
import { Tinypool } from 'tinypool';
import { CnisimError, inputError } from '../errors.js';
import { validateScenario, type Scenario } from '../scenario/index.js';
import { cell } from '../report/csv.js';
import type { SummaryRow } from '../sim/metrics.js';
import { applyAt, checkVaries, combinations, comboLabel, type Vary } from './vary.js';
import { runTask, type SweepTask, type TaskResult } from './task.js';

/** Seeds per combination, at most [assumption]. */
export const MAX_SEEDS = 10_000;

export interface SweepSpec {
  readonly file: string;
  /** The scenario file as read (before validation). */
  readonly raw: unknown;
  readonly varies: readonly Vary[];
  /** Runs per combination and mode; seeds are the scenario's seed + 0 … seeds − 1. */
  readonly seeds: number;
  /** Modes to run; default each combination's scenario modes. */
  readonly modes?: readonly string[];
}

export interface Shard {
  /** 0-based, like JOB_COMPLETION_INDEX. */
  readonly index: number;
  readonly count: number;
}

export interface PlannedSweep {
  readonly spec: SweepSpec;
  readonly tasks: readonly SweepTask[];
  /** Per task: its combination index and seed. */
  readonly comboOf: Int32Array;
  readonly seedOf: Float64Array;
  readonly combos: readonly number[][];
  readonly fingerprint: string;
}

/** The combination's validated scenario, or an input error naming the combination. */
function validateCombo(spec: SweepSpec, raw: unknown, i: number, n: number, label: string): Scenario {
  try {
    return validateScenario(raw, spec.file);
  } catch (err) {
    if (err instanceof CnisimError && err.code === 'input') {
      throw inputError(`sweep combination ${i + 1} of ${n} (${label}): ${err.message}`, {
        file: spec.file,
        cause: err,
        problems: err.problems.map((p) => ({ path: p.path, message: `(${label}) ${p.message}` })),
      });
    }
    throw err;
  }
}

/** Applies every combination, validates each (all before anything runs) and lists the tasks in their fixed order. */
export function planSweep(spec: SweepSpec): PlannedSweep {
  if (!Number.isSafeInteger(spec.seeds) || spec.seeds < 1 || spec.seeds > MAX_SEEDS) {
    throw inputError(`--seeds: ${String(spec.seeds)} is not a whole number from 1 to ${MAX_SEEDS}`);
  }
  checkVaries(spec.varies);
  const combos = combinations(spec.varies);
  const tasks: SweepTask[] = [];
  const comboOf: number[] = [];
  const seedOf: number[] = [];
  combos.forEach((combo, ci) => {
    let raw = spec.raw;
    spec.varies.forEach((v, k) => { raw = applyAt(raw, v, v.values[combo[k]!]); });
    const label = comboLabel(spec.varies, combo);
    const scenario = validateCombo(spec, raw, ci, combos.length, label);
    const modes = spec.modes ?? scenario.modes;
    for (const mode of modes) {
      for (let s = 0; s < spec.seeds; s++) {
        const seed = scenario.seed + s;
        const seeded = applyAt(raw, { path: 'seed', segments: ['seed'] }, seed);
        tasks.push({ index: tasks.length, file: spec.file, raw: seeded, mode });
        comboOf.push(ci);
        seedOf.push(seed);
      }
    }
  });
  const fingerprint = createHash('sha256')
    .update(JSON.stringify({ raw: spec.raw, varies: spec.varies.map((v) => [v.path, v.texts]), seeds: spec.seeds, modes: spec.modes ?? null }))
    .digest('hex')
    .slice(0, 16);
  return { spec, tasks, comboOf: Int32Array.from(comboOf), seedOf: Float64Array.from(seedOf), combos, fingerprint };
}

/** Task indices of a shard: i, i + n, i + 2n, … (round robin spreads slow modes over the shards). */
export function shardTasks(total: number, shard: Shard | null): number[] {
  const out: number[] = [];
  const step = shard ? shard.count : 1;
  for (let t = shard ? shard.index : 0; t < total; t += step) out.push(t);
  return out;
}

/**
 * `--shard i/n`, or `--shard n` with i from JOB_COMPLETION_INDEX (a Kubernetes Indexed Job sets it); when
 * `--shard i/n` is given and JOB_COMPLETION_INDEX is set too, they must agree.
 */
export function parseShard(text: string | undefined, env: NodeJS.ProcessEnv = process.env): Shard | null {
  const jobIndex = env.JOB_COMPLETION_INDEX;
  if (text === undefined) return null;
  const m = /^\s*(?:(\d+)\s*\/)?\s*(\d+)\s*$/.exec(text);
  if (!m) throw inputError(`--shard ${text}: expected i/n (shard i of n, counting from 0), or n with JOB_COMPLETION_INDEX set`);
  const count = Number(m[2]);
  if (count < 1 || count > 100_000) throw inputError(`--shard ${text}: the shard count must be 1 to 100000`);
  let index: number;
  if (m[1] !== undefined) {
    index = Number(m[1]);
    if (jobIndex !== undefined && jobIndex !== '' && Number(jobIndex) !== index) {
      throw inputError(`--shard ${text}: JOB_COMPLETION_INDEX is ${jobIndex}; give --shard ${count} to take the index from it, or unset it`);
    }
  } else {
    if (jobIndex === undefined || !/^\d+$/.test(jobIndex)) {
      throw inputError(`--shard ${text}: no shard index: give --shard i/${count}, or set JOB_COMPLETION_INDEX (a Kubernetes Indexed Job does)`);
    }
    index = Number(jobIndex);
  }
  if (index >= count) throw inputError(`--shard ${index}/${count}: shards are numbered 0 to ${count - 1} (like JOB_COMPLETION_INDEX)`);
  return { index, count };
}

export interface RunOptions {
  /** 1: in this thread, one task after another. More: a tinypool pool of that many threads. Default: cores. */
  readonly workers?: number;
  readonly shard?: Shard | null;
  /** The worker module (compiled JavaScript); default ./worker.js beside this module. */
  readonly workerUrl?: URL;
  readonly onTaskDone?: (done: number, total: number) => void;
}

/** Runs the tasks of the sweep (or of one shard). Results come back indexed by task, whatever the finishing order. */
export async function runTasks(plan: PlannedSweep, opts: RunOptions = {}): Promise<TaskResult[]> {
  const workers = opts.workers ?? availableParallelism();
  if (!Number.isSafeInteger(workers) || workers < 1 || workers > 1024) throw inputError(`--workers: ${String(workers)} is not a whole number from 1 to 1024`);
  const mine = shardTasks(plan.tasks.length, opts.shard ?? null).map((i) => plan.tasks[i]!);
  let done = 0;
  const tick = (r: TaskResult) => { opts.onTaskDone?.(++done, mine.length); return r; };
  if (workers === 1 || mine.length <= 1) {
    const out: TaskResult[] = [];
    for (const t of mine) out.push(tick(await runTask(t)));
    return out;
  }
  const pool = new Tinypool({
    filename: (opts.workerUrl ?? new URL('./worker.js', import.meta.url)).href,
    minThreads: Math.min(workers, mine.length),
    maxThreads: Math.min(workers, mine.length),
  });
  try {
    return await Promise.all(mine.map((t) => (pool.run(t) as Promise<TaskResult>).then(tick)));
  } finally {
    await pool.destroy();
  }
}

// --- aggregation ----------------------------------------------------------------------------------------

/** Summary figures aggregated across seeds, in SUMMARY_COLUMNS order. */
export const FIGURES = [
  'max_nodes', 'max_pods_running', 'max_pod_ips_reserved', 'pods_unschedulable_max', 'nodes_refused', 'first_exhaustion_s',
  'peak_utilization', 'peak_reserved_utilization', 'ip_wait_p50_s', 'ip_wait_p99_s', 'ip_wait_max_s', 'pods_started', 'events',
] as const satisfies readonly (keyof SummaryRow)[];

export function sweepColumns(varies: readonly Vary[]): string[] {
  return ['combination', ...varies.map((v) => v.path), 'mode', 'cluster', 'seeds', 'runs_exhausted', 'exhaustion_causes',
    ...FIGURES.flatMap((f) => [`${f}_mean`, `${f}_p5`, `${f}_p95`])];
}

/** Nearest-rank percentile of sorted values (the same rule as the run's wait percentiles). */
function nearestRank(sorted: readonly number[], p: number): number {
  return sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1]!;
}

function csvField(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * sweep.csv from every task's summary rows (`results[t]` for task t). Groups by (combination, mode, cluster) in
 * task order; within a group values are taken in seed order, so the sums are the same on every machine.
 */
export function aggregate(plan: Pick<PlannedSweep, 'spec' | 'tasks' | 'comboOf' | 'combos'>, results: readonly (TaskResult | undefined)[]): string {
  const groups = new Map<string, { combo: number; mode: string; cluster: string; rows: SummaryRow[] }>();
  for (let t = 0; t < plan.tasks.length; t++) {
    const r = results[t];
    if (r === undefined) throw inputError(`sweep: the result of run ${t} is missing`);
    const combo = plan.comboOf[t]!;
    for (const row of r.summary) {
      if (row.pool) continue; // node pool rows: the sweep aggregates clusters
      const key = `${combo}\u0000${plan.tasks[t]!.mode}\u0000${row.cluster}`;
      let g = groups.get(key);
      if (!g) {
        g = { combo, mode: plan.tasks[t]!.mode, cluster: row.cluster, rows: [] };
        groups.set(key, g);
      }
      g.rows.push(row);
    }
  }
  const varies = plan.spec.varies;
  const lines = [sweepColumns(varies).map(csvField).join(',')];
  for (const g of groups.values()) {
    const combo = plan.combos[g.combo]!;
    const causes = new Map<string, number>();
    let exhausted = 0;
    for (const r of g.rows) {
      if (r.first_exhaustion_s === null) continue;
      exhausted++;
      const c = r.first_exhaustion_cause ?? '';
      causes.set(c, (causes.get(c) ?? 0) + 1);
    }
    const cells: string[] = [String(g.combo + 1), ...varies.map((v, k) => v.texts[combo[k]!]!), g.mode, g.cluster, String(g.rows.length), String(exhausted),
      [...causes.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([c, n]) => `${c}:${n}`).join(' ')];
    for (const f of FIGURES) {
      const vals: number[] = [];
      for (const r of g.rows) {
        const v = r[f];
        if (typeof v === 'number') vals.push(v);
      }
      if (vals.length === 0) {
        cells.push('', '', '');
        continue;
      }
      let sum = 0;
      for (const v of vals) sum += v;
      const sorted = [...vals].sort((a, b) => a - b);
      cells.push(cell(sum / vals.length), cell(nearestRank(sorted, 5)), cell(nearestRank(sorted, 95)));
    }
    lines.push(cells.map(csvField).join(','));
  }
  return `${lines.join('\n')}\n`;
}

// --- shards -----------------------------------------------------------------------------------------------

export const SHARD_FORMAT = 'cnisim-sweep-shard';
export const SHARD_VERSION = 1;

interface ShardFile {
  format: string;
  version: number;
  fingerprint: string;
  shard: Shard;
  tasks: number;
  file: string;
  varies: { path: string; values: string[] }[];
  seeds: number;
  modes: string[] | null;
  /** Per task: its combination and mode, so merge rebuilds the grouping without the scenario. */
  plan: { comboOf: number[]; modeOf: string[] };
  results: TaskResult[];
}

export function shardFileName(shard: Shard): string {
  return `sweep.shard-${shard.index}-of-${shard.count}.json`;
}

/** A shard's partial output: its tasks' raw summary rows plus what `merge` needs to check and rebuild the sweep. */
export function shardJson(plan: PlannedSweep, shard: Shard, results: readonly TaskResult[]): string {
  const body: ShardFile = {
    format: SHARD_FORMAT,
    version: SHARD_VERSION,
    fingerprint: plan.fingerprint,
    shard,
    tasks: plan.tasks.length,
    file: plan.spec.file,
    varies: plan.spec.varies.map((v) => ({ path: v.path, values: [...v.texts] })),
    seeds: plan.spec.seeds,
    modes: plan.spec.modes ? [...plan.spec.modes] : null,
    plan: { comboOf: [...plan.comboOf], modeOf: plan.tasks.map((t) => t.mode) },
    results: [...results],
  };
  return `${JSON.stringify(body)}\n`;
}

/** Reads shard files, checks they are the n distinct shards of one sweep, and writes the sweep.csv of the whole. */
export function mergeShards(paths: readonly string[]): string {
  if (paths.length === 0) throw inputError('merge: no shard files given; pass every sweep.shard-<i>-of-<n>.json of the sweep');
  type Parsed = ShardFile;
  const shards: Parsed[] = paths.map((p) => {
    let body: Parsed;
    try {
      body = JSON.parse(readFileSync(p, 'utf8')) as Parsed;
    } catch (err) {
      throw inputError(`merge: ${p}: cannot be read as a sweep shard (${(err as Error).message})`, { cause: err });
    }
    if (body?.format !== SHARD_FORMAT || body.version !== SHARD_VERSION) throw inputError(`merge: ${p} is not a cnisim sweep shard (version ${SHARD_VERSION}); write shards with cnisim sweep --shard i/n`);
    return body;
  });
  const first = shards[0]!;
  const n = first.shard.count;
  const seen = new Map<number, string>();
  shards.forEach((s, i) => {
    if (s.fingerprint !== first.fingerprint) throw inputError(`merge: ${paths[i]} belongs to another sweep than ${paths[0]} (different scenario, --vary, --seeds or --modes)`);
    if (s.shard.count !== n) throw inputError(`merge: ${paths[i]} is shard ${s.shard.index} of ${s.shard.count}, ${paths[0]} of ${n}`);
    const had = seen.get(s.shard.index);
    if (had !== undefined) throw inputError(`merge: shard ${s.shard.index} of ${n} is given twice (${had} and ${paths[i]})`);
    seen.set(s.shard.index, paths[i]!);
  });
  const missing: number[] = [];
  for (let i = 0; i < n; i++) if (!seen.has(i)) missing.push(i);
  if (missing.length) throw inputError(`merge: shard${missing.length > 1 ? 's' : ''} ${missing.join(', ')} of ${n} missing; pass all ${n} shard files`);
  const results: (TaskResult | undefined)[] = new Array(first.tasks);
  shards.forEach((s, i) => {
    for (const r of s.results) {
      if (!Number.isInteger(r.index) || r.index < 0 || r.index >= first.tasks || r.index % n !== s.shard.index) {
        throw inputError(`merge: ${paths[i]} holds run ${r.index}, which is not a run of shard ${s.shard.index} of ${n}`);
      }
      results[r.index] = r;
    }
  });
  const varies: Vary[] = first.varies.map((v) => ({ path: v.path, segments: [], values: v.values, texts: v.values }));
  const combos = combinations(varies);
  const tasks = first.plan.modeOf.map((mode, index) => ({ index, file: first.file, raw: null, mode }));
  return aggregate({ spec: { file: first.file, raw: null, varies, seeds: first.seeds }, tasks, comboOf: Int32Array.from(first.plan.comboOf), combos }, results);
}
