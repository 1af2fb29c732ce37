/**
 * The state a world keeps per node pool and per cluster, and how it is set up from the scenario: the allocator's
 * view of each cluster (its effective mode, every pool it will ever have, max-pods resolved per mode) and each
 * pool's starting state. The world (world.ts) wires them to its engine and allocators.
 */
import type { Allocator, ClusterSpec } from '../alloc/types.js';
import { maxPodsRange } from '../alloc/info.js';
import { modeInfo, poolParamsOf } from '../alloc/registry.js';
import { parseCidr4 } from '../net/index.js';
import { internalError } from '../errors.js';
import { effectiveMode, type ClusterScenario, type PoolScenario, type Scenario } from '../scenario/index.js';
import { ClusterCounters } from './metrics.js';
import { Buckets } from './placement.js';
import { IntQueue } from './structs.js';
import type { NodeTable } from './tables.js';

/** Backoff after a refused node or pod: first delay and cap [assumption]. */
export const RETRY_FIRST_MS = 10_000;
export const RETRY_MAX_MS = 600_000;
/** How often the autoscaler looks at its pools [cluster-autoscaler --scan-interval default 10s]. */
export const AUTOSCALER_INTERVAL_MS = 10_000;

export interface PoolState {
  readonly gp: number;
  readonly cluster: number;
  readonly local: number;
  readonly spec: PoolScenario;
  /** Its cluster's counters (the pod paths update them without going through the cluster). */
  readonly counters: ClusterCounters;
  /** The pool's own counters (the summary's pool rows); the world updates both. */
  readonly own: ClusterCounters;
  readonly maxPods: number;
  readonly buckets: Buckets;
  readonly queue: IntQueue;
  /** Live pods in the queue (zombies excluded). */
  queued: number;
  desired: number;
  /** Nodes that joined and have not left (ready or cordoned). */
  active: number;
  booting: number;
  enabled: boolean;
  failing: boolean;
  retryPending: boolean;
  backoffMs: number;
  /** The cause of the pool's last refused join (0: none yet). */
  lastRefusal: number;
  placeRetryPending: boolean;
  placeBackoffMs: number;
  readonly daemonsets: number[];
  /** Upgrade generation: nodes with an older gen are replaced by an upgrade in progress. */
  gen: number;
}

export interface ClusterState {
  readonly index: number;
  readonly spec: ClusterScenario;
  alloc: Allocator;
  readonly counters: ClusterCounters;
  readonly pools: number[];
}

/**
 * The provider network a cluster's addresses count against (Spaces.budget's key): clusters naming the same VNet
 * range share its private-address limit; those naming none share one VNet.
 */
export function networkKeyOf(cs: ClusterScenario): string {
  return cs.network.vnetCidr?.text ?? 'the VNet';
}

/** The allocator's view of cluster `cs` under the run's `mode`: its effective mode, its spec, and every pool it will have. */
export function clusterSpecOf(cs: ClusterScenario, mode: string, parameters: Readonly<Record<string, unknown>>): { mode: string; spec: ClusterSpec; pools: PoolScenario[] } {
  const clusterMode = effectiveMode(cs, mode);
  const info = modeInfo(clusterMode);
  if (!info) throw internalError(`unknown mode ${clusterMode}`);
  const pools = allPools(cs);
  const podCidr = cs.network.podCidrGiven || info.defaultPodCidr === undefined ? cs.network.podCidr : parseCidr4(info.defaultPodCidr);
  const spec: ClusterSpec = {
    name: cs.name,
    podCidrs: [podCidr, ...(info.uses.podCidrList === true ? cs.network.additionalPodCidrs : [])],
    podCidr,
    podCidr6: cs.network.ipFamilies.includes('ipv6') ? cs.network.podCidr6 : null,
    serviceCidr: cs.network.serviceCidr,
    networkKey: networkKeyOf(cs),
    networkIpLimit: cs.network.vnetIpLimit,
    pools: pools.map((p) => {
      const params = poolParamsOf(info, p.modeKeys);
      return {
        name: p.name,
        // The mode's parameters matter (custom networking gives an EKS pool one ENI less).
        maxPods: p.maxPods ?? maxPodsRange(info, params, parameters[clusterMode]).default,
        nodeSubnets: p.nodeSubnets,
        // A mode that needs no pod subnet may still use one when given (EKS custom networking's ENIConfig subnet).
        podSubnet: p.podSubnet,
        podCidr: p.podCidr,
        params,
      };
    }),
  };
  return { mode: clusterMode, spec, pools };
}

/** Pool `spec` (global index gp, index `local` in its cluster) at the start of a run: enabled with its count if present at t = 0. */
export function newPoolState(gp: number, cluster: ClusterState, local: number, spec: PoolScenario, maxPods: number, nodes: NodeTable): PoolState {
  const initial = cluster.spec.pools.includes(spec);
  return {
    gp, cluster: cluster.index, local, spec, counters: cluster.counters, own: new ClusterCounters(), maxPods,
    buckets: new Buckets(maxPods, nodes), queue: new IntQueue(), queued: 0,
    desired: initial ? spec.count : 0, active: 0, booting: 0, enabled: initial,
    failing: false, retryPending: false, backoffMs: RETRY_FIRST_MS, lastRefusal: 0,
    placeRetryPending: false, placeBackoffMs: RETRY_FIRST_MS, daemonsets: [], gen: 0,
  };
}

/** The most pods any node of the run may hold (every cluster's pools under `mode`). */
export function maxPodsOfRun(s: Scenario, mode: string): number {
  let most = 1;
  for (const cs of s.clusters) {
    const info = modeInfo(effectiveMode(cs, mode));
    for (const p of allPools(cs)) most = Math.max(most, p.maxPods ?? (info ? maxPodsRange(info, poolParamsOf(info, p.modeKeys), s.parameters[info.name]).default : 1));
  }
  return most;
}

/** A cluster's pools: those present at t = 0, then those added by `addPool` events, in file order. */
export function allPools(cs: ClusterScenario): PoolScenario[] {
  const pools = [...cs.pools];
  for (const e of cs.workload) if (e.type === 'addPool') pools.push(e.pool);
  return pools;
}
