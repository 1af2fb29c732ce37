/**
 * The two Amazon VPC CNI modes as they declare themselves: secondary IPs with the warm ENI pool
 * (`aws-vpc-cni`) and prefix delegation (`aws-vpc-cni-prefix`). Parameters are the CNI's environment variables,
 * camelCased, with the code's defaults (WARM_PREFIX_TARGET with the shipped manifest's 1); a node pool names its
 * `instanceType`. Mechanics: ipamd.ts; arithmetic shared with the planner: instances.ts.
 */
import { z } from 'zod';
import { durationParam, intParam, type MaxPodsRange, type ModeInfo } from '../info.js';
import {
  closeTypes, DEFAULT_INSTANCE_TYPE, HOST_NETWORK_PODS, instanceLimits, LOW_CPU_MAX_VCPUS, MAX_PODS_HIGH_CPU, MAX_PODS_LOW_CPU,
  PREFIX_SIZE, podEnis, type InstanceLimits,
} from './instances.js';

const REPO = 'https://github.com/aws/amazon-vpc-cni-k8s';
export const AWS_SOURCES: Readonly<Record<string, string>> = {
  ipamd: `${REPO} (pkg/ipamd/ipamd.go: the 5 s pool loop, isDatastorePoolTooLow, increaseDatastorePool, tryAssignIPs/tryAssignPrefixes, tryAllocateENI, decreaseDatastorePool, shouldRemoveExtraENIs, datastoreTargetState; timers in its const block)`,
  datastore: `${REPO} (pkg/ipamd/datastore/data_store.go: AssignPodIPv4Address, GetIPStats, getDeletableENI, isRequiredFor…Target, FindFreeableCidrs, minENILifeTime, IP_COOLDOWN_PERIOD)`,
  awsutils: `${REPO} (pkg/awsutils/awsutils.go: GetENIIPv4Limit = IPv4Limit − 1, createENI, AllocIPAddresses, awsGetFreeDeviceNumber)`,
  limits: `${REPO} (pkg/vpc/vpc_ip_resource_limit.go, misc/eni-max-pods.txt)`,
  calculator: 'https://github.com/awslabs/amazon-eks-ami (templates/al2/runtime/max-pods-calculator.sh before AL2 was removed; nodeadm/internal/kubelet/eni_max_pods.go)',
  'cni-readme': `${REPO}/blob/master/README.md (WARM_ENI_TARGET, WARM_IP_TARGET, MINIMUM_IP_TARGET, WARM_PREFIX_TARGET, MAX_ENI, IP_COOLDOWN_PERIOD, AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG)`,
  'eni-ip-doc': `${REPO}/blob/master/docs/eni-and-ip-target.md`,
  'prefix-doc': `${REPO}/blob/master/docs/prefix-and-ip-target.md`,
  manifest: `${REPO} (config/master/aws-k8s-cni.yaml, charts/aws-vpc-cni/values.yaml: WARM_PREFIX_TARGET=1)`,
  'eks-pd-doc': 'https://docs.aws.amazon.com/eks/latest/userguide/cni-increase-ip-addresses-procedure.html',
  'custom-net-doc': 'https://docs.aws.amazon.com/eks/latest/userguide/cni-custom-network.html',
  'vpc-subnets': 'https://docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html',
  assumption: "no public source states it: cnisim's choice",
};

/** The environment variables both modes read. */
const common = {
  /** WARM_IP_TARGET: free addresses to keep; 0 = unset [ipamd, cni-readme]. */
  warmIpTarget: intParam(0, 0, 100_000),
  /** MINIMUM_IP_TARGET: addresses to hold at least; 0 = unset [ipamd, cni-readme]. */
  minimumIpTarget: intParam(0, 0, 100_000),
  /** MAX_ENI: ENIs ipamd may attach; ≤ 0 = the instance's limit (defaultMaxENI = −1) [ipamd getMaxENI]. */
  maxEni: intParam(-1, -1, 1000),
  /** IP_COOLDOWN_PERIOD: a released address goes to no pod for this long [datastore: 30 s]. */
  ipCooldownPeriod: durationParam(30_000),
  /** AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG: pod ENIs in the pool's podSubnet, the primary ENI takes no pods [custom-net-doc]. */
  customNetworking: z.boolean().default(false),
};

