/**
 * `report.html`: one self-contained page per run (inline CSS and SVG, no script, no network request) with, for
 * each cluster, the modes side by side: address-space utilisation (used and reserved) over time, nodes, pods
 * (running, unschedulable, waiting for an address), exhaustion and refusal events marked on the time axis with
 * their cause, the time-to-address percentiles, and the summary table.
 * Cost: O(rows) to group the result; each series is thinned to at most MAX_POINTS points (bucket maxima, so
 * peaks survive), so the page stays small for runs of a million samples.
 */
import type { SimulationResult } from '../sim/run.js';
import type { EventRow, SummaryRow, TimeseriesRow } from '../sim/metrics.js';
import type { Scenario } from '../scenario/index.js';
import { SUMMARY_COLUMNS, cell } from './csv.js';

/** Points drawn per series at most: about one per pixel of a chart [assumption]. */
export const MAX_POINTS = 600;
/** Event markers drawn per chart at most (first of each time bucket kept) [assumption]. */
export const MAX_MARKERS = 150;

const W = 440;
const H = 170;
const M = { left: 48, right: 10, top: 10, bottom: 26 };
const PW = W - M.left - M.right;
const PH = H - M.top - M.bottom;

const CAUSE_COLORS: Readonly<Record<string, string>> = {
  'node-subnet-full': '#d62728',
  'pod-subnet-full': '#ff7f0e',
  'pod-cidr-full': '#9467bd',
  'node-limit': '#8c564b',
  'max-pods': '#e377c2',
  'cluster-pod-limit': '#7f7f7f',
};
const OTHER_CAUSE = '#bcbd22';

interface Series {
  readonly label: string;
  readonly color: string;
  readonly values: (r: TimeseriesRow) => number;
}

