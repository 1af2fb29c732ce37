/**
 * GKE sizing [gke-flexible]: every node (surge included) takes one address of the subnet's primary range (GCP
 * keeps 4 per subnet, the smallest subnet is a /29 [vpc-subnets]) and one range of at least 2 × max-pods
 * addresses from the pod range (nodes = 2^(node mask − range mask)). O(1).
 */
import { blockSpaceNeed, fmt, LARGEST_PREFIX, maxPodsBlocker, oneAddressPerNode, rangeSize, type ModePlanner } from '../../plan/need.js';
import { NO_RESERVE } from '../../pool/index.js';
import { GCP_PRIMARY } from '../platform/reserves.js';
import { gkeInfo, gkeNodePrefix, type GkeParams } from './info.js';

export const gkePlanner: ModePlanner<GkeParams> = {
  mode: gkeInfo.name,
  needs({ nodes, surge, maxPods, pods, pool, params }) {
    const all = nodes + surge;
    const blockers: string[] = [];
    const range = gkeInfo.maxPods(pool, params);
    const mp = maxPodsBlocker(gkeInfo.name, maxPods, range);
    if (mp) blockers.push(`${mp} (${range.why}) [gke-flexible]`);
    const prefix = gkeNodePrefix(Math.min(Math.max(maxPods, range.min), range.max));
    const notes: string[] = [];
    if (maxPods > 110 && maxPods <= range.max) notes.push(`gke: max-pods ${maxPods} → /${prefix} per node extends the documented table beyond 110 [uncertain]`);
    return {
      spaces: [
        oneAddressPerNode(all, GCP_PRIMARY),
        blockSpaceNeed('pod-cidr', all, prefix, NO_RESERVE, pods, LARGEST_PREFIX,
          `${fmt(all)} nodes × one /${prefix} (${rangeSize(prefix)} addresses ≥ 2 × ${maxPods} max-pods); a pod range reserves nothing`),
      ],
      blockers,
      notes,
    };
  },
};
