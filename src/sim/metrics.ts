/**
 * What a run measures: per-cluster counters kept incrementally by the world, samples of them plus the
 * allocator's gauges at every sample time, the event log, and the summary derived from both.
 * Row types here are exactly the CSV rows (see src/report/csv.ts for the column order).
 */
import { growFloat64 } from './structs.js';

export interface TimeseriesRow {
  mode: string;
  cluster: string;
  time_s: number;
  nodes: number;
  surge_nodes: number;
  pods_running: number;
  pods_unschedulable: number;
  pods_waiting_ip: number;
  node_ips_used: number;
  node_ips_capacity: number;
  pod_ips_reserved: number;
  pod_ips_used: number;
  pod_ips_capacity: number;
  utilization: number;
  reserved_utilization: number;
  fragmentation: number;
  exhaustion_events: number;
  pod6_ips_reserved: number;
  pod6_ips_used: number;
  pod6_ips_capacity: number;
}

export interface EventRow {
  mode: string;
  cluster: string;
  time_s: number;
  event: string;
  cause: string;
  pool: string;
  node: number | null;
  detail: string;
}

export interface SummaryRow {
  mode: string;
  cluster: string;
  seed: number;
  max_nodes: number;
  max_pods_running: number;
  max_pod_ips_reserved: number;
  pods_unschedulable_max: number;
  nodes_refused: number;
  first_exhaustion_s: number | null;
  first_exhaustion_cause: string | null;
  peak_utilization: number;
  peak_reserved_utilization: number;
  ip_wait_p50_s: number | null;
  ip_wait_p99_s: number | null;
  ip_wait_max_s: number | null;
  pods_started: number;
  events: number;
}

/** Event rows kept per (cluster, event, cause) before further ones are only counted. */
export const EVENT_ROWS_PER_KIND = 1000;

/**
 * Keeps the cluster's peak of unschedulable pods. Read once an event's queueing has settled (pods a deploy queues
 * and places in the same instant never count): after workload events, pod creations, node removals, samples.
 */
export function notePeakUnschedulable(c: ClusterCounters): void {
  if (c.podsUnschedulable > c.maxUnschedulable) c.maxUnschedulable = c.podsUnschedulable;
}

/** Counters of one cluster, updated by the world on every change. */
export class ClusterCounters {
  nodes = 0;
  podsRunning = 0;
  /** Of the running pods, those on the host network (no pod address: hostNetwork deployments and daemonsets). */
  podsHostNetwork = 0;
  podsUnschedulable = 0;
  podsWaitingIp = 0;
  /** Events recorded (refusals, exhaustion, lifecycle). */
  events = 0;
  /** Of those, events with a cause (refusals, exhaustion, limits). */
  exhaustionEvents = 0;
  nodesRefused = 0;
  maxNodes = 0;
  maxPodsRunning = 0;
  maxUnschedulable = 0;
  maxReserved = 0;
  peakUtil = 0;
  peakReservedUtil = 0;
  firstExhaustionMs = -1;
  firstCause = '';
  podsStarted = 0;
  /** Address waits of 0 ms are only counted; longer ones are kept for percentiles. */
  zeroWaits = 0;
  waits: Float64Array = new Float64Array(64);
  waitCount = 0;
  /** Rows suppressed per event key, after EVENT_ROWS_PER_KIND. */
  readonly kindCounts = new Map<string, number>();

  recordWait(ms: number): void {
    this.podsStarted++;
    if (ms <= 0) {
      this.zeroWaits++;
      return;
    }
    if (this.waitCount === this.waits.length) this.waits = growFloat64(this.waits, this.waitCount + 1);
    this.waits[this.waitCount++] = ms;
  }

  /** The p-th percentile (0..100, nearest rank) of the address waits in seconds, or null with no pods. */
  waitPercentiles(ps: readonly number[]): (number | null)[] {
    const n = this.zeroWaits + this.waitCount;
    if (n === 0) return ps.map(() => null);
    const sorted = this.waits.slice(0, this.waitCount).sort();
    return ps.map((p) => {
      const rank = Math.max(1, Math.ceil((p / 100) * n));
      if (rank <= this.zeroWaits) return 0;
      return sorted[rank - this.zeroWaits - 1]! / 1000;
    });
  }
}
