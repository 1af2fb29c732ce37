/**
 * The HTML report in a real browser: Debian's chromium, headless, driven by playwright-core. Opens the page of
 * the README's demo scenario (all five modes), checks there are no console errors and no requests at all
 * (the page is self-contained), that every chart drew, and saves a screenshot under results/.
 * Skipped, with the reason, only when /usr/bin/chromium is absent (CI installs it).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type BrowserContext } from 'playwright-core';
import { loadScenario } from '../../src/scenario/index.js';
import { simulate } from '../../src/sim/run.js';
import { renderReport } from '../../src/report/html.js';

const CHROMIUM = '/usr/bin/chromium';
const present = existsSync(CHROMIUM);
if (!present) console.warn(`html.browser.test: skipped: ${CHROMIUM} is absent (install Debian's chromium package to run it)`);

describe.skipIf(!present)('report.html in headless Chromium', () => {
  let ctx: BrowserContext;
  let profile: string;
  let page: string;
  let html: string;

  beforeAll(async () => {
    const scenario = loadScenario('scenarios/aks-modes.yaml');
    const result = await simulate(scenario);
    html = renderReport(result, scenario);
    profile = mkdtempSync(join(tmpdir(), 'cnisim-chromium-'));
    page = join(profile, 'report.html');
    writeFileSync(page, html);
    // A fresh user-data-dir per run (playwright passes it as --user-data-dir).
    ctx = await chromium.launchPersistentContext(join(profile, 'profile'), {
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync'],
      viewport: { width: 2400, height: 1400 },
    });
  });

  afterAll(async () => {
    await ctx?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it('opens offline with no console error and no request, and every chart draws', async () => {
    const p = await ctx.newPage();
    const errors: string[] = [];
    const requests: string[] = [];
    const failed: string[] = [];
    p.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    p.on('pageerror', (e) => errors.push(String(e)));
    p.on('request', (r) => { if (!r.url().startsWith('file:')) requests.push(r.url()); });
    p.on('requestfailed', (r) => failed.push(`${r.url()}: ${r.failure()?.errorText}`));
    await p.goto(`file://${page}`, { waitUntil: 'load' });

    const charts = await p.$$eval('svg.chart', (svgs) => svgs.map((s) => {
      const paths = [...s.querySelectorAll('path.series, path.bar')].map((el) => el.getAttribute('d') ?? '');
      const box = s.getBoundingClientRect();
      return { key: s.getAttribute('data-chart') ?? '', paths, width: box.width, height: box.height };
    }));
    // 3 charts per mode × 5 modes + the wait chart.
    expect(charts.length).toBe(3 * 5 + 1);
    for (const c of charts) {
      expect(c.paths.length, c.key).toBeGreaterThan(0);
      for (const d of c.paths) expect(d, c.key).toMatch(/^M[\d.]+ [\d.]+[LhZv]/);
      expect(c.width, c.key).toBeGreaterThan(100);
      expect(c.height, c.key).toBeGreaterThan(50);
    }
    // The modes sit side by side: five sections in one row.
    const tops = await p.$$eval('section.mode', (ss) => ss.map((s) => Math.round(s.getBoundingClientRect().top)));
    expect(tops.length).toBe(5);
    expect(new Set(tops).size).toBe(1);
    // Every mode of this scenario runs out of something: each has markers and listed causes.
    const markers = await p.$$eval('section.mode', (ss) => ss.map((s) => s.querySelectorAll('line.marker').length));
    for (const m of markers) expect(m).toBeGreaterThan(0);
    expect(await p.locator('table tr').count()).toBe(1 + 5 * 2); // a row per mode's cluster and one per node pool

    mkdirSync('results', { recursive: true });
    await p.screenshot({ path: 'results/report-aks-modes.png', fullPage: true });
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    expect(failed).toEqual([]);
    await p.close();
  });
});
