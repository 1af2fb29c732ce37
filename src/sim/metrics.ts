/**
 * What a run measures: counters kept incrementally by the world, per cluster and per node pool; samples of them
 * plus the allocator's gauges at every sample time; the event log; and the summary derived from them. Maxima and
 * peaks are kept at every change, not only at sample times. Row types here are exactly the CSV rows (see
 * src/report/csv.ts for the column order).
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
  /** Of the unschedulable pods, those a node on its way will hold (booting, or the autoscaler may still add it). */
  pods_waiting_node: number;
  /** Of the unschedulable pods, those with no room coming (pool at its maximum, node or address refused). */
  pods_no_room: number;
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
  vnet_ips_used: number;
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

/**
 * One row per cluster (pool '') and one per node pool of it. Address-space figures (reserved, utilisation) are a
 * cluster's: pools may share a space, so they are null on pool rows.
 */
export interface SummaryRow {
  mode: string;
  cluster: string;
  pool: string;
  seed: number;
  max_nodes: number;
  max_pods_running: number;
  max_pod_ips_reserved: number | null;
  pods_unschedulable_max: number;
  pods_waiting_node_max: number;
  pods_no_room_max: number;
  pods_unschedulable_end: number;
  pods_waiting_ip_end: number;
  /** The most pods waiting for an address at once (exact, at every change). */
  pods_waiting_ip_max: number;
  nodes_refused: number;
  /** Refusals (events named *-refused) in total, and per cause as `cause:count` joined by spaces. */
  refusals: number;
  refusals_by_cause: string;
  /** The first refusal of a cause of kind 'space' or 'limit': a space (or a mode's limit) could not serve a request. */
  first_exhaustion_s: number | null;
  first_exhaustion_cause: string | null;
  /** The first event with a cause that refused nothing (a threshold crossed, e.g. dynamic's scarcity switch). */
  first_threshold_s: number | null;
  first_threshold_event: string | null;
  peak_utilization: number | null;
  peak_reserved_utilization: number | null;
  upgrades_started: number;
  upgrades_failed: number;
  ip_wait_p50_s: number | null;
  ip_wait_p99_s: number | null;
  ip_wait_max_s: number | null;
  pods_started: number;
  events: number;
}

/** Event rows kept per (cluster, event, cause) before further ones are only counted. */
export const EVENT_ROWS_PER_KIND = 1000;

/** An event is a refusal (a request not served) when its name says so: node-refused, pod-refused, batch-refused…. */
export function isRefusal(event: string): boolean {
  return event.endsWith('-refused');
}

/** Counters of one cluster or one node pool, updated by the world on every change. */
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
  /** The most pods bound to a node and waiting for an address at once. */
  maxWaitingIp = 0;
  maxWaitingNode = 0;
  maxNoRoom = 0;
  maxReserved = 0;
  /** Exact peaks: used addresses are the running pods (the allocator contract), read against the capacity in force. */
  peakUtil = 0;
  peakReservedUtil = 0;
  /** The pod address capacity in force (gauges' podIpsCapacity) and the most pods running since it was set. */
  capacity = 0;
  maxRunningSinceCapacity = 0;
  firstExhaustionMs = -1;
  firstCause = '';
  firstThresholdMs = -1;
  firstThreshold = '';
  /** Refusals per cause name, in the order causes first appeared. */
  readonly refusals = new Map<string, number>();
  upgradesStarted = 0;
  upgradesFailed = 0;
  podsStarted = 0;
  /** Address waits of 0 ms are only counted; longer ones are kept for percentiles. */
  zeroWaits = 0;
  waits: Float64Array = new Float64Array(64);
  waitCount = 0;
  /** Rows suppressed per event key, after EVENT_ROWS_PER_KIND. */
  readonly kindCounts = new Map<string, number>();

  /** One more pod running (got its address). */
  podUp(): void {
    if (++this.podsRunning > this.maxPodsRunning) this.maxPodsRunning = this.podsRunning;
    if (this.podsRunning > this.maxRunningSinceCapacity) this.maxRunningSinceCapacity = this.podsRunning;
  }

  /** Folds the running-pods peak into the utilisation peak; `capacity` (if ≥ 0) is the capacity from now on. */
  foldUtil(capacity: number): void {
    if (this.capacity > 0) {
      const u = this.maxRunningSinceCapacity / this.capacity;
      if (u > this.peakUtil) this.peakUtil = u;
    }
    if (capacity >= 0) this.capacity = capacity;
    this.maxRunningSinceCapacity = this.podsRunning;
  }

  /** A reading of the addresses nodes hold (exact peaks: read after every change that may raise it). */
  noteReserved(reserved: number): void {
    if (reserved > this.maxReserved) this.maxReserved = reserved;
    if (this.capacity > 0 && reserved / this.capacity > this.peakReservedUtil) this.peakReservedUtil = reserved / this.capacity;
  }

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
