/**
 * kubenet [overlay-doc]: like overlay, one /24 per node from the pod CIDR and pods from it, but 400 nodes at
 * most (one user-defined route per node in the route table) and no dual stack. Mechanics shared with overlay:
 * ../node-block.ts (costs there).
 */
import { AZURE_SUBNET } from '../platform/reserves.js';
import { VNET_IP_LIMIT } from '../platform/azure-vnet.js';
import { NodeBlockAllocator } from '../node-block.js';
import type { Allocator, AllocatorContext } from '../types.js';
import { kubenetInfo, type KubenetParams } from './info.js';

export function createKubenet(ctx: AllocatorContext<KubenetParams>): Allocator {
  const p = ctx.params;
  return new NodeBlockAllocator(ctx, { mode: kubenetInfo.name, nodeLimit: p.nodeLimit, blockPrefix: p.blockPrefix, block6Prefix: null, nodeReserve: AZURE_SUBNET, networkLimitCause: VNET_IP_LIMIT });
}
