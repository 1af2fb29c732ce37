#!/usr/bin/env node
/**
 * The `cnisim` command line. Every command validates its input first; only this file turns errors into exit
 * codes: 0 ran (running out of addresses is a result), 2 bad input, 1 internal error, 130/143 interrupted.
 */
import yargs, { type Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { join } from 'node:path';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CnisimError, exitCodeOf, inputError } from './errors.js';
import { MODE_INFOS, MODE_NAMES } from './alloc/modes.js';
import { loadScenario, validateScenario, type Scenario } from './scenario/index.js';
import { readScenarioFile, isPlainObject } from './scenario/read.js';
import { simulate } from './sim/run.js';
import { ensureWritable, resultFiles, writeFilesAtomically } from './report/csv.js';
import { summaryTable } from './report/table.js';
import { formatDuration, parseDuration } from './units.js';
import { estimateRun, DEFAULT_LIMITS } from './sim/estimate.js';
import { Progress } from './report/progress.js';

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

function overridesFrom(argv: { modes?: string; seed?: number; 'sample-every'?: string }): Overrides {
  const o: Overrides = {};
  if (argv.modes !== undefined) {
    const modes = argv.modes.split(',').map((m) => m.trim()).filter((m) => m !== '');
    const bad = modes.filter((m) => !MODE_NAMES.includes(m));
    if (modes.length === 0 || bad.length > 0) {
      throw inputError(`--modes: ${bad.length ? `unknown mode ${bad.map((b) => `"${b}"`).join(', ')}` : 'no mode given'}; expected a comma-separated list of ${MODE_NAMES.join(', ')}`);
    }
    o.modes = modes;
  }
  if (argv.seed !== undefined) {
    if (!Number.isSafeInteger(argv.seed)) throw inputError(`--seed: ${String(argv.seed)} is not an integer`);
    o.seed = argv.seed;
  }
  if (argv['sample-every'] !== undefined) {
    const ms = parseDuration(/^\d+(\.\d+)?$/.test(argv['sample-every']) ? Number(argv['sample-every']) : argv['sample-every']);
    if (typeof ms === 'string' || ms <= 0) throw inputError(`--sample-every: ${typeof ms === 'string' ? ms : 'must be greater than 0'}`);
    o.sampleEveryMs = ms;
  }
  return o;
}

async function runCommand(argv: {
  scenario: string; modes?: string; seed?: number; out?: string; 'sample-every'?: string; quiet: boolean; check: boolean;
  'max-events': number; 'max-memory': number;
}): Promise<void> {
  const scenario = loadWithOverrides(argv.scenario, overridesFrom(argv));
  for (const w of scenario.warnings) process.stderr.write(`warning: ${scenario.file}: ${w.path}: ${w.message}\n`);
  const est = estimateRun(scenario);
  const limits = { maxEvents: argv['max-events'], maxMemoryMb: argv['max-memory'] };
  if (est.events > limits.maxEvents) {
    throw new CnisimError('limit', `${scenario.file}: this run would process about ${est.events.toExponential(1)} events, above the limit of ${limits.maxEvents.toExponential(1)} (${est.explain}). Raise --max-events, or shorten duration / lower churn rates.`);
  }
  if (est.memoryMb > limits.maxMemoryMb) {
    throw new CnisimError('limit', `${scenario.file}: this run would need about ${Math.ceil(est.memoryMb)} MB, above the limit of ${limits.maxMemoryMb} MB (${est.explain}). Raise --max-memory, or reduce pods, nodes or samples.`);
  }
  const out = argv.out ?? join('results', scenario.name);
  ensureWritable(out);

  let signal: NodeJS.Signals | null = null;
  const onSignal = (s: NodeJS.Signals) => { signal = s; };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    await runAndWrite();
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  async function runAndWrite(): Promise<void> {
  const progress = new Progress(!argv.quiet && process.stderr.isTTY === true);
  const started = Date.now();
  let result;
  try {
    result = await simulate(scenario, {
      check: argv.check,
      shouldStop: () => signal !== null,
      onProgress: (f, mode) => progress.update(f, mode),
    });
  } catch (err) {
    progress.stop();
    if (err instanceof CnisimError && err.code === 'interrupted') {
      throw new CnisimError('interrupted', `interrupted by ${signal ?? 'a signal'}; nothing was written`, { cause: signal === 'SIGTERM' ? 143 : 130 });
    }
    throw err;
  }
  progress.stop();
  const files = writeFilesAtomically(out, resultFiles(result));
  if (!argv.quiet) {
    process.stdout.write(`${scenario.name}: ${formatDuration(scenario.durationMs)} simulated, seed ${scenario.seed}, ${result.eventsProcessed.toLocaleString('en-US')} events in ${((Date.now() - started) / 1000).toFixed(1)} s\n\n`);
    process.stdout.write(`${summaryTable(result.summary)}\n\n`);
    process.stdout.write(`wrote ${files.join(', ')}\n`);
  }
  }
}

