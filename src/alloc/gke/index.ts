/**
 * gke (VPC-native) [gke-flexible]: a node's address from its subnet's primary range (GCP keeps 4), and one alias
 * range of at least twice its pool's max-pods from the pod range — the cluster's, or the pool's own additional
 * range (discontiguous multi-pod CIDR); pods take addresses from their node's range. Mechanics shared with
 * kubernetes: ../node-range.ts (costs there).
 */
import { inputError } from '../../errors.js';
import { GCP_PRIMARY } from '../platform/reserves.js';
import { NODE_RANGE_FULL, NodeRangeAllocator } from '../node-range.js';
import type { Cidr4 } from '../../net/index.js';
import type { Allocator, AllocatorContext } from '../types.js';
import { gkeInfo, gkeNodePrefix, type GkeParams } from './info.js';

/**
 * Why GKE refuses a node pool of `maxPods` on pod range `range` (smaller than one node's range), or null. Pure,
 * O(1): the allocator throws it; a validator can report it at load time.
 */
export function gkePoolProblem(range: Cidr4, maxPods: number): string | null {
  const prefix = gkeNodePrefix(maxPods);
  if (range.prefix <= prefix) return null;
  return `the pod range ${range.text} is smaller than the /${prefix} each node takes at max-pods ${maxPods} (at least 2 × max-pods addresses) [gke-flexible]; use a larger pod range or a lower maxPods`;
}

export function createGke(ctx: AllocatorContext<GkeParams>): Allocator {
  const { cluster } = ctx;
  const ranges = cluster.pools.map((p, i) => {
    const cidr = p.podCidr ?? cluster.podCidr;
    const problem = gkePoolProblem(cidr, p.maxPods);
    if (problem !== null) throw inputError(`cluster ${cluster.name}: nodePools[${i}] (${p.name}): ${problem}`);
    return { cidr, prefix: gkeNodePrefix(p.maxPods) };
  });
  return new NodeRangeAllocator(ctx, {
    mode: gkeInfo.name,
    nodeReserve: GCP_PRIMARY,
    ranges,
    // Pod ranges are the VPC's secondary ranges, not private to the cluster.
    scope: undefined,
    occupy: [],
    // Pods never reach the ends of a range twice their number: the network/gateway/broadcast rule of host-local
    // is kept for the addresses they get.
    hostHead: 2,
    hostTail: 1,
    range6Prefix: null,
    rangeFullCause: NODE_RANGE_FULL,
    onNoRange: null,
  });
}
