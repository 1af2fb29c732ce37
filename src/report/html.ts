/**
 * `report.html`: one self-contained page per run (inline CSS and SVG, no script, no network request), built to
 * compare the modes. For each cluster (clusters stack vertically):
 *   1. a verdict per mode: holds, or first runs out at T of what; the peak utilisation; the nodes and pods reached;
 *   2. one chart per question with every mode on the same axes: pod space used %, node subnet used %, pods
 *      unschedulable, pods waiting for an address, nodes (and IPv6 pod space used % in dual stack);
 *   3. the events as one strip per mode on the same time axis: events counted per time bucket, coloured per cause
 *      (the cause's colour from src/alloc/causes.ts), bar height growing with the count;
 *   4. the time to an address (p50, p99, max) per mode.
 * Then the summary (the rows of summary.csv, one column per mode). The charts scale to the page width, so five
 * modes fit a 1,366-px screen without horizontal scrolling (test/report/html.browser.test.ts checks it).
 * Cost: O(rows) to group the result; each series is thinned to at most MAX_POINTS points (bucket maxima, so peaks
 * survive) and the events to STRIP_BUCKETS buckets per mode, so the page stays small for runs of a million samples.
 */
import type { SimulationResult } from '../sim/run.js';
import type { EventRow, SummaryRow, TimeseriesRow } from '../sim/metrics.js';
import type { Scenario } from '../scenario/index.js';
import { causeCode, causeDef } from '../alloc/causes.js';
import { SUMMARY_COLUMNS } from './csv.js';
import { count, formatTime, formatWait, percent } from './format.js';

export { formatTime };

/** Points drawn per series at most: about one per pixel of a chart [assumption]. */
export const MAX_POINTS = 600;
/** Time buckets of an event strip: a bar every ~8 px of a 1,300-px strip [assumption]. */
export const STRIP_BUCKETS = 150;

/** A chart's drawing box (the SVG scales to its column; text keeps its size relative to the box). */
const W = 430;
const H = 190;
const M = { left: 44, right: 8, top: 8, bottom: 22 };
const PW = W - M.left - M.right;
const PH = H - M.top - M.bottom;

/** Mode colours, in the order of the run's modes (Tableau 10; 11+ modes reuse them). */
const MODE_COLORS = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];
/** A cause no loaded mode registered (events.csv from another version). */
const OTHER_CAUSE = '#bcbd22';

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The report colour of a cause name (its definition in src/alloc/causes.ts or a mode's info). */
export function causeColor(name: string): string {
  const code = causeCode(name);
  return code > 0 ? causeDef(code).color : OTHER_CAUSE;
}

const ratio = (num: number, den: number) => (den > 0 ? num / den : 0);

const num = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(1));

function formatValue(v: number, isPercent: boolean): string {
  if (isPercent) return `${Math.round(v * 100)}%`;
  if (v >= 1e6) return `${+(v / 1e6).toFixed(1)}M`;
  if (v >= 1e4) return `${+(v / 1e3).toFixed(1)}k`;
  return Number.isInteger(v) ? count(v) : String(+v.toFixed(2));
}

interface Question {
  readonly id: string;
  readonly title: string;
  readonly value: (r: TimeseriesRow) => number;
  readonly percent: boolean;
}

/** The questions a chart answers, every mode on its axes. */
function questionsFor(rows: readonly TimeseriesRow[]): Question[] {
  const qs: Question[] = [
    { id: 'pod-space', title: 'Pod space used (% of capacity)', value: (r) => r.utilization, percent: true },
    { id: 'node-subnet', title: 'Node subnet used (% of capacity)', value: (r) => ratio(r.node_ips_used, r.node_ips_capacity), percent: true },
    { id: 'unschedulable', title: 'Pods unschedulable', value: (r) => r.pods_unschedulable, percent: false },
    { id: 'waiting', title: 'Pods waiting for an address', value: (r) => r.pods_waiting_ip, percent: false },
    { id: 'nodes', title: 'Nodes', value: (r) => r.nodes, percent: false },
  ];
  if (rows.some((r) => r.pod6_ips_capacity > 0)) {
    qs.splice(1, 0, { id: 'pod6-space', title: 'IPv6 pod space used (% of capacity)', value: (r) => ratio(r.pod6_ips_used, r.pod6_ips_capacity), percent: true });
  }
  return qs;
}

