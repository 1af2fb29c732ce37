/**
 * Traditional Azure CNI sizing [overlay-doc, aks-docs]: every node (surge included) takes 1 + max-pods
 * addresses of the node subnet for life: (nodes + surge) × (1 + max-pods). All of them count against the VNet's
 * private-address limit [vnet-limits]: past it the VNet binds, whatever the subnet. O(1).
 */
import { azureSubnetNeed } from '../platform/azure-plan.js';
import { fmt, maxPodsBlocker, type ModePlanner } from '../../plan/need.js';
import { vnetPlan } from '../platform/azure-vnet.js';
import { azureInfo, type AzureParams } from './info.js';

export const azurePlanner: ModePlanner<AzureParams> = {
  mode: azureInfo.name,
  needs({ nodes, surge, maxPods, pods, pool, params, networkIpLimit }) {
    const all = nodes + surge;
    const blockers: string[] = [];
    const mp = maxPodsBlocker(azureInfo.name, maxPods, azureInfo.maxPods(pool, params));
    if (mp) blockers.push(mp);
    const vnet = vnetPlan(azureInfo.name, all * (1 + maxPods), 1 + maxPods, all, networkIpLimit);
    if (vnet.blocker) blockers.push(vnet.blocker);
    return {
      spaces: [
        azureSubnetNeed('node-subnet', all * (1 + maxPods), all + pods, `(${fmt(nodes)} nodes + ${fmt(surge)} surge) × (1 + ${maxPods} max-pods) = ${fmt(all * (1 + maxPods))} addresses (+ 5 reserved by Azure)`),
      ],
      blockers,
      notes: vnet.note ? [vnet.note] : [],
    };
  },
};
