import { z } from 'zod';
import { fixedMaxPods, intParam, NO_POOL_PARAMS, type ModeInfo } from '../info.js';
import { AZURE_SOURCES } from '../platform/azure-sources.js';

export const staticBlockParams = z.strictObject({
  /** Block size handed to nodes [podsubnet-doc: /28 = 16 addresses]. */
  blockPrefix: intParam(28, 24, 30),
  /** Largest pod subnet allowed [podsubnet-doc: at most /12]. */
  largestPodSubnet: intParam(12, 8, 30),
  /** The first address of the node's first block is its primary address [podsubnet-doc, cns vnetblock]. */
  primaryIp: z.boolean().default(true),
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
  ],
  maxPods: fixedMaxPods({ default: 250, min: 10, max: 250 }),
  uses: { podSubnet: true, podCidr: false, dualStack: false },
  sources: AZURE_SOURCES,
  poolKeys: {},
  poolParams: NO_POOL_PARAMS,
  causes: [],
  capabilities: { expandPodCidr: false, migratesTo: [] },
  params: staticBlockParams,
};
