/**
 * Sweep workers are worker threads that load compiled JavaScript, so tests that run the pool compile src/ once
 * into node_modules/.cache (where node_modules resolves) and import the compiled modules from there.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export function buildSrc(tag: string): string {
  const out = resolve('node_modules/.cache', `cnisim-test-${tag}-${process.pid}`);
  rmSync(out, { recursive: true, force: true });
  const tsc = resolve('node_modules/typescript/bin/tsc');
  try {
    // Only the modules a sweep loads (and what they import), not the whole tree.
    mkdirSync(out, { recursive: true });
    const config = join(out, 'tsconfig.json');
    writeFileSync(config, JSON.stringify({
      extends: resolve('tsconfig.build.json'),
      compilerOptions: { outDir: out, rootDir: resolve('src'), sourceMap: false, declaration: false },
      include: [],
      files: ['src/sweep/worker.ts', 'src/commands/sweep.ts', 'src/commands/merge.ts'].map((f) => resolve(f)),
    }));
    execFileSync(process.execPath, [tsc, '-p', config], { stdio: 'pipe' });
  } catch {
    // Type errors elsewhere in the tree do not stop emitting; a missing output below does.
  }
  if (!existsSync(join(out, 'sweep', 'worker.js'))) throw new Error(`compiling src/ into ${out} produced no sweep/worker.js`);
  return out;
}

export function removeBuild(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