export const awsVpcCniParams = z.strictObject({
  /** WARM_ENI_TARGET: whole ENIs of free addresses to keep [ipamd defaultWarmENITarget = 1]. */
  warmEniTarget: intParam(1, 0, 100),
  ...common,
});
export const awsVpcCniPrefixParams = z.strictObject({
  /** WARM_PREFIX_TARGET: free /28 prefixes to keep [manifest: 1; ipamd default 0]. */
  warmPrefixTarget: intParam(1, 0, 1000),
  ...common,
});
export type AwsVpcCniParams = z.output<typeof awsVpcCniParams>;
export type AwsVpcCniPrefixParams = z.output<typeof awsVpcCniPrefixParams>;

/** A pool's settings: its instance type's limits. */
export type AwsPoolParams = InstanceLimits;

function poolParamsFor(prefix: boolean) {
  return z
    .object({ instanceType: z.string().default(DEFAULT_INSTANCE_TYPE) })
    .transform((v, ctx): AwsPoolParams => {
      const l = instanceLimits(v.instanceType);
      if (l === undefined) {
        ctx.addIssue({ code: 'custom', path: ['instanceType'], message: `unknown instance type "${v.instanceType}" (not in the VPC CNI's table pkg/vpc/vpc_ip_resource_limit.go): did you mean ${closeTypes(v.instanceType).join(', ')}?` });
        return z.NEVER;
      }
      if (prefix && !l.nitro) {
        ctx.addIssue({ code: 'custom', path: ['instanceType'], message: `${l.instanceType} is not a Nitro instance: prefix delegation needs one [eks-pd-doc]; use aws-vpc-cni or a Nitro type` });
        return z.NEVER;
      }
      return l;
    });
}

const poolKeys = { instanceType: z.string() };

function enisText(l: InstanceLimits, enis: number, custom: boolean): string {
  return custom ? `(${enis + 1} − 1 primary)` : `${enis} ENIs`;
}

/** ENIs × (IPv4 − 1) + 2; custom networking (ENIs − 1) × (IPv4 − 1) + 2 [calculator, limits]. */
export function secondaryMaxPods(l: InstanceLimits, p: { maxEni: number; customNetworking: boolean }): MaxPodsRange {
  const enis = podEnis(l, p.maxEni, p.customNetworking);
  const n = Math.max(0, enis) * (l.ipv4PerEni - 1) + HOST_NETWORK_PODS;
  return { default: n, min: 1, max: n, aboveMaxWarns: true, hostNetworkPods: HOST_NETWORK_PODS, why: `${l.instanceType}: ${enisText(l, enis, p.customNetworking)} × (${l.ipv4PerEni} − 1) + 2` };
}

/** min(ENIs × (IPv4 − 1) × 16 + 2, 110 up to 30 vCPUs else 250) [calculator]. */
export function prefixMaxPods(l: InstanceLimits, p: { maxEni: number; customNetworking: boolean }): MaxPodsRange {
  const enis = podEnis(l, p.maxEni, p.customNetworking);
  const theoretical = Math.max(0, enis) * (l.ipv4PerEni - 1) * PREFIX_SIZE + HOST_NETWORK_PODS;
  const cap = l.vcpus > LOW_CPU_MAX_VCPUS ? MAX_PODS_HIGH_CPU : MAX_PODS_LOW_CPU;
  const n = Math.min(theoretical, cap);
  return {
    default: n, min: 1, max: n, aboveMaxWarns: true, hostNetworkPods: HOST_NETWORK_PODS,
    why: `${l.instanceType}: min(${enisText(l, enis, p.customNetworking)} × (${l.ipv4PerEni} − 1) × 16 + 2 = ${theoretical}, ${cap} for ${l.vcpus} vCPUs)`,
  };
}

const sharedRules = [
  'every ENI has a primary address from the subnet that no pod gets; the node address is the primary ENI\'s [awsutils]',
  'the ipamd loop runs every 5 s from the node\'s start; a tick is only scheduled when it would act [ipamd]',
  'WARM_IP_TARGET / MINIMUM_IP_TARGET (either > 0) take over: short = max(warm − available, min − total, 0), over = max(min(available − warm, total − min), 0) [ipamd datastoreTargetState]',
  'decreases at most every 30 s; a subnet-full error stops growth for 120 s; an ENI lives ≥ 1 min and is freed only empty, with no address in cooldown, one per tick [ipamd, datastore]',
  'a released address goes to no pod for ipCooldownPeriod (30 s) but counts as available [datastore]',
  'pods take the lowest free address in (ENI device index, slot) order; a new ENI takes the lowest free device index; the primary ENI is device 0 (ipamd walks a Go map: the order is unspecified upstream) [awsutils awsGetFreeDeviceNumber, assumption]',
  'addresses and /28 prefixes come lowest-first from the subnet (EC2\'s choice is not public); AWS reserves the first 4 and the last address of every subnet, /16 … /28 [vpc-subnets, assumption]',
  'nodes of a pool with several subnets are balanced across them; a node\'s ENIs draw from its own subnet (custom networking: pod ENIs from the pool\'s podSubnet) [custom-net-doc]',
];