/** At most MAX_POINTS [t, v] pairs: the maximum of each bucket (the first point always kept). */
function thin(rows: readonly TimeseriesRow[], f: (r: TimeseriesRow) => number): [number, number][] {
  const n = rows.length;
  if (n <= MAX_POINTS) return rows.map((r) => [r.time_s, f(r)]);
  const out: [number, number][] = [];
  const per = n / MAX_POINTS;
  for (let b = 0; b < MAX_POINTS; b++) {
    const from = Math.floor(b * per);
    const to = Math.min(n, Math.floor((b + 1) * per));
    let best = from;
    for (let i = from; i < to; i++) if (f(rows[i]!) > f(rows[best]!)) best = i;
    out.push([rows[best]!.time_s, f(rows[best]!)]);
  }
  return out;
}

/** A 1-2-5 step giving about `target` ticks over [0, max]. */
function niceStep(max: number, target: number): number {
  if (max <= 0) return 1;
  const raw = max / target;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / mag;
  return (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10) * mag;
}

/** Time ticks in whole seconds, minutes, hours or days; at most `most` of them. */
function timeStep(end: number, most: number): number {
  const steps = [1, 5, 10, 30, 60, 300, 600, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800, 2592000];
  for (const s of steps) if (end / s <= most) return s;
  return niceStep(end, most);
}

function timeTicks(endS: number, x: (t: number) => number, y: number, most: number): string {
  const parts: string[] = [];
  const step = timeStep(endS, most);
  for (let t = 0; t <= endS + 1e-9; t += step) parts.push(`<text class="tick" x="${num(x(t))}" y="${y}" text-anchor="middle">${formatTime(t)}</text>`);
  return parts.join('');
}

/** One question, every mode a line on the same axes (a mode drawn earlier is wider, so equal lines stay visible). */
function questionChart(q: Question, byMode: ReadonlyMap<string, readonly TimeseriesRow[]>, modes: readonly string[], endS: number, key: string): string {
  let max = 0;
  for (const rows of byMode.values()) for (const r of rows) max = Math.max(max, q.value(r));
  const yMax = q.percent ? 1 : max > 0 ? niceStep(max, 4) * Math.ceil(max / niceStep(max, 4)) : 1;
  const x = (t: number) => M.left + (endS > 0 ? (t / endS) * PW : 0);
  const y = (v: number) => M.top + PH - Math.min(1, v / yMax) * PH;
  const parts: string[] = [`<figure class="q" data-chart="${escapeHtml(key)}"><figcaption>${escapeHtml(q.title)}</figcaption>`];
  parts.push(`<svg class="chart" viewBox="0 0 ${W} ${H}" role="img" aria-label="${escapeHtml(q.title)}">`);
  const ystep = q.percent ? 0.25 : niceStep(yMax, 4);
  for (let v = 0; v <= yMax + 1e-9; v += ystep) {
    parts.push(`<line class="grid" x1="${M.left}" x2="${M.left + PW}" y1="${num(y(v))}" y2="${num(y(v))}"/>`);
    parts.push(`<text class="tick" x="${M.left - 4}" y="${num(y(v) + 3)}" text-anchor="end">${formatValue(v, q.percent)}</text>`);
  }
  parts.push(timeTicks(endS, x, H - 6, 7));
  parts.push(`<path class="axis" d="M${M.left} ${M.top}V${M.top + PH}H${M.left + PW}"/>`);
  modes.forEach((mode, i) => {
    const pts = thin(byMode.get(mode) ?? [], q.value);
    if (pts.length === 0) return;
    const d = pts.map(([t, v], j) => `${j === 0 ? 'M' : 'L'}${num(x(t))} ${num(y(v))}`).join('');
    const width = 1.4 + 0.7 * (modes.length - 1 - i);
    const peak = pts.reduce((m, p) => Math.max(m, p[1]), 0);
    parts.push(`<path class="series" data-mode="${escapeHtml(mode)}" d="${pts.length === 1 ? `${d}h2` : d}" stroke="${modeColor(i)}" stroke-width="${num(width)}">`
      + `<title>${escapeHtml(mode)}: peak ${q.percent ? percent(peak) : count(peak)}</title></path>`);
  });
  parts.push('</svg></figure>');
  return parts.join('');
}

