/**
 * The one small interface every allocation mode implements, and the vocabulary they share.
 *
 * Node, pod and address identifiers are small integers chosen by the simulation; an allocator keeps its own
 * per-node state in typed arrays indexed by node id. Running out is an outcome, never an exception: a refusal
 * is a return value carrying one cause code.
 */
import type { AddressPool, BlockPool, BlockPool6, ReservePolicy } from '../pool/index.js';
import type { Cidr4, Cidr6 } from '../net/index.js';

export { OK, NODE_SUBNET_FULL, POD_SUBNET_FULL, POD_CIDR_FULL, NODE_LIMIT, MAX_PODS, CLUSTER_POD_LIMIT, causeName } from './causes.js';

/** podAdd result: the pod waits; the allocator calls host.granted() when its address arrives. */
export const PENDING = -1;
/** podAdd result for a refusal with `cause` (≥ 1): -2, -3, …. */
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
  /**
   * Addresses the cluster holds that count against its provider network's private-address limit (an Azure VNet's
   * 65,536: node addresses, batches, primaries, pre-reserved addresses or /28 blocks); 0 where none is counted.
   */
  vnetIpsUsed: number;
}

export function emptyGauges(): Gauges {
  return {
    nodeIpsUsed: 0, nodeIpsCapacity: 0, podIpsReserved: 0, podIpsUsed: 0, podIpsCapacity: 0,
    fragmentation: 0, podsWaitingIp: 0, pod6Reserved: 0, pod6Used: 0, pod6Capacity: 0, vnetIpsUsed: 0,
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
  /**
   * The IPv4 address (uint32) a pod's handle stands for on its node: tests and --check use it to verify that no
   * address is held twice across modes' own handle schemes. O(1) or O(segments); never in the hot path.
   */
  address(node: number, handle: number): number;
  /** Incrementally kept gauges (fragmentation is computed on call). */
  gauges(out: Gauges): void;
  /** The same gauges recounted from the pools and per-node state: slow, for --check and tests. */
  recount(out: Gauges): void;
  /** Optional: gauges' podIpsReserved alone, O(1), read after every change for exact peaks (without it: at samples). */
  reservedNow?(): number;
  /**
   * Optional (modes with a pod CIDR): widen the pod CIDR to `cidr`, which contains the current one; blocks already
   * handed out keep their addresses. Returns false when the mode has no pod CIDR.
   */
  expandPodCidr?(cidr: Cidr4): boolean;
}

/**
 * Pools shared within one run: the same key gives the same pool, so clusters can share a subnet. A subnet of a
 * provider's network (unscoped) is keyed by its range alone: asking for it under two reserve policies or uses is
 * refused; a scoped pool (a cluster's private pod CIDR) is its own.
 */
export interface Spaces {
  /** A flat address pool over a range; `reserve` says what the provider keeps back (src/alloc/platform/reserves.ts). */
  subnet(cidr: Cidr4, reserve: ReservePolicy): AddressPool;
  /** A pool of /blockPrefix blocks; `scope` makes it private (an overlay pod CIDR is per cluster). */
  blocks(cidr: Cidr4, blockPrefix: number, reserve: ReservePolicy, scope?: string): BlockPool;
  blocks6(cidr: Cidr6, blockPrefix: number, scope?: string): BlockPool6;
  /**
   * A count shared by every allocator asking with the same key (an Azure VNet's private-address limit):
   * take(n) succeeds while used + n ≤ limit. The first asker's limit holds.
   */
  budget(key: string, limit: number): Budget;
}

/** A shared counter with a ceiling (see Spaces.budget). O(1) operations. */
export interface Budget {
  readonly key: string;
  readonly limit: number;
  used: number;
}

export interface NodePoolSpec {
  readonly name: string;
  readonly maxPods: number;
  /** The pool's node subnets: one, or one per availability zone (nodes balanced across them). Never empty. */
  readonly nodeSubnets: readonly Cidr4[];
  /** The pod subnet (modes with info.uses.podSubnet); null where the mode uses none. */
  readonly podSubnet: Cidr4 | null;
  /** The pool's own pod range (a GKE additional pod range); null: the cluster's. */
  readonly podCidr: Cidr4 | null;
  /** The pool's mode-specific settings (an instance type…): the output of the mode's `info.poolParams`. */
  readonly params: unknown;
}

export interface ClusterSpec {
  readonly name: string;
  readonly pools: readonly NodePoolSpec[];
  /** The cluster's IPv4 pod CIDRs, never empty: the scenario's, or the mode's default. podCidr = podCidrs[0]. */
  readonly podCidrs: readonly Cidr4[];
  readonly podCidr: Cidr4;
  /** IPv6 pod CIDR when the cluster is dual stack, else null. */
  readonly podCidr6: Cidr6 | null;
  /** The IPv4 service CIDR (Kubernetes' node IPAM skips node ranges overlapping it). */
  readonly serviceCidr: Cidr4;
  /** The provider network the cluster's subnets belong to (VNet, VPC): clusters with the same key share its limits. */
  readonly networkKey: string;
  /** The provider network's limit of private addresses held (Azure: 65,536 per VNet). */
  readonly networkIpLimit: number;
}

export interface AllocatorContext<P> {
  readonly host: AllocatorHost;
  readonly spaces: Spaces;
  readonly cluster: ClusterSpec;
  readonly params: P;
}
