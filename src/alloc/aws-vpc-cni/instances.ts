/**
 * Instance-type lookups for the Amazon VPC CNI modes: a type's ENIs, IPv4 addresses per ENI, vCPUs and Nitro flag
 * from the generated table (instance-types.ts), an unknown type's closest names, and the max-pods arithmetic of
 * the EKS AMI's max-pods-calculator.sh [calculator]. Lookups O(1); close matches O(types × name length²), only on
 * an error.
 */
import { INSTANCE_TYPES } from './instance-types.js';

export interface InstanceLimits {
  readonly instanceType: string;
  /** ENIs the instance can attach (ENILimit) [limits]. */
  readonly enis: number;
  /** IPv4 addresses per ENI, its primary included (IPv4Limit) [limits]. */
  readonly ipv4PerEni: number;
  /** vCPUs (0 when unknown; see instance-types.ts). */
  readonly vcpus: number;
  readonly nitro: boolean;
}

/** The default node of eksctl and most EKS examples. */
export const DEFAULT_INSTANCE_TYPE = 'm5.large';

export function instanceLimits(name: string): InstanceLimits | undefined {
  const row = Object.prototype.hasOwnProperty.call(INSTANCE_TYPES, name) ? INSTANCE_TYPES[name] : undefined;
  if (row === undefined) return undefined;
  return { instanceType: name, enis: row[0], ipv4PerEni: row[1], vcpus: row[2], nitro: (row[3] & 1) !== 0 };
}

/** Edit distance (insert, delete, substitute: 1 each). O(a × b). */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}

/** Up to `n` known types closest to `name` (same family first, then edit distance, then name). */
export function closeTypes(name: string, n = 3): string[] {
  const lower = name.trim().toLowerCase();
  const family = lower.split('.')[0];
  return Object.keys(INSTANCE_TYPES)
    .map((t) => ({ t, d: distance(lower, t) - (t.split('.')[0] === family ? 0.5 : 0) }))
    .sort((x, y) => x.d - y.d || (x.t < y.t ? -1 : 1))
    .slice(0, n)
    .map((x) => x.t);
}

/** ENIs used for pods: MAX_ENI caps the instance's (≤ 0: no cap) [ipamd getMaxENI]; custom networking skips the primary [calculator]. */
export function podEnis(l: InstanceLimits, maxEni: number, customNetworking: boolean): number {
  const enis = maxEni >= 1 && maxEni < l.enis ? maxEni : l.enis;
  return customNetworking ? enis - 1 : enis;
}

/** Pods the calculator leaves for the host-network pods aws-node and kube-proxy [limits: misc/eni-max-pods.txt header]. */
export const HOST_NETWORK_PODS = 2;
/** Addresses in one delegated prefix, a /28 [datastore GetPrefixDelegationDefaults]. */
export const PREFIX_SIZE = 16;
/** max-pods-calculator.sh caps its recommendation at 110 up to 30 vCPUs, else 250 [calculator]. */
export const MAX_PODS_LOW_CPU = 110;
export const MAX_PODS_HIGH_CPU = 250;
export const LOW_CPU_MAX_VCPUS = 30;