export const awsVpcCniInfo: ModeInfo<AwsVpcCniParams, AwsPoolParams> = {
  name: 'aws-vpc-cni',
  platform: 'aws',
  title: 'Amazon VPC CNI, secondary IPs (warm ENI pool)',
  summary: 'each node attaches ENIs of secondary VPC addresses and keeps a whole spare ENI warm (m5.large: 10 pods hold 30 subnet addresses)',
  rules: [
    'an ENI is attached with all its slots filled (IPv4 − 1 secondary addresses) [ipamd tryAllocateENI, awsutils]',
    'grow when available (total − assigned) < warmEniTarget × slots per ENI, unless total ≥ max-pods: fill an ENI with room, else attach one [ipamd isDatastorePoolTooLow]',
    'under warmEniTarget single addresses are never released; an empty ENI goes once available ≥ (warmEniTarget + 1) × slots (m5.large 10 → 1 pod: 3 → 2 ENIs) [ipamd shouldRemoveExtraENIs]',
  'max-pods = ENIs × (IPv4 per ENI − 1) + 2 (m5.large 29, t3.medium 17, m5.xlarge 58, c5.4xlarge 234); custom networking (ENIs − 1) × (IPv4 − 1) + 2 (m5.large 20); the + 2 are aws-node and kube-proxy, which take no address [calculator, limits]',
    ...sharedRules,
  ],
  sources: AWS_SOURCES,
  maxPods: secondaryMaxPods,
  uses: { podSubnet: false, podCidr: false, dualStack: false },
  params: awsVpcCniParams,
  poolKeys,
  poolParams: poolParamsFor(false),
  causes: [],
  capabilities: { expandPodCidr: false, migratesTo: [] },
};

export const awsVpcCniPrefixInfo: ModeInfo<AwsVpcCniPrefixParams, AwsPoolParams> = {
  name: 'aws-vpc-cni-prefix',
  platform: 'aws',
  title: 'Amazon VPC CNI, prefix delegation (/28 per ENI slot)',
  summary: 'each ENI slot holds a /28 prefix (16 addresses) that needs a free aligned /28 in the subnet; one free prefix is kept warm',
  rules: [
    'each ENI slot holds one /28 (16 addresses); prefixes go onto ENIs with free slots first, a new ENI only when all are full [ipamd tryAssignPrefixes, GetIPv4Limit]',
    'grow when available < 16 × warmPrefixTarget (1, the manifest\'s) unless total ≥ max-pods, by max(1, warmPrefixTarget − free prefixes) (m5.large: 17 pods → 3 prefixes, 108 → 7 = 112 ≥ 110) [ipamd, manifest]',
    'free prefixes (no assigned address) above warmPrefixTarget are released; a partly used prefix never is [ipamd computeExtraPrefixesOverWarmTarget]',
    'max-pods = min(ENIs × (IPv4 − 1) × 16 + 2, 110 up to 30 vCPUs else 250) (m5.large 110; custom networking ENIs − 1); the + 2 are aws-node and kube-proxy, which take no address [calculator]',
    'a prefix needs a whole free aligned /28: the first and last /28 of a subnet never qualify, any single address inside spoils one (a /24 yields at most 14); with none, the node waits 120 s (InsufficientCidrBlocks) and does not fall back to single addresses [eks-pd-doc, ipamd]',
    'Nitro instance types only [eks-pd-doc]',
    ...sharedRules,
  ],
  sources: AWS_SOURCES,
  maxPods: prefixMaxPods,
  uses: { podSubnet: false, podCidr: false, dualStack: false },
  params: awsVpcCniPrefixParams,
  poolKeys,
  poolParams: poolParamsFor(true),
  causes: [],
  capabilities: { expandPodCidr: false, migratesTo: [] },
};