const modeColor = (i: number) => MODE_COLORS[i % MODE_COLORS.length]!;

function modeLegend(modes: readonly string[]): string {
  return `<div class="legend">${modes.map((m, i) => `<span><i style="background:${modeColor(i)}"></i>${escapeHtml(m)}</span>`).join('')}</div>`;
}

interface Bucket {
  total: number;
  byCause: Map<string, number>;
}

/**
 * The events with a cause, one strip per mode on one time axis: STRIP_BUCKETS buckets, each a bar whose height
 * grows with the log of its count, split by cause in proportion, coloured per cause. Then the causes with their
 * totals and first times, and the lifecycle events (no cause) listed by kind.
 */
function eventStrips(events: readonly EventRow[], modes: readonly string[], endS: number, key: string): string {
  const width = 1300;
  const label = 110;
  const rowH = 22;
  const top = 4;
  const plotW = width - label - 8;
  const x = (t: number) => label + (endS > 0 ? (t / endS) * plotW : 0);
  const buckets = new Map<string, Bucket[]>();
  const causes = new Map<string, { count: number; first: number; modes: Set<string> }>();
  const lifecycle = new Map<string, { count: number; first: number; modes: Set<string> }>();
  let maxCount = 0;
  for (const e of events) {
    if (e.cause === '') {
      const had = lifecycle.get(e.event) ?? { count: 0, first: e.time_s, modes: new Set<string>() };
      had.count++;
      had.modes.add(e.mode);
      lifecycle.set(e.event, had);
      continue;
    }
    const c = causes.get(e.cause) ?? { count: 0, first: e.time_s, modes: new Set<string>() };
    c.count++;
    c.first = Math.min(c.first, e.time_s);
    c.modes.add(e.mode);
    causes.set(e.cause, c);
    let row = buckets.get(e.mode);
    if (!row) {
      row = Array.from({ length: STRIP_BUCKETS }, () => ({ total: 0, byCause: new Map<string, number>() }));
      buckets.set(e.mode, row);
    }
    const b = row[Math.min(STRIP_BUCKETS - 1, endS > 0 ? Math.floor((e.time_s / endS) * STRIP_BUCKETS) : 0)]!;
    b.total++;
    b.byCause.set(e.cause, (b.byCause.get(e.cause) ?? 0) + 1);
    if (b.total > maxCount) maxCount = b.total;
  }
  const h = top + modes.length * rowH + 20;
  const parts: string[] = [`<figure class="strips" data-chart="${escapeHtml(key)}"><figcaption>Events with a cause, per mode (bar height: count per ${formatTime(+(endS / STRIP_BUCKETS).toFixed(3))}, log scale; hover for counts)</figcaption>`];
  parts.push(`<svg class="chart" viewBox="0 0 ${width} ${h}" role="img" aria-label="events per mode">`);
  const bw = plotW / STRIP_BUCKETS;
  modes.forEach((mode, i) => {
    const y0 = top + i * rowH;
    parts.push(`<text class="tick mode-label" x="${label - 6}" y="${y0 + rowH / 2 + 4}" text-anchor="end">${escapeHtml(mode)}</text>`);
    parts.push(`<line class="grid" x1="${label}" x2="${label + plotW}" y1="${y0 + rowH - 2}" y2="${y0 + rowH - 2}"/>`);
    const row = buckets.get(mode);
    if (!row) return;
    row.forEach((b, j) => {
      if (b.total === 0) return;
      const full = (rowH - 4) * (Math.log1p(b.total) / Math.log1p(maxCount));
      const barH = Math.max(2, full);
      let yy = y0 + rowH - 2;
      const from = (j / STRIP_BUCKETS) * endS;
      const tip = `${mode}, ${formatTime(+from.toFixed(3))}–${formatTime(+(from + endS / STRIP_BUCKETS).toFixed(3))}: `
        + [...b.byCause].sort((p, q) => q[1] - p[1]).map(([c, n]) => `${n} ${c}`).join(', ');
      parts.push(`<g class="bucket"><title>${escapeHtml(tip)}</title>`);
      for (const [c, n] of [...b.byCause].sort((p, q) => (p[0] < q[0] ? -1 : 1))) {
        const sh = (barH * n) / b.total;
        yy -= sh;
        parts.push(`<rect x="${num(x(from))}" y="${num(yy)}" width="${num(Math.max(1, bw - 1))}" height="${num(sh)}" fill="${causeColor(c)}"/>`);
      }
      parts.push('</g>');
    });
  });
  parts.push(timeTicks(endS, x, h - 4, 12));
  parts.push('</svg>');
  if (causes.size === 0) parts.push('<p class="none">no exhaustion or refusal events</p>');
  else {
    const items = [...causes].sort((a, b) => a[1].first - b[1].first).map(([c, v]) =>
      `<span class="cause"><i style="background:${causeColor(c)}"></i><b>${escapeHtml(c)}</b> ${count(v.count)} (first at ${formatTime(v.first)}; ${[...v.modes].map(escapeHtml).join(', ')})</span>`);
    parts.push(`<div class="legend causes">${items.join('')}</div>`);
  }
  if (lifecycle.size > 0) {
    const items = [...lifecycle].map(([ev, v]) => `${escapeHtml(ev)} ×${count(v.count)} (first at ${formatTime(v.first)})`);
    parts.push(`<p class="meta">Lifecycle events: ${items.join(' · ')}</p>`);
  }
  parts.push('</figure>');
  return parts.join('');
}

