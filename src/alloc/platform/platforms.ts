/**
 * The platforms a scenario can name (`platform:`). A platform supplies its network's defaults; its own
 * validation rules live beside it (src/alloc/platform/<name>-rules.ts) and apply to its modes only.
 */
export const PLATFORMS = ['azure', 'aws', 'gcp', 'kubernetes'] as const;
export type Platform = (typeof PLATFORMS)[number];

export interface PlatformInfo {
  readonly name: Platform;
  readonly title: string;
  /** Default node subnet and service CIDR when the scenario gives none. */
  readonly nodeSubnet: string;
  readonly serviceCidr: string;
  /** Default DNS service address: the n-th address of the service CIDR. */
  readonly dnsOffset: number;
}

/** Defaults per platform, each with its source. */
export const PLATFORM_INFO: Readonly<Record<Platform, PlatformInfo>> = {
  // AKS: default VNet 10.224.0.0/12 with subnet 10.224.0.0/16; service CIDR 10.0.0.0/16, DNS 10.0.0.10
  // [learn.microsoft.com/azure/aks/configure-azure-cni].
  azure: { name: 'azure', title: 'Azure (AKS)', nodeSubnet: '10.224.0.0/16', serviceCidr: '10.0.0.0/16', dnsOffset: 10 },
  // EKS: eksctl's default VPC 192.168.0.0/16 with /19 subnets; service CIDR 10.100.0.0/16 when the VPC is in
  // 192.168/16 [docs.aws.amazon.com/eks/latest/userguide/create-cluster.html: "10.100.0.0/16 or 172.20.0.0/16"].
  aws: { name: 'aws', title: 'AWS (EKS)', nodeSubnet: '192.168.0.0/19', serviceCidr: '10.100.0.0/16', dnsOffset: 10 },
  // GKE: the default subnet of region us-central1 in the default VPC is 10.128.0.0/20; services get a /20
  // [cloud.google.com/vpc/docs/subnets#ip-ranges; cloud.google.com/kubernetes-engine/docs/concepts/alias-ips].
  gcp: { name: 'gcp', title: 'Google Cloud (GKE)', nodeSubnet: '10.128.0.0/20', serviceCidr: '10.132.0.0/20', dnsOffset: 10 },
  // kubeadm: --service-cidr 10.96.0.0/12, DNS 10.96.0.10 [kubernetes.io/docs/reference/setup-tools/kubeadm/kubeadm-init].
  kubernetes: { name: 'kubernetes', title: 'self-managed Kubernetes', nodeSubnet: '10.224.0.0/16', serviceCidr: '10.96.0.0/12', dnsOffset: 10 },
};
