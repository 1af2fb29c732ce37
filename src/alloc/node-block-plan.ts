/**
 * Sizing shared by the "one block per node" modes (overlay, kubenet) [overlay-doc]: every node (surge included)
 * takes one node-subnet address and one /blockPrefix of the pod CIDR, up to the mode's node limit. O(1).
 */
import { AZURE_SUBNET } from './platform/reserves.js';
import { NO_RESERVE } from '../pool/index.js';
import { blockSpaceNeed, fmt, LARGEST_PREFIX, maxPodsBlocker, oneAddressPerNode, rangeSize, type ModePlanner } from '../plan/need.js';
import type { ModeInfo } from './info.js';

export function nodeBlockPlanner<P extends { nodeLimit: number; blockPrefix: number }>(
  info: ModeInfo<P>,
  limitName: string,
  why?: string,
): ModePlanner<P> {
  return {
    mode: info.name,
    needs({ nodes, surge, maxPods, pods, pool, params }) {
      const all = nodes + surge;
      const blockers: string[] = [];
      const mp = maxPodsBlocker(info.name, maxPods, info.maxPods(pool, params));
      if (mp) blockers.push(mp);
      if (all > params.nodeLimit) blockers.push(`${fmt(all)} nodes is above ${info.name}'s ${limitName} of ${fmt(params.nodeLimit)} nodes${why ? ` (${why})` : ''} [overlay-doc]`);
      const size = rangeSize(params.blockPrefix);
      return {
        spaces: [
          oneAddressPerNode(all, AZURE_SUBNET),
          blockSpaceNeed('pod-cidr', all, params.blockPrefix, NO_RESERVE, pods, LARGEST_PREFIX, `${fmt(all)} nodes × one /${params.blockPrefix} (${size} addresses); no Azure reservation in a pod CIDR`),
        ],
        blockers,
        notes: [],
      };
    },
  };
}
