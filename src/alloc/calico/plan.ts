/**
 * Calico sizing [calico-ipam]: a node holds ceil((its pods + tunnel) / blockSize) blocks; pods spread evenly over
 * the nodes (the simulator's placement), surge nodes counted full. Past the blocks, strictAffinity false borrows
 * (noted, not counted: the planner sizes the pool for affinity). The node subnet loses its network, gateway and
 * broadcast addresses. O(1).
 */
import { NO_RESERVE } from '../../pool/index.js';
import { blockSpaceNeed, fmt, LARGEST_PREFIX, maxPodsBlocker, oneAddressPerNode, rangeSize, spreadPods, type ModePlanner } from '../../plan/need.js';
import { calicoInfo, maxBlocksOf, type CalicoParams } from './info.js';
import { LAN_SUBNET } from '../platform/reserves.js';

export const calicoPlanner: ModePlanner<CalicoParams> = {
  mode: calicoInfo.name,
  needs({ nodes, surge, maxPods, pods, pool, params }) {
    const all = nodes + surge;
    const blockers: string[] = [];
    const notes: string[] = [];
    const mp = maxPodsBlocker(calicoInfo.name, maxPods, calicoInfo.maxPods(pool, params));
    if (mp) blockers.push(mp);
    const size = rangeSize(params.blockSize);
    const t = params.tunnelAddress ? 1 : 0;
    const limit = maxBlocksOf(params);
    const blocksFor = (n: number): number => Math.ceil((n + t) / size);
    const full = blocksFor(maxPods);
    if (full > limit) {
      blockers.push(`max-pods ${maxPods}${t ? ' + the tunnel address' : ''} needs ${full} /${params.blockSize} blocks per node, above the block limit of ${limit} (maxBlocksPerHost; 0 means 20): a node stops at ${fmt(limit * size - t)} pods (block-limit) [calico-ipam]`);
    }
    const sp = spreadPods(pods, nodes);
    const blocks = sp.highNodes * blocksFor(sp.high) + sp.lowNodes * blocksFor(sp.low) + surge * full;
    const per = sp.highNodes > 0 && sp.high !== sp.low ? `${blocksFor(sp.low)}–${blocksFor(sp.high)}` : `${blocksFor(sp.low)}`;
    if (!params.strictAffinity) {
      notes.push('calico: strictAffinity false: when no block is free a node borrows single addresses from other nodes\' blocks, so pods may still start in a smaller pool; borrowed addresses rely on /32 routes (projectcalico/calico#3246) [calico-ipam]');
    }
    if (t) notes.push('calico: each node also holds its tunnel address (IPIP / VXLAN) in its first block [calico-tunnel]');
    return {
      spaces: [
        oneAddressPerNode(all, LAN_SUBNET),
        blockSpaceNeed('pod-cidr', blocks, params.blockSize, NO_RESERVE, pods + all * t, LARGEST_PREFIX,
          `${fmt(all)} nodes × ${per} /${params.blockSize} blocks (${size} addresses; pods${t ? ' + tunnel' : ''} per node ÷ ${size}, rounded up; surge nodes full)`),
      ],
      blockers,
      notes,
    };
  },
};
