import { z } from 'zod';
import { defineCause, type CauseDef } from '../causes.js';
import { durationParam, fixedMaxPods, intParam, NO_POOL_PARAMS, type ModeInfo } from '../info.js';
import { KUBELET_MAX_PODS, CALICO_SOURCES } from './sources.js';

/** Blocks per host when maxBlocksPerHost is 0 [calico-ipam: autoAssign "defaulting to reasonable limit" of 20]. */
export const DEFAULT_MAX_BLOCKS = 20;
/** Another host's empty block may be reclaimed once claimed this long ago [calico-claim: EmptyBlockMinReclaimAge = 1 min]. */
export const EMPTY_BLOCK_MIN_RECLAIM_AGE_MS = 60_000;

export const BLOCK_LIMIT_CAUSE: CauseDef = {
  name: 'block-limit',
  kind: 'limit',
  color: '#17becf',
  meaning: 'a Calico node owns maxBlocksPerHost blocks (0 means 20), all full: no new block and no borrowing (ErrBlockLimit)',
};
export const BLOCK_LIMIT = defineCause(BLOCK_LIMIT_CAUSE);

export const calicoParams = z
  .strictObject({
    /** IPv4 block prefix of the IP pool [calico-ippool: 26 by default, 20–32, fixed at creation]. */
    blockSize: intParam(26, 20, 32),
    /** IPv6 block prefix of a dual-stack cluster's IPv6 pool [calico-ippool: 122 by default, 116–128]. */
    blockSize6: intParam(122, 116, 128),
    /** No borrowing from other nodes' blocks when true [calico-ipamconfig: default false]. */
    strictAffinity: z.boolean().default(false),
    /** Blocks one node may own; 0 means 20 [calico-ipamconfig, calico-ipam]. */
    maxBlocksPerHost: intParam(0, 0, 1_000_000),
    /** calico-node takes one address per node for its IPIP / VXLAN tunnel [calico-tunnel]. */
    tunnelAddress: z.boolean().default(true),
    /** kube-controllers releases an empty block's affinity after this grace (node keeps ≥ 1 block) [calico-kc: 15 min]. */
    leakGracePeriod: durationParam(15 * 60_000, 2),
    /** How often kubelet retries a pod whose sandbox got no address [kubelet-retry: backOffPeriod 10 s]. */
    retryInterval: durationParam(10_000, 1),
  })
  .refine((p) => p.maxBlocksPerHost === 0 || p.strictAffinity, {
    message: 'maxBlocksPerHost > 0 needs strictAffinity: true (Calico\'s SetIPAMConfig refuses it otherwise); set strictAffinity: true or maxBlocksPerHost: 0',
    path: ['maxBlocksPerHost'],
  });
export type CalicoParams = z.output<typeof calicoParams>;

/** The block limit a node has under `p`: maxBlocksPerHost, or 20 when it is 0 [calico-ipam]. */
export function maxBlocksOf(p: Pick<CalicoParams, 'maxBlocksPerHost'>): number {
  return p.maxBlocksPerHost > 0 ? p.maxBlocksPerHost : DEFAULT_MAX_BLOCKS;
}

export const calicoInfo: ModeInfo<CalicoParams> = {
  name: 'calico',
  platform: 'kubernetes',
  title: 'Calico IPAM (calico-ipam)',
  summary: 'nodes claim /26 blocks of the IP pool as they need addresses; with strictAffinity false a node with no free block borrows single addresses from other nodes\' blocks',
  rules: [
    'node: one address from the node subnet (its network, gateway and broadcast addresses are not for nodes) [assumption]',
    'IP pool: the pod CIDR (default 192.168.0.0/16) cut into blocks of blockSize (/26 = 64 addresses; 20–32), every address of a block usable on Linux [calico-startup, calico-ippool, calico-block]',
    'an address request (autoAssign): 1) the node\'s own blocks with room, lowest block first; 2) claim a free block; 3) else reclaim an empty block of another node claimed ≥ 1 min ago; 4) else, with strictAffinity false only, borrow one address from any block with room (event address-borrowed, cause pod-cidr-full: the pool has no block left) [calico-ipam, calico-claim]',
    'a node owning maxBlocksPerHost blocks (0 means 20) with all of them full gets no address (block-limit): no new block, no borrowing [calico-ipam, calico-ipamconfig]',
    'one tunnel address per node at start (IPIP / VXLAN), from the same path; a node that cannot get one does not join [calico-tunnel]',
    'a block hands out its addresses in order 0, 1, 2, …; a released address goes to the end of the block\'s free list [calico-block]',
    'kube-controllers checks every leakGracePeriod / 2; a block found empty at two checks leakGracePeriod (15 min) apart loses its affinity unless it is its node\'s last; so 15–22.5 min after it empties [calico-kc]',
    'a pod that gets no address waits on its node (ContainerCreating; it counts against max-pods) and kubelet retries it every retryInterval (10 s), oldest first [kubelet-retry]',
    'a deleted node releases its blocks; a block still holding addresses borrowed by other nodes\' pods stays, without affinity, until its last address goes [calico-ipam, calico-kc]',
    'dual stack: each pod also takes an IPv6 address from its node\'s /122 blocks (blockSize6), claimed as needed, released by the same check; the IPv6 pool is never short, so nothing is borrowed; no IPv6 tunnel address [calico-ipam, calico-ippool]',
    'max-pods: kubelet\'s, default 110; kubelet sets no upper bound, cnisim runs at most 256 [kubelet, k8s-large]',
  ],
  sources: CALICO_SOURCES,
  maxPods: fixedMaxPods(KUBELET_MAX_PODS),
  uses: { podSubnet: false, podCidr: true, dualStack: true, podCidrList: true },
  defaultPodCidr: '192.168.0.0/16',
  params: calicoParams,
  poolKeys: {},
  poolParams: NO_POOL_PARAMS,
  causes: [BLOCK_LIMIT_CAUSE],
  capabilities: { expandPodCidr: false, migratesTo: [] },
};
