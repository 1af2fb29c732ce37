/**
 * Before a run: an estimate of how many events it will process and how much memory it will hold, from the
 * scenario alone, so a run far beyond the limits is refused with the setting to change instead of running
 * out of memory or running for hours. Estimates are upper-bound-ish, not exact.
 */
import { effectiveMode, type Scenario } from '../scenario/index.js';
import { modeInfo } from '../alloc/registry.js';
import { AZURE_SUBNET } from '../alloc/platform/reserves.js';
import { usableAddresses } from '../pool/index.js';
import { AUTOSCALER_INTERVAL_MS } from './setup.js';

export const DEFAULT_LIMITS = { maxEvents: 2e9, maxMemoryMb: 4096 };

/** Bytes of run state per live pod (tables, heap entry, wait sample) and per sample row (objects + CSV text). */
const BYTES_PER_POD = 96;
const BYTES_PER_SAMPLE_ROW = 600;
const BYTES_PER_NODE = 2048;

export interface RunEstimate {
  readonly events: number;
  readonly memoryMb: number;
  readonly explain: string;
}

/** What estimateRun knows of one cluster: nodes (at most), pod arrivals and departures, peak live pods. */
interface ClusterLoad {
  readonly nodes: number;
  readonly podChanges: number;
  readonly peakPods: number;
}

function numberParam(params: Record<string, unknown> | undefined, key: string, fallback: number): number {
  const v = params?.[key];
  return typeof v === 'number' ? v : fallback;
}

/**
 * Timer events of an allocator with a per-node pool monitor (a parameter `monitorInterval`, e.g. the dynamic
 * mode's [cns: 1 s]), summed over the modes that have one. Ticks are lazy (they run only when a node has something
 * to do, see src/alloc/dynamic/index.ts), so per cluster:
 *   - every pod arrival or departure can bring at most one tick and one grant: 2 × pod changes, plus a few per node;
 *   - when the pod subnet may run short (its clusters' peak pods plus a primary and a batch per node above the
 *     exhaustion threshold), every node may retry a refused batch for the whole run, a tick and a grant per
 *     monitorInterval + grantLatency;
 * never more than the eager bound, a tick per node per interval.
 */
function monitorTicks(s: Scenario, loads: readonly ClusterLoad[]): number {
  let ticks = 0;
  for (const mode of s.modes) {
    const demandOf = new Map<string, number>();
    const capacityOf = new Map<string, number>();
    const subnetOf = s.clusters.map((c) => c.network.podSubnet ?? c.pools.find((p) => p.podSubnet !== null)?.podSubnet ?? null);
    s.clusters.forEach((c, ci) => {
      const sub = subnetOf[ci];
      const params = paramsOf(s, effectiveMode(c, mode));
      if (sub === null || sub === undefined || params?.monitorInterval === undefined) return;
      const batch = numberParam(params, 'batchSize', 16);
      demandOf.set(sub.text, (demandOf.get(sub.text) ?? 0) + loads[ci]!.peakPods + loads[ci]!.nodes * (batch + 1));
      capacityOf.set(sub.text, usableAddresses(sub.prefix, AZURE_SUBNET)); // pod subnets are Azure subnets (only dynamic has a monitor)
    });
    s.clusters.forEach((c, ci) => {
      const params = paramsOf(s, effectiveMode(c, mode));
      const interval = numberParam(params, 'monitorInterval', 0);
      if (!(interval > 0)) return;
      const load = loads[ci]!;
      const eager = (load.nodes * s.durationMs) / interval;
      let lazy = 2 * load.podChanges + 4 * load.nodes;
      const sub = subnetOf[ci];
      const key = sub?.text ?? '';
      if (sub === null || sub === undefined || demandOf.get(key)! > capacityOf.get(key)! * numberParam(params, 'exhaustedAbove', 0.95)) {
        lazy += (2 * load.nodes * s.durationMs) / (interval + numberParam(params, 'grantLatency', 0));
      }
      ticks += Math.min(eager, lazy);
    });
  }
  return ticks;
}

function paramsOf(s: Scenario, mode: string): Record<string, unknown> | undefined {
  return (s.parameters[mode] ?? modeInfo(mode)?.params.parse({})) as Record<string, unknown> | undefined;
}

