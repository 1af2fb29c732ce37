/**
 * The one small interface every allocation mode implements, and the vocabulary they share.
 *
 * Node, pod and address identifiers are small integers chosen by the simulation; an allocator keeps its own
 * per-node state in typed arrays indexed by node id. Running out is an outcome, never an exception: a refusal
 * is a return value carrying one cause code.
 */
import type { AddressPool, BlockPool, BlockPool6 } from '../pool/index.js';
import type { Cidr4, Cidr6 } from '../net/index.js';

/** Refusal causes, a fixed vocabulary. Code 0 means "no refusal". */
export const CAUSES = ['node-subnet-full', 'pod-subnet-full', 'pod-cidr-full', 'node-limit', 'max-pods', 'cluster-pod-limit'] as const;
export type Cause = (typeof CAUSES)[number];
export const OK = 0;
export const NODE_SUBNET_FULL = 1;
export const POD_SUBNET_FULL = 2;
export const POD_CIDR_FULL = 3;
export const NODE_LIMIT = 4;
export const MAX_PODS = 5;
export const CLUSTER_POD_LIMIT = 6;

/** Cause code (1..6) to its name. */
export function causeName(code: number): Cause {
  const name = CAUSES[code - 1];
  if (name === undefined) throw new RangeError(`no cause with code ${code}`);
  return name;
}

/** podAdd result: the pod waits; the allocator calls host.granted() when its address arrives. */
export const PENDING = -1;
/** podAdd result for a refusal with `cause` (1..6): -2 … -7. */
export function refused(cause: number): number {
  return -1 - cause;
}
/** The cause code of a refusal result (< PENDING). */
export function causeOf(result: number): number {
  return -1 - result;
}

/** The part of the event engine an allocator may use (timers for batch grants and pool monitors). */
export interface Clock {
  readonly now: number;
  /** Registers a handler and returns its event kind. */
  define(handler: (arg: number) => void): number;
  /** Schedules `kind(arg)` after `delayMs` (integer ≥ 0); returns a handle for cancel(). */
  schedule(delayMs: number, kind: number, arg: number): number;
  cancel(handle: number): boolean;
}

/** What the simulation offers an allocator. */
export interface AllocatorHost {
  readonly clock: Clock;
  /** A PENDING pod on `node` got its address `handle`. */
  granted(pod: number, node: number, handle: number): void;
  /**
   * Records an exhaustion or limit event that is not a refusal returned to the caller
   * (a batch request refused, a subnet crossing its exhaustion threshold). `event` is a short kebab-case name.
   */
  record(event: string, cause: number, node: number, detail: string): void;
}

/** Gauges of one allocator (one cluster under one mode). All counts are addresses unless named otherwise. */
export interface Gauges {
  nodeIpsUsed: number;
  nodeIpsCapacity: number;
  /** Held by nodes in the space pods draw from (blocks, batches, /24s, primaries, pre-reserved addresses). */
  podIpsReserved: number;
  /** Assigned to pods. */
  podIpsUsed: number;
  podIpsCapacity: number;
  /** Free addresses of the pod space that lie in no whole free block of the size the mode hands out (0..1 of free). */
  fragmentation: number;
  podsWaitingIp: number;
  /** IPv6 (dual stack only; 0 otherwise). Capacities may exceed 2^53 and are then approximate. */
  pod6Reserved: number;
  pod6Used: number;
  pod6Capacity: number;
}

export function emptyGauges(): Gauges {
  return {
    nodeIpsUsed: 0, nodeIpsCapacity: 0, podIpsReserved: 0, podIpsUsed: 0, podIpsCapacity: 0,
    fragmentation: 0, podsWaitingIp: 0, pod6Reserved: 0, pod6Used: 0, pod6Capacity: 0,
  };
}

export interface Allocator {
  readonly mode: string;
  /** A node of node pool `pool` (index into cluster.pools) joins. Returns OK or a cause code; on refusal nothing is held. */
  nodeJoin(node: number, pool: number): number;
  /** The node leaves and every address it held returns. Its pods have been released (or dequeued) before. */
  nodeLeave(node: number): void;
  /** Pod `pod` on `node` needs an address: a handle ≥ 0, PENDING, or refused(cause). */
  podAdd(pod: number, node: number): number;
  /** The pod gives back `handle`; with handle PENDING it leaves the node's wait queue instead. */
  podRelease(pod: number, node: number, handle: number): void;
  /** Incrementally kept gauges (fragmentation is computed on call). */
  gauges(out: Gauges): void;
  /** The same gauges recounted from the pools and per-node state: slow, for --check and tests. */
  recount(out: Gauges): void;
  /**
   * Optional (modes with a pod CIDR): widen the pod CIDR to `cidr`, which contains the current one; blocks already
   * handed out keep their addresses. Returns false when the mode has no pod CIDR.
   */
  expandPodCidr?(cidr: Cidr4): boolean;
}

/** Pools shared within one run: the same key gives the same pool, so clusters can share a subnet. */
export interface Spaces {
  /** A flat address pool over an Azure VNet subnet (the 5 Azure-reserved addresses are taken). */
  subnet(cidr: Cidr4): AddressPool;
  /** A pool of /blockPrefix blocks; `scope` makes it private (an overlay pod CIDR is per cluster). */
  blocks(cidr: Cidr4, blockPrefix: number, azureReserved: boolean, scope?: string): BlockPool;
  blocks6(cidr: Cidr6, blockPrefix: number, scope?: string): BlockPool6;
}

export interface NodePoolSpec {
  readonly name: string;
  readonly maxPods: number;
  readonly nodeSubnet: Cidr4;
  /** The pod subnet (dynamic, static-block); null where the mode uses none. */
  readonly podSubnet: Cidr4 | null;
}

export interface ClusterSpec {
  readonly name: string;
  readonly pools: readonly NodePoolSpec[];
  /** Pod CIDR (overlay, kubenet). */
  readonly podCidr: Cidr4;
  /** IPv6 pod CIDR when the cluster is dual stack, else null. */
  readonly podCidr6: Cidr6 | null;
}

export interface AllocatorContext<P> {
  readonly host: AllocatorHost;
  readonly spaces: Spaces;
  readonly cluster: ClusterSpec;
  readonly params: P;
}
