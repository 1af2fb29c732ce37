#!/usr/bin/env node
/**
 * Makes docs/report.png, the README's picture of the demo's report: runs the built CLI
 * (`node dist/cli.js run scenarios/aks-modes.yaml`, build first with `npm run build`) into a temp folder, opens its
 * report.html in headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core, as
 * test/report/html.browser.test.ts does) at 1,366 × 900 and saves a full-page screenshot.
 *
 *   node scripts/report-image.mjs [OUT.png]     (default docs/report.png; CHROMIUM=/path overrides the browser)
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = resolve(process.argv[2] ?? join(root, 'docs', 'report.png'));
const browser = process.env.CHROMIUM ?? '/usr/bin/chromium';
const cli = join(root, 'dist', 'cli.js');
if (!existsSync(cli)) throw new Error(`report-image: ${cli} is missing; run npm run build first`);
if (!existsSync(browser)) throw new Error(`report-image: no Chromium at ${browser}; apt-get install chromium, or set CHROMIUM`);

const dir = mkdtempSync(join(tmpdir(), 'cnisim-report-image-'));
try {
  execFileSync(process.execPath, [cli, 'run', 'scenarios/aks-modes.yaml', '--quiet', '--out', join(dir, 'results')], { cwd: root, stdio: 'inherit' });
  const ctx = await chromium.launchPersistentContext(join(dir, 'profile'), {
    executablePath: browser,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1366, height: 900 },
  });
  try {
    const page = await ctx.newPage();
    await page.goto(`file://${join(dir, 'results', 'report.html')}`, { waitUntil: 'load' });
    await page.screenshot({ path: out, fullPage: true });
  } finally {
    await ctx.close();
  }
  console.log(`wrote ${out}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
