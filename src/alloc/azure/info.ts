import { z } from 'zod';
import { fixedMaxPods, NO_POOL_PARAMS, type ModeInfo } from '../info.js';
import { AZURE_SOURCES } from '../platform/azure-sources.js';
import { VNET_IP_LIMIT_DEF, vnetRule } from '../platform/azure-vnet.js';

export const azureParams = z.strictObject({});
export type AzureParams = z.output<typeof azureParams>;

export const azureInfo: ModeInfo<AzureParams> = {
  name: 'azure',
  platform: 'azure',
  title: 'traditional Azure CNI',
  summary: 'each node reserves 1 + max-pods addresses of the node subnet for its whole life (the baseline)',
  rules: [
    'node: 1 + max-pods addresses from the node subnet at join, held for life [overlay-doc, aks-docs]',
    'max-pods default 30, range 10–250 [aks-docs]',
    'subnet needed = (nodes + surge) × (1 + max-pods): 50 nodes + 1 surge at 30 pods → 1,581 addresses (/21); a /24 fits 8 nodes [aks-docs]',
    vnetRule('a node\'s 1 + max-pods addresses', 'at max-pods 250 one VNet holds 261 nodes'),
  ],
  maxPods: fixedMaxPods({ default: 30, min: 10, max: 250 }),
  uses: { podSubnet: false, podCidr: false, dualStack: false },
  sources: AZURE_SOURCES,
  poolKeys: {},
  poolParams: NO_POOL_PARAMS,
  causes: [VNET_IP_LIMIT_DEF],
  capabilities: { expandPodCidr: false, migratesTo: ['overlay'] },
  params: azureParams,
};
