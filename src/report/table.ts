/** The side-by-side summary printed after a run: one column per mode (and cluster), one row per figure; times as durations. */
import type { SummaryRow } from '../sim/metrics.js';
import { formatTime } from './format.js';

const ROWS: [label: string, key: keyof SummaryRow, kind?: 'pct' | 's'][] = [
  ['max nodes', 'max_nodes'],
  ['max pods running', 'max_pods_running'],
  ['max pod IPs reserved', 'max_pod_ips_reserved'],
  ['peak utilization', 'peak_utilization', 'pct'],
  ['peak reserved utilization', 'peak_reserved_utilization', 'pct'],
  ['pods unschedulable (max)', 'pods_unschedulable_max'],
  ['nodes refused', 'nodes_refused'],
  ['first exhaustion', 'first_exhaustion_s', 's'],
  ['first exhaustion cause', 'first_exhaustion_cause'],
  ['IP wait p50', 'ip_wait_p50_s', 's'],
  ['IP wait p99', 'ip_wait_p99_s', 's'],
];

function show(v: string | number | null, kind?: 'pct' | 's'): string {
  if (v === null) return '–';
  if (typeof v === 'number' && kind === 'pct') return `${(v * 100).toFixed(1)}%`;
  if (typeof v === 'number' && kind === 's') return formatTime(v);
  return typeof v === 'number' ? v.toLocaleString('en-US') : v;
}

export function summaryTable(rows: readonly SummaryRow[]): string {
  const multi = new Set(rows.map((r) => r.cluster)).size > 1;
  const heads = rows.map((r) => (multi ? `${r.mode}/${r.cluster}` : r.mode));
  const labelWidth = Math.max(...ROWS.map(([l]) => l.length));
  const cells = ROWS.map(([, key, kind]) => rows.map((r) => show(r[key], kind)));
  const widths = heads.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (label: string, values: string[]) => `${label.padEnd(labelWidth)}  ${values.map((v, i) => v.padStart(widths[i]!)).join('  ')}`;
  return [line('', heads), ...ROWS.map(([label], i) => line(label, cells[i]!))].join('\n');
}
