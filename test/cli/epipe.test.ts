/** `cnisim modes | head -1`: a reader that stops early is not an error (no EPIPE stack trace, exit 0). */
import { beforeAll, expect, test } from 'vitest';
import { spawn } from 'node:child_process';
import { ensureBuilt, ROOT } from '../helpers/build.js';

let cliJs = '';
beforeAll(() => {
  cliJs = ensureBuilt();
}, 120_000);

test('output piped into a reader that closes early', async () => {
  const child = spawn('sh', ['-c', `"${process.execPath}" "${cliJs}" modes | head -c 10 > /dev/null`], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  expect(stderr).toBe('');
  expect(code).toBe(0);
  const direct = spawn(process.execPath, [cliJs, 'modes'], { cwd: ROOT });
  let out = '';
  direct.stdout.on('data', (d: Buffer) => (out += d.toString()));
  await new Promise((resolve) => direct.on('close', resolve));
  expect(out.length).toBeGreaterThan(1000); // modes prints far more than the 10 bytes read above
});
