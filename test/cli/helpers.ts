/** Runs the CLI in-process with stdout and stderr captured (nothing reaches the terminal). */
import { vi } from 'vitest';
import { mkdtempSync, readdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli.js';

export interface CliOutcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** Captures what `fn` writes to stdout and stderr. */
export async function captured(fn: () => Promise<number>): Promise<CliOutcome> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  try {
    const code = await fn();
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

export function cli(...args: string[]): Promise<CliOutcome> {
  return captured(() => runCli(args));
}

export function tempDir(prefix = 'cnisim-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Every entry of `dir` (hidden ones too); [] when it does not exist. */
export function entries(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}

/** A stack-trace line such as "    at foo (file.js:1:2)". */
export const STACK_LINE = /^\s+at .+[:(]/m;

export const ROOT = join(import.meta.dirname, '..', '..');
