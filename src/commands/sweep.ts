/**
 * `cnisim sweep <scenario> --vary <path>=<v1,v2,…> … --seeds N [--workers N] [--shard i/n] [--out DIR]`: every
 * combination × mode × seed on a worker pool; writes sweep.csv, or with --shard one slice's partial file for
 * `cnisim merge`.
 */
import { basename, join } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { inputError } from '../errors.js';
import { MODE_NAMES } from '../alloc/registry.js';
import { readScenarioFile } from '../scenario/read.js';
import { ensureWritable, writeFilesAtomically } from '../report/csv.js';
import { parseVary } from '../sweep/vary.js';
import { aggregate, parseShard, planSweep, runTasks, shardFileName, shardJson, type Shard } from '../sweep/sweep.js';

export interface SweepArgs {
  scenario: string;
  vary?: string[] | string;
  seeds?: number;
  workers?: number;
  shard?: string;
  modes?: string;
  out?: string;
  quiet?: boolean;
}

export interface SweepOutcome {
  /** Files written. */
  readonly files: string[];
  /** Runs done by this process (all, or the shard's). */
  readonly runs: number;
  readonly totalRuns: number;
  readonly combinations: number;
  readonly shard: Shard | null;
}

/** Runs the sweep the arguments describe and writes its output; `workerUrl` points tests at compiled JavaScript. */
export async function sweepCommand(argv: SweepArgs, opts: { env?: NodeJS.ProcessEnv; workerUrl?: URL; log?: (line: string) => void } = {}): Promise<SweepOutcome> {
  const varyTexts = argv.vary === undefined ? [] : Array.isArray(argv.vary) ? argv.vary : [argv.vary];
  const varies = varyTexts.map(parseVary);
  let modes: string[] | undefined;
  if (argv.modes !== undefined) {
    modes = argv.modes.split(',').map((m) => m.trim()).filter((m) => m !== '');
    const bad = modes.filter((m) => !MODE_NAMES.includes(m));
    if (modes.length === 0 || bad.length) throw inputError(`--modes: ${bad.length ? `unknown mode ${bad.map((b) => `"${b}"`).join(', ')}` : 'no mode given'}; expected a comma-separated list of ${MODE_NAMES.join(', ')}`);
  }
  const shard = parseShard(argv.shard, opts.env ?? process.env);
  const raw = readScenarioFile(argv.scenario);
  const plan = planSweep({ file: argv.scenario, raw, varies, seeds: argv.seeds ?? 1, modes });
  const rawName = (raw as { name?: unknown }).name;
  const name = typeof rawName === 'string' && /^[a-z0-9][a-z0-9._-]*$/.test(rawName) ? rawName : basename(argv.scenario).replace(/\.(ya?ml|json)$/i, '').toLowerCase().replace(/[^a-z0-9._-]/g, '-') || 'sweep';
  const out = argv.out ?? join('results', `${name}-sweep`);
  ensureWritable(out);
  const mine = shard ? Math.ceil((plan.tasks.length - shard.index) / shard.count) : plan.tasks.length;
  const seeds = argv.seeds ?? 1;
  const modeRuns = plan.combos.length > 0 ? plan.tasks.length / (plan.combos.length * seeds) : 0;
  opts.log?.(`sweep: ${plan.combos.length} combination(s) × ${modeRuns} mode(s) × ${seeds} seed(s) = ${plan.tasks.length} runs${shard ? `; shard ${shard.index}/${shard.count} runs ${mine}` : ''}`);
  const results = await runTasks(plan, { workers: argv.workers, shard, workerUrl: opts.workerUrl });
  let files: string[];
  if (shard) {
    files = writeFilesAtomically(out, new Map([[shardFileName(shard), shardJson(plan, shard, results)]]));
  } else {
    const byIndex = new Array<(typeof results)[number]>(plan.tasks.length);
    for (const r of results) byIndex[r.index] = r;
    files = writeFilesAtomically(out, new Map([['sweep.csv', aggregate(plan, byIndex)]]));
  }
  return { files, runs: results.length, totalRuns: plan.tasks.length, combinations: plan.combos.length, shard };
}

export const sweepModule: CommandModule<object, SweepArgs> = {
  command: 'sweep <scenario>',
  describe: 'run every combination of --vary values × mode × seed in parallel; write sweep.csv',
  builder: (y: Argv<object>) =>
    y
      .positional('scenario', { type: 'string', demandOption: true, describe: 'scenario file (YAML or JSON)' })
      .option('vary', { type: 'string', array: true, describe: 'path=v1,v2,… applied to the scenario before validation, e.g. nodePools[0].maxPods=30,31,32 (repeatable)' })
      .option('seeds', { type: 'number', default: 1, describe: 'runs per combination and mode (seeds: the scenario\'s seed + 0 … N−1)' })
      .option('workers', { type: 'number', describe: 'worker threads (default: the machine\'s cores; 1 runs in this process)' })
      .option('shard', { type: 'string', describe: 'run one slice: i/n (counting from 0), or n with JOB_COMPLETION_INDEX as i; writes sweep.shard-<i>-of-<n>.json' })
      .option('modes', { type: 'string', describe: 'comma-separated modes (default: the scenario\'s)' })
      .option('out', { type: 'string', describe: 'output folder (default results/<name>-sweep)' })
      .option('quiet', { type: 'boolean', default: false, describe: 'print nothing but errors' })
      .example('$0 sweep scenarios/static-block-waste.yaml --vary nodePools[0].maxPods=30,31,32 --seeds 3', 'three max-pods values, three seeds each')
      .example('$0 sweep scenarios/aks-modes.yaml --vary parameters.dynamic.batchSize=8,16,32 --shard 0/4', 'one of four slices; join them with cnisim merge') as unknown as Argv<SweepArgs>,
  handler: async (argv) => {
    const log = argv.quiet ? undefined : (line: string) => process.stderr.write(`${line}\n`);
    const r = await sweepCommand(argv, { log });
    if (!argv.quiet) process.stdout.write(`${r.runs} of ${r.totalRuns} runs done; wrote ${r.files.join(', ')}\n`);
  },
};
