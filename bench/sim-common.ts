/**
 * Shared by the `e2e` and `scaling` suites: the bare-loop references (a typed heap and a typed pod table doing the
 * same arrivals and departures as the simulator, nothing else), the end-to-end pipeline as the CLI runs it (load,
 * simulate, CSV text, write to a directory), scaling scenarios built from a pod count, and measurements made in a
 * fresh child process (wall time and peak RSS; bytes per live pod), so one suite's garbage never counts in another.
 *
 * Costs: the bare churn loop is O(log n) per event (a binary heap over a Float64Array of packed keys
 * time × 2^21 + pod id, arrivals included) plus O(1) pod-table work; node choice is a round-robin cursor over nodes
 * with room.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadScenario, parseScenario, simulate, resultFiles, type Scenario } from '../src/index.js';
import { Rng } from '../src/rng.js';
import { maxPodsRange } from '../src/alloc/info.js';
import { modeInfo } from '../src/alloc/registry.js';

const here = dirname(fileURLToPath(import.meta.url));
/** The repository root (this file runs from dist-bench/bench/). */
export const ROOT = join(here, '..', '..');
export const scenarioPath = (name: string): string => join(ROOT, 'scenarios', `${name}.yaml`);

/** Load, place, allocate, sample, write CSVs: what `cnisim run` does, minus the terminal output. */
export async function endToEnd(file: string, outDir: string): Promise<{ events: number; maxPodsRunning: number; files: number }> {
  const scenario = loadScenario(file);
  const result = await simulate(scenario);
  const files = resultFiles(result);
  for (const [name, text] of files) writeFileSync(join(outDir, name), text);
  let maxPodsRunning = 0;
  for (const r of result.summary) if (r.pool === '') maxPodsRunning += r.max_pods_running; // cluster rows (pool rows repeat them)
  return { events: result.eventsProcessed, maxPodsRunning, files: files.size };
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'cnisim-bench-'));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

// ---- bare references ----------------------------------------------------------------------------------------

/** Key = time × 2^POD_BITS + pod id: pod ids stay below 2^21, times below 2^32 ms. */
const POD_BITS = 21;
const POD_SPAN = 2 ** POD_BITS;
/** The low part of an arrival's key (above every pod id, so same-time departures run first). */
const ARRIVAL = POD_SPAN - 1;

