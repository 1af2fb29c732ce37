/** report.html without a browser: deterministic bytes, self-contained, one chart set per mode and cluster, events marked. */
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/scenario/index.js';
import { simulate } from '../../src/sim/run.js';
import { renderReport, formatTime } from '../../src/report/html.js';

describe('renderReport', () => {
  it('is deterministic, self-contained, and draws every mode', async () => {
    const scenario = loadScenario('scenarios/dynamic-burst.yaml');
    const result = await simulate(scenario);
    const a = renderReport(result, scenario);
    const b = renderReport(await simulate(scenario), scenario);
    expect(b).toBe(a);
    expect(a).not.toMatch(/(src|href)=|https?:\/\/|<script|@import|url\(/i);
    for (const mode of scenario.modes) {
      expect(a).toContain(`<section class="mode" data-mode="${mode}">`);
      for (const chart of ['util', 'nodes', 'pods']) expect(a).toContain(`data-chart="default/${mode}/${chart}"`);
    }
    expect(a).toContain('data-chart="default/wait"');
    // The summary: a row per mode and cluster, and one per node pool of it.
    expect((a.match(/<tr>/g) ?? []).length).toBe(1 + result.summary.length);
    expect(result.summary.length).toBe(scenario.modes.length * (1 + scenario.clusters[0]!.pools.length));
  });

  it('marks events with a cause and escapes text', async () => {
    const scenario = loadScenario('scenarios/kubenet-400.yaml');
    const result = await simulate(scenario);
    const html = renderReport(result, { ...scenario, description: '<b>&"x"</b>' });
    expect(result.events.some((e) => e.cause === 'node-limit')).toBe(true);
    expect(html).toMatch(/<line class="marker"[^>]*stroke="#8c564b"><title>[^<]*node-limit/);
    expect(html).toContain('&lt;b&gt;&amp;&quot;x&quot;&lt;/b&gt;');
  });

  it('formats times on the axis', () => {
    expect([0, 30, 60, 3600, 86400, 1987, 5400].map(formatTime)).toEqual(['0', '30s', '1m', '1h', '1d', '33m7s', '90m']);
  });
});
