import { z } from 'zod';
import { intParam, NO_POOL_PARAMS, type MaxPodsRange, type ModeInfo } from '../info.js';
import { NODE_RANGE_FULL_DEF } from '../node-range.js';
import { SLOTS_PER_NODE } from '../mechanics.js';

export const kubernetesParams = z.strictObject({
  /** --node-cidr-mask-size(-ipv4): each node's range from --cluster-cidr [k8s-core: defaultNodeMaskCIDRIPv4 = 24]. */
  nodeCidrMaskSize: intParam(24, 1, 32),
  /** --node-cidr-mask-size-ipv6 for a dual-stack cluster [k8s-core: defaultNodeMaskCIDRIPv6 = 64]. */
  nodeCidrMaskSizeIpv6: intParam(64, 1, 128),
});
export type KubernetesParams = z.output<typeof kubernetesParams>;

/**
 * Addresses host-local keeps back in a node's range: the network address and the gateway (the bridge, .1) at the
 * start, the broadcast address at the end [host-local].
 */
export const HOST_LOCAL_HEAD = 2;
export const HOST_LOCAL_TAIL = 1;


/** kubelet's default --max-pods [kubelet-config: maxPods 110]. */
export const KUBELET_MAX_PODS = 110;

/**
 * max-pods under a /mask node range: kubelet's default 110; at most the addresses host-local can serve from the
 * range (size − 3), above which pods are refused node-range-full, so a larger value only warns; cnisim holds at
 * most 256 pods per node.
 */
export function kubernetesMaxPods(mask: number): MaxPodsRange {
  const usable = Math.max(0, 2 ** (32 - mask) - HOST_LOCAL_HEAD - HOST_LOCAL_TAIL);
  if (usable >= SLOTS_PER_NODE) return { default: KUBELET_MAX_PODS, min: 1, max: SLOTS_PER_NODE, why: "kubelet's default 110; cnisim runs at most 256 pods per node" };
  return { default: KUBELET_MAX_PODS, min: 1, max: usable, aboveMaxWarns: true, why: `a /${mask} node range serves ${usable} pods: host-local keeps the network, gateway and broadcast addresses` };
}

export const KUBERNETES_SOURCES: Readonly<Record<string, string>> = {
  'k8s-core': 'https://github.com/kubernetes/kubernetes (cmd/kube-controller-manager/app/core.go: defaultNodeMaskCIDRIPv4 = 24, defaultNodeMaskCIDRIPv6 = 64)',
  'k8s-cidrset': 'https://github.com/kubernetes/kubernetes (pkg/controller/nodeipam/ipam/cidrset/cidr_set.go)',
  'k8s-range': 'https://github.com/kubernetes/kubernetes (pkg/controller/nodeipam/ipam/range_allocator.go)',
  'kcm-flags': 'https://kubernetes.io/docs/reference/command-line-tools-reference/kube-controller-manager/',
  'kubelet-config': 'https://kubernetes.io/docs/reference/config-api/kubelet-config.v1beta1/ (maxPods, default 110)',
  'host-local': 'https://github.com/containernetworking/plugins (plugins/ipam/host-local/backend/allocator/range.go)',
  assumption: "no public source states it: cnisim's choice",
};

export const kubernetesInfo: ModeInfo<KubernetesParams> = {
  name: 'kubernetes',
  platform: 'kubernetes',
  title: 'Kubernetes node IPAM (kube-controller-manager range allocator) with host-local',
  summary: 'kube-controller-manager gives each node a /24 of --cluster-cidr, next-fit; host-local serves its pods from it',
  rules: [
    'node: one address from the node network (network, gateway and broadcast kept back) [assumption]',
    'node: one range of --node-cidr-mask-size (24) from --cluster-cidr (the pod CIDR): 2^(mask − cluster mask) ranges, a /16 holds 256 nodes, 512 at mask 25 [k8s-cidrset, k8s-core]',
    'ranges are handed out next-fit from the one after the last handed out, wrapping: a released range is reused only after the allocator wraps [k8s-cidrset]',
    'ranges overlapping the service CIDR are occupied up front: a /24 cluster CIDR at mask 30 with a /26 service range inside yields 48 ranges [k8s-range]',
    'no range left: the node gets no podCIDR (event CIDRNotAvailable) and is refused (pod-cidr-full) [k8s-range]',
    'pods: host-local serves the node range less network, gateway and broadcast: 253 on a /24, 61 on a /26; beyond, node-range-full [host-local]',
    'dual stack: one /64 per node from the IPv6 cluster CIDR as well (nodeCidrMaskSizeIpv6), both or none; the IPv6 node mask may be at most 16 bits longer than the cluster CIDR, else the controller does not start [k8s-cidrset]',
    'max-pods: kubelet default 110 [kubelet-config]',
    'parameters: nodeCidrMaskSize is --node-cidr-mask-size(-ipv4) (24), nodeCidrMaskSizeIpv6 --node-cidr-mask-size-ipv6 (64) [kcm-flags, k8s-core]',
  ],
  maxPods: (_pool, params) => kubernetesMaxPods(params.nodeCidrMaskSize),
  uses: { podSubnet: false, podCidr: true, dualStack: true },
  sources: KUBERNETES_SOURCES,
  poolKeys: {},
  poolParams: NO_POOL_PARAMS,
  causes: [NODE_RANGE_FULL_DEF],
  capabilities: { expandPodCidr: false, migratesTo: [], serviceCidrInsidePodCidr: true },
  params: kubernetesParams,
};
