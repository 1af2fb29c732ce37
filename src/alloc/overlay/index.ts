/**
 * overlay (Azure CNI Overlay) [overlay-doc]: the node's address from the node subnet, one /24 per node from the
 * cluster's private pod CIDR, pods from their node's /24, 5,000 nodes per cluster; dual stack adds a per-node
 * IPv6 block (/80) and each pod the same slot in it. Mechanics shared with kubenet: ../node-block.ts (costs there).
 */
import { AZURE_SUBNET } from '../platform/reserves.js';
import { VNET_IP_LIMIT } from '../platform/azure-vnet.js';
import { NodeBlockAllocator } from '../node-block.js';
import type { Allocator, AllocatorContext } from '../types.js';
import { overlayInfo, type OverlayParams } from './info.js';

export function createOverlay(ctx: AllocatorContext<OverlayParams>): Allocator {
  const p = ctx.params;
  return new NodeBlockAllocator(ctx, { mode: overlayInfo.name, nodeLimit: p.nodeLimit, blockPrefix: p.blockPrefix, block6Prefix: p.block6Prefix, nodeReserve: AZURE_SUBNET, networkLimitCause: VNET_IP_LIMIT });
}
