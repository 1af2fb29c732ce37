/**
 * Kubernetes node IPAM sizing [k8s-cidrset]: every node (surge included) takes one node-network address and one
 * /nodeCidrMaskSize range of the cluster CIDR (2^(mask − cluster mask) ranges; ranges overlapping the service CIDR
 * are lost, which the planner cannot see and notes). O(1).
 */
import { blockSpaceNeed, fmt, LARGEST_PREFIX, oneAddressPerNode, rangeSize, type ModePlanner } from '../../plan/need.js';
import { NO_RESERVE } from '../../pool/index.js';
import { HOST_LOCAL_HEAD, HOST_LOCAL_TAIL, kubernetesInfo, type KubernetesParams } from './info.js';
import { LAN_SUBNET } from '../platform/reserves.js';

export const kubernetesPlanner: ModePlanner<KubernetesParams> = {
  mode: kubernetesInfo.name,
  needs({ nodes, surge, maxPods, pods, pool, params }) {
    const all = nodes + surge;
    const mask = params.nodeCidrMaskSize;
    const range = kubernetesInfo.maxPods(pool, params);
    const blockers: string[] = [];
    const notes: string[] = [];
    const usable = Math.max(0, rangeSize(mask) - HOST_LOCAL_HEAD - HOST_LOCAL_TAIL);
    if (maxPods < range.min || (maxPods > range.max && !range.aboveMaxWarns)) blockers.push(`max-pods ${maxPods} is outside kubernetes's range ${range.min}–${range.max} (${range.why})`);
    else if (maxPods > usable) notes.push(`kubernetes: max-pods ${maxPods} is above the ${usable} addresses host-local serves from a /${mask} node range; pods beyond are refused node-range-full [host-local]`);
    notes.push('kubernetes: node ranges overlapping the service CIDR are never handed out; keep the service CIDR outside --cluster-cidr [k8s-range]');
    return {
      spaces: [
        oneAddressPerNode(all, LAN_SUBNET),
        blockSpaceNeed('pod-cidr', all, mask, NO_RESERVE, pods, LARGEST_PREFIX,
          `${fmt(all)} nodes × one /${mask} (${fmt(rangeSize(mask))} addresses, ${fmt(usable)} for pods) of --cluster-cidr`),
      ],
      blockers,
      notes,
    };
  },
};
