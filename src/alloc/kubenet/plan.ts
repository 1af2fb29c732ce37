/**
 * kubenet sizing [overlay-doc]: every node (surge included) takes one node-subnet address and one /24 of the
 * pod CIDR; the route table stops the cluster at 400 nodes. O(1).
 */
import { blockSpaceNeed, fmt, LARGEST_PREFIX, maxPodsBlocker, oneAddressPerNode, rangeSize, type ModePlanner } from '../../plan/need.js';
import { kubenetInfo, type KubenetParams } from './info.js';

export const kubenetPlanner: ModePlanner<KubenetParams> = {
  mode: kubenetInfo.name,
  needs({ nodes, surge, maxPods, pods, params }) {
    const all = nodes + surge;
    const blockers: string[] = [];
    const mp = maxPodsBlocker(kubenetInfo.name, maxPods, kubenetInfo.maxPods);
    if (mp) blockers.push(mp);
    if (all > params.nodeLimit) {
      blockers.push(`${fmt(all)} nodes is above kubenet's limit of ${fmt(params.nodeLimit)} nodes (one user-defined route per node in the route table) [overlay-doc]`);
    }
    const size = rangeSize(params.blockPrefix);
    return {
      spaces: [
        oneAddressPerNode(all),
        blockSpaceNeed('pod-cidr', all, params.blockPrefix, false, pods, LARGEST_PREFIX, `${fmt(all)} nodes × one /${params.blockPrefix} (${size} addresses); no Azure reservation in a pod CIDR`),
      ],
      blockers,
      notes: [],
    };
  },
};