function validateCommand(argv: { scenario: string }): void {
  const scenario = loadScenario(argv.scenario);
  for (const w of scenario.warnings) process.stderr.write(`warning: ${scenario.file}: ${w.path}: ${w.message}\n`);
  const pools = scenario.clusters.reduce((n, c) => n + c.pools.length, 0);
  process.stdout.write(`${scenario.file}: valid — ${scenario.clusters.length} cluster(s), ${pools} node pool(s), modes ${scenario.modes.join(', ')}, ${formatDuration(scenario.durationMs)} sampled every ${formatDuration(scenario.sampleEveryMs)}\n`);
}

function modesCommand(): void {
  for (const m of MODE_INFOS) {
    process.stdout.write(`${m.name} — ${m.title}\n  ${m.summary}\n`);
    process.stdout.write(`  max-pods: default ${m.maxPods.default}, range ${m.maxPods.min}–${m.maxPods.max}\n`);
    for (const r of m.rules) process.stdout.write(`  • ${r}\n`);
    const defaults = m.params.parse({}) as Record<string, unknown>;
    const keys = Object.keys(defaults);
    if (keys.length) process.stdout.write(`  parameters (scenario \`parameters.${m.name}\`): ${keys.map((k) => `${k}=${String(defaults[k])}`).join(', ')}\n`);
    process.stdout.write('\n');
  }
}

const scenarioArg = (y: Argv) => y.positional('scenario', { type: 'string', demandOption: true, describe: 'scenario file (YAML or JSON)' });

/** Runs the command line `args` (without node and script); returns the exit code. Never calls process.exit. */
export async function runCli(args: string[]): Promise<number> {
  try {
    await dispatch(args);
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
    .usage('$0 <command> [options]\n\nSimulates Kubernetes CNI address allocation (AKS modes) over time.')
    .option('debug', { type: 'boolean', default: false, describe: 'print stack traces of errors' })
    .command('run <scenario>', 'run a scenario under each mode and write CSV results', (y) =>
      scenarioArg(y)
        .option('modes', { type: 'string', describe: `comma-separated modes to run (${MODE_NAMES.join(', ')}); default: the scenario's` })
        .option('seed', { type: 'number', describe: 'random seed (default: the scenario\'s)' })
        .option('out', { type: 'string', describe: 'results folder (default: results/<scenario name>)' })
        .option('sample-every', { type: 'string', describe: 'sample interval, e.g. 30s or 5m (default: the scenario\'s)' })
        .option('quiet', { type: 'boolean', default: false, describe: 'print nothing but errors; no progress bar' })
        .option('check', { type: 'boolean', default: false, describe: 'verify the allocator contract after every event (slow)' })
        .option('max-events', { type: 'number', default: DEFAULT_LIMITS.maxEvents, describe: 'refuse runs estimated to process more events' })
        .option('max-memory', { type: 'number', default: DEFAULT_LIMITS.maxMemoryMb, describe: 'refuse runs estimated to need more memory (MB)' })
        .example('$0 run scenarios/aks-modes.yaml', 'compare the five modes on a growing cluster')
        .example('$0 run scenarios/aks-modes.yaml --modes overlay,azure --seed 7', 'two modes, another seed'),
    )
    .command('validate <scenario>', 'check a scenario file without running it', scenarioArg)
    .command('modes', 'list the allocation modes with their rules and defaults')
    .demandCommand(1, 'name a command: run, validate or modes (see --help)')
    .strict()
    .recommendCommands()
    .help()
    .alias('h', 'help')
    .version()
    .wrap(Math.min(110, process.stdout.columns ?? 100))
    .fail((msg, err) => {
      if (err) throw err;
      throw inputError(`${msg}\n(see cnisim --help)`);
    });
  const argv = await cli.parseAsync();
  debug = argv.debug as boolean;
  const [command] = argv._ as string[];
  switch (command) {
    case 'run':
      return runCommand(argv as unknown as Parameters<typeof runCommand>[0]);
    case 'validate':
      return validateCommand(argv as unknown as { scenario: string });
    case 'modes':
      return modesCommand();
  }
}

const invokedAs = process.argv[1] === undefined ? '' : realpathSync(process.argv[1]);
if (invokedAs === fileURLToPath(import.meta.url)) {
  runCli(hideBin(process.argv)).then((code) => {
    process.exitCode = code;
  });
}
