/**
 * What a run prints: the side-by-side summary (one column per mode and cluster, one row per figure; ./columns.ts), a line per
 * node pool, and warnings a reviewer must not miss (pods still waiting at the end, upgrades that failed).
 * Durations read as durations (`17m 1.5s`); the CSV keeps seconds.
 */
import type { SummaryRow } from '../sim/metrics.js';
import { sideBySide } from './columns.js';
import { humanSeconds } from './duration.js';

type Show = (r: SummaryRow) => string;

const num = (v: number | null): string => (v === null ? '–' : v.toLocaleString('en-US'));
const pct = (v: number | null): string => (v === null ? '–' : `${(v * 100).toFixed(1)}%`);
const dur = (v: number | null): string => (v === null ? '–' : humanSeconds(v));

const ROWS: [label: string, show: Show][] = [
  ['max nodes', (r) => num(r.max_nodes)],
  ['max pods running', (r) => num(r.max_pods_running)],
  ['max pod IPs reserved', (r) => num(r.max_pod_ips_reserved)],
  ['peak utilization', (r) => pct(r.peak_utilization)],
  ['peak reserved utilization', (r) => pct(r.peak_reserved_utilization)],
  ['pods unschedulable (max)', (r) => num(r.pods_unschedulable_max)],
  ['  waiting for a node (max)', (r) => num(r.pods_waiting_node_max)],
  ['  no room left (max)', (r) => num(r.pods_no_room_max)],
  ['pods unschedulable at end', (r) => num(r.pods_unschedulable_end)],
  ['pods waiting for IP (max)', (r) => num(r.pods_waiting_ip_max)],
  ['pods waiting for IP at end', (r) => num(r.pods_waiting_ip_end)],
  ['nodes refused', (r) => num(r.nodes_refused)],
  ['refusals', (r) => num(r.refusals)],
  // One cause: its name; several: each with its count (summary.csv's refusals_by_cause).
  ['  by cause', (r) => (r.refusals === 0 ? '–' : r.refusals_by_cause.includes(' ') ? r.refusals_by_cause : r.refusals_by_cause.replace(/:\d+$/, ''))],
  ['first exhaustion', (r) => dur(r.first_exhaustion_s)],
  ['  of', (r) => r.first_exhaustion_cause ?? '–'],
  // The event's name only (summary.csv also names its cause).
  ['first threshold crossed', (r) => dur(r.first_threshold_s)],
  ['  event', (r) => (r.first_threshold_event ?? '–').replace(/ \(.*\)$/, '')],
  ['upgrades started / failed', (r) => `${r.upgrades_started} / ${r.upgrades_failed}`],
  ['IP wait p50', (r) => dur(r.ip_wait_p50_s)],
  ['IP wait p99', (r) => dur(r.ip_wait_p99_s)],
  ['IP wait max', (r) => dur(r.ip_wait_max_s)],
];

/** The clusters' rows side by side: a column per mode (and cluster), a row per figure. */
export function summaryTable(rows: readonly SummaryRow[]): string {
  const clusters = rows.filter((r) => r.pool === '');
  const multi = new Set(clusters.map((r) => r.cluster)).size > 1;
  const heads = clusters.map((r) => (multi ? `${r.mode}/${r.cluster}` : r.mode));
  return sideBySide([['', ...heads], ...ROWS.map(([label, show]) => [label, ...clusters.map(show)])], 'right');
}

const POOL_COLUMNS: [head: string, show: Show][] = [
  ['max nodes', (r) => num(r.max_nodes)],
  ['max pods', (r) => num(r.max_pods_running)],
  ['unsched. max (node/no room)', (r) => `${num(r.pods_unschedulable_max)} (${num(r.pods_waiting_node_max)}/${num(r.pods_no_room_max)})`],
  ['at end: unsched./wait IP', (r) => `${num(r.pods_unschedulable_end)}/${num(r.pods_waiting_ip_end)}`],
  ['refusals', (r) => num(r.refusals)],
  ['upgrades (failed)', (r) => `${r.upgrades_started} (${r.upgrades_failed})`],
];

/** A line per mode and node pool (the pool rows of the summary). */
export function poolTable(rows: readonly SummaryRow[]): string {
  const pools = rows.filter((r) => r.pool !== '');
  const multi = new Set(pools.map((r) => r.cluster)).size > 1;
  const table = [
    ['node pool', ...POOL_COLUMNS.map(([h]) => h)],
    ...pools.map((r) => [`${r.mode}/${multi ? `${r.cluster}/` : ''}${r.pool}`, ...POOL_COLUMNS.map(([, show]) => show(r))]),
  ];
  return sideBySide(table, 'right');
}

/** What a reviewer must not miss, one line each: pods still waiting at the end, upgrades that failed. */
export function summaryWarnings(rows: readonly SummaryRow[]): string[] {
  const out: string[] = [];
  for (const r of rows) {
    const who = r.pool === '' ? `${r.mode}, cluster ${r.cluster}` : null;
    if (who === null) {
      if (r.upgrades_failed > 0) out.push(`${r.mode}, node pool ${r.pool}: ${r.upgrades_failed} of ${r.upgrades_started} upgrade(s) failed (events.csv: upgrade-failed)`);
      continue;
    }
    if (r.pods_waiting_ip_end > 0) out.push(`${who}: ${num(r.pods_waiting_ip_end)} pods still wait for an address at the end (the IP wait percentiles count only pods that got one)`);
    if (r.pods_unschedulable_end > 0) out.push(`${who}: ${num(r.pods_unschedulable_end)} pods still unschedulable at the end`);
  }
  return out;
}

/** Everything a run prints about its result: the summary, the node pools (when a cluster has several), the warnings. */
export function runSummary(rows: readonly SummaryRow[]): string {
  const parts = [summaryTable(rows)];
  const clusters = new Set(rows.filter((r) => r.pool !== '').map((r) => `${r.mode}\u0000${r.cluster}`));
  if (rows.filter((r) => r.pool !== '').length > clusters.size) parts.push(poolTable(rows));
  const warnings = summaryWarnings(rows);
  if (warnings.length) parts.push(warnings.map((w) => `warning: ${w}`).join('\n'));
  return parts.join('\n\n');
}
