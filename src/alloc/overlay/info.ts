import { z } from 'zod';
import { fixedMaxPods, intParam, NO_POOL_PARAMS, type ModeInfo } from '../info.js';
import { AZURE_SOURCES } from '../platform/azure-sources.js';
import { VNET_IP_LIMIT_DEF, vnetRule } from '../platform/azure-vnet.js';

export const overlayParams = z.strictObject({
  /** Cluster node limit [overlay-doc: 5,000 nodes]. */
  nodeLimit: intParam(5000, 1, 100_000),
  /** Per-node IPv4 block from the pod CIDR [overlay-doc: a /24 per node, fixed]. */
  blockPrefix: intParam(24, 16, 28),
  /** Per-node IPv6 block from the IPv6 pod CIDR [overlay-doc sample output: /80; unverified]. */
  block6Prefix: intParam(80, 64, 120),
});
export type OverlayParams = z.output<typeof overlayParams>;

export const overlayInfo: ModeInfo<OverlayParams> = {
  name: 'overlay',
  platform: 'azure',
  title: 'Azure CNI Overlay',
  summary: 'each node gets a /24 from a private pod CIDR; pods take addresses from their node\'s /24',
  rules: [
    'node: one address from the node subnet (Azure reserves 5 per subnet: a /24 holds 251 nodes) [overlay-doc]',
    'node: one /24 from the pod CIDR (default 10.244.0.0/16 → 256 nodes) [overlay-doc]',
    'max-pods 10–250, default 250 [overlay-doc]',
    'cluster limit 5,000 nodes [overlay-doc]',
    'dual stack: each pod also takes an IPv6 address from a per-node /80 of the IPv6 pod CIDR [overlay-doc]',
    vnetRule('node addresses (pod addresses are not VNet addresses)'),
  ],
  maxPods: fixedMaxPods({ default: 250, min: 10, max: 250 }),
  uses: { podSubnet: false, podCidr: true, dualStack: true },
  sources: AZURE_SOURCES,
  poolKeys: {},
  poolParams: NO_POOL_PARAMS,
  causes: [VNET_IP_LIMIT_DEF],
  capabilities: { expandPodCidr: true, migratesTo: [] },
  params: overlayParams,
};
