/**
 * The HTML report in a real browser: Debian's chromium, headless, driven by playwright-core, at 1,366 × 900 (a
 * laptop screen). Opens the page of the README's demo scenario (all five modes) and of a two-cluster scenario,
 * checks there are no console errors and no requests at all (the page is self-contained), that the page needs no
 * horizontal scrolling, that every mode appears in the verdicts, on every chart and in the event strips, that
 * clusters stack vertically, and saves a screenshot under results/.
 * Skipped, with the reason, only when /usr/bin/chromium is absent (CI installs it).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { loadScenario } from '../../src/scenario/index.js';
import { simulate } from '../../src/sim/run.js';
import { renderReport } from '../../src/report/html.js';

const CHROMIUM = '/usr/bin/chromium';
const present = existsSync(CHROMIUM);
if (!present) console.warn(`html.browser.test: skipped: ${CHROMIUM} is absent (install Debian's chromium package to run it)`);

const VIEWPORT = { width: 1366, height: 900 };

describe.skipIf(!present)('report.html in headless Chromium at 1366 × 900', () => {
  let ctx: BrowserContext;
  let dir: string;

  async function open(scenarioFile: string): Promise<{ p: Page; modes: readonly string[]; clusters: string[]; errors: string[]; requests: string[] }> {
    const scenario = loadScenario(scenarioFile);
    const html = renderReport(await simulate(scenario), scenario);
    const file = join(dir, `${scenario.name}.html`);
    writeFileSync(file, html);
    const p = await ctx.newPage();
    const errors: string[] = [];
    const requests: string[] = [];
    p.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    p.on('pageerror', (e) => errors.push(String(e)));
    p.on('request', (r) => { if (!r.url().startsWith('file:')) requests.push(r.url()); });
    p.on('requestfailed', (r) => errors.push(`${r.url()}: ${r.failure()?.errorText}`));
    await p.goto(`file://${file}`, { waitUntil: 'load' });
    return { p, modes: scenario.modes, clusters: scenario.clusters.map((c) => c.name), errors, requests };
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cnisim-chromium-'));
    ctx = await chromium.launchPersistentContext(join(dir, 'profile'), {
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync'],
      viewport: VIEWPORT,
    });
  });

  afterAll(async () => {
    await ctx?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the demo: five modes fit the width, each in the verdicts, on every chart and in the strips', async () => {
    const { p, modes, errors, requests } = await open('scenarios/aks-modes.yaml');
    expect(modes.length).toBe(5);
    const width = await p.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
    expect(width.scroll, 'no horizontal scrolling').toBeLessThanOrEqual(VIEWPORT.width);
    expect(width.scroll).toBeLessThanOrEqual(width.client);

    const verdicts = await p.$$eval('table.verdicts tr[data-mode]', (rs) => rs.map((r) => ({ mode: r.getAttribute('data-mode'), text: r.textContent ?? '' })));
    expect(verdicts.map((v) => v.mode)).toEqual([...modes]);
    for (const v of verdicts) expect(v.text).toMatch(/holds|runs out at \d/);

    const charts = await p.$$eval('figure.q', (fs) => fs.map((f) => {
      const box = f.querySelector('svg')!.getBoundingClientRect();
      return {
        key: f.getAttribute('data-chart') ?? '',
        modes: [...f.querySelectorAll('path.series')].map((s) => s.getAttribute('data-mode')),
        paths: [...f.querySelectorAll('path.series')].map((s) => s.getAttribute('d') ?? ''),
        right: box.right, width: box.width, height: box.height,
      };
    }));
    expect(charts.map((c) => c.key)).toEqual(['pod-space', 'node-subnet', 'unschedulable', 'waiting', 'nodes'].map((q) => `default/${q}`));
    for (const c of charts) {
      expect(c.modes, c.key).toEqual([...modes]);
      for (const d of c.paths) expect(d, c.key).toMatch(/^M[\d.]+ [\d.]+[Lh]/);
      expect(c.right, c.key).toBeLessThanOrEqual(VIEWPORT.width);
      expect(c.width, c.key).toBeGreaterThan(300);
      expect(c.height, c.key).toBeGreaterThan(120);
    }
    // The strips: a label per mode, bars coloured per cause; every mode of the demo runs out of something.
    const strips = await p.$eval('figure.strips svg', (s) => ({
      labels: [...s.querySelectorAll('text.mode-label')].map((t) => t.textContent),
      buckets: s.querySelectorAll('g.bucket').length,
      right: s.getBoundingClientRect().right,
    }));
    expect(strips.labels).toEqual([...modes]);
    expect(strips.buckets).toBeGreaterThan(modes.length);
    expect(strips.right).toBeLessThanOrEqual(VIEWPORT.width);

    mkdirSync('results', { recursive: true });
    await p.screenshot({ path: 'results/report-aks-modes.png', fullPage: true });
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    await p.close();
  });

  it('more clusters stack vertically, each with every mode', async () => {
    const { p, modes, clusters, errors, requests } = await open('scenarios/shared-pod-subnet.yaml');
    expect(clusters.length).toBeGreaterThan(1);
    const sections = await p.$$eval('section.cluster', (ss) => ss.map((s) => ({
      cluster: s.getAttribute('data-cluster'), top: s.getBoundingClientRect().top, left: s.getBoundingClientRect().left,
      verdicts: [...s.querySelectorAll('table.verdicts tr[data-mode]')].map((r) => r.getAttribute('data-mode')),
    })));
    expect(sections.map((s) => s.cluster)).toEqual(clusters);
    for (let i = 1; i < sections.length; i++) {
      expect(sections[i]!.top).toBeGreaterThan(sections[i - 1]!.top);
      expect(sections[i]!.left).toBe(sections[0]!.left);
    }
    for (const s of sections) expect(s.verdicts).toEqual([...modes]);
    expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(VIEWPORT.width);
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    await p.close();
  });
});
