/**
 * Measuring a world: the event log (every refusal, exhaustion and lifecycle event, with its cause) and the
 * samples (one row per cluster at every sample time: the world's counters and the allocator's gauges).
 * Costs: an event O(1); a sample O(clusters + pools) plus the allocators' gauges (fragmentation scans).
 */
import { causeName, type Gauges } from '../alloc/types.js';
import { EVENT_ROWS_PER_KIND, notePeakUnschedulable } from './metrics.js';
import type { World } from './world.js';

export function recordEvent(w: World, ci: number, event: string, cause: number, pool: string, node: number, detail: string): void {
  const c = w.clusters[ci]!.counters;
  c.events++;
  if (cause > 0) c.exhaustionEvents++;
  const name = cause > 0 ? causeName(cause) : '';
  if (c.firstExhaustionMs < 0 && cause > 0) {
    c.firstExhaustionMs = w.engine.now;
    c.firstCause = name;
  }
  const key = `${event}|${name}`;
  const seen = (c.kindCounts.get(key) ?? 0) + 1;
  c.kindCounts.set(key, seen);
  if (seen > EVENT_ROWS_PER_KIND) return;
  w.events.push({
    mode: w.mode, cluster: w.clusters[ci]!.spec.name, time_s: w.engine.now / 1000, event, cause: name, pool,
    node: node >= 0 ? node : null,
    detail: seen === EVENT_ROWS_PER_KIND ? `${detail} (further ${event} ${name} events are counted, not listed)` : detail,
  });
}

/** Appends one row per cluster for the current time; `g` is scratch space for the gauges. */
export function sampleClusters(w: World, g: Gauges): void {
  for (const cluster of w.clusters) {
    cluster.alloc.gauges(g);
    const c = cluster.counters;
    const util = g.podIpsCapacity > 0 ? g.podIpsUsed / g.podIpsCapacity : 0;
    const rutil = g.podIpsCapacity > 0 ? g.podIpsReserved / g.podIpsCapacity : 0;
    if (util > c.peakUtil) c.peakUtil = util;
    if (rutil > c.peakReservedUtil) c.peakReservedUtil = rutil;
    if (g.podIpsReserved > c.maxReserved) c.maxReserved = g.podIpsReserved;
    notePeakUnschedulable(c);
    let surge = 0;
    for (const gp of cluster.pools) surge += Math.max(0, w.pools[gp]!.active - w.pools[gp]!.desired);
    w.samples.push({
      mode: w.mode, cluster: cluster.spec.name, time_s: w.engine.now / 1000,
      nodes: c.nodes, surge_nodes: surge, pods_running: c.podsRunning, pods_unschedulable: c.podsUnschedulable,
      pods_waiting_ip: c.podsWaitingIp, node_ips_used: g.nodeIpsUsed, node_ips_capacity: g.nodeIpsCapacity,
      pod_ips_reserved: g.podIpsReserved, pod_ips_used: g.podIpsUsed, pod_ips_capacity: g.podIpsCapacity,
      utilization: util, reserved_utilization: rutil, fragmentation: g.fragmentation, exhaustion_events: c.exhaustionEvents,
      pod6_ips_reserved: g.pod6Reserved, pod6_ips_used: g.pod6Used, pod6_ips_capacity: g.pod6Capacity,
      vnet_ips_used: g.vnetIpsUsed,
    });
  }
}
