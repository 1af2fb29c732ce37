/**
 * Suite `scaling` (issue 6): cost per event from 10k to 1M pods, for every mode. Each case runs a one-cluster
 * churn scenario built by scalingScenario() (pods arrivals at 1,000/s, mean lifetime pods/1,000 s, so about
 * 0.63 × pods alive at the end; nodes of 250 pods sized for the peak, /12 spaces) end to end in memory
 * (simulate + CSV text) and reports events/s. Target: events/s at 1M within 1.5× of events/s at 10k, per mode.
 * The 10k case of each mode is the baseline column of its 100k and 1M rows, so `ratio` is the curve itself.
 * Placement is part of every event (spread over up to 2,802 nodes through count buckets, never a scan), and the
 * `placement` case checks that choosing a node does not grow with the node count (5,000 nodes vs 50).
 */
import { expectEq, type BenchCase } from './harness.js';
import { MODE_NAMES, resultFiles, simulate, type Scenario } from '../src/index.js';
import { Buckets } from '../src/sim/placement.js';
import { NodeTable } from '../src/sim/tables.js';
import { modeInfo } from '../src/alloc/registry.js';
import { eksBaselineScenario, eksChurnScenario, scalingScenario } from './sim-common.js';

/** The churn of `pods` arrivals under `mode`: EKS modes on m5.large nodes (/16 subnets), the others on nodes of 250. */
function churnOf(mode: string, pods: number): Scenario {
  return modeInfo(mode)?.platform === 'aws' ? eksChurnScenario(mode, pods) : scalingScenario(mode, pods);
}

const SIZES = [10_000, 100_000, 1_000_000];

async function runOnce(s: Scenario): Promise<{ events: number; started: number }> {
  const r = await simulate(s);
  const files = resultFiles(r);
  let started = 0;
  for (const row of r.summary) if (row.pool === '') started += row.pods_started; // cluster rows only (pool rows repeat them)
  if (files.size !== 3) throw new Error('bench check failed: expected 3 CSV files');
  return { events: r.eventsProcessed, started };
}

function scaleCase(mode: string, pods: number): BenchCase {
  const s = churnOf(mode, pods);
  const small = churnOf(mode, SIZES[0]!);
  const c: BenchCase = {
    suite: 'scaling',
    name: `${mode} ${pods.toLocaleString('en-US')} pods (events/s${pods === SIZES[0] ? '' : '; baseline = 10k'})`,
    ops: 0,
    // Small runs take ~10 ms: time them for a while so one slow iteration on a shared machine does not decide.
    timeMs: 1500,
    interleave: true,
    check: async () => {
      const r = await runOnce(s);
      // Every arrival is an event (gaps rounded to whole ms: a few % more than `pods`). Every arrival finds a node
      // with room; in dynamic mode many still wait for a batch when the run ends (nodes take 16 at a time), in EKS modes
      // for an ENI or a prefix.
      if (!(r.events > pods)) throw new Error(`bench check failed: ${mode} ${pods}: only ${r.events} events`);
      // EKS modes at 10k: 1,000 arrivals/s on a few hundred nodes outrun ipamd's 5 s loop (one ENI or prefix a tick).
      const minStarted = mode === 'dynamic' || modeInfo(mode)?.platform === 'aws' ? 0.2 * pods : 0.95 * pods;
      if (!(r.started > minStarted && r.started < 1.1 * pods)) throw new Error(`bench check failed: ${mode} ${pods}: ${r.started} pods started`);
      c.ops = r.events;
      if (c.baseline) c.baselineOps = (await runOnce(small)).events;
    },
    subject: { fn: async () => void (await runOnce(s)) },
  };
  if (pods !== SIZES[0]) c.baseline = { fn: async () => void (await runOnce(small)) };
  return c;
}

/**
 * A mode's 1M-arrival churn against overlay's (issues 15, 16: within 2× of overlay's events/s in the same run), timed
 * in alternation so the machine's drift falls on both: ratio = the mode's events/s over overlay's. `same`: overlay
 * runs the mode's own cluster (eksBaselineScenario: the EKS modes' m5.large nodes, so only the allocator differs);
 * otherwise overlay's churn of the scaling suite (nodes of 250).
 */
