/**
 * report.html without a browser: deterministic bytes, self-contained, a verdict per mode, one chart per question
 * with every mode on it, event strips coloured by cause, durations and percentages written as such.
 */
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/scenario/index.js';
import { simulate } from '../../src/sim/run.js';
import { renderReport, formatTime, causeColor } from '../../src/report/html.js';
import { causeCode, causeDef, NODE_LIMIT } from '../../src/alloc/causes.js';

describe('renderReport', () => {
  it('is deterministic, self-contained, and puts every mode on every chart', async () => {
    const scenario = loadScenario('scenarios/dynamic-burst.yaml');
    const result = await simulate(scenario);
    const a = renderReport(result, scenario);
    const b = renderReport(await simulate(scenario), scenario);
    expect(b).toBe(a);
    expect(a).not.toMatch(/(src|href)=|https?:\/\/|<script|@import|url\(/i);
    for (const chart of ['pod-space', 'node-subnet', 'unschedulable', 'waiting', 'nodes']) {
      const fig = a.match(new RegExp(`<figure class="q" data-chart="default/${chart}">.*?</figure>`, 's'))?.[0] ?? '';
      expect(fig, chart).not.toBe('');
      for (const mode of scenario.modes) expect(fig, `${chart}/${mode}`).toContain(`<path class="series" data-mode="${mode}"`);
    }
    for (const mode of scenario.modes) expect(a).toContain(`<tr data-mode="${mode}">`);
    expect(a).toContain('data-chart="default/events"');
    expect(a).toContain('data-chart="default/wait"');
    // summary.csv holds a row per mode and cluster and one per node pool; the report's table shows the cluster rows.
    expect(result.summary.length).toBe(scenario.modes.length * (1 + scenario.clusters[0]!.pools.length));
    const table = a.match(/<table class="summary">.*?<\/table>/s)?.[0] ?? '';
    expect((table.match(/<th>[a-z-]+<\/th>/g) ?? []).length).toBeGreaterThan(0);
    for (const mode of scenario.modes) expect(table).toContain(`<th>${mode}</th>`);
  });

  it('says which mode runs out, when and of what; strips use the cause colours', async () => {
    const scenario = loadScenario('scenarios/kubenet-400.yaml');
    const result = await simulate(scenario);
    const html = renderReport(result, { ...scenario, description: '<b>&"x"</b>' });
    const first = result.summary[0]!;
    expect(first.first_exhaustion_cause).toBe('node-limit');
    expect(html).toContain(`runs out at ${formatTime(first.first_exhaustion_s!)}</span> of <b style="color:${causeDef(NODE_LIMIT).color}">node-limit</b>`);
    expect(html).toMatch(new RegExp(`<g class="bucket"><title>[^<]*node-limit[^<]*</title><rect [^>]*fill="${causeDef(NODE_LIMIT).color}"`));
    expect(html).toContain('&lt;b&gt;&amp;&quot;x&quot;&lt;/b&gt;');
  });

  it('a mode that holds says so; percentages are percentages', async () => {
    const scenario = loadScenario('scenarios/dual-stack-overlay.yaml');
    const result = await simulate(scenario);
    const html = renderReport(result, scenario);
    if (result.summary.every((r) => r.first_exhaustion_s === null)) expect(html).toContain('<span class="holds">holds</span>');
    expect(html).toContain('data-chart="default/pod6-space"');
    expect(html).toMatch(/<td>\d+(\.\d)?%<\/td>/);
  });

  it('cause colours come from the cause definitions', () => {
    expect(causeColor('node-limit')).toBe(causeDef(causeCode('node-limit')).color);
    expect(causeColor('no-such-cause')).toBe('#bcbd22');
  });

  it('formats times as durations', () => {
    expect([0, 30, 60, 3600, 86400, 1987, 5400, 7380, 90061].map(formatTime)).toEqual(['0', '30s', '1m', '1h', '1d', '33m 7s', '1h 30m', '2h 3m', '1d 1h 1m 1s']);
  });
});
