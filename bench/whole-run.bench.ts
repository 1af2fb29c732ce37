/**
 * Suite `whole-run` (issue 17): the one-million-arrival churn (scenarios/churn.yaml: 1,000 pods/s for 1,000 s,
 * mean lifetime 1,000 s, 3,000 overlay nodes) through the CLI, `node dist/cli.js run scenarios/churn.yaml --quiet`
 * in a fresh process, against the SimPy model of the same churn (bench/simpy_churn.py, `python3` with SimPy)
 * in the same run, alternating. One op is one whole run; ratio = how many times faster the CLI is (target ≥ 50).
 *
 * The breakdown (start-up / load / simulate / write) comes from `bench/child.js phases`, which does what
 * `cnisim run` does, step by step, timing each; it is printed and written to results/whole-run.json with the
 * CLI's and SimPy's wall times. Without python3 + SimPy the case runs the CLI alone and says so.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchCase } from './harness.js';
import { ROOT, removeDir, scenarioPath, tempDir } from './sim-common.js';
import { ensureBuilt, node } from './startup.bench.js';

const SIMPY = join(ROOT, 'bench', 'simpy_churn.py');
/** The first of these that imports SimPy (either API): CNISIM_PYTHON, python3 on the PATH, Debian's python3. */
const PYTHONS = [process.env.CNISIM_PYTHON, 'python3', '/usr/bin/python3'].filter((p): p is string => p !== undefined && p !== '');

interface SimpyFigures {
  arrivals: number;
  departures: number;
  peak: number;
  unschedulable: number;
  wallS: number;
}

function simpy(python: string, arrivalSeconds?: number): SimpyFigures {
  const r = spawnSync(python, [SIMPY, ...(arrivalSeconds === undefined ? [] : [String(arrivalSeconds)])], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`bench: ${python} ${SIMPY} exited ${String(r.status)}: ${r.stderr || String(r.error)}`);
  return JSON.parse(r.stdout) as SimpyFigures;
}

/** A python that can run bench/simpy_churn.py (SimPy 3+ `simpy`, or SimPy 2 `SimPy.Simulation`), or null. */
function simpyPython(): string | null {
  const probe = 'try:\n import simpy\nexcept ImportError:\n import SimPy.Simulation';
  return PYTHONS.find((p) => spawnSync(p, ['-c', probe], { encoding: 'utf8' }).status === 0) ?? null;
}

function cliRun(cli: string): void {
  const out = tempDir();
  try {
    node([cli, 'run', scenarioPath('churn'), '--quiet', '--out', out]);
  } finally {
    removeDir(out);
  }
}

function wall(fn: () => void): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

export interface Phases {
  startupMs: number;
  loadMs: number;
  simulateMs: number;
  writeMs: number;
  events: number;
  arrivals: number;
}

export function cases(): BenchCase[] {
  const python = simpyPython();
  const withSimpy = python !== null;
  const cli = join(ROOT, 'dist', 'cli.js');
  return [{
    suite: 'whole-run',
    name: withSimpy ? 'churn 1M arrivals through the CLI (runs/s) vs SimPy' : 'churn 1M arrivals through the CLI (runs/s); no SimPy here',
    ops: 1,
    timeMs: 1,
    interleave: withSimpy,
    freshProcesses: true,
    minRuns: withSimpy ? 2 : 3,
    check: () => {
      ensureBuilt();
      const phases = JSON.parse(node([join(ROOT, 'dist-bench', 'bench', 'child.js'), 'phases', scenarioPath('churn')])) as Phases;
      if (phases.arrivals < 950_000 || phases.arrivals > 1_100_000) throw new Error(`bench check failed: churn arrivals ${phases.arrivals}, expected about 1M`);
      const cliMs = wall(() => cliRun(cli));
      const figures: Record<string, unknown> = { phases, cliWallMs: cliMs };
      console.log(`  churn through the CLI: ${(cliMs / 1000).toFixed(2)} s wall; phases (bench/child.js phases): start-up ${phases.startupMs.toFixed(0)} ms, ` +
        `load ${phases.loadMs.toFixed(0)} ms, simulate ${phases.simulateMs.toFixed(0)} ms, write ${phases.writeMs.toFixed(0)} ms; ${phases.events.toLocaleString('en-US')} events`);
      if (withSimpy) {
        // The model's own check on a 10-second slice: about 10,000 arrivals, none refused.
        const s = simpy(python, 10);
        if (s.arrivals < 9_500 || s.arrivals > 10_500 || s.unschedulable !== 0) throw new Error(`bench check failed: SimPy model slice: ${JSON.stringify(s)}`);
      } else {
        console.log(`  SimPy: not available (none of ${PYTHONS.join(', ')} imports simpy or SimPy.Simulation; Debian: apt-get install python3-simpy)`);
      }
      if (python !== null) figures.python = python;
      mkdirSync(join(ROOT, 'results'), { recursive: true });
      writeFileSync(join(ROOT, 'results', 'whole-run.json'), JSON.stringify(figures, null, 2) + '\n');
    },
    subject: { fn: () => cliRun(cli) },
    ...(withSimpy ? {
      baseline: {
        fn: () => {
          const s = simpy(python);
          console.log(`  SimPy: ${s.wallS.toFixed(1)} s (in-model), ${s.arrivals.toLocaleString('en-US')} arrivals, peak ${s.peak.toLocaleString('en-US')} pods`);
        },
      },
    } : {}),
  }];
}
