/**
 * cilium-cluster-pool sizing [cilium-clusterpool, cilium-ipallocator]: every node (surge included) takes one
 * /clusterPoolIPv4MaskSize range of the pod CIDR and one node-subnet address; max-pods above the range's pod
 * addresses (size − 2 − router − health) is a blocker, since pods past them are refused. O(1).
 */
import { NO_RESERVE } from '../../pool/index.js';
import { blockSpaceNeed, fmt, LARGEST_PREFIX, maxPodsBlocker, oneAddressPerNode, rangeSize, type ModePlanner } from '../../plan/need.js';
import { LAN_SUBNET } from '../platform/reserves.js';
import { ciliumClusterPoolInfo, podsPerRange, type CiliumParams } from './info.js';

export const ciliumClusterPoolPlanner: ModePlanner<CiliumParams> = {
  mode: ciliumClusterPoolInfo.name,
  needs({ nodes, surge, maxPods, pods, pool, params }) {
    const all = nodes + surge;
    const mask = params.clusterPoolIPv4MaskSize;
    const blockers: string[] = [];
    const per = podsPerRange(mask, params.healthEndpoint);
    const range = ciliumClusterPoolInfo.maxPods(pool, params);
    const mp = maxPodsBlocker(ciliumClusterPoolInfo.name, maxPods, range.aboveMaxWarns ? { min: range.min, max: Infinity } : range);
    if (mp) blockers.push(mp);
    if (maxPods > per) {
      blockers.push(`max-pods ${maxPods} is above the ${per} pod addresses of a /${mask} node range (${rangeSize(mask)} − network, broadcast, router${params.healthEndpoint ? ', health' : ''}): pods past ${per} on a node are refused (node-range-full); use clusterPoolIPv4MaskSize ${Math.max(1, 32 - Math.ceil(Math.log2(maxPods + 4)))} or max-pods ${per} [cilium-ipallocator]`);
    }
    return {
      spaces: [
        oneAddressPerNode(all, LAN_SUBNET),
        blockSpaceNeed('pod-cidr', all, mask, NO_RESERVE, pods + all * (1 + (params.healthEndpoint ? 1 : 0)), LARGEST_PREFIX,
          `${fmt(all)} nodes × one /${mask} range (${rangeSize(mask)} addresses, ${per} for pods)`),
      ],
      blockers,
      notes: [],
    };
  },
};