/** Peak node-subnet use of a mode's rows (a fraction). */
function peakNodeSubnet(rows: readonly TimeseriesRow[]): number {
  let p = 0;
  for (const r of rows) p = Math.max(p, ratio(r.node_ips_used, r.node_ips_capacity));
  return p;
}

/** One row per mode: the answer first. */
function verdicts(sum: readonly SummaryRow[], byMode: ReadonlyMap<string, readonly TimeseriesRow[]>, modes: readonly string[], key: string): string {
  const head = '<tr><th>mode</th><th>verdict</th><th>pod space used (peak)</th><th>node subnet used (peak)</th><th>nodes reached</th><th>pods running (max)</th><th>unschedulable (max)</th><th>address wait p99</th></tr>';
  const body = modes.map((mode, i) => {
    const r = sum.find((s) => s.mode === mode);
    if (!r) return '';
    const holds = r.first_exhaustion_s === null;
    const verdict = holds
      ? '<span class="holds">holds</span>'
      : `<span class="runs-out">runs out at ${formatTime(r.first_exhaustion_s!)}</span> of <b style="color:${causeColor(r.first_exhaustion_cause ?? '')}">${escapeHtml(r.first_exhaustion_cause ?? 'something')}</b>`;
    // What a reviewer must not miss: pods still waiting at the end, failed upgrades.
    const also = [
      r.pods_waiting_ip_end > 0 ? `${count(r.pods_waiting_ip_end)} pods still wait for an address at the end` : '',
      r.pods_unschedulable_end > 0 ? `${count(r.pods_unschedulable_end)} pods still unschedulable at the end` : '',
      r.upgrades_failed > 0 ? `${count(r.upgrades_failed)} of ${count(r.upgrades_started)} upgrades failed` : '',
    ].filter((x) => x !== '');
    const verdictCell = also.length ? `${verdict}<br><small class="also">${also.map(escapeHtml).join('; ')}</small>` : verdict;
    return `<tr data-mode="${escapeHtml(mode)}"><td><i style="background:${modeColor(i)}"></i>${escapeHtml(mode)}</td><td>${verdictCell}</td>`
      + `<td>${r.peak_utilization === null ? '—' : percent(r.peak_utilization)}</td><td>${percent(peakNodeSubnet(byMode.get(mode) ?? []))}</td><td>${count(r.max_nodes)}</td>`
      + `<td>${count(r.max_pods_running)}</td><td>${count(r.pods_unschedulable_max)}</td><td>${formatWait(r.ip_wait_p99_s)}</td></tr>`;
  });
  return `<table class="verdicts" data-chart="${escapeHtml(key)}">${head}${body.join('')}</table>`;
}

