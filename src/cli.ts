#!/usr/bin/env node
/**
 * The `cnisim` command line. Every command validates its input first; only this file turns errors into exit
 * codes: 0 ran (running out of addresses is a result), 2 bad input or a resource limit, 1 internal error,
 * 130/143 interrupted by SIGINT/SIGTERM. No stack trace is printed unless --debug is given. A run writes its
 * files only once it has completed (temporary files renamed), so a refused, failed or interrupted run leaves
 * earlier results untouched.
 *
 * Start-up: this file imports only what every command needs (errors, units, node builtins); each command loads
 * its own modules when it runs (`await import`), so `--version` loads no YAML parser, schema library, progress bar
 * or worker pool, and `validate` no HTML writer. `--version` answers without loading yargs at all. See the
 * `startup` suite in bench/ for what that buys.
 */
import type { Argv, CommandModule } from 'yargs';
import { readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CnisimError, exitCodeOf, inputError } from './errors.js';
import type { Scenario } from './scenario/index.js';
import { formatDuration } from './units.js';
import { HELP_WIDTH } from './commands/width.js';

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

/** The modules `run` uses, loaded when it runs. */
async function runLib() {
  const [scenario, read, sim, csv, html, table, estimate, progress] = await Promise.all([
    import('./scenario/index.js'), import('./scenario/read.js'), import('./sim/run.js'), import('./report/csv.js'),
    import('./report/html.js'), import('./report/table.js'), import('./sim/estimate.js'), import('./report/progress.js'),
  ]);
  const { loadScenario, validateScenario } = scenario;
  const { readScenarioFile, isPlainObject } = read;
  return {
    loadScenario, validateScenario, readScenarioFile, isPlainObject, simulate: sim.simulate, ensureWritable: csv.ensureWritable,
    resultFiles: csv.resultFiles, writeFilesAtomically: csv.writeFilesAtomically, renderReport: html.renderReport,
    runSummary: table.runSummary, estimateRun: estimate.estimateRun, DEFAULT_LIMITS: estimate.DEFAULT_LIMITS, Progress: progress.Progress,
  };
}
type RunLib = Awaited<ReturnType<typeof runLib>>;

