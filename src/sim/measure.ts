/**
 * Measuring a world: the event log (every refusal, exhaustion and lifecycle event, with its cause), the samples
 * (one row per cluster at every sample time: the world's counters and the allocator's gauges), and the peaks the
 * world asks for at every change (unschedulable pods split by what they wait for, addresses held).
 * Costs: an event O(pools of its cluster); a peak of unschedulable pods O(1), O(pools of the cluster) while pods
 * are unschedulable; a sample O(clusters + pools) plus the allocators' gauges (fragmentation scans).
 */
import { causeName, type Gauges } from '../alloc/types.js';
import { causeDef } from '../alloc/causes.js';
import { EVENT_ROWS_PER_KIND, isRefusal, type ClusterCounters, type EventRow, type TimeseriesRow } from './metrics.js';
import type { ClusterState, PoolState } from './setup.js';

/**
 * What measuring reads and writes of a world (the world passes itself): measure.ts is a helper of the world and
 * does not import it.
 */
export interface Measured {
  readonly mode: string;
  readonly engine: { readonly now: number };
  readonly clusters: readonly ClusterState[];
  readonly pools: readonly PoolState[];
  readonly events: EventRow[];
  readonly samples: TimeseriesRow[];
}

/** Upgrade events counted in the summary (src/sim/lifecycle.ts records them with the pool's name). */
const UPGRADE_STARTED = 'upgrade-started';
const UPGRADE_FAILED = 'upgrade-failed';

function countEvent(c: ClusterCounters, now: number, event: string, cause: number, name: string): void {
  c.events++;
  if (event === UPGRADE_STARTED) c.upgradesStarted++;
  else if (event === UPGRADE_FAILED) c.upgradesFailed++;
  if (cause <= 0) return;
  c.exhaustionEvents++;
  if (isRefusal(event)) {
    c.refusals.set(name, (c.refusals.get(name) ?? 0) + 1);
    // Exhaustion: a space (or a mode's limit) could not serve a request; a node at its max-pods is scheduling.
    if (c.firstExhaustionMs < 0 && causeDef(cause).kind !== 'scheduling') {
      c.firstExhaustionMs = now;
      c.firstCause = name;
    }
  } else if (c.firstThresholdMs < 0) {
    // A state the allocator reports without refusing anything (a threshold crossed).
    c.firstThresholdMs = now;
    c.firstThreshold = `${event} (${name})`;
  }
}

export function recordEvent(w: Measured, ci: number, event: string, cause: number, pool: string, node: number, detail: string): void {
  const cluster = w.clusters[ci]!;
  const c = cluster.counters;
  const name = cause > 0 ? causeName(cause) : '';
  const now = w.engine.now;
  countEvent(c, now, event, cause, name);
  if (pool !== '') {
    for (const gp of cluster.pools) if (w.pools[gp]!.spec.name === pool) countEvent(w.pools[gp]!.own, now, event, cause, name);
  }
  const key = `${event}|${name}`;
  const seen = (c.kindCounts.get(key) ?? 0) + 1;
  c.kindCounts.set(key, seen);
  if (seen > EVENT_ROWS_PER_KIND) return;
  w.events.push({
    mode: w.mode, cluster: cluster.spec.name, time_s: now / 1000, event, cause: name, pool,
    node: node >= 0 ? node : null,
    detail: seen === EVENT_ROWS_PER_KIND ? `${detail} (further ${event} ${name} events are counted, not listed)` : detail,
  });
}

/**
 * Of a pool's unschedulable pods, those a node on its way will hold: nodes booting, and those its autoscaler may
 * still add (up to maxCount). None while the pool's nodes are refused, or while a node has room but the allocator
 * refused the pod (it waits for an address, not a node). O(1).
 */
export function waitingForNode(pool: PoolState): number {
  if (pool.queued === 0 || !pool.enabled || pool.failing) return 0;
  if (pool.placeRetryPending && pool.buckets.lowest() >= 0) return 0;
  const room = Math.max(1, pool.maxPods - pool.daemonsets.length);
  const as = pool.spec.autoscaler;
  const coming = pool.booting + (as ? Math.max(0, as.maxCount - pool.desired) : 0);
  return Math.min(pool.queued, coming * room);
}

/**
 * Keeps the peaks of unschedulable pods, in total and split (waiting for a node / no room), of the pool and its
 * cluster. Read once an event's queueing has settled (pods a deploy queues and places in the same instant never
 * count): after workload events, pod creations, refusals, node removals, autoscaler ticks and samples.
 */
