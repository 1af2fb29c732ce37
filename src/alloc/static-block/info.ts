import { z } from 'zod';
import { fixedMaxPods, intParam, NO_POOL_PARAMS, renamedParam, type ModeInfo } from '../info.js';
import { AZURE_SOURCES } from '../platform/azure-sources.js';
import { VNET_IP_LIMIT_DEF, vnetRule } from '../platform/azure-vnet.js';

export const staticBlockParams = z.strictObject({
  /** Block size handed to nodes [podsubnet-doc: /28 = 16 addresses]. */
  blockPrefix: intParam(28, 24, 30),
  /** Largest pod subnet allowed [podsubnet-doc: at most /12]. */
  largestPodSubnet: intParam(12, 8, 30),
  /**
   * The first address of the node's first block is its primary address and serves no pod [podsubnet-doc]. false:
   * current Linux CNS, which hands all 16·N addresses to pods [cns: PR 2660, 2024; Windows still skips the first].
   */
  reservePrimaryIp: z.boolean().default(true),
  primaryIp: renamedParam('primaryIp', 'reservePrimaryIp', 'true: the first address of the node\'s first block is its primary (the doc), false: all 16·N serve pods (current Linux CNS)'),
});
export type StaticBlockParams = z.output<typeof staticBlockParams>;

export const staticBlockInfo: ModeInfo<StaticBlockParams> = {
  name: 'static-block',
  platform: 'azure',
  title: 'Azure CNI pod subnet, static block allocation',
  summary: 'each node holds ceil((max-pods + 1) / 16) /28 blocks of the pod subnet for its whole life',
  rules: [
    'node: one address from the node subnet [podsubnet-doc]',
    'node: ceil((max-pods + 1) / 16) /28 blocks from the pod subnet at join, held for life; no refill, no release [podsubnet-doc]',
    'the first address of the first block is the node\'s primary: max-pods 30 → 2 blocks, 31 usable, 1 wasted; 31 → 0 wasted; 32 → 3 blocks, 47 usable, 15 wasted [podsubnet-doc]',
    'a /28 containing an Azure-reserved address is never handed out [assumption]',
    'pod subnet at most /12 (about 1M addresses) [podsubnet-doc]',
    'reservePrimaryIp (default true, the doc): the first address is the primary; false: all 16·N addresses serve pods, max-pods 32 → 2 blocks (current Linux CNS, PR 2660) [podsubnet-doc, cns]',
    vnetRule('a node\'s address and one per /28 block (not per address)', 'at max-pods 250, 17 per node, one VNet holds 3,855 nodes (963,750 pods)'),
  ],
  maxPods: fixedMaxPods({ default: 250, min: 10, max: 250 }),
  uses: { podSubnet: true, podCidr: false, dualStack: false },
  sources: AZURE_SOURCES,
  poolKeys: {},
  poolParams: NO_POOL_PARAMS,
  causes: [VNET_IP_LIMIT_DEF],
  capabilities: { expandPodCidr: false, migratesTo: [] },
  params: staticBlockParams,
};
