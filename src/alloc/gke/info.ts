import { z } from 'zod';
import { fixedMaxPods, NO_POOL_PARAMS, type MaxPodsRange, type ModeInfo } from '../info.js';

/** No parameters: max-pods is a node-pool setting, and the rest is fixed by GKE. */
export const gkeParams = z.strictObject({});
export type GkeParams = z.output<typeof gkeParams>;

/** Standard clusters: default 110 max pods per node, at least 8 [gke-flexible]; up to 256 [gke-flexible, uncertain]. */
export const GKE_MAX_PODS: MaxPodsRange = { default: 110, min: 8, max: 256, why: 'GKE Standard: 8–256 pods per node, default 110' };

/**
 * The per-node range for `maxPods`: the smallest power of two holding at least twice max-pods [gke-flexible]:
 * 32 − ceil(log2(2 × maxPods)). 8 → /28, 9–16 → /27, 17–32 → /26, 33–64 → /25, 65–128 → /24, 129–256 → /23. O(1).
 */
export function gkeNodePrefix(maxPods: number): number {
  return 32 - Math.ceil(Math.log2(2 * maxPods));
}

export const GKE_SOURCES: Readonly<Record<string, string>> = {
  'gke-flexible': 'https://cloud.google.com/kubernetes-engine/docs/how-to/flexible-pod-cidr',
  'gke-alias-ips': 'https://cloud.google.com/kubernetes-engine/docs/concepts/alias-ips',
  'gke-multi-pod-cidr': 'https://cloud.google.com/kubernetes-engine/docs/how-to/multi-pod-cidr',
  'gke-autopilot': 'https://cloud.google.com/kubernetes-engine/docs/concepts/autopilot-overview',
  'vpc-subnets': 'https://cloud.google.com/vpc/docs/subnets#unusable-ip-addresses-in-every-subnet',
  gcpdiag: 'https://gcpdiag.dev/rules/gke/WARN/2021_003 (GoogleCloudPlatform/gcpdiag: nodes per pod range)',
  uncertain: 'read in newer GKE docs but not confirmed from a stored page; treat as an assumption',
  assumption: "no public source states it: cnisim's choice",
};

export const gkeInfo: ModeInfo<GkeParams> = {
  name: 'gke',
  platform: 'gcp',
  title: 'GKE VPC-native (alias IP ranges)',
  summary: "each node takes from the pod range a range of at least twice its max-pods (110 → /24); node addresses from the subnet's primary range",
  rules: [
    "node: one address from the subnet's primary range; Google keeps 4 per subnet (network, gateway, second-to-last, broadcast) [vpc-subnets]",
    'node: one alias range of at least 2 × max-pods addresses from the pod range: mask 32 − ceil(log2(2 × max-pods)); 8 → /28, 9–16 → /27, 17–32 → /26, 33–64 → /25, 65–110 → /24 [gke-flexible]',
    '111–128 → /24 and 129–256 → /23 extend the same rule; 256 pods per node is in newer docs only [uncertain]',
    'nodes per pod range = 2^(node mask − range mask): a /14 holds 1,024 nodes at 110 pods, a /20 16 (64 at 30 pods) [gke-flexible, gcpdiag]',
    'secondary ranges (pod ranges) reserve no addresses [uncertain: a secondary source]',
    'a node pool may name its own additional pod range (`podCidr` on the pool: discontiguous multi-pod CIDR); its nodes draw from it only [gke-multi-pod-cidr]',
    'max-pods 8–256, default 110, fixed per node pool; Autopilot nodes run at most 32 (maxPods: 32 → /26) [gke-flexible, gke-autopilot]',
    'a node with no range left is refused (pod-cidr-full); ranges are handed out next-fit, and the lowest free aligned range where pools of different sizes share a range [assumption]',
  ],
  maxPods: fixedMaxPods(GKE_MAX_PODS),
  uses: { podSubnet: false, podCidr: true, dualStack: false, poolPodCidr: true },
  sources: GKE_SOURCES,
  poolKeys: {},
  poolParams: NO_POOL_PARAMS,
  causes: [],
  capabilities: { expandPodCidr: false, migratesTo: [] },
  params: gkeParams,
};