export function notePeakUnschedulable(w: Measured, pool: PoolState): void {
  const p = pool.own;
  if (p.podsUnschedulable > p.maxUnschedulable) p.maxUnschedulable = p.podsUnschedulable;
  if (p.podsUnschedulable > Math.min(p.maxWaitingNode, p.maxNoRoom)) {
    const wait = waitingForNode(pool);
    if (wait > p.maxWaitingNode) p.maxWaitingNode = wait;
    if (pool.queued - wait > p.maxNoRoom) p.maxNoRoom = pool.queued - wait;
  }
  const c = pool.counters;
  if (c.podsUnschedulable > c.maxUnschedulable) c.maxUnschedulable = c.podsUnschedulable;
  if (c.podsUnschedulable > Math.min(c.maxWaitingNode, c.maxNoRoom)) {
    const [wait, none] = splitOf(w, w.clusters[pool.cluster]!.pools);
    if (wait > c.maxWaitingNode) c.maxWaitingNode = wait;
    if (none > c.maxNoRoom) c.maxNoRoom = none;
  }
}

/** Unschedulable pods of the pools, split: [waiting for a node, no room]. */
function splitOf(w: Measured, pools: readonly number[]): [number, number] {
  let wait = 0;
  let none = 0;
  for (const gp of pools) {
    const pool = w.pools[gp]!;
    const k = waitingForNode(pool);
    wait += k;
    none += pool.queued - k;
  }
  return [wait, none];
}

/** Appends one row per cluster for the current time; `g` is scratch space for the gauges. */
export function sampleClusters(w: Measured, g: Gauges): void {
  for (const cluster of w.clusters) {
    cluster.alloc.gauges(g);
    const c = cluster.counters;
    const util = g.podIpsCapacity > 0 ? g.podIpsUsed / g.podIpsCapacity : 0;
    const rutil = g.podIpsCapacity > 0 ? g.podIpsReserved / g.podIpsCapacity : 0;
    c.foldUtil(g.podIpsCapacity);
    c.noteReserved(g.podIpsReserved);
    for (const gp of cluster.pools) notePeakUnschedulable(w, w.pools[gp]!);
    const [waitNode, noRoom] = splitOf(w, cluster.pools);
    let surge = 0;
    for (const gp of cluster.pools) surge += Math.max(0, w.pools[gp]!.active - w.pools[gp]!.desired);
    w.samples.push({
      mode: w.mode, cluster: cluster.spec.name, time_s: w.engine.now / 1000,
      nodes: c.nodes, surge_nodes: surge, pods_running: c.podsRunning, pods_unschedulable: c.podsUnschedulable,
      pods_waiting_node: waitNode, pods_no_room: noRoom,
      pods_waiting_ip: c.podsWaitingIp, node_ips_used: g.nodeIpsUsed, node_ips_capacity: g.nodeIpsCapacity,
      pod_ips_reserved: g.podIpsReserved, pod_ips_used: g.podIpsUsed, pod_ips_capacity: g.podIpsCapacity,
      utilization: util, reserved_utilization: rutil, fragmentation: g.fragmentation, exhaustion_events: c.exhaustionEvents,
      pod6_ips_reserved: g.pod6Reserved, pod6_ips_used: g.pod6Used, pod6_ips_capacity: g.pod6Capacity,
      vnet_ips_used: g.vnetIpsUsed,
    });
  }
}

/**
 * Reads the addresses the cluster's nodes hold, for the exact peaks: after a node joined, after an allocator's
 * own timer (batches), around lifecycle events. O(1) with an allocator's reservedNow(); a no-op without one
 * (its peak is then read at sample times only).
 */
export function notePeakReserved(w: Measured, ci: number): void {
  const cluster = w.clusters[ci]!;
  const r = cluster.alloc.reservedNow?.();
  if (r !== undefined) cluster.counters.noteReserved(r);
}

/**
 * The pod address capacity may change (a pod CIDR expanded, a migration): folds the peaks measured against the
 * old capacity and reads the new one (a gauges call, fragmentation included: lifecycle events are rare).
 */
export function noteCapacity(w: Measured, ci: number, g: Gauges): void {
  const cluster = w.clusters[ci]!;
  cluster.alloc.gauges(g);
  cluster.counters.foldUtil(g.podIpsCapacity);
  cluster.counters.noteReserved(g.podIpsReserved);
}
