/**
 * The sizing vocabulary shared by the per-mode planners (src/alloc/<mode>/plan.ts) and the planner
 * (src/plan/plan.ts): what a cluster asks of one address space, and how much of it a prefix can give.
 * Each mode states its own arithmetic; this file only knows ranges under a reserve policy and block-carved ranges.
 * All functions are O(1) arithmetic on plain numbers (no pools are built).
 */
import { usableAddresses, usableBlocks, type ReservePolicy } from '../pool/index.js';

/** The address spaces a mode can draw from (docs/model.md, "The pieces"). */
export type SpaceName = 'node-subnet' | 'pod-subnet' | 'pod-cidr';

export const SPACE_LABEL: Readonly<Record<SpaceName, string>> = {
  'node-subnet': 'node subnet',
  'pod-subnet': 'pod subnet',
  'pod-cidr': 'pod CIDR',
};

/** Largest range the planner proposes: a /8 (the largest private range, 10.0.0.0/8) [assumption]. */
export const LARGEST_PREFIX = 8;

/** What the planner is asked: the cluster's peak, per mode (max-pods and parameters are the mode's). */
export interface ModePlanInput<P = unknown> {
  /** Peak nodes of the cluster (autoscaler max applied), surge not included. */
  readonly nodes: number;
  /** Extra nodes during an upgrade (maxSurge). */
  readonly surge: number;
  /** Max pods per node for this mode. */
  readonly maxPods: number;
  /** Peak pods; the planner passes nodes × maxPods when the user gave none (every node full). */
  readonly pods: number;
  /** The mode's parameters, the output of `info.params.parse(…)`. */
  readonly params: P;
  /** The pool's own settings, the output of the mode's `info.poolParams` (an instance type…). */
  readonly pool: unknown;
  /** The provider network's private-address limit (a scenario's network.vnetIpLimit); absent: the platform's default. */
  readonly networkIpLimit?: number;
}

/** One address space as a mode needs it at the cluster's peak. */
export interface SpaceNeed {
  readonly space: SpaceName;
  /** Addresses the mode takes from the space at the peak (nodes' addresses, blocks, batches, reservations). */
  readonly needed: number;
  /** Of `needed`, the addresses a node or a pod actually uses; needed − inUse is waste. */
  readonly inUse: number;
  /** Largest range allowed (smallest prefix length), e.g. 12 for a static-block pod subnet. */
  readonly largest: number;
  /** Smallest range allowed (largest prefix length), e.g. 29 for an Azure subnet, 24 for a /24-per-node pod CIDR. */
  readonly smallest: number;
  /** Addresses a /prefix offers to this use (after Azure's reservations, whole blocks only). */
  capacity(prefix: number): number;
  /**
   * null: the space may fill up completely. A fraction: used / capacity must stay strictly below it (the
   * dynamic pod subnet is marked exhausted at exhaustedAbove [cns]).
   */
  readonly fillBelow: number | null;
  /** The arithmetic, in one line, for the output. */
  readonly rule: string;
}

/** A mode's answer before any prefix is chosen. */
export interface ModeNeeds {
  readonly spaces: readonly SpaceNeed[];
  /** Why the mode cannot hold the request at any prefix (a cluster limit, a max-pods range…); empty when it can. */
  readonly blockers: readonly string[];
  /** Assumptions worth printing beside the answer. */
  readonly notes: readonly string[];
}

/** One mode's sizing arithmetic; `src/alloc/plans.ts` maps mode names to these. */
export interface ModePlanner<P = unknown> {
  readonly mode: string;
  needs(input: ModePlanInput<P>): ModeNeeds;
}

/** Addresses in a /prefix IPv4 range. */
export function rangeSize(prefix: number): number {
  return 2 ** (32 - prefix);
}

/** A provider subnet where the mode takes `needed` addresses, `inUse` of them by nodes and pods, under reserve policy `r`. */
export function subnetNeed(space: SpaceName, needed: number, inUse: number, rule: string, r: ReservePolicy): SpaceNeed {
  return {
    space,
    needed,
    inUse,
    largest: LARGEST_PREFIX,
    smallest: r.smallestPrefix,
    capacity: (prefix) => usableAddresses(prefix, r),
    fillBelow: null,
    rule,
  };
}

/** A range carved into /blockPrefix blocks, `blocks` of them needed. */
export function blockSpaceNeed(
  space: SpaceName,
  blocks: number,
  blockPrefix: number,
  r: ReservePolicy,
  inUse: number,
  largest: number,
  rule: string,
): SpaceNeed {
  const size = rangeSize(blockPrefix);
  // A range with reservations must also leave a block free of reserved addresses; a plain range needs one block at least.
  let smallest = blockPrefix;
  while (smallest > largest && usableBlocks(smallest, blockPrefix, r) < 1) smallest--;
  return {
    space,
    needed: blocks * size,
    inUse,
    largest,
    smallest: Math.min(smallest, r.smallestPrefix),
    capacity: (prefix) => (prefix > blockPrefix ? 0 : usableBlocks(prefix, blockPrefix, r) * size),
    fillBelow: null,
    rule,
  };
}

/** True when a /prefix holds `needed` addresses of this space without a refusal or an exhaustion event. O(1). */
export function spaceHolds(need: Pick<SpaceNeed, 'capacity' | 'fillBelow'>, prefix: number, needed: number): boolean {
  const cap = need.capacity(prefix);
  if (cap < needed) return false;
  // Same comparison as the allocator's (used / capacity ≥ threshold), so the answer matches the simulation.
  return need.fillBelow === null || needed === 0 || !(needed / cap >= need.fillBelow);
}

/** The usual node-subnet need: one address per node, surge nodes included. */
export function oneAddressPerNode(nodes: number, r: ReservePolicy): SpaceNeed {
  const kept = r.head + r.tail;
  return subnetNeed('node-subnet', nodes, nodes, `${fmt(nodes)} nodes × 1 address${kept > 0 ? ` (+ ${kept} reserved in the ${r.name})` : ''}`, r);
}

/** The mode's max-pods range check, as a blocker message (or null when in range). */
export function maxPodsBlocker(mode: string, maxPods: number, range: { min: number; max: number }): string | null {
  if (maxPods < range.min || maxPods > range.max) return `max-pods ${maxPods} is outside ${mode}'s range ${range.min}–${range.max}`;
  return null;
}

/** Pods per node when `pods` are spread evenly over `nodes` (the simulator's default placement): the counts, largest first. */
export function spreadPods(pods: number, nodes: number): { high: number; highNodes: number; low: number; lowNodes: number } {
  if (nodes <= 0) return { high: 0, highNodes: 0, low: 0, lowNodes: 0 };
  const low = Math.floor(pods / nodes);
  const highNodes = pods - low * nodes;
  return { high: low + 1, highNodes, low, lowNodes: nodes - highNodes };
}

export function fmt(n: number): string {
  return n.toLocaleString('en-US');
}