interface ChartSpec {
  readonly id: string;
  readonly title: string;
  readonly series: readonly Series[];
  /** Fixed y maximum (1 for fractions), or null to share the largest value across the modes. */
  readonly yMax: number | null;
  readonly percent: boolean;
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const ratio = (num: number, den: number) => (den > 0 ? num / den : 0);

function chartsFor(rows: readonly TimeseriesRow[]): ChartSpec[] {
  const dual = rows.some((r) => r.pod6_ips_capacity > 0);
  const util: Series[] = [
    { label: 'node subnet used', color: '#1f77b4', values: (r) => ratio(r.node_ips_used, r.node_ips_capacity) },
    { label: 'pod space used', color: '#2ca02c', values: (r) => r.utilization },
    { label: 'pod space reserved', color: '#ff7f0e', values: (r) => r.reserved_utilization },
  ];
  if (dual) {
    util.push({ label: 'IPv6 pod space used', color: '#17becf', values: (r) => ratio(r.pod6_ips_used, r.pod6_ips_capacity) });
    util.push({ label: 'IPv6 pod space reserved', color: '#bcbd22', values: (r) => ratio(r.pod6_ips_reserved, r.pod6_ips_capacity) });
  }
  return [
    { id: 'util', title: 'Address spaces: used and reserved (% of capacity)', series: util, yMax: 1, percent: true },
    {
      id: 'nodes', title: 'Nodes', yMax: null, percent: false,
      series: [
        { label: 'nodes', color: '#1f77b4', values: (r) => r.nodes },
        { label: 'surge nodes', color: '#9467bd', values: (r) => r.surge_nodes },
      ],
    },
    {
      id: 'pods', title: 'Pods', yMax: null, percent: false,
      series: [
        { label: 'running', color: '#2ca02c', values: (r) => r.pods_running },
        { label: 'unschedulable', color: '#d62728', values: (r) => r.pods_unschedulable },
        { label: 'waiting for an address', color: '#ff7f0e', values: (r) => r.pods_waiting_ip },
      ],
    },
  ];
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

/** Time ticks in whole seconds, minutes, hours or days. */
function timeStep(end: number): number {
  const steps = [1, 5, 10, 30, 60, 300, 600, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800, 2592000];
  for (const s of steps) if (end / s <= 8) return s;
  return niceStep(end, 8);
}

export function formatTime(s: number): string {
  if (s === 0) return '0';
  if (s % 86400 === 0) return `${s / 86400}d`;
  if (s % 3600 === 0) return `${s / 3600}h`;
  if (s % 60 === 0) return `${s / 60}m`;
  if (s < 60) return `${+s.toFixed(3)}s`;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = +(s % 60).toFixed(3);
  return `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${sec ? `${sec}s` : ''}`;
}

function formatValue(v: number, percent: boolean): string {
  if (percent) return `${Math.round(v * 100)}%`;
  if (v >= 1e6) return `${+(v / 1e6).toFixed(1)}M`;
  if (v >= 1e4) return `${+(v / 1e3).toFixed(1)}k`;
  return String(+v.toFixed(2));
}

const num = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(1));

interface Marker {
  readonly t: number;
  readonly cause: string;
  readonly label: string;
}

function svgChart(spec: ChartSpec, rows: readonly TimeseriesRow[], endS: number, yMax: number, markers: readonly Marker[], key: string): string {
  const x = (t: number) => M.left + (endS > 0 ? (t / endS) * PW : 0);
  const y = (v: number) => M.top + PH - (yMax > 0 ? Math.min(1, v / yMax) * PH : 0);
  const parts: string[] = [];
  parts.push(`<svg class="chart" data-chart="${escapeHtml(key)}" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${escapeHtml(spec.title)}">`);
  // Axes and grid.
  const ystep = spec.percent ? 0.25 : niceStep(yMax, 4);
  for (let v = 0; v <= yMax + 1e-9; v += ystep) {
    parts.push(`<line class="grid" x1="${M.left}" x2="${M.left + PW}" y1="${num(y(v))}" y2="${num(y(v))}"/>`);
    parts.push(`<text class="tick" x="${M.left - 4}" y="${num(y(v) + 3)}" text-anchor="end">${formatValue(v, spec.percent)}</text>`);
  }
  const tstep = timeStep(endS);
  for (let t = 0; t <= endS + 1e-9; t += tstep) {
    parts.push(`<text class="tick" x="${num(x(t))}" y="${H - 10}" text-anchor="middle">${formatTime(t)}</text>`);
  }
  parts.push(`<path class="axis" d="M${M.left} ${M.top}V${M.top + PH}H${M.left + PW}"/>`);
  // Event markers under the lines.
  for (const m of markers) {
    const color = CAUSE_COLORS[m.cause] ?? OTHER_CAUSE;
    parts.push(`<line class="marker" x1="${num(x(m.t))}" x2="${num(x(m.t))}" y1="${M.top}" y2="${M.top + PH}" stroke="${color}"><title>${escapeHtml(m.label)}</title></line>`);
  }
  for (const s of spec.series) {
    const pts = thin(rows, s.values);
    if (pts.length === 0) continue;
    const d = pts.map(([t, v], i) => `${i === 0 ? 'M' : 'L'}${num(x(t))} ${num(y(v))}`).join('');
    // A single sample still draws: a short horizontal stroke.
    const dd = pts.length === 1 ? `${d}h2` : d;
    parts.push(`<path class="series" d="${dd}" stroke="${s.color}"><title>${escapeHtml(s.label)}</title></path>`);
  }
  parts.push('</svg>');
  return parts.join('');
}

function legend(series: readonly Series[]): string {
  return `<div class="legend">${series.map((s) => `<span><i style="background:${s.color}"></i>${escapeHtml(s.label)}</span>`).join('')}</div>`;
}

/** Events with a cause (refusals, exhaustion, limits), thinned to one per time bucket. */
function markersOf(events: readonly EventRow[], endS: number): Marker[] {
  const withCause = events.filter((e) => e.cause !== '');
  const out: Marker[] = [];
  const seen = new Set<string>();
  for (const e of withCause) {
    const bucket = endS > 0 ? Math.floor((e.time_s / endS) * MAX_MARKERS) : 0;
    const k = `${bucket} ${e.cause}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push({ t: e.time_s, cause: e.cause, label: `${formatTime(e.time_s)}: ${e.event} (${e.cause})${e.pool ? ` pool ${e.pool}` : ''} — ${e.detail}` });
  }
  return out;
}

function eventList(events: readonly EventRow[]): string {
  const byKey = new Map<string, { first: EventRow; count: number }>();
  for (const e of events) {
    if (e.cause === '') continue;
    const k = `${e.event} ${e.cause}`;
    const had = byKey.get(k);
    if (had) had.count++;
    else byKey.set(k, { first: e, count: 1 });
  }
  if (byKey.size === 0) return '<p class="none">no exhaustion or refusal events</p>';
  const items = [...byKey.values()].map(({ first, count }) => {
    const color = CAUSE_COLORS[first.cause] ?? OTHER_CAUSE;
    return `<li><i style="background:${color}"></i><b>${escapeHtml(first.cause)}</b> ${escapeHtml(first.event)} first at ${formatTime(first.time_s)}${count > 1 ? ` (${count} events)` : ''}<br><small>${escapeHtml(first.detail)}</small></li>`;
  });
  return `<ul class="events">${items.join('')}</ul>`;
}

/** Horizontal bars of the address-wait percentiles, one group per mode, on a shared scale. */
function waitChart(rows: readonly SummaryRow[], key: string): string {
  const bars: { mode: string; label: string; v: number | null; color: string }[] = [];
  for (const r of rows) {
    bars.push({ mode: r.mode, label: 'p50', v: r.ip_wait_p50_s, color: '#2ca02c' });
    bars.push({ mode: r.mode, label: 'p99', v: r.ip_wait_p99_s, color: '#ff7f0e' });
    bars.push({ mode: r.mode, label: 'max', v: r.ip_wait_max_s, color: '#d62728' });
  }
  const max = Math.max(0, ...bars.map((b) => b.v ?? 0));
  const scale = max > 0 ? max : 1;
  const left = 130;
  const width = 560;
  const rowH = 16;
  const h = bars.length * rowH + 30;
  const parts = [`<svg class="chart" data-chart="${escapeHtml(key)}" viewBox="0 0 ${width} ${h}" width="${width}" height="${h}" role="img" aria-label="time to address">`];
  parts.push(`<path class="axis" d="M${left} 4V${bars.length * rowH + 6}"/>`);
  bars.forEach((b, i) => {
    const yy = 6 + i * rowH;
    const w = b.v === null ? 0 : Math.max(1, ((b.v ?? 0) / scale) * (width - left - 70));
    parts.push(`<text class="tick" x="${left - 6}" y="${yy + 11}" text-anchor="end">${escapeHtml(b.mode)} ${b.label}</text>`);
    parts.push(`<path class="bar" d="M${left} ${yy + 2}h${num(w)}v11h${num(-w)}Z" fill="${b.color}"/>`);
    parts.push(`<text class="tick" x="${num(left + w + 4)}" y="${yy + 11}">${b.v === null ? 'no pods' : `${cell(b.v)} s`}</text>`);
  });
  parts.push('</svg>');
  return parts.join('');
}

function summaryTableHtml(rows: readonly SummaryRow[]): string {
  const head = `<tr>${SUMMARY_COLUMNS.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr>`;
  const body = rows.map((r) => `<tr>${SUMMARY_COLUMNS.map((c) => `<td>${escapeHtml(cell(r[c] as string | number | null))}</td>`).join('')}</tr>`).join('');
  return `<div class="scroll"><table>${head}${body}</table></div>`;
}

const CSS = `
body{font:13px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;margin:16px;color:#222;background:#fff}
h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:22px 0 6px;border-bottom:1px solid #ddd}h3{font-size:14px;margin:12px 0 4px}
.meta{color:#555}.grid-modes{display:grid;gap:12px;align-items:start}
.mode{border:1px solid #e3e3e3;border-radius:6px;padding:8px;min-width:${W + 2}px}.mode h3{margin-top:0}
.chart{display:block;font-size:10px}.chart .grid{stroke:#eee}.chart .axis{stroke:#999;fill:none}
.chart .series{fill:none;stroke-width:1.6}.chart .marker{stroke-width:1;stroke-opacity:.55}.chart .tick{fill:#666}
.legend{margin:2px 0 8px 48px;font-size:11px}.legend span{margin-right:10px;white-space:nowrap}
.legend i,.events i{display:inline-block;width:10px;height:10px;margin-right:4px;vertical-align:-1px;border-radius:2px}
.events{list-style:none;padding:0;margin:4px 0;font-size:12px}.events li{margin:3px 0}.none{color:#2ca02c;margin:4px 0}
.scroll{overflow-x:auto}table{border-collapse:collapse;font-size:12px}th,td{border:1px solid #ddd;padding:3px 6px;text-align:right;white-space:nowrap}
th{background:#f5f5f5}td:first-child,td:nth-child(2),th:first-child,th:nth-child(2){text-align:left}
`;

/** The whole page for a run's result. Deterministic: the same result gives the same bytes. */
export function renderReport(result: SimulationResult, scenario: Scenario): string {
  const modes = result.modes;
  const endS = scenario.durationMs / 1000;
  const clusters = scenario.clusters.map((c) => c.name);
  const out: string[] = [];
  out.push('<!doctype html><html lang="en"><head><meta charset="utf-8">');
  out.push('<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'; img-src data:">');
  out.push(`<title>cnisim: ${escapeHtml(scenario.name)}</title><style>${CSS}</style></head><body>`);
  out.push(`<h1>cnisim report: ${escapeHtml(scenario.name)}</h1>`);
  out.push(`<p class="meta">seed ${result.seed} · ${formatTime(endS)} simulated, sampled every ${formatTime(scenario.sampleEveryMs / 1000)} · modes ${modes.map(escapeHtml).join(', ')} · file ${escapeHtml(scenario.file)}</p>`);
  if (scenario.description) out.push(`<p>${escapeHtml(scenario.description)}</p>`);
  for (const cluster of clusters) {
    const cRows = result.timeseries.filter((r) => r.cluster === cluster);
    const specs = chartsFor(cRows);
    if (clusters.length > 1) out.push(`<h2>cluster ${escapeHtml(cluster)}</h2>`);
    out.push(`<div class="grid-modes" style="grid-template-columns:repeat(${modes.length},minmax(${W + 20}px,1fr))">`);
    // Shared y scales, so the modes compare at a glance.
    const yMax = specs.map((s) => s.yMax ?? Math.max(1, ...cRows.map((r) => Math.max(...s.series.map((se) => se.values(r))))));
    for (const mode of modes) {
      const rows = cRows.filter((r) => r.mode === mode);
      const events = result.events.filter((e) => e.mode === mode && e.cluster === cluster);
      const markers = markersOf(events, endS);
      out.push(`<section class="mode" data-mode="${escapeHtml(mode)}"><h3>${escapeHtml(mode)}</h3>`);
      specs.forEach((s, i) => {
        out.push(`<div class="title">${escapeHtml(s.title)}</div>`);
        out.push(svgChart(s, rows, endS, yMax[i]!, markers, `${cluster}/${mode}/${s.id}`));
        out.push(legend(s.series));
      });
      out.push('<div class="title">Exhaustion and refusal events (marked on the time axes)</div>');
      out.push(eventList(events));
      out.push('</section>');
    }
    out.push('</div>');
    const sum = result.summary.filter((r) => r.cluster === cluster && r.pool === '');
    out.push('<h3>Time to address (ContainerCreating wait), percentiles</h3>');
    out.push(waitChart(sum, `${cluster}/wait`));
  }
  out.push('<h2>Summary</h2>');
  out.push(summaryTableHtml(result.summary));
  out.push('<p class="meta">Generated by cnisim. Utilisation = used / capacity of the space; reserved = held by nodes (blocks, batches, /24s, pre-reserved addresses). Markers: events with a cause, coloured by cause; hover for details.</p>');
  out.push('</body></html>\n');
  return out.join('\n');
}