/** Loads a scenario with command-line overrides applied before validation, so every rule sees them. */
function loadWithOverrides(path: string, o: Overrides, { loadScenario, readScenarioFile, isPlainObject, validateScenario }: RunLib): Scenario {
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

function overridesFrom(argv: { mode?: string; modes?: string; seed?: string | number; 'sample-every'?: string }, flags: typeof import('./commands/flags.js')): Overrides {
  const o: Overrides = {};
  const modes = flags.modesFlag(argv, { all: true });
  if (modes !== undefined) o.modes = modes;
  const seed = flags.wholeFlag('seed', argv.seed);
  if (seed !== undefined) o.seed = seed;
  const every = flags.durationFlag('sample-every', argv['sample-every']);
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
function limitFlag(flags: typeof import('./commands/flags.js'), name: string, v: string | number | undefined, fallback: number): number {
  return flags.positiveFlag(name, v) ?? fallback;
}

/**
 * `cnisim run`: validates the scenario and the flags, refuses a run beyond the resource limits, checks the
 * output folder, runs every mode, and only then writes the CSV files (temporary names, renamed). Throws
 * CnisimError: 'input'/'limit' before anything runs, 'internal' for a broken invariant, 'interrupted' on a signal.
 */
export async function runCommand(argv: RunArgs): Promise<void> {
  const [lib, flags] = await Promise.all([runLib(), import('./commands/flags.js')]);
  const { DEFAULT_LIMITS, ensureWritable, estimateRun, Progress, renderReport, resultFiles, simulate, runSummary, writeFilesAtomically } = lib;
  const limits = {
    maxEvents: limitFlag(flags, 'max-events', argv['max-events'], DEFAULT_LIMITS.maxEvents),
    maxMemoryMb: limitFlag(flags, 'max-memory', argv['max-memory'], DEFAULT_LIMITS.maxMemoryMb),
  };
  const scenario = loadWithOverrides(argv.scenario, overridesFrom(argv, flags), lib);
  for (const w of scenario.warnings) process.stderr.write(`warning: ${scenario.file}: ${w.path}: ${w.message}\n`);
  checkLimits(scenario, limits, estimateRun(scenario));
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

/** Refuses (CnisimError 'limit', exit 2) a run whose estimate (sim/estimate.ts) exceeds the limits, naming the flag to raise. */
export function checkLimits(scenario: Scenario, limits: { maxEvents: number; maxMemoryMb: number }, est: { events: number; memoryMb: number; explain: string }): void {
  if (est.events > limits.maxEvents) {
    throw new CnisimError('limit', `${scenario.file}: this run would process about ${est.events.toExponential(1)} events, above the limit of ${limits.maxEvents.toExponential(1)} (${est.explain}). Raise --max-events, or shorten duration / lower churn rates.`);
  }
  if (est.memoryMb > limits.maxMemoryMb) {
    throw new CnisimError('limit', `${scenario.file}: this run would need about ${Math.ceil(est.memoryMb)} MB, above the limit of ${limits.maxMemoryMb} MB (${est.explain}). Raise --max-memory, or reduce pods, nodes or samples.`);
  }
}

async function validateCommand(argv: { scenario: string }): Promise<void> {
  const { loadScenario } = await import('./scenario/index.js');
  const scenario = loadScenario(argv.scenario);
  for (const w of scenario.warnings) process.stderr.write(`warning: ${scenario.file}: ${w.path}: ${w.message}\n`);
  (await import('./sim/preflight.js')).preflight(scenario);
  const pools = scenario.clusters.reduce((n, c) => n + c.pools.length, 0);
  process.stdout.write(`${scenario.file}: valid — ${scenario.clusters.length} cluster(s), ${pools} node pool(s), modes ${scenario.modes.join(', ')}, ${formatDuration(scenario.durationMs)} sampled every ${formatDuration(scenario.sampleEveryMs)}\n`);
}

async function modesCommand(): Promise<void> {
  const { describeModes } = await import('./alloc/describe.js');
  process.stdout.write(describeModes());
}

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

/** The version in the package.json above this file (dist/ or src/; dist-bench/src/ two levels down). */
function version(): string {
  for (const up of ['../package.json', '../../package.json']) {
    try {
      return (JSON.parse(readFileSync(fileURLToPath(new URL(up, import.meta.url)), 'utf8')) as { version: string }).version;
    } catch {
      // not there: one level further up
    }
  }
  return 'unknown';
}

/**
 * Every command, and how to load it: `run`, `validate` and `modes` are defined here (their modules are imported
 * when they run), the others in src/commands/ (imported only when named, or for the full --help).
 */
const COMMANDS: Record<string, () => Promise<CommandModule>> = {
  run: async () => {
    const [{ MODE_NAMES }, { DEFAULT_LIMITS }, { exampleText }] = await Promise.all([import('./alloc/registry.js'), import('./sim/estimate.js'), import('./commands/flags.js')]);
    return {
      command: 'run <scenario>',
      describe: 'run a scenario under each mode and write CSV results',
      builder: (y: Argv) =>
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
          .epilogue(exampleText([
            ['cnisim run scenarios/aks-modes.yaml', 'compare the five modes on a growing cluster'],
            ['cnisim run scenarios/aks-modes.yaml --modes overlay,azure --seed 7', 'two modes, another seed'],
          ])),
      handler: (argv) => runCommand(argv as unknown as RunArgs),
    };
  },
  validate: async () => ({
    command: 'validate <scenario>', describe: 'check a scenario file without running it', builder: scenarioArg,
    handler: (argv) => validateCommand(argv as unknown as { scenario: string }),
  }),
  modes: async () => ({ command: 'modes', describe: 'list the allocation modes with their rules and defaults', handler: () => modesCommand() }),
  plan: async () => (await import('./commands/plan.js')).planModule as unknown as CommandModule,
  sweep: async () => (await import('./commands/sweep.js')).sweepModule as unknown as CommandModule,
  merge: async () => (await import('./commands/merge.js')).mergeModule as unknown as CommandModule,
  'from-az': async () => (await import('./commands/from-az.js')).fromAzModule as unknown as CommandModule,
  'from-cluster': async () => (await import('./commands/from-cluster.js')).fromClusterModule as unknown as CommandModule,
};

/** The command a command line names: its first word that is not an option (the only top-level options are flags). */
function commandOf(args: string[]): string | undefined {
  return args.find((a) => !a.startsWith('-'));
}

async function dispatch(args: string[]): Promise<void> {
  // `--version` alone needs nothing but package.json.
  if (args.length === 1 && args[0] === '--version') {
    process.stdout.write(`${version()}\n`);
    return;
  }
  const named = commandOf(args);
  // A command named on the line loads only itself; anything else (--help, a typo) loads them all to list them.
  const names = named !== undefined && Object.hasOwn(COMMANDS, named) ? [named] : Object.keys(COMMANDS);
  const [{ default: yargs }, modules] = await Promise.all([import('yargs'), Promise.all(names.map((n) => COMMANDS[n]!()))]);
  let cli = yargs(args)
    .scriptName('cnisim')
    .exitProcess(false)
    .usage('$0 <command> [options]\n\nSimulates Kubernetes CNI address allocation (AKS, EKS, GKE and self-managed modes) over time.')
    .option('debug', { type: 'boolean', default: false, describe: 'print stack traces of errors' });
  for (const m of modules) cli = cli.command(m);
  cli = cli
    .demandCommand(1, 'name a command: run, validate, modes, plan, sweep, merge, from-az or from-cluster')
    .strict()
    .recommendCommands()
    .help()
    .alias('h', 'help')
    .version(version())
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
}

const invokedAs = process.argv[1] === undefined ? '' : realpathSync(process.argv[1]);
if (invokedAs === fileURLToPath(import.meta.url)) {
  // Output piped into a command that stops reading (`cnisim modes | head`) is not an error.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
  runCli(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
