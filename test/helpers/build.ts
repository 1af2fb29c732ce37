/** Tests that run the built package (dist/) build it first when it is missing or older than any source file. */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..');

function newest(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce(
    (m, e) => Math.max(m, e.isDirectory() ? newest(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs),
    0,
  );
}

/** Builds dist/ when stale; returns the path of dist/cli.js. */
export function ensureBuilt(): string {
  const cliJs = join(ROOT, 'dist', 'cli.js');
  if (!existsSync(cliJs) || statSync(cliJs).mtimeMs < newest(join(ROOT, 'src'))) {
    spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'ignore' });
  }
  if (!existsSync(cliJs)) throw new Error('dist/cli.js is missing after `npx tsc -p tsconfig.build.json`');
  return cliJs;
}
