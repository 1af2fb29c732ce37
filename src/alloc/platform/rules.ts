/**
 * Each platform's own validation rules, applied by the scenario validator only to clusters that run one of the
 * platform's modes. The validator hands over plain facts (ranges with their paths) and a reporter; rules never see
 * the scenario's drafts. O(subnets) per cluster, at load time only.
 */
import type { Cidr4 } from '../../net/index.js';
import type { Platform } from './platforms.js';
import { AWS_SUBNET, AZURE_SUBNET, GCP_PRIMARY } from './reserves.js';

export interface RangeFact {
  readonly cidr: Cidr4;
  readonly path: string;
  /** 'node subnet', 'pod subnet'. */
  readonly what: string;
}

export interface NetworkFacts {
  /** The provider subnets the cluster's pools name (node and pod subnets). */
  readonly subnets: readonly RangeFact[];
  readonly serviceCidr: RangeFact | null;
  /** The DNS service address (uint32) and its path, null when invalid. */
  readonly dns: { readonly ip: number; readonly path: string } | null;
}

export interface Report {
  error(path: string, message: string): void;
  warn(path: string, message: string): void;
}

export type PlatformRules = (facts: NetworkFacts, report: Report) => void;

function ipText(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** [vnet-faq] Azure: subnets /29 or larger. [overlay-doc] service CIDR smaller than /12; DNS address rules. */
const SERVICE_CIDR_LARGEST_PREFIX_AKS = 13;
const DNS_EXAMPLE_OFFSET = 10;

function azureRules(f: NetworkFacts, r: Report): void {
  for (const s of f.subnets) {
    if (s.cidr.prefix > AZURE_SUBNET.smallestPrefix) r.error(s.path, `${s.cidr.text} is smaller than /${AZURE_SUBNET.smallestPrefix}, the smallest subnet Azure allows [vnet-faq]`);
  }
  const svc = f.serviceCidr;
  if (svc === null) return;
  if (svc.cidr.prefix < SERVICE_CIDR_LARGEST_PREFIX_AKS) r.error(svc.path, `${svc.cidr.text} is too large: AKS's service CIDR must be smaller than /12 (/13 or longer prefix) [overlay-doc]`);
  const dns = f.dns;
  if (dns === null) return;
  const c = svc.cidr;
  const example = ipText(c.base + DNS_EXAMPLE_OFFSET);
  if (dns.ip < c.base || dns.ip >= c.base + c.size) r.error(dns.path, `${ipText(dns.ip)} lies outside the service CIDR ${c.text} [overlay-doc]`);
  else if (dns.ip === c.base) r.error(dns.path, `${ipText(dns.ip)} is the network address of the service CIDR ${c.text}: use another address, e.g. ${example} [aks-docs]`);
  else if (dns.ip === c.base + 1) r.error(dns.path, `${ipText(dns.ip)} is the first address of the service CIDR ${c.text}, which the kubernetes service takes: use another, e.g. ${example} [overlay-doc]`);
}

/** [docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html] IPv4 subnets are /16 … /28. */
const AWS_LARGEST_SUBNET_PREFIX = 16;

function awsRules(f: NetworkFacts, r: Report): void {
  for (const s of f.subnets) {
    if (s.cidr.prefix > AWS_SUBNET.smallestPrefix || s.cidr.prefix < AWS_LARGEST_SUBNET_PREFIX) {
      r.error(s.path, `${s.cidr.text} is not a valid AWS subnet: a VPC subnet is a /${AWS_LARGEST_SUBNET_PREFIX} to /${AWS_SUBNET.smallestPrefix} [docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html]`);
    }
  }
}

/** [cloud.google.com/vpc/docs/subnets#valid-ranges] a subnet's primary IPv4 range is /29 or larger (up to /8). */
function gcpRules(f: NetworkFacts, r: Report): void {
  for (const s of f.subnets) {
    if (s.cidr.prefix > GCP_PRIMARY.smallestPrefix) r.error(s.path, `${s.cidr.text} is smaller than /${GCP_PRIMARY.smallestPrefix}, the smallest GCP subnet range [cloud.google.com/vpc/docs/subnets]`);
  }
}

/** Self-managed clusters: the ranges are the operator's; nothing beyond the common overlap rules. */
function kubernetesRules(): void {}

export const PLATFORM_RULES: Readonly<Record<Platform, PlatformRules>> = {
  azure: azureRules,
  aws: awsRules,
  gcp: gcpRules,
  kubernetes: kubernetesRules,
};
