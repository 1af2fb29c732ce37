/**
 * Overlay sizing [overlay-doc]: every node (surge included) takes one node-subnet address and one /24 of the
 * pod CIDR; the cluster stops at 5,000 nodes. O(1).
 */
import { blockSpaceNeed, fmt, LARGEST_PREFIX, maxPodsBlocker, oneAddressPerNode, rangeSize, type ModePlanner } from '../../plan/need.js';
import { overlayInfo, type OverlayParams } from './info.js';

export const overlayPlanner: ModePlanner<OverlayParams> = {
  mode: overlayInfo.name,
  needs({ nodes, surge, maxPods, pods, params }) {
    const all = nodes + surge;
    const blockers: string[] = [];
    const mp = maxPodsBlocker(overlayInfo.name, maxPods, overlayInfo.maxPods);
    if (mp) blockers.push(mp);
    if (all > params.nodeLimit) blockers.push(`${fmt(all)} nodes is above overlay's cluster limit of ${fmt(params.nodeLimit)} nodes [overlay-doc]`);
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
