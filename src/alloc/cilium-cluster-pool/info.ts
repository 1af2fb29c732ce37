import { z } from 'zod';
import { defineCause, type CauseDef } from '../causes.js';
import { durationParam, intParam, NO_POOL_PARAMS, type MaxPodsRange, type ModeInfo } from '../info.js';

const CILIUM = 'https://github.com/cilium/cilium';

export const CILIUM_SOURCES: Readonly<Record<string, string>> = {
  'cluster-pool-doc': 'https://docs.cilium.io/en/stable/network/concepts/ipam/cluster-pool/',
  'cilium-clusterpool': `${CILIUM} pkg/ipam/allocator/clusterpool/clusterpool.go (one PodCIDR per CiliumNode)`,
  'cilium-cidrset': `${CILIUM} pkg/ipam/cidrset/cidr_set.go (next-fit, as Kubernetes' cidrset; cidralloc.NewCIDRSets tries the CIDRs in order)`,
  'cilium-ipallocator': `${CILIUM} pkg/ipam/service/ipallocator/allocator.go (NewCIDRRange: size − 2, network and broadcast; /31 and /32 keep every address)`,
  'cilium-values': `${CILIUM} install/kubernetes/cilium/values.yaml (ipam.mode cluster-pool, clusterPoolIPv4PodCIDRList 10.0.0.0/8, clusterPoolIPv4MaskSize 24; IPv6 fd00::/104, 120)`,
  'cilium-router-health': `${CILIUM} pull/11083 (the router IP of cilium_host and the health endpoint's IP come from the node's range)`,
  'kubelet-retry': 'https://github.com/kubernetes/kubernetes pkg/kubelet/kubelet.go (backOffPeriod = 10 s: "the period to back off when pod syncing results in an error")',
  kubelet: 'https://kubernetes.io/docs/reference/command-line-tools-reference/kubelet/ (--max-pods, default 110)',
  'k8s-large': 'https://kubernetes.io/docs/setup/best-practices/cluster-large/ (no more than 110 pods per node)',
  assumption: "no public source states it: cnisim's choice",
};

/** cnisim runs at most 256 pods per node. */
const MAX_PODS_PER_NODE = 256;

/**
 * max-pods: kubelet's default 110 [kubelet]; kubelet sets no upper bound, cnisim runs at most 256. Above the pod
 * addresses of the node range it is allowed with a warning (those pods would wait for an address).
 */
function ciliumMaxPods(mask: number, healthEndpoint: boolean): MaxPodsRange {
  const per = podsPerRange(mask, healthEndpoint);
  if (per >= MAX_PODS_PER_NODE) return { default: 110, min: 1, max: MAX_PODS_PER_NODE, why: "kubelet's default 110; cnisim runs at most 256 pods per node" };
  return { default: 110, min: 1, max: per, aboveMaxWarns: true, why: `a /${mask} node range serves ${per} pods: network, broadcast, router${healthEndpoint ? ' and health endpoint' : ''} keep the rest` };
}


export const NODE_RANGE_FULL_CAUSE: CauseDef = {
  name: 'node-range-full',
  kind: 'space',
  color: '#bcbd22',
  meaning: "the node's own pod range has no free address (host-local: no IP addresses available in range set)",
};
export const NODE_RANGE_FULL = defineCause(NODE_RANGE_FULL_CAUSE);

/** Addresses a /mask range offers the agent: size − 2 (network, broadcast), all of a /31 or /32 [cilium-ipallocator]. */
export function rangeUsable(mask: number): number {
  const size = 2 ** (32 - mask);
  return mask >= 31 ? size : size - 2;
}

/**
 * Addresses an IPv6 /mask range offers: size − 1 (the subnet-router anycast ::0; no broadcast), the size capped at
 * 65,536 as the allocator's bitmap is [cilium-ipallocator].
 */
export function rangeUsable6(mask: number): number {
  return mask >= 128 ? 1 : Math.min(2 ** (128 - mask), 65_536) - 1;
}

/** Pod addresses of a node's IPv6 /mask range: usable less the router and (when enabled) the health endpoint. */
export function podsPerRange6(mask: number, healthEndpoint: boolean): number {
  return rangeUsable6(mask) - 1 - (healthEndpoint ? 1 : 0);
}

