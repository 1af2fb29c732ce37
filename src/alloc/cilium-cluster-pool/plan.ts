/**
 * cilium-cluster-pool sizing [cilium-clusterpool, cilium-ipallocator]: every node (surge included) takes one
 * /clusterPoolIPv4MaskSize range of the pod CIDR and one node-subnet address; max-pods above the range's pod
 * addresses (size − 2 − router − health) is a blocker, since pods past them are refused. O(1).
 */
import { usableAddresses } from '../../pool/index.js';
import { blockSpaceNeed, fmt, LARGEST_PREFIX, maxPodsBlocker, rangeSize, type ModePlanner, type SpaceNeed } from '../../plan/need.js';
import { HOST_RANGE } from '../platform/reserves.js';
import { ciliumClusterPoolInfo, podsPerRange, type CiliumParams } from './info.js';

/** One address per node from a self-managed node subnet (network and broadcast not handed out). */
function nodeSubnetNeed(nodes: number): SpaceNeed {
  return {
    space: 'node-subnet', needed: nodes, inUse: nodes, largest: LARGEST_PREFIX, smallest: HOST_RANGE.smallestPrefix,
    capacity: (prefix) => usableAddresses(prefix, HOST_RANGE), fillBelow: null,
    rule: `${fmt(nodes)} nodes × 1 address (+ network and broadcast)`,
  };
}

export const ciliumClusterPoolPlanner: ModePlanner<CiliumParams> = {
  mode: ciliumClusterPoolInfo.name,
  needs({ nodes, surge, maxPods, pods, pool, params }) {
    const all = nodes + surge;
    const mask = params.clusterPoolIPv4MaskSize;
    const blockers: string[] = [];
    const mp = maxPodsBlocker(ciliumClusterPoolInfo.name, maxPods, ciliumClusterPoolInfo.maxPods(pool, params));
    if (mp) blockers.push(mp);
    const per = podsPerRange(mask, params.healthEndpoint);
    if (maxPods > per) {
      blockers.push(`max-pods ${maxPods} is above the ${per} pod addresses of a /${mask} node range (${rangeSize(mask)} − network, broadcast, router${params.healthEndpoint ? ', health' : ''}): pods past ${per} on a node are refused (node-range-full); use clusterPoolIPv4MaskSize ${Math.max(1, 32 - Math.ceil(Math.log2(maxPods + 4)))} or max-pods ${per} [cilium-ipallocator]`);
    }
    return {
      spaces: [
        nodeSubnetNeed(all),
        blockSpaceNeed('pod-cidr', all, mask, false, pods + all * (1 + (params.healthEndpoint ? 1 : 0)), LARGEST_PREFIX,
          `${fmt(all)} nodes × one /${mask} range (${rangeSize(mask)} addresses, ${per} for pods)`),
      ],
      blockers,
      notes: [],
    };
  },
};
