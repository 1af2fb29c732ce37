#!/usr/bin/env node
/**
 * The `cnisim` command line. Every command validates its input first; only this file turns errors into exit
 * codes: 0 ran (running out of addresses is a result), 2 bad input or a resource limit, 1 internal error,
 * 130/143 interrupted by SIGINT/SIGTERM. No stack trace is printed unless --debug is given. A run writes its
 * files only once it has completed (temporary files renamed), so a refused, failed or interrupted run leaves
 * earlier results untouched.
 */
import { describeModes } from './alloc/describe.js';
import yargs, { type Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { join } from 'node:path';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CnisimError, exitCodeOf, inputError } from './errors.js';
import { MODE_NAMES } from './alloc/registry.js';
import { loadScenario, validateScenario, type Scenario } from './scenario/index.js';
import { readScenarioFile, isPlainObject } from './scenario/read.js';
import { simulate } from './sim/run.js';
import { ensureWritable, resultFiles, writeFilesAtomically } from './report/csv.js';
import { renderReport } from './report/html.js';
import { runSummary } from './report/table.js';
import { formatDuration } from './units.js';
import { durationFlag, exampleText, HELP_WIDTH, modesFlag, positiveFlag, wholeFlag } from './commands/flags.js';
import { estimateRun, DEFAULT_LIMITS } from './sim/estimate.js';
import { Progress } from './report/progress.js';
import { planModule } from './commands/plan.js';
import { sweepModule } from './commands/sweep.js';
import { mergeModule } from './commands/merge.js';
import { fromAzModule } from './commands/from-az.js';

let debug = process.argv.includes('--debug');

