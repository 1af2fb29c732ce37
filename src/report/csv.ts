/**
 * CSV files of a run: timeseries.csv, summary.csv and events.csv. Column order is fixed here (the README
 * documents it); numbers are written the same way every time so equal runs give byte-identical files.
 * Files are written to temporary names and renamed only once all of them are complete.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync, accessSync, constants, statSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import type { SimulationResult } from '../sim/run.js';
import type { EventRow, SummaryRow, TimeseriesRow } from '../sim/metrics.js';
import { inputError } from '../errors.js';

export const TIMESERIES_COLUMNS: readonly (keyof TimeseriesRow)[] = [
  'mode', 'cluster', 'time_s', 'nodes', 'pods_running', 'pods_unschedulable', 'pods_waiting_ip', 'node_ips_used',
  'node_ips_capacity', 'pod_ips_reserved', 'pod_ips_used', 'pod_ips_capacity', 'utilization', 'reserved_utilization',
  'fragmentation', 'exhaustion_events', 'surge_nodes', 'pod6_ips_reserved', 'pod6_ips_used', 'pod6_ips_capacity',
  'pods_waiting_node', 'pods_no_room',
  'vnet_ips_used',
];

export const SUMMARY_COLUMNS: readonly (keyof SummaryRow)[] = [
  'mode', 'cluster', 'pool', 'seed', 'max_nodes', 'max_pods_running', 'max_pod_ips_reserved', 'pods_unschedulable_max',
  'pods_waiting_node_max', 'pods_no_room_max', 'pods_unschedulable_end', 'pods_waiting_ip_end', 'pods_waiting_ip_max',
  'nodes_refused', 'refusals', 'refusals_by_cause', 'first_exhaustion_s', 'first_exhaustion_cause',
  'first_threshold_s', 'first_threshold_event', 'peak_utilization', 'peak_reserved_utilization',
  'upgrades_started', 'upgrades_failed', 'ip_wait_p50_s', 'ip_wait_p99_s', 'ip_wait_max_s', 'pods_started', 'events',
];

export const EVENT_COLUMNS: readonly (keyof EventRow)[] = ['mode', 'cluster', 'time_s', 'event', 'cause', 'pool', 'node', 'detail'];

/** A number as it appears in a CSV cell: integers exactly, fractions to 6 places without trailing zeros. */
export function cell(v: string | number | null): string {
  if (v === null) return '';
  if (typeof v === 'string') return v;
  if (Number.isInteger(v)) return String(v);
  return v.toFixed(6).replace(/0+$/, '').replace(/\.$/, '');
}

export function toCsv<R extends object>(columns: readonly (keyof R)[], rows: readonly R[]): string {
  const records = rows.map((r) => columns.map((c) => cell(r[c] as string | number | null)));
  return stringify([[...columns] as string[], ...records], { record_delimiter: '\n' });
}

/** The CSV files of a result, by file name. */
export function resultFiles(result: SimulationResult): Map<string, string> {
  return new Map([
    ['timeseries.csv', toCsv(TIMESERIES_COLUMNS, result.timeseries)],
    ['summary.csv', toCsv(SUMMARY_COLUMNS, result.summary)],
    ['events.csv', toCsv(EVENT_COLUMNS, result.events)],
  ]);
}

/**
 * Fails early (before a run) when results could not be written to `dir`: it must be a writable folder, or not
 * exist yet under a writable folder. Creates nothing, so a run refused later leaves no trace.
 */
export function ensureWritable(dir: string): void {
  const fail = (why: string, cause?: unknown) =>
    inputError(`cannot write results to ${dir}: ${why}. Choose another folder with --out.`, { cause });
  let probe = resolve(dir);
  for (;;) {
    let st;
    try {
      st = statSync(probe);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOTDIR') throw fail(`a part of the path is a file, not a folder`, err);
      if (code !== 'ENOENT') throw fail(`${probe} cannot be read (${code ?? String(err)})`, err);
      const parent = dirname(probe);
      if (parent === probe) throw fail('no existing parent folder', err);
      probe = parent;
      continue;
    }
    if (!st.isDirectory()) throw fail(probe === resolve(dir) ? 'it is a file, not a folder' : `${probe} is a file, not a folder`);
    try {
      accessSync(probe, constants.W_OK | constants.X_OK);
    } catch (err) {
      throw fail(probe === resolve(dir) ? 'permission denied' : `permission denied to create it in ${probe}`, err);
    }
    return;
  }
}

/**
 * Writes every file to a temporary name in `dir` (created if needed), then renames them all: earlier results are
 * replaced only once every new file is complete. On failure the temporary files are removed and earlier results
 * stay as they were.
 */
export function writeFilesAtomically(dir: string, files: Map<string, string>): string[] {
  ensureWritable(dir);
  const tmps: [string, string][] = [];
  try {
    mkdirSync(dir, { recursive: true });
    for (const [name, text] of files) {
      const tmp = join(dir, `.${name}.${process.pid}.tmp`);
      tmps.push([tmp, join(dir, name)]);
      writeFileSync(tmp, text);
    }
  } catch (err) {
    for (const [tmp] of tmps) rmSync(tmp, { force: true });
    throw inputError(`cannot write results to ${dir}: ${(err as Error).message}`, { cause: err });
  }
  // A folder in the way of a final name would stop the renames half-way: refuse before renaming any.
  const blocked = tmps.find(([, final]) => existsSync(final) && !statSync(final).isFile());
  try {
    if (blocked) throw new Error(`${blocked[1]} exists and is not a file`);
    for (const [tmp, final] of tmps) renameSync(tmp, final);
  } catch (err) {
    for (const [tmp] of tmps) rmSync(tmp, { force: true });
    throw inputError(`cannot write results to ${dir}: ${(err as Error).message}`, { cause: err });
  }
  return tmps.map(([, final]) => final);
}
