import { z } from 'zod';
import { fixedMaxPods, intParam, NO_POOL_PARAMS, type ModeInfo } from '../info.js';
import { AZURE_SOURCES } from '../platform/azure-sources.js';
import { VNET_IP_LIMIT_DEF, vnetRule } from '../platform/azure-vnet.js';

export const kubenetParams = z.strictObject({
  /** One user-defined route per node; a route table holds 400 [overlay-doc]. */
  nodeLimit: intParam(400, 1, 100_000),
  blockPrefix: intParam(24, 16, 28),
});
export type KubenetParams = z.output<typeof kubenetParams>;

export const kubenetInfo: ModeInfo<KubenetParams> = {
  name: 'kubenet',
  platform: 'azure',
  title: 'kubenet',
  summary: 'each node gets a /24 from the pod CIDR and a user-defined route; 400 nodes at most',
  rules: [
    'node: one address from the node subnet (Azure reserves 5 per subnet) [overlay-doc]',
    'node: one /24 from the pod CIDR [overlay-doc]',
    'cluster limit 400 nodes: one route per node in the route table [overlay-doc]',
    'max-pods default 110, at most 250 (minimum 10) [overlay-doc, aks-docs]',
    vnetRule('node addresses (pod addresses are not VNet addresses)'),
  ],
  maxPods: fixedMaxPods({ default: 110, min: 10, max: 250 }),
  uses: { podSubnet: false, podCidr: true, dualStack: false },
  sources: AZURE_SOURCES,
  poolKeys: {},
  poolParams: NO_POOL_PARAMS,
  causes: [VNET_IP_LIMIT_DEF],
  capabilities: { expandPodCidr: false, migratesTo: ['overlay'] },
  params: kubenetParams,
};
