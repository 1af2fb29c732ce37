/**
 * Suite `startup` (issue 17): the wall time of a fresh `node dist/cli.js …` for the commands a user types first,
 * against a bare `node -e 0` timed in alternation in the same run (so both see the same machine phase). One op
 * is one process start; ratio = command starts/s ÷ bare-node starts/s, so `1 / ratio` is "× bare Node" (target:
 * ≤ 2, i.e. ratio ≥ 0.5). The built CLI (dist/, `npm run build`) is what is timed: what `cnisim` runs.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, statSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchCase } from './harness.js';
import { ROOT } from './sim-common.js';

const CLI = join(ROOT, 'dist', 'cli.js');

function newest(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce(
    (m, e) => Math.max(m, e.isDirectory() ? newest(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs), 0);
}

/** Builds dist/ (tsc -p tsconfig.build.json) when it is missing or older than src/. */
export function ensureBuilt(): string {
  if (!existsSync(CLI) || statSync(CLI).mtimeMs < newest(join(ROOT, 'src'))) {
    const r = spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit' });
    if (r.status !== 0) throw new Error('bench: `npx tsc -p tsconfig.build.json` failed');
  }
  return CLI;
}

/** Runs node with `args` in ROOT; returns stdout, throwing unless it exits 0. */
export function node(args: string[]): string {
  const r = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`bench: node ${args.join(' ')} exited ${String(r.status)}: ${r.stderr}`);
  return r.stdout;
}

/** The commands timed, each with what its output must contain. */
const COMMANDS: { name: string; args: string[]; expect: RegExp }[] = [
  { name: '--version', args: ['--version'], expect: /^\d+\.\d+\.\d+\n$/ },
  { name: 'validate scenarios/aks-modes.yaml', args: ['validate', 'scenarios/aks-modes.yaml'], expect: /: valid — / },
  { name: 'plan --nodes 100 --max-pods 30', args: ['plan', '--nodes', '100', '--max-pods', '30'], expect: /overlay/ },
  { name: 'modes', args: ['modes'], expect: /^overlay — /m },
];

export function cases(): BenchCase[] {
  return COMMANDS.map((c) => ({
    suite: 'startup',
    name: `cnisim ${c.name} (starts/s) vs node -e 0`,
    ops: 1,
    timeMs: 1500,
    interleave: true,
    check: () => {
      ensureBuilt();
      const out = node([CLI, ...c.args]);
      if (!c.expect.test(out)) throw new Error(`bench check failed: cnisim ${c.name}: unexpected output ${JSON.stringify(out.slice(0, 200))}`);
    },
    subject: { fn: () => void node([CLI, ...c.args]) },
    baseline: { fn: () => void node(['-e', '0']) },
  }));
}
