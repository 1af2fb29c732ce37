/**
 * Running a scenario: one world per mode, each on its own engine and random source seeded from the scenario,
 * sampled every `sampleEvery` until `duration`. The result holds exactly the rows the CSV files hold.
 */
import type { Scenario } from '../scenario/index.js';
import { CnisimError } from '../errors.js';
import type { World } from './world.js';
import { createWorld } from './assemble.js';
import { preflight } from './preflight.js';
import { checkerFor } from './check.js';
import type { ClusterCounters, EventRow, SummaryRow, TimeseriesRow } from './metrics.js';

export interface SimulateOptions {
  /** Modes to run (default: the scenario's). */
  readonly modes?: readonly string[];
  /** Verify the allocator contract after every event. */
  readonly check?: boolean;
  /** Called after every sample with the fraction done over all modes (0..1). */
  readonly onProgress?: (fraction: number, mode: string) => void;
  /** Checked between slices of work; when it returns true the run stops with an 'interrupted' error. */
  readonly shouldStop?: () => boolean;
}

export interface SimulationResult {
  readonly scenario: string;
  readonly seed: number;
  readonly modes: readonly string[];
  readonly timeseries: readonly TimeseriesRow[];
  readonly summary: readonly SummaryRow[];
  readonly events: readonly EventRow[];
  /** Events the engines dispatched, all modes together. */
  readonly eventsProcessed: number;
}

/** Wall time between two looks at the stop flag (signals are handled while the loop yields). */
const YIELD_EVERY_MS = 100;
/** Wall time one slice of simulated time should take (slices shrink and grow towards it). */
const SLICE_MS = 40;
/** Simulated time of the first slice (it grows while slices stay short). */
const FIRST_SLICE_MS = 1000;

const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export async function simulate(scenario: Scenario, opts: SimulateOptions = {}): Promise<SimulationResult> {
  const modes = opts.modes ?? scenario.modes;
  preflight(scenario, modes);
  const timeseries: TimeseriesRow[] = [];
  const summary: SummaryRow[] = [];
  const events: EventRow[] = [];
  let processed = 0;
  for (let mi = 0; mi < modes.length; mi++) {
    const mode = modes[mi]!;
    const world = createWorld(scenario, mode, { check: opts.check ?? false });
    world.start();
    let lastYield = Date.now();
    const end = scenario.durationMs;
    const every = scenario.sampleEveryMs;
    // Each sample interval runs in slices of simulated time sized so one slice takes about SLICE_MS of wall
    // time; between slices the stop flag is read and the event loop gets a turn (signals), so a run stops
    // within a second however much work an interval holds. Slicing does not change the order of events.
    let slice = Math.min(every, FIRST_SLICE_MS);
    for (let t = 0; ; t = Math.min(t + every, end)) {
      while (world.engine.now < t) {
        const u = Math.min(t, world.engine.now + slice);
        const began = Date.now();
        world.engine.run(u);
        const took = Date.now() - began;
        if (took > SLICE_MS) slice = Math.max(1, Math.floor(slice / 2));
        else if (took < SLICE_MS / 4) slice = Math.min(every, slice * 2);
        if (Date.now() - lastYield > YIELD_EVERY_MS) {
          if (opts.shouldStop?.()) throw new CnisimError('interrupted', 'interrupted');
          await yieldToLoop();
          lastYield = Date.now();
        }
      }
      world.engine.run(t);
      if (opts.check) checkerFor(world).verify('at a sample');
      world.sample();
      if (Date.now() - lastYield > YIELD_EVERY_MS) {
        if (opts.shouldStop?.()) throw new CnisimError('interrupted', 'interrupted');
        await yieldToLoop();
        lastYield = Date.now();
      }
      opts.onProgress?.((mi + t / end) / modes.length, mode);
      if (t >= end) break;
    }
    if (opts.shouldStop?.()) throw new CnisimError('interrupted', 'interrupted');
    timeseries.push(...world.samples);
    events.push(...world.events);
    summary.push(...summarize(world, scenario.seed));
    processed += world.engine.processed;
    await yieldToLoop();
  }
  return { scenario: scenario.name, seed: scenario.seed, modes, timeseries, summary, events, eventsProcessed: processed };
}

/** The summary: a row per cluster (pool ''), then a row per node pool of it. */
function summarize(world: World, seed: number): SummaryRow[] {
  const rows: SummaryRow[] = [];
  for (const cluster of world.clusters) {
    cluster.counters.foldUtil(-1);
    rows.push(summaryRow(world.mode, cluster.spec.name, '', seed, cluster.counters, true));
    for (const gp of cluster.pools) {
      const pool = world.pools[gp]!;
      rows.push(summaryRow(world.mode, cluster.spec.name, pool.spec.name, seed, pool.own, false));
    }
  }
  return rows;
}

function summaryRow(mode: string, cluster: string, pool: string, seed: number, c: ClusterCounters, spaces: boolean): SummaryRow {
  const [p50, p99, max] = c.waitPercentiles([50, 99, 100]);
  return {
    mode,
    cluster,
    pool,
    seed,
    max_nodes: c.maxNodes,
    max_pods_running: c.maxPodsRunning,
    max_pod_ips_reserved: spaces ? c.maxReserved : null,
    pods_unschedulable_max: c.maxUnschedulable,
    pods_waiting_node_max: c.maxWaitingNode,
    pods_no_room_max: c.maxNoRoom,
    pods_unschedulable_end: c.podsUnschedulable,
    pods_waiting_ip_end: c.podsWaitingIp,
    pods_waiting_ip_max: c.maxWaitingIp,
    nodes_refused: c.nodesRefused,
    refusals: [...c.refusals.values()].reduce((a, b) => a + b, 0),
    refusals_by_cause: [...c.refusals].map(([cause, n]) => `${cause}:${n}`).join(' '),
    first_exhaustion_s: c.firstExhaustionMs < 0 ? null : c.firstExhaustionMs / 1000,
    first_exhaustion_cause: c.firstExhaustionMs < 0 ? null : c.firstCause,
    first_threshold_s: c.firstThresholdMs < 0 ? null : c.firstThresholdMs / 1000,
    first_threshold_event: c.firstThresholdMs < 0 ? null : c.firstThreshold,
    peak_utilization: spaces ? c.peakUtil : null,
    peak_reserved_utilization: spaces ? c.peakReservedUtil : null,
    upgrades_started: c.upgradesStarted,
    upgrades_failed: c.upgradesFailed,
    ip_wait_p50_s: p50 ?? null,
    ip_wait_p99_s: p99 ?? null,
    ip_wait_max_s: max ?? null,
    pods_started: c.podsStarted,
    events: c.events,
  };
}
