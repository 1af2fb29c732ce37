/**
 * kubernetes [k8s-range, k8s-cidrset]: kube-controller-manager's range allocator (--allocate-node-cidrs) gives each
 * node one --node-cidr-mask-size range of --cluster-cidr (the cluster's pod CIDR), next-fit from the range after
 * the last one handed out and wrapping; ranges overlapping the service CIDR are occupied up front; a node that gets
 * none stays without a podCIDR (event CIDRNotAvailable). host-local serves the node's pods from its range.
 *
 * CIDRNotAvailable: a refused join returns pod-cidr-full (the world records node-refused with that cause); the
 * mode also records a note `node-cidr-not-available` (no cause, so no second exhaustion is counted) whose detail
 * carries the controller's event reason and message. Mechanics shared with gke: ../node-range.ts (costs there).
 */
import { inputError } from '../../errors.js';
import { fmt } from '../../plan/need.js';
import { NODE_RANGE_FULL, NodeRangeAllocator } from '../node-range.js';
import type { Cidr4, Cidr6 } from '../../net/index.js';
import type { Allocator, AllocatorContext } from '../types.js';
import { HOST_LOCAL_HEAD, HOST_LOCAL_TAIL, kubernetesInfo, type KubernetesParams } from './info.js';
import { LAN_SUBNET } from '../platform/reserves.js';

/** cidrset's clusterSubnetMaxDiff: an IPv6 node mask at most 16 bits longer than the cluster CIDR [k8s-cidrset]. */
export const CLUSTER_SUBNET_MAX_DIFF = 16;

/**
 * What kube-controller-manager refuses at start for these cluster CIDRs and mask sizes, in its words, or null.
 * Pure, O(1): the allocator throws it; a validator can report it at load time.
 */
export function kubernetesClusterProblem(cidr: Cidr4, pod6: Cidr6 | null, params: KubernetesParams): string | null {
  const mask = params.nodeCidrMaskSize;
  if (mask < cidr.prefix) {
    return `parameters.kubernetes.nodeCidrMaskSize /${mask} is larger than the cluster CIDR ${cidr.text}: kube-controller-manager needs a node mask of /${cidr.prefix} or longer`;
  }
  if (pod6 === null) return null;
  const mask6 = params.nodeCidrMaskSizeIpv6;
  if (mask6 < pod6.prefix) {
    return `parameters.kubernetes.nodeCidrMaskSizeIpv6 /${mask6} is larger than the IPv6 cluster CIDR ${pod6.text}: use /${pod6.prefix} or longer`;
  }
  if (mask6 - pod6.prefix > CLUSTER_SUBNET_MAX_DIFF) {
    return (
      `kube-controller-manager refuses to start with the IPv6 cluster CIDR ${pod6.text} and nodeCidrMaskSizeIpv6 /${mask6}: ` +
      `"New CIDR set failed; the node CIDR size is too big" — the node mask may be at most ${CLUSTER_SUBNET_MAX_DIFF} bits longer than the cluster CIDR [k8s-cidrset]; ` +
      `use a /${mask6 - CLUSTER_SUBNET_MAX_DIFF} or larger IPv6 pod CIDR, or a node mask of /${pod6.prefix + CLUSTER_SUBNET_MAX_DIFF} or shorter`
    );
  }
  return null;
}

export function createKubernetes(ctx: AllocatorContext<KubernetesParams>): Allocator {
  const { cluster, params, host } = ctx;
  const cidr = cluster.podCidr;
  const pod6 = cluster.podCidr6;
  const problem = kubernetesClusterProblem(cidr, pod6, params);
  if (problem !== null) throw inputError(`cluster ${cluster.name}: ${problem}`);
  const mask = params.nodeCidrMaskSize;
  const mask6 = params.nodeCidrMaskSizeIpv6;
  const ranges = 2 ** (mask - cidr.prefix);
  const detail = `CIDRNotAvailable: CIDR allocation failed; there are no remaining CIDRs left to allocate in the accepted range (${cidr.text}: ${fmt(ranges)} /${mask} ranges${pod6 !== null ? `; ${pod6.text} at /${mask6}` : ''})`;
  return new NodeRangeAllocator(ctx, {
    mode: kubernetesInfo.name,
    nodeReserve: LAN_SUBNET,
    // kube-controller-manager has one --cluster-cidr per family: a pool's own podCidr is not read.
    ranges: cluster.pools.map(() => ({ cidr, prefix: mask })),
    scope: cluster.name,
    occupy: [cluster.serviceCidr],
    hostHead: HOST_LOCAL_HEAD,
    hostTail: HOST_LOCAL_TAIL,
    range6Prefix: pod6 === null ? null : mask6,
    rangeFullCause: NODE_RANGE_FULL,
    onNoRange: (node) => host.record('node-cidr-not-available', 0, node, detail),
  });
}
