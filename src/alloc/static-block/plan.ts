/**
 * Static block sizing [podsubnet-doc]: every node (surge included) takes one node-subnet address and
 * ceil((max-pods + 1) / 16) /28 blocks of the pod subnet for life; /28s holding an Azure-reserved address are
 * never handed out, and the pod subnet may be at most a /12. Each node's address and each of its blocks count
 * against the VNet's private-address limit [aks-api, vnet-limits]. O(1).
 */
import { AZURE_SUBNET } from '../platform/reserves.js';
import { blockSpaceNeed, fmt, maxPodsBlocker, oneAddressPerNode, rangeSize, type ModePlanner } from '../../plan/need.js';
import { blocksPerNode } from './index.js';
import { vnetPlan } from '../platform/azure-vnet.js';
import { staticBlockInfo, type StaticBlockParams } from './info.js';

export const staticBlockPlanner: ModePlanner<StaticBlockParams> = {
  mode: staticBlockInfo.name,
  needs({ nodes, surge, maxPods, pods, pool, params, networkIpLimit }) {
    const all = nodes + surge;
    const blockers: string[] = [];
    const mp = maxPodsBlocker(staticBlockInfo.name, maxPods, staticBlockInfo.maxPods(pool, params));
    if (mp) blockers.push(mp);
    const size = rangeSize(params.blockPrefix);
    const k = blocksPerNode(maxPods, size, params.reservePrimaryIp);
    const vnet = vnetPlan(staticBlockInfo.name, all * (1 + k), 1 + k, all, networkIpLimit);
    if (vnet.blocker) blockers.push(vnet.blocker);
    const notes: string[] = vnet.note ? [vnet.note] : [];
    const ideal = size * k - (params.reservePrimaryIp ? 1 : 0);
    if (ideal !== maxPods) notes.push(`static-block: max-pods ${maxPods} leaves ${ideal - maxPods} address${ideal - maxPods === 1 ? '' : 'es'} per node unused; ${ideal} would use all ${k} blocks (16·N${params.reservePrimaryIp ? ' − 1' : ''}) [podsubnet-doc]`);
    return {
      spaces: [
        oneAddressPerNode(all, AZURE_SUBNET),
        blockSpaceNeed('pod-subnet', all * k, params.blockPrefix, AZURE_SUBNET, pods + (params.reservePrimaryIp ? all : 0), params.largestPodSubnet,
          `${fmt(all)} nodes × ceil((${maxPods}${params.reservePrimaryIp ? ' + 1' : ''}) / ${size}) = ${k} /${params.blockPrefix} blocks; the first and last /${params.blockPrefix} hold Azure-reserved addresses`),
      ],
      blockers,
      notes,
    };
  },
};
