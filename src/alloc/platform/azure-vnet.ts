/**
 * The Azure VNet's limit of private addresses, shared by the AKS modes: every NIC address configuration in a VNet
 * counts against 65,536 [vnet-limits: "Private IP addresses per virtual network: 65,536", not adjustable]. What a
 * mode holds counts, not its pods: node addresses + batches + primaries (dynamic), node addresses + pre-reserved
 * addresses (azure), node addresses + one per /28 block (static-block: "The block, rather than a single IP, counts
 * against the Azure Vnet Private IP limit of 65K" [aks-api, PodIPAllocationMode.StaticBlock]), node addresses
 * (overlay, kubenet: pod addresses are not VNet addresses).
 *
 * A mode takes its count from the run's shared Budget (Spaces.budget(cluster.networkKey, cluster.networkIpLimit)):
 * clusters in one VNet share it. O(1) per take/give.
 */
import { fmt } from '../../plan/need.js';
import { defineCause, type CauseDef } from '../causes.js';
import type { Budget, ClusterSpec, Spaces } from '../types.js';

/** Private addresses per VNet [vnet-limits]; a scenario's network.vnetIpLimit overrides it. */
export const AZURE_VNET_IP_LIMIT = 65_536;

export const VNET_IP_LIMIT_DEF: CauseDef = {
  name: 'vnet-ip-limit',
  kind: 'limit',
  color: '#17becf',
  meaning: "the VNet's private-address limit (network.vnetIpLimit, 65,536 by default) is reached [vnet-limits]",
};
export const VNET_IP_LIMIT = defineCause(VNET_IP_LIMIT_DEF);

/** The cluster's VNet budget (shared by every cluster with the same networkKey; validation makes their limits agree). */
export function vnetBudget(spaces: Spaces, cluster: ClusterSpec): Budget {
  return spaces.budget(cluster.networkKey, cluster.networkIpLimit);
}

/** Takes `n` addresses of the budget if they fit (used + n ≤ limit). O(1). */
export function takeBudget(b: Budget, n: number): boolean {
  if (b.used + n > b.limit) return false;
  b.used += n;
  return true;
}

/** The rule line every AKS mode shows in `cnisim modes`: what it counts, then what that means for it. */
export function vnetRule(counts: string, example = ''): string {
  return `VNet limit: ${counts} count against the VNet's private addresses (network.vnetIpLimit, default 65,536; clusters in one VNet share it); past it: vnet-ip-limit${example ? `; ${example}` : ''} [vnet-limits, aks-api]`;
}

/**
 * The planner's VNet check: `counted` addresses of `nodes` nodes (a node counts `perNode`, its pods' addresses
 * included) against `limit`. A blocker when they do not fit, naming the limit as what binds and how many nodes fit;
 * else a note with the headroom (and no blocker). O(1).
 */
export function vnetPlan(mode: string, counted: number, perNode: number, nodes: number, limit = AZURE_VNET_IP_LIMIT): { blocker: string | null; note: string | null } {
  const most = Math.floor(limit / perNode);
  const what = `${fmt(counted)} addresses count against the VNet's ${fmt(limit)} private addresses (${fmt(nodes)} nodes × ${fmt(perNode)})`;
  if (counted > limit) {
    return { blocker: `the VNet limit binds: ${what}; at most ${fmt(most)} nodes fit [vnet-limits, network.vnetIpLimit]`, note: null };
  }
  return { blocker: null, note: `${mode}: ${what}: ${fmt(limit - counted)} to spare, room for ${fmt(most)} nodes like these [vnet-limits]` };
}