/** Horizontal bars of the address-wait percentiles, one group per mode, on a shared scale. */
function waitChart(rows: readonly SummaryRow[], modes: readonly string[], key: string): string {
  const bars: { mode: string; label: string; v: number | null; i: number }[] = [];
  const waited = rows.filter((r) => (r.ip_wait_max_s ?? 0) > 0);
  const none = rows.filter((r) => !waited.includes(r)).map((r) => r.mode);
  const noneLine = none.length ? `<p class="meta">No pod waited for an address in ${none.map(escapeHtml).join(', ')}.</p>` : '';
  if (waited.length === 0) return `<figure class="wait" data-chart="${escapeHtml(key)}"><figcaption>Time to an address (ContainerCreating wait)</figcaption>${noneLine}</figure>`;
  for (const r of waited) {
    const i = modes.indexOf(r.mode);
    bars.push({ mode: r.mode, label: 'p50', v: r.ip_wait_p50_s, i });
    bars.push({ mode: r.mode, label: 'p99', v: r.ip_wait_p99_s, i });
    bars.push({ mode: r.mode, label: 'max', v: r.ip_wait_max_s, i });
  }
  const max = Math.max(0, ...bars.map((b) => b.v ?? 0));
  const scale = max > 0 ? max : 1;
  const left = 130;
  const width = 640;
  const rowH = 15;
  const h = bars.length * rowH + 10;
  const parts = [`<figure class="wait" data-chart="${escapeHtml(key)}"><figcaption>Time to an address (ContainerCreating wait): p50, p99, max</figcaption>`];
  parts.push(`<svg class="chart" viewBox="0 0 ${width} ${h}" role="img" aria-label="time to address">`);
  parts.push(`<path class="axis" d="M${left} 4V${bars.length * rowH + 6}"/>`);
  bars.forEach((b, j) => {
    const yy = 6 + j * rowH;
    const w = b.v === null ? 0 : Math.max(1, (b.v / scale) * (width - left - 80));
    parts.push(`<text class="tick" x="${left - 6}" y="${yy + 10}" text-anchor="end">${escapeHtml(b.mode)} ${b.label}</text>`);
    parts.push(`<path class="bar" d="M${left} ${yy + 2}h${num(w)}v10h${num(-w)}Z" fill="${modeColor(b.i)}" fill-opacity="${b.label === 'p50' ? 0.45 : b.label === 'p99' ? 0.75 : 1}"/>`);
    parts.push(`<text class="tick" x="${num(left + w + 4)}" y="${yy + 10}">${b.v === null ? 'no pods' : formatWait(b.v)}</text>`);
  });
  parts.push(`</svg>${noneLine}</figure>`);
  return parts.join('');
}

/** A summary figure as read: fractions as percentages, seconds as durations, counts with separators. */
function summaryCell(column: string, v: string | number | null): string {
  if (v === null) return '—';
  if (typeof v === 'string') return v;
  if (column.endsWith('utilization')) return percent(v);
  if (column.startsWith('ip_wait_')) return formatWait(v);
  if (column.endsWith('_s')) return formatTime(v);
  if (column === 'seed') return String(v);
  return count(v);
}

/** summary.csv's rows as columns (one per mode and cluster), so the table stays narrow; figures formatted to read. */
function summaryTableHtml(rows: readonly SummaryRow[]): string {
  const head = `<tr><th></th>${rows.map((r) => `<th>${escapeHtml(r.mode)}${rows.some((o) => o.cluster !== r.cluster) ? ` / ${escapeHtml(r.cluster)}` : ''}</th>`).join('')}</tr>`;
  const body = SUMMARY_COLUMNS.filter((c) => c !== 'mode').map((c) =>
    `<tr><th>${escapeHtml(c)}</th>${rows.map((r) => `<td>${escapeHtml(summaryCell(c, r[c] as string | number | null))}</td>`).join('')}</tr>`).join('');
  return `<div class="scroll"><table class="summary">${head}${body}</table></div>`;
}