/** A binary min-heap of doubles in a Float64Array (the "typed heap" of the reference loop). */
class TypedHeap {
  a: Float64Array;
  n: number;
  constructor(cap: number) {
    this.a = new Float64Array(cap);
    this.n = 0;
  }
  add(k: number): void {
    if (this.n === this.a.length) {
      const b = new Float64Array(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    const a = this.a;
    let i = this.n++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const ap = a[p]!;
      if (ap <= k) break;
      a[i] = ap;
      i = p;
    }
    a[i] = k;
  }
  poll(): number {
    const a = this.a;
    const top = a[0]!;
    const n = --this.n;
    if (n > 0) {
      const x = a[n]!;
      let i = 0;
      const half = n >>> 1;
      while (i < half) {
        let l = 2 * i + 1;
        let b = a[l]!;
        const r = l + 1;
        if (r < n) {
          const br = a[r]!;
          if (br < b) {
            l = r;
            b = br;
          }
        }
        if (b >= x) break;
        a[i] = b;
        i = l;
      }
      a[i] = x;
    }
    return top;
  }
}

export interface ChurnShape {
  /** The simulator's stream names for this churn workload (so the reference draws the very same numbers). */
  readonly seed: number;
  readonly streamPrefix: string;
  readonly fromMs: number;
  readonly toMs: number;
  readonly meanGapMs: number;
  readonly lifetimeMs: number;
  readonly durationMs: number;
  readonly sampleEveryMs: number;
  readonly nodes: number;
  readonly maxPods: number;
}

/** The churn workload of a one-cluster, one-churn scenario, as the world draws it. */
export function churnShape(s: Scenario): ChurnShape {
  const c = s.clusters[0]!;
  const i = c.workload.findIndex((e) => e.type === 'churn');
  const e = c.workload[i]!;
  if (e.type !== 'churn') throw new Error(`scenario ${s.name} has no churn workload`);
  const pool = c.pools.find((p) => p.name === e.pool)!;
  return {
    seed: s.seed as number, streamPrefix: `churn/${c.name}/${i}`, fromMs: e.atMs, toMs: e.toMs,
    meanGapMs: 1000 / e.ratePerSecond, lifetimeMs: e.lifetimeMs, durationMs: s.durationMs, sampleEveryMs: s.sampleEveryMs,
    nodes: pool.count, maxPods: pool.maxPods ?? 250,
  };
}

export interface BareResult {
  arrivals: number;
  departures: number;
  peakLive: number;
  /** Sum of live pods over the samples (a result the loop cannot skip). */
  sampled: number;
}

/**
 * The bare churn loop: Poisson arrivals, exponential lifetimes, departures in a typed heap, pods in a typed table
 * (node, free list), nodes chosen round-robin among those with room, one sample every sampleEveryMs.
 */
export function bareChurn(sh: ChurnShape): BareResult {
  const rng = new Rng(sh.seed);
  const arrivals = rng.stream(`${sh.streamPrefix}/arrivals`);
  const lifetimes = rng.stream(`${sh.streamPrefix}/lifetimes`);
  const heap = new TypedHeap(1024);
  let podNode = new Int32Array(1024);
  let podNext = new Int32Array(1024);
  const nodePods = new Int32Array(sh.nodes);
  let freeHead = -1, top = 0, live = 0, peak = 0, cursor = 0, sampled = 0;
  let nArr = 0, nDep = 0;
  let nextSample = 0;
  let now = sh.fromMs;
  // Arrivals go through the heap like departures (pod id ARRIVAL), as in any event loop.
  let gap = arrivals.exponentialRounded(sh.meanGapMs);
  if (now + gap < sh.toMs) heap.add((now + gap) * POD_SPAN + ARRIVAL);
  while (heap.n > 0) {
    const key = heap.a[0]!;
    const t = Math.floor(key / POD_SPAN);
    while (nextSample <= sh.durationMs && nextSample < t) {
      sampled += live;
      nextSample += sh.sampleEveryMs;
    }
    if (t > sh.durationMs) break;
    heap.poll();
    now = t;
    const ev = key - t * POD_SPAN;
    if (ev !== ARRIVAL) {
      nodePods[podNode[ev]!]!--;
      podNext[ev] = freeHead;
      freeHead = ev;
      live--;
      nDep++;
      continue;
    }
    let p = freeHead;
    if (p >= 0) freeHead = podNext[p]!;
    else {
      p = top++;
      if (p === podNode.length) {
        const a = new Int32Array(p * 2), b = new Int32Array(p * 2);
        a.set(podNode);
        b.set(podNext);
        podNode = a;
        podNext = b;
      }
    }
    let tries = 0;
    while (nodePods[cursor]! >= sh.maxPods && tries++ < sh.nodes) cursor = cursor + 1 === sh.nodes ? 0 : cursor + 1;
    podNode[p] = cursor;
    nodePods[cursor]!++;
    cursor = cursor + 1 === sh.nodes ? 0 : cursor + 1;
    if (++live > peak) peak = live;
    nArr++;
    const life = lifetimes.exponentialRounded(sh.lifetimeMs);
    if (now + life <= sh.durationMs) heap.add((now + life) * POD_SPAN + p);
    gap = arrivals.exponentialRounded(sh.meanGapMs);
    if (now + gap < sh.toMs) heap.add((now + gap) * POD_SPAN + ARRIVAL);
  }
  return { arrivals: nArr, departures: nDep, peakLive: peak, sampled };
}

/** The bare placement of `pods` pods on `nodes` nodes (spread round-robin) in a typed pod table, one address counter per node. */
export function barePlace(pods: number, nodes: number, maxPods: number): number {
  const podNode = new Int32Array(pods);
  const podAddr = new Int32Array(pods);
  const nodePods = new Int32Array(nodes);
  let placed = 0, cursor = 0;
  for (let p = 0; p < pods; p++) {
    let tries = 0;
    while (nodePods[cursor]! >= maxPods && tries++ < nodes) cursor = cursor + 1 === nodes ? 0 : cursor + 1;
    if (nodePods[cursor]! >= maxPods) break;
    podNode[p] = cursor;
    podAddr[p] = cursor * 256 + nodePods[cursor]!++;
    cursor = cursor + 1 === nodes ? 0 : cursor + 1;
    placed++;
  }
  return placed;
}

// ---- scaling scenarios --------------------------------------------------------------------------------------

/**
 * A one-cluster churn scenario with `pods` arrivals at 1,000 pods/s and a mean lifetime of pods/1,000 s (so about
 * 0.63 × pods are alive at the end, like the churn scenario), under `mode`, on nodes of 250 pods with room for the
 * peak. Spaces are /12s so every mode fits 1M pods (kubenet's node limit and dynamic's cluster pod limit raised);
 * the pod CIDR is a /11, as GKE gives each node of 250 pods a /23 (2,802 × 512 addresses).
 */
export function scalingScenario(mode: string, pods: number): Scenario {
  const seconds = pods / 1000;
  const nodes = Math.ceil((0.7 * pods) / 250) + 2;
  const text = `
name: scaling-${mode}-${pods}
seed: 11
duration: ${seconds}s
sampleEvery: ${Math.max(1, Math.round(seconds / 20))}s
modes: [${mode}]
network:
  vnetCidr: 10.0.0.0/8
  nodeSubnet: 10.16.0.0/12
  podSubnet: 10.64.0.0/12
  podCidr: 100.64.0.0/11
  serviceCidr: 192.168.0.0/16
  dnsServiceIp: 192.168.0.10
  # Lifted (the /8's size): the benchmark measures speed at scale, not Azure's 65,536 addresses per VNet.
  vnetIpLimit: 16777216
parameters:
  kubenet: {nodeLimit: 5000}
nodePools:
  - {name: user, count: ${nodes}, maxPods: 250}
workload:
  - from: 0
    to: ${seconds}s
    churn: {pool: user, ratePerSecond: 1000, lifetime: ${seconds}s}
`;
  return parseScenario(text, `scaling-${mode}-${pods}.yaml`);
}

/** How the EKS churn of `pods` arrivals lays out its cluster under `mode`. */
interface EksLayout {
  readonly seconds: number;
  /** Node pools: node count and the /16 node subnets of each. */
  readonly pools: readonly { readonly count: number; readonly subnets: readonly string[] }[];
  /** The mode's max-pods default for an m5.large (29, or 110 with prefixes). */
  readonly maxPods: number;
}

function eksLayout(mode: string, pods: number): EksLayout {
  const info = modeInfo(mode);
  if (info === undefined) throw new Error(`no mode ${mode}`);
  const prefix = mode.endsWith('-prefix');
  const perNode = prefix ? 108 : 27;
  const nodes = Math.ceil((0.7 * pods) / perNode) + 2;
  const subnets = Math.ceil((nodes * (prefix ? 1 + 8 * 16 : 30) * 1.1) / 65_536);
  // At most 6 subnets (zones) per node pool: several pools, each with its share of nodes, subnets and arrivals.
  const count = Math.ceil(subnets / 6);
  const per = Math.ceil(subnets / count);
  return {
    seconds: pods / 1000,
    pools: Array.from({ length: count }, (_, i) => ({
      count: Math.ceil(nodes / count),
      subnets: Array.from({ length: per }, (_, j) => `10.${16 + i * per + j}.0.0/16`),
    })),
    maxPods: maxPodsRange(info, info.poolParams.parse({ instanceType: 'm5.large' })).default,
  };
}

function churnLines(l: EksLayout): string {
  return l.pools.map((_, i) => `  - {from: 0, to: ${l.seconds}s, churn: {pool: user${i}, ratePerSecond: ${1000 / l.pools.length}, lifetime: ${l.seconds}s}}`).join('\n');
}

/**
 * The same churn (pods arrivals at 1,000 pods/s, mean lifetime pods/1,000 s) on EKS m5.large nodes under an Amazon
 * VPC CNI mode: max-pods the mode's default (29, or 110 with prefixes), nodes for the peak (27 or 108 addressed
 * pods each), spread over as many /16 node subnets (AWS's largest) as their addresses need.
 */
export function eksChurnScenario(mode: string, pods: number): Scenario {
  const l = eksLayout(mode, pods);
  const poolLines = l.pools.map((p, i) => `  - {name: user${i}, count: ${p.count}, instanceType: m5.large, nodeSubnets: [${p.subnets.join(', ')}]}`);
  const text = `
name: eks-churn-${mode}-${pods}
platform: aws
seed: 11
duration: ${l.seconds}s
sampleEvery: ${Math.max(1, Math.round(l.seconds / 20))}s
modes: [${mode}]
network:
  vnetCidr: 10.0.0.0/8
  serviceCidr: 192.168.0.0/16
  dnsServiceIp: 192.168.0.10
nodePools:
${poolLines.join('\n')}
workload:
${churnLines(l)}
`;
  return parseScenario(text, `eks-churn-${mode}-${pods}.yaml`);
}

/**
 * eksChurnScenario's cluster under overlay: the same node pools (node counts, max-pods), the same arrivals and
 * lifetimes (same seed and workload entries, so the same draws), the same placement; only the allocator differs.
 * Overlay's 5,000-node limit is lifted and its pod CIDR is a /8 (a /24 for each of up to 65,536 nodes).
 */
export function eksBaselineScenario(mode: string, pods: number): Scenario {
  const l = eksLayout(mode, pods);
  const poolLines = l.pools.map((p, i) => `  - {name: user${i}, count: ${p.count}, maxPods: ${l.maxPods}}`);
  const text = `
name: eks-churn-baseline-${mode}-${pods}
seed: 11
duration: ${l.seconds}s
sampleEvery: ${Math.max(1, Math.round(l.seconds / 20))}s
modes: [overlay]
parameters:
  overlay: {nodeLimit: 100000}
network:
  vnetCidr: 10.0.0.0/8
  nodeSubnet: 10.16.0.0/12
  podCidr: 100.0.0.0/8
  serviceCidr: 192.168.0.0/16
  dnsServiceIp: 192.168.0.10
  # Lifted (the /8's size): the benchmark measures speed at scale, not Azure's 65,536 addresses per VNet.
  vnetIpLimit: 16777216
nodePools:
${poolLines.join('\n')}
workload:
${churnLines(l)}
`;
  return parseScenario(text, `eks-churn-baseline-${mode}-${pods}.yaml`);
}

// ---- child-process measurements ---------------------------------------------------------------------------

export interface ChildFigures {
  wallMs: number;
  maxRssMb: number;
  events: number;
}

/** Runs the end-to-end pipeline on `scenario` in a fresh node process; its wall time and peak RSS. */
export function measureInChild(scenario: string): ChildFigures {
  const out = execFileSync(process.execPath, [join(here, 'child.js'), 'e2e', scenarioPath(scenario)], { encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop()!) as ChildFigures;
}

export interface PodBytes {
  livePods: number;
  heapUsed: number;
  arrayBuffers: number;
  bytesPerPod: number;
  /** Of which: the pod table, the engine (heap and event slots). */
  podTableBytesPerPod: number;
  engineBytesPerPod: number;
}

/** Runs churn to its peak in a fresh `node --expose-gc` and measures heap + array buffers per live pod. */
export function bytesPerLivePod(scenario: string, atMs: number): PodBytes {
  const out = execFileSync(process.execPath, ['--expose-gc', join(here, 'child.js'), 'bytes', scenarioPath(scenario), String(atMs)], { encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop()!) as PodBytes;
}
