/**
 * Before a run: an estimate of how many events it will process and how much memory it will hold, from the
 * scenario alone, so a run far beyond the limits is refused with the setting to change instead of running
 * out of memory or running for hours. Estimates are upper-bound-ish, not exact.
 */
import { effectiveMode, type Scenario } from '../scenario/index.js';
import { modeInfo } from '../alloc/modes.js';
import { AUTOSCALER_INTERVAL_MS } from './autoscaler.js';

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

/**
 * Timer events of an allocator that looks at every node periodically (a parameter `monitorInterval`, e.g. the
 * dynamic mode's pool monitor [cns: 1 s]): nodes × duration / interval, summed over the modes that have one.
 */
function monitorTicks(s: Scenario, nodesOf: readonly number[]): number {
  let ticks = 0;
  for (const mode of s.modes) {
    s.clusters.forEach((c, ci) => {
      const m = effectiveMode(c, mode);
      const params = (s.parameters[m] ?? modeInfo(m)?.params.parse({})) as { monitorInterval?: unknown } | undefined;
      const interval = params?.monitorInterval;
      if (typeof interval === 'number' && interval > 0) ticks += (nodesOf[ci]! * s.durationMs) / interval;
    });
  }
  return ticks;
}

export function estimateRun(s: Scenario): RunEstimate {
  const nodesOf: number[] = [];
  let pods = 0;
  let churnEvents = 0;
  let livePods = 0;
  let nodes = 0;
  let ticks = 0;
  for (const c of s.clusters) {
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
  }
  const modes = s.modes.length;
  const samples = (s.durationMs / s.sampleEveryMs + 1) * s.clusters.length * modes;
  // Pod-subnet pool monitors and batch grants: bounded by a few events per pod and node change.
  const perMode = pods * 3 + churnEvents * 2 + nodes * 4 + ticks;
  const events = perMode * modes + samples + monitorTicks(s, nodesOf);
  const memoryMb = (livePods * BYTES_PER_POD + nodes * BYTES_PER_NODE + samples * BYTES_PER_SAMPLE_ROW) / 1e6 + 60;
  const explain = `${Math.round(pods + churnEvents / 2).toLocaleString('en-US')} pods, ${Math.round(nodes).toLocaleString('en-US')} nodes, ${Math.round(samples).toLocaleString('en-US')} sample rows over ${modes} mode(s)`;
  return { events, memoryMb, explain };
}