const CSS = `
*{box-sizing:border-box}
body{font:13px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;padding:12px 16px;max-width:1600px;color:#222;background:#fff}
h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:20px 0 6px;border-bottom:1px solid #ddd}h3{font-size:14px;margin:14px 0 4px}
.meta{color:#555;margin:4px 0}
figure{margin:0}figcaption{font-weight:600;font-size:12px;margin:0 0 2px}
.questions{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,380px),1fr));gap:10px 16px}
.chart{display:block;width:100%;height:auto;font-size:10px}.chart .grid{stroke:#eee}.chart .axis{stroke:#999;fill:none}
.chart .series{fill:none;stroke-linejoin:round;stroke-opacity:.9}.chart .tick{fill:#555}.chart .mode-label{font-size:12px;fill:#222}
.legend{margin:6px 0;font-size:12px}.legend span{margin-right:14px;display:inline-block}
.legend i,.verdicts i,.cause i{display:inline-block;width:10px;height:10px;margin-right:4px;vertical-align:-1px;border-radius:2px}
.strips,.wait{margin-top:12px}.wait{max-width:700px}.none{color:#2a7a2a;margin:4px 0}
table{border-collapse:collapse;font-size:12px}th,td{border:1px solid #ddd;padding:3px 8px;text-align:right;white-space:nowrap}
th{background:#f5f5f5}td:first-child,th:first-child{text-align:left}
.verdicts td:nth-child(2),.verdicts th:nth-child(2){text-align:left}.holds{color:#2a7a2a;font-weight:600}.runs-out{color:#b22;font-weight:600}
.scroll{overflow-x:auto;max-width:100%}
`;

/** The whole page for a run's result. Deterministic: the same result gives the same bytes. */
export function renderReport(result: SimulationResult, scenario: Scenario): string {
  const modes = result.modes;
  const endS = scenario.durationMs / 1000;
  const clusters = scenario.clusters.map((c) => c.name);
  const out: string[] = [];
  out.push('<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">');
  out.push('<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'; img-src data:">');
  out.push(`<title>cnisim: ${escapeHtml(scenario.name)}</title><style>${CSS}</style></head><body>`);
  out.push(`<h1>cnisim report: ${escapeHtml(scenario.name)}</h1>`);
  out.push(`<p class="meta">seed ${result.seed} · ${formatTime(endS)} simulated, sampled every ${formatTime(scenario.sampleEveryMs / 1000)} · modes ${modes.map(escapeHtml).join(', ')} · file ${escapeHtml(scenario.file)}</p>`);
  if (scenario.description) out.push(`<p>${escapeHtml(scenario.description)}</p>`);
  for (const cluster of clusters) {
    const byMode = new Map<string, TimeseriesRow[]>(modes.map((m) => [m, []]));
    for (const r of result.timeseries) if (r.cluster === cluster) byMode.get(r.mode)?.push(r);
    const all = [...byMode.values()].flat();
    const sum = result.summary.filter((r) => r.cluster === cluster && r.pool === '');
    out.push(`<section class="cluster" data-cluster="${escapeHtml(cluster)}">`);
    if (clusters.length > 1) out.push(`<h2>cluster ${escapeHtml(cluster)}</h2>`);
    out.push(verdicts(sum, byMode, modes, `${cluster}/verdicts`));
    out.push(modeLegend(modes));
    out.push('<div class="questions">');
    for (const q of questionsFor(all)) out.push(questionChart(q, byMode, modes, endS, `${cluster}/${q.id}`));
    out.push('</div>');
    out.push(eventStrips(result.events.filter((e) => e.cluster === cluster), modes, endS, `${cluster}/events`));
    out.push(waitChart(sum, modes, `${cluster}/wait`));
    out.push('</section>');
  }
  out.push('<h2>Summary</h2>');
  out.push(summaryTableHtml(result.summary.filter((r) => r.pool === '')));
  out.push('<p class="meta">Generated by cnisim. Used = assigned to pods (or nodes) ÷ the capacity of the space; peaks are exact (taken at every change). Per-pool rows are in summary.csv. '
    + 'Events beyond 1,000 of one kind per cluster are counted in summary.csv but not in events.csv or the strips.</p>');
  out.push('</body></html>\n');
  return out.join('\n');
}