/** Pod addresses of a node's /mask range: usable less the router and (when enabled) the health endpoint. */
export function podsPerRange(mask: number, healthEndpoint: boolean): number {
  return rangeUsable(mask) - 1 - (healthEndpoint ? 1 : 0);
}

export const ciliumParams = z
  .strictObject({
    /** Per-node range prefix [cilium-values: clusterPoolIPv4MaskSize 24]. */
    clusterPoolIPv4MaskSize: intParam(24, 1, 32),
    /** Per-node IPv6 range prefix of a dual-stack cluster [cilium-values: clusterPoolIPv6MaskSize 120]. */
    clusterPoolIPv6MaskSize: intParam(120, 64, 128),
    /** The agent's health endpoint takes an address of the range [cilium-router-health; Helm healthChecking true]. */
    healthEndpoint: z.boolean().default(true),
    /** How often kubelet retries a pod whose sandbox got no address [kubelet-retry: backOffPeriod 10 s]. */
    retryInterval: durationParam(10_000, 1),
  })
  .refine((p) => podsPerRange(p.clusterPoolIPv4MaskSize, p.healthEndpoint) >= 1, {
    message: 'the node range leaves no pod address after the router and the health endpoint (a /30 or /31 keeps 2 addresses, a /32 one); use a /29 or larger mask',
    path: ['clusterPoolIPv4MaskSize'],
  })
  .refine((p) => podsPerRange6(p.clusterPoolIPv6MaskSize, p.healthEndpoint) >= 1, {
    message: 'the IPv6 node range leaves no pod address after the router and the health endpoint; use a /126 or larger mask',
    path: ['clusterPoolIPv6MaskSize'],
  });
export type CiliumParams = z.output<typeof ciliumParams>;

export const ciliumClusterPoolInfo: ModeInfo<CiliumParams> = {
  name: 'cilium-cluster-pool',
  platform: 'kubernetes',
  title: 'Cilium cluster-pool IPAM',
  summary: "the operator gives each node one /24 of the cluster pool; the agent serves pods from it, less network, broadcast, router and health addresses (252 pods on a /24)",
  rules: [
    'node: one address from the node subnet (its network, gateway and broadcast addresses are not for nodes) [assumption]',
    'the operator cuts the pod CIDR(s) (default 10.0.0.0/8) into /clusterPoolIPv4MaskSize ranges (24) and gives each node one, next-fit from the last one handed out, wrapping, the CIDRs in order [cilium-clusterpool, cilium-cidrset, cilium-values]',
    'a node that gets no range never becomes ready: refused (pod-cidr-full) [cluster-pool-doc]',
    'a range serves size − 2 addresses (network, broadcast; a /31 keeps 2, a /32 one) [cilium-ipallocator]',
    'the router (cilium_host) and the health endpoint take one address each: 252 pods on a /24, 60 on a /26 [cilium-router-health]',
    'pods take the lowest free address [cilium-ipallocator]; past the range a pod waits on its node (node-range-full; Cilium does not know max-pods) and kubelet retries it every retryInterval (10 s) [kubelet-retry]',
    'a deleted node\'s range returns to the pool [cilium-clusterpool]',
    'dual stack: each node also takes a /clusterPoolIPv6MaskSize (120) range of the IPv6 pod CIDR (both or none), serving size − 1 (the subnet-router anycast) less router and health; a pod takes the same slot in both [cilium-values, cilium-ipallocator]',
    'max-pods: kubelet\'s, default 110; at most 256 in cnisim; above the range\'s pod addresses (252 on a /24) with a warning [kubelet, k8s-large]',
  ],
  sources: CILIUM_SOURCES,
  maxPods: (_pool, params) => ciliumMaxPods(params.clusterPoolIPv4MaskSize, params.healthEndpoint),
  uses: { podSubnet: false, podCidr: true, dualStack: true, podCidrList: true },
  defaultPodCidr: '10.0.0.0/8',
  params: ciliumParams,
  poolKeys: {},
  poolParams: NO_POOL_PARAMS,
  causes: [NODE_RANGE_FULL_CAUSE],
  capabilities: { expandPodCidr: false, migratesTo: [] },
};