function vsOverlayCase(mode: string, same = false): BenchCase {
  const pods = SIZES[SIZES.length - 1]!;
  const s = churnOf(mode, pods);
  const o = same ? eksBaselineScenario(mode, pods) : scalingScenario(OVERLAY, pods);
  const c: BenchCase = {
    suite: 'scaling',
    name: `${mode} ${pods.toLocaleString('en-US')} pods (events/s; baseline = overlay${same ? ' on the same nodes' : ''})`,
    ops: 0,
    baselineOps: 0,
    timeMs: 1500,
    interleave: true,
    check: async () => {
      const r = await runOnce(s);
      if (!(r.started > 0.95 * pods && r.started < 1.1 * pods)) throw new Error(`bench check failed: ${mode} ${pods}: ${r.started} pods started`);
      const b = await runOnce(o);
      // The same arrivals: overlay starts them all; the mode all but the few still waiting for an address at the end.
      if (same && !(b.started >= r.started && b.started - r.started < 0.001 * pods)) throw new Error(`bench check failed: ${mode} ${pods}: overlay on the same nodes started ${b.started} pods, the mode ${r.started}`);
      c.ops = r.events;
      c.baselineOps = b.events;
    },
    subject: { fn: async () => void (await runOnce(s)) },
    baseline: { fn: async () => void (await runOnce(o)) },
  };
  return c;
}

/** The reference of the vsOverlay rows. */
const OVERLAY = 'overlay';

/** Buckets over `nodes` nodes of up to 250 pods, all empty and placed. */
function placed(nodes: number): Buckets {
  const table = new NodeTable(250);
  const b = new Buckets(250, table);
  for (let n = 0; n < nodes; n++) b.add(table.alloc(0), 0);
  return b;
}

/** Spread placement on n nodes of 250: choose + bind + unbind cycles through Buckets, the structure the world uses. */
function placeCycles(nodes: number, ops: number): number {
  const b = placed(nodes);
  const count = new Int32Array(nodes);
  let sum = 0;
  for (let i = 0; i < ops; i++) {
    const n = b.lowest();
    count[n]!++;
    b.move(n, count[n]!);
    sum += n;
    // Release a pod from another node: keeps the counts moving both ways.
    const m = (n * 7 + 3) % nodes;
    if (count[m]! > 0) {
      count[m]!--;
      b.move(m, count[m]!);
    }
  }
  return sum;
}

function placementCase(): BenchCase {
  const OPS = 2_000_000;
  return {
    suite: 'scaling',
    name: 'placement: spread choose+bind, 5,000 nodes (baseline = 50 nodes)',
    ops: OPS,
    check: () => {
      // lowest() returns a node with the fewest pods: compare with a scan on a small case.
      const b = placed(5000);
      const count = new Int32Array(5000);
      for (let i = 0; i < 100_000; i++) {
        const n = b.lowest();
        if (i % 997 === 0) {
          let min = Infinity;
          for (let k = 0; k < 5000; k++) if (count[k]! < min) min = count[k]!;
          expectEq('placement: lowest has the fewest pods', count[n], min);
        }
        count[n]!++;
        b.move(n, count[n]!);
      }
    },
    subject: { fn: () => void placeCycles(5000, OPS) },
    baseline: { fn: () => void placeCycles(50, OPS) },
  };
}

export function cases(): BenchCase[] {
  const out: BenchCase[] = [placementCase()];
  for (const mode of MODE_NAMES) for (const pods of SIZES) out.push(scaleCase(mode, pods));
  // The issue-16 rows of this file (other modes add theirs with their code).
  for (const mode of ['gke', 'kubernetes']) out.push(vsOverlayCase(mode));
  for (const mode of ['calico', 'cilium-cluster-pool']) out.push(vsOverlayCase(mode));
  // Issue 15: the EKS modes' churn on m5.large nodes (eksChurnScenario) against overlay's on the same nodes, and
  // against overlay's churn on nodes of 250.
  for (const mode of ['aws-vpc-cni', 'aws-vpc-cni-prefix']) out.push(vsOverlayCase(mode, true), vsOverlayCase(mode));
  return out;
}
