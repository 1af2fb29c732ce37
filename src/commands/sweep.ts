/**
 * `cnisim sweep <scenario> --vary <path>=<v1,v2,…> … --seeds N [--workers N] [--shard i/n] [--out DIR]`: every
 * combination × mode × seed on a worker pool; writes sweep.csv, or with --shard one slice's partial file for
 * `cnisim merge`.
 */
import { basename, join } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { exampleText, modesFlag, wholeFlag } from './flags.js';
import { readScenarioFile } from '../scenario/read.js';
import { ensureWritable, writeFilesAtomically } from '../report/csv.js';
import { parseVary } from '../sweep/vary.js';
import { aggregate, parseShard, planSweep, runTasks, shardFileName, shardJson, type Shard } from '../sweep/sweep.js';

const EXAMPLES = exampleText([
  ['cnisim sweep scenarios/static-block-waste.yaml \\\n      --vary nodePools[0].maxPods=30,31,32 --seeds 3', 'three max-pods values, three seeds each'],
  ['cnisim sweep scenarios/aks-modes.yaml \\\n      --vary parameters.dynamic.batchSize=8,16,32 --shard 0/4', 'one of four slices; join them with cnisim merge'],
]);

export interface SweepArgs {
  scenario: string;
  vary?: string[] | string;
  seeds?: string | number;
  workers?: string | number;
  shard?: string;
  mode?: string;
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
  const modes = modesFlag(argv, { all: true });
  const seeds = wholeFlag('seeds', argv.seeds, { min: 1 }) ?? 1;
  const workers = wholeFlag('workers', argv.workers, { min: 1, max: 1024 });
  const shard = parseShard(argv.shard, opts.env ?? process.env);
  const raw = readScenarioFile(argv.scenario);
  const plan = planSweep({ file: argv.scenario, raw, varies, seeds, modes });
  const rawName = (raw as { name?: unknown }).name;
  const name = typeof rawName === 'string' && /^[a-z0-9][a-z0-9._-]*$/.test(rawName) ? rawName : basename(argv.scenario).replace(/\.(ya?ml|json)$/i, '').toLowerCase().replace(/[^a-z0-9._-]/g, '-') || 'sweep';
  const out = argv.out ?? join('results', `${name}-sweep`);
  ensureWritable(out);
  const mine = shard ? Math.ceil((plan.tasks.length - shard.index) / shard.count) : plan.tasks.length;
  const modeRuns = plan.combos.length > 0 ? plan.tasks.length / (plan.combos.length * seeds) : 0;
  opts.log?.(`sweep: ${plan.combos.length} combination(s) × ${modeRuns} mode(s) × ${seeds} seed(s) = ${plan.tasks.length} runs${shard ? `; shard ${shard.index}/${shard.count} runs ${mine}` : ''}`);
  const results = await runTasks(plan, { workers, shard, workerUrl: opts.workerUrl });
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
      .option('seeds', { type: 'string', describe: 'runs per combination and mode, default 1 (seeds: the scenario\'s seed + 0 … N−1)' })
      .option('workers', { type: 'string', describe: 'worker threads (default: the machine\'s cores; 1 runs in this process)' })
      .option('shard', { type: 'string', describe: 'run one slice: i/n (counting from 0), or n with JOB_COMPLETION_INDEX as i; writes sweep.shard-<i>-of-<n>.json' })
      .option('modes', { type: 'string', alias: 'mode', describe: 'comma-separated modes, or all (default: the scenario\'s)' })
      .option('out', { type: 'string', describe: 'output folder (default results/<name>-sweep)' })
      .option('quiet', { type: 'boolean', default: false, describe: 'print nothing but errors' })
      .epilogue(EXAMPLES) as unknown as Argv<SweepArgs>,
  handler: async (argv) => {
    const log = argv.quiet ? undefined : (line: string) => process.stderr.write(`${line}\n`);
    const r = await sweepCommand(argv, { log });
    if (!argv.quiet) process.stdout.write(`${r.runs} of ${r.totalRuns} runs done; wrote ${r.files.join(', ')}\n`);
  },
};