/** Prints an error the way a user should see it and returns the exit code. */
function report(err: unknown): number {
  const code = exitCodeOf(err);
  if (err instanceof CnisimError && err.code !== 'internal') {
    process.stderr.write(`cnisim: ${err.message}\n`);
    if (debug && err.stack) process.stderr.write(`${err.stack}\n`);
  } else {
    const msg = err instanceof Error ? err.message : String(err);
    process.stderr.write(`cnisim: internal error: ${msg}\n`);
    if (debug && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
    else process.stderr.write('(run again with --debug for the stack trace; please report it)\n');
  }
  return code;
}

interface Overrides {
  modes?: string[];
  seed?: number;
  sampleEveryMs?: number;
}

/** Loads a scenario with command-line overrides applied before validation, so every rule sees them. */
function loadWithOverrides(path: string, o: Overrides): Scenario {
  if (o.modes === undefined && o.seed === undefined && o.sampleEveryMs === undefined) return loadScenario(path);
  const raw = readScenarioFile(path);
  if (isPlainObject(raw)) {
    const r = raw as Record<string, unknown>;
    if (o.modes !== undefined) r.modes = o.modes;
    if (o.seed !== undefined) r.seed = o.seed;
    if (o.sampleEveryMs !== undefined) r.sampleEvery = o.sampleEveryMs / 1000;
  }
  return validateScenario(raw, path);
}

function overridesFrom(argv: { mode?: string; modes?: string; seed?: string | number; 'sample-every'?: string }): Overrides {
  const o: Overrides = {};
  const modes = modesFlag(argv, { all: true });
  if (modes !== undefined) o.modes = modes;
  const seed = wholeFlag('seed', argv.seed);
  if (seed !== undefined) o.seed = seed;
  const every = durationFlag('sample-every', argv['sample-every']);
  if (every !== undefined) o.sampleEveryMs = every;
  return o;
}

export interface RunArgs {
  scenario: string;
  mode?: string;
  modes?: string;
  seed?: string | number;
  out?: string;
  'sample-every'?: string;
  quiet?: boolean;
  check?: boolean;
  'max-events'?: string | number;
  'max-memory'?: string | number;
}

/** A limit flag's value: a positive number, or the default when absent. */
function limitFlag(name: string, v: string | number | undefined, fallback: number): number {
  return positiveFlag(name, v) ?? fallback;
}

/**
 * `cnisim run`: validates the scenario and the flags, refuses a run beyond the resource limits, checks the
 * output folder, runs every mode, and only then writes the CSV files (temporary names, renamed). Throws
 * CnisimError: 'input'/'limit' before anything runs, 'internal' for a broken invariant, 'interrupted' on a signal.
 */
export async function runCommand(argv: RunArgs): Promise<void> {
  const limits = {
    maxEvents: limitFlag('max-events', argv['max-events'], DEFAULT_LIMITS.maxEvents),
    maxMemoryMb: limitFlag('max-memory', argv['max-memory'], DEFAULT_LIMITS.maxMemoryMb),
  };
  const scenario = loadWithOverrides(argv.scenario, overridesFrom(argv));
  for (const w of scenario.warnings) process.stderr.write(`warning: ${scenario.file}: ${w.path}: ${w.message}\n`);
  checkLimits(scenario, limits);
  const out = argv.out ?? join('results', scenario.name);
  ensureWritable(out);

  let signal: NodeJS.Signals | null = null;
  const onSignal = (s: NodeJS.Signals) => {
    signal = s;
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const interrupted = () => new CnisimError('interrupted', `interrupted by ${signal ?? 'a signal'}; nothing was written`, { cause: signal === 'SIGTERM' ? 143 : 130 });
  const progress = new Progress(!argv.quiet && process.stderr.isTTY === true);
  const started = Date.now();
  try {
    let result;
    try {
      result = await simulate(scenario, {
        check: argv.check ?? false,
        shouldStop: () => signal !== null,
        onProgress: (f, mode) => progress.update(f, mode),
      });
    } catch (err) {
      if (err instanceof CnisimError && err.code === 'interrupted') throw interrupted();
      if (err instanceof CnisimError && err.code === 'internal') {
        throw new CnisimError('internal', `${scenario.file}: ${err.message}; no results were written`, { cause: err });
      }
      throw err;
    } finally {
      progress.stop();
    }
    // A signal that came after the last look at the flag still stops the run before anything is written.
    if (signal !== null) throw interrupted();
    const outputs = resultFiles(result);
    outputs.set('report.html', renderReport(result, scenario));
    const files = writeFilesAtomically(out, outputs);
    if (!argv.quiet) {
      process.stdout.write(`${scenario.name}: ${formatDuration(scenario.durationMs)} simulated, seed ${scenario.seed}, ${result.eventsProcessed.toLocaleString('en-US')} events in ${((Date.now() - started) / 1000).toFixed(1)} s\n\n`);
      process.stdout.write(`${runSummary(result.summary)}\n\n`);
      process.stdout.write(`wrote ${files.join(', ')}\n`);
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** Refuses (CnisimError 'limit', exit 2) a run whose estimate exceeds the limits, naming the flag to raise. */
export function checkLimits(scenario: Scenario, limits: { maxEvents: number; maxMemoryMb: number }): void {
  const est = estimateRun(scenario);
  if (est.events > limits.maxEvents) {
    throw new CnisimError('limit', `${scenario.file}: this run would process about ${est.events.toExponential(1)} events, above the limit of ${limits.maxEvents.toExponential(1)} (${est.explain}). Raise --max-events, or shorten duration / lower churn rates.`);
  }
  if (est.memoryMb > limits.maxMemoryMb) {
    throw new CnisimError('limit', `${scenario.file}: this run would need about ${Math.ceil(est.memoryMb)} MB, above the limit of ${limits.maxMemoryMb} MB (${est.explain}). Raise --max-memory, or reduce pods, nodes or samples.`);
  }
}

function validateCommand(argv: { scenario: string }): void {
  const scenario = loadScenario(argv.scenario);
  for (const w of scenario.warnings) process.stderr.write(`warning: ${scenario.file}: ${w.path}: ${w.message}\n`);
  const pools = scenario.clusters.reduce((n, c) => n + c.pools.length, 0);
  process.stdout.write(`${scenario.file}: valid — ${scenario.clusters.length} cluster(s), ${pools} node pool(s), modes ${scenario.modes.join(', ')}, ${formatDuration(scenario.durationMs)} sampled every ${formatDuration(scenario.sampleEveryMs)}\n`);
}

function modesCommand(): void {
  process.stdout.write(describeModes());
}

const RUN_EXAMPLES = exampleText([
  ['cnisim run scenarios/aks-modes.yaml', 'compare the five modes on a growing cluster'],
  ['cnisim run scenarios/aks-modes.yaml --modes overlay,azure --seed 7', 'two modes, another seed'],
]);

const scenarioArg = (y: Argv) => y.positional('scenario', { type: 'string', demandOption: true, describe: 'scenario file (YAML or JSON)' });

/** Runs the command line `args` (without node and script); returns the exit code. Never calls process.exit. */
export async function runCli(args: string[]): Promise<number> {
  debug = args.includes('--debug');
  return exitCode(() => dispatch(args));
}

/** Runs `fn` and turns its outcome into an exit code, printing any error the way a user should see it. */
export async function exitCode(fn: () => Promise<void> | void): Promise<number> {
  try {
    await fn();
    return 0;
  } catch (err) {
    if (err instanceof CnisimError && err.code === 'interrupted') {
      process.stderr.write(`cnisim: ${err.message}\n`);
      return typeof err.cause === 'number' ? err.cause : 130;
    }
    return report(err);
  }
}

async function dispatch(args: string[]): Promise<void> {
  const cli = yargs(args)
    .scriptName('cnisim')
    .exitProcess(false)
    .usage('$0 <command> [options]\n\nSimulates Kubernetes CNI address allocation (AKS modes) over time.')
    .option('debug', { type: 'boolean', default: false, describe: 'print stack traces of errors' })
    .command('run <scenario>', 'run a scenario under each mode and write CSV results', (y) =>
      scenarioArg(y)
        .option('modes', { type: 'string', alias: 'mode', describe: `comma-separated modes to run (${MODE_NAMES.join(', ')}), or all; default: the scenario's` })
        .option('seed', { type: 'string', describe: 'random seed, a whole number ≥ 0 (default: the scenario\'s)' })
        .option('out', { type: 'string', describe: 'results folder (default: results/<scenario name>)' })
        .option('sample-every', { type: 'string', describe: 'sample interval, e.g. 30s or 5m (default: the scenario\'s)' })
        .option('quiet', { type: 'boolean', default: false, describe: 'print nothing but errors; no progress bar' })
        .option('check', {
          type: 'boolean', default: false,
          describe: 'verify the allocator contract as the run goes (exit 1 on a broken invariant): counters and conservation '
            + 'after every event; a full recount of pools and tables at every sample and after every event of small runs, '
            + 'every k-th event of large ones (k = table size / 16); about 2-5x slower',
        })
        .option('max-events', { type: 'string', describe: `refuse runs estimated to process more events (default ${DEFAULT_LIMITS.maxEvents.toExponential()})` })
        .option('max-memory', { type: 'string', describe: `refuse runs estimated to need more memory, in MB (default ${DEFAULT_LIMITS.maxMemoryMb})` })
        .epilogue(RUN_EXAMPLES),
    )
    .command('validate <scenario>', 'check a scenario file without running it', scenarioArg)
    .command('modes', 'list the allocation modes with their rules and defaults')
    .command(planModule)
    .command(sweepModule)
    .command(mergeModule)
    .command(fromAzModule)
    .demandCommand(1, 'name a command: run, validate, modes, plan, sweep, merge or from-az')
    .strict()
    .recommendCommands()
    .help()
    .alias('h', 'help')
    .version()
    .wrap(Math.min(HELP_WIDTH, process.stdout.columns ?? HELP_WIDTH))
    .fail((msg, err) => {
      if (err) throw err;
      const text = /^Did you mean/.test(msg) ? `unknown command "${String(args.find((a) => !a.startsWith('-')) ?? '')}". ${msg}` : msg;
      throw inputError(`${text}\n(see cnisim --help)`);
    });
  // Help and version text come back through the callback and go out through process.stdout (not console.log).
  let shown = '';
  const argv = await cli.parseAsync(args, {}, (_err, _argv, output) => {
    shown = output;
  });
  if (shown !== '') process.stdout.write(`${shown}\n`);
  debug = argv.debug as boolean;
  if (argv.help === true || argv.version === true) return; // yargs printed them
  const [command] = argv._ as string[];
  switch (command) {
    case 'run':
      return runCommand(argv as unknown as RunArgs);
    case 'validate':
      return validateCommand(argv as unknown as { scenario: string });
    case 'modes':
      return modesCommand();
  }
}

const invokedAs = process.argv[1] === undefined ? '' : realpathSync(process.argv[1]);
if (invokedAs === fileURLToPath(import.meta.url)) {
  // Output piped into a command that stops reading (`cnisim modes | head`) is not an error.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
  runCli(hideBin(process.argv)).then((code) => {
    process.exitCode = code;
  });
}