export function estimateRun(s: Scenario): RunEstimate {
  const nodesOf: number[] = [];
  const loads: ClusterLoad[] = [];
  let pods = 0;
  let churnEvents = 0;
  let livePods = 0;
  let nodes = 0;
  let ticks = 0;
  for (const c of s.clusters) {
    const podsBefore = pods;
    const churnBefore = churnEvents;
    const liveBefore = livePods;
    const replicas = new Map<string, number>();
    let peakDeployed = 0;
    let deployed = 0;
    for (const p of c.pools) {
      nodes += Math.max(p.count, p.autoscaler?.maxCount ?? 0);
      if (p.autoscaler) ticks += s.durationMs / AUTOSCALER_INTERVAL_MS;
    }
    for (const e of c.workload) {
      switch (e.type) {
        case 'deploy':
        case 'scale': {
          const before = replicas.get(e.name) ?? 0;
          replicas.set(e.name, e.replicas);
          deployed += e.replicas - before;
          if (e.replicas > before) pods += e.replicas - before;
          peakDeployed = Math.max(peakDeployed, deployed);
          break;
        }
        case 'delete':
          deployed -= replicas.get(e.name) ?? 0;
          replicas.delete(e.name);
          break;
        case 'churn': {
          const arrivals = (e.ratePerSecond * (Math.min(e.toMs, s.durationMs) - e.atMs)) / 1000;
          churnEvents += 2 * Math.max(0, arrivals);
          livePods += Math.min(arrivals, (e.ratePerSecond * e.lifetimeMs) / 1000 * 3);
          break;
        }
        case 'nodes':
          nodes = Math.max(nodes, e.count);
          break;
        case 'addPool':
          nodes += e.pool.count;
          break;
        default:
          break;
      }
    }
    livePods += peakDeployed;
    nodesOf.push(nodes - nodesOf.reduce((a, b) => a + b, 0));
    loads.push({ nodes: nodesOf[nodesOf.length - 1]!, podChanges: 2 * (pods - podsBefore) + churnEvents - churnBefore, peakPods: livePods - liveBefore });
  }
  const modes = s.modes.length;
  const samples = (s.durationMs / s.sampleEveryMs + 1) * s.clusters.length * modes;
  // Pod-subnet pool monitors and batch grants: bounded by a few events per pod and node change.
  const perMode = pods * 3 + churnEvents * 2 + nodes * 4 + ticks;
  const events = perMode * modes + samples + monitorTicks(s, loads);
  const memoryMb = (livePods * BYTES_PER_POD + nodes * BYTES_PER_NODE + samples * BYTES_PER_SAMPLE_ROW) / 1e6 + 60;
  const explain = `${Math.round(pods + churnEvents / 2).toLocaleString('en-US')} pods, ${Math.round(nodes).toLocaleString('en-US')} nodes, ${Math.round(samples).toLocaleString('en-US')} sample rows over ${modes} mode(s)`;
  return { events, memoryMb, explain };
}

/**
 * The pods a run can expect to hold at its busiest, to size the pod table once (no growth copies during the run):
 * per cluster, the most deployment replicas at any time plus, per churn entry, its expected live pods at the end
 * of its window (rate × lifetime × (1 − e^(−window / lifetime)), Poisson arrivals with exponential lifetimes),
 * with 10 % to spare for the randomness. A guess, not a limit: the table still grows when a run holds more.
 */
export function expectedPeakPods(s: Scenario): number {
  let total = 0;
  for (const c of s.clusters) {
    const replicas = new Map<string, number>();
    let deployed = 0, peakDeployed = 0, churn = 0;
    for (const e of c.workload) {
      if (e.type === 'deploy' || e.type === 'scale') {
        deployed += e.replicas - (replicas.get(e.name) ?? 0);
        replicas.set(e.name, e.replicas);
        peakDeployed = Math.max(peakDeployed, deployed);
      } else if (e.type === 'delete') {
        deployed -= replicas.get(e.name) ?? 0;
        replicas.delete(e.name);
      } else if (e.type === 'churn') {
        const window = Math.max(0, Math.min(e.toMs, s.durationMs) - e.atMs);
        churn += (e.ratePerSecond * e.lifetimeMs * (1 - Math.exp(-window / e.lifetimeMs))) / 1000;
      }
    }
    total += peakDeployed + churn;
  }
  return Math.min(2 ** 24, Math.ceil(1.1 * total) + 1024);
}
