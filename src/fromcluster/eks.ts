/**
 * EKS exports → ClusterModel. `aws eks describe-cluster` gives the service range and IP family,
 * `aws eks describe-nodegroup` (one per managed node group) gives scalingConfig, instanceTypes, subnets and
 * updateConfig, `aws ec2 describe-subnets` gives the subnets' CidrBlock and zone. The VPC CNI's own settings are
 * not in any AWS export: they are the aws-node DaemonSet's environment, read from the kubectl pods export when
 * given (ENABLE_PREFIX_DELEGATION, WARM_ENI_TARGET, WARM_IP_TARGET, MINIMUM_IP_TARGET, WARM_PREFIX_TARGET,
 * AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG; aws/amazon-vpc-cni-k8s README), otherwise the defaults are assumed and the
 * file says so. Field names: the EKS API's Cluster and Nodegroup, EC2's Subnet
 * (https://docs.aws.amazon.com/eks/latest/APIReference/API_Nodegroup.html). Account ids and ARNs are not kept.
 * Cost: O(node groups + subnets).
 */
import { inputError } from '../errors.js';
import { int, isObj, str, type Json } from './detect.js';
import { NameSet, SubnetBook, cleanName, newPool, type ClusterModel, type PoolModel, type SubnetHints } from './model.js';

export interface EksInput {
  readonly cluster: { readonly file: string; readonly data: Json };
  readonly nodegroups: readonly { readonly file: string; readonly data: Json }[];
  readonly subnets: readonly { readonly file: string; readonly data: readonly Json[] }[];
  /** The aws-node container's environment from the pods export, or null without one. */
  readonly cniEnv: ReadonlyMap<string, string> | null;
}

/** aws-node environment variables → the aws-vpc-cni modes' parameters (aws/amazon-vpc-cni-k8s README). */
const ENV_PARAMS: readonly (readonly [string, string])[] = [
  ['WARM_ENI_TARGET', 'warmEniTarget'], ['WARM_IP_TARGET', 'warmIpTarget'], ['MINIMUM_IP_TARGET', 'minimumIpTarget'], ['WARM_PREFIX_TARGET', 'warmPrefixTarget'],
];

export function fromEks(input: EksInput, hints: SubnetHints): ClusterModel {
  const c = input.cluster.data;
  const file = input.cluster.file;
  const name = str(c.name) ?? 'eks-cluster';
  const notes: string[] = [];
  const unused: string[] = [];
  const placeholders: string[] = [];
  const book = new SubnetBook(hints, placeholders);
  const vpc = isObj(c.resourcesVpcConfig) ? c.resourcesVpcConfig : {};
  const vpcId = str(vpc.vpcId);

  for (const ng of input.nodegroups) {
    const cn = str(ng.data.clusterName);
    if (cn !== undefined && cn !== name) throw inputError(`${ng.file}: node group ${String(ng.data.nodegroupName)} belongs to cluster "${cn}", not to "${name}" of ${file}; expected aws eks describe-nodegroup --cluster-name ${name}`);
  }
  const named = new Set([...(Array.isArray(vpc.subnetIds) ? vpc.subnetIds.map(String) : []), ...input.nodegroups.flatMap((ng) => (Array.isArray(ng.data.subnets) ? ng.data.subnets.map(String) : []))]);
  const zoneOf = new Map<string, string>();
  for (const s of input.subnets) {
    let related = false;
    for (const sn of s.data) {
      const id = str(sn.SubnetId)!;
      const cidr = str(sn.CidrBlock);
      if (cidr) book.add([id], cidr);
      if (str(sn.AvailabilityZone)) zoneOf.set(id, str(sn.AvailabilityZone)!);
      if (named.has(id) || (vpcId !== undefined && str(sn.VpcId) === vpcId)) related = true;
      const v6 = Array.isArray(sn.Ipv6CidrBlockAssociationSet) ? sn.Ipv6CidrBlockAssociationSet.filter(isObj).map((a) => str(a.Ipv6CidrBlock)).filter(Boolean) : [];
      if (v6.length && named.has(id)) unused.push(`subnet ${id}: IPv6 range ${v6.join(', ')}; cnisim simulates the VPC CNI's IPv4 addresses`);
      const extra = Array.isArray(sn.CidrBlockAssociationSet) ? sn.CidrBlockAssociationSet.filter(isObj).map((a) => str(a.CidrBlock)).filter((x) => x && x !== cidr) : [];
      if (extra.length && named.has(id)) unused.push(`subnet ${id}: further CIDR blocks ${extra.join(', ')}`);
    }
    if (!related && s.data.length > 0) {
      throw inputError(`${s.file}: subnets ${s.data.slice(0, 3).map((x) => String(x.SubnetId)).join(', ')}${s.data.length > 3 ? ', …' : ''} belong to none of the subnets or the VPC of "${name}" (${file}); expected aws ec2 describe-subnets --subnet-ids of its node groups`);
    }
  }

  // The VPC CNI's mode and parameters come from aws-node's environment (pods export) or are assumed.
  const env = input.cniEnv;
  const parameters: Json = {};
  let mode: string;
  let why: string;
  if (env === null) {
    mode = 'aws-vpc-cni';
    why = 'the VPC CNI; prefix delegation assumed off (its default): no kubectl pods export holds aws-node\'s ENABLE_PREFIX_DELEGATION — give `kubectl get pods -A -o json` or switch modes to aws-vpc-cni-prefix';
    notes.push('aws-node\'s settings (WARM_ENI_TARGET, WARM_IP_TARGET, MINIMUM_IP_TARGET, WARM_PREFIX_TARGET) unknown: the VPC CNI defaults are assumed');
  } else {
    const pd = env.get('ENABLE_PREFIX_DELEGATION')?.toLowerCase() === 'true';
    mode = pd ? 'aws-vpc-cni-prefix' : 'aws-vpc-cni';
    why = `the VPC CNI, aws-node ENABLE_PREFIX_DELEGATION=${env.get('ENABLE_PREFIX_DELEGATION') ?? '(unset: false)'}`;
    for (const [k, p] of ENV_PARAMS) {
      const v = env.get(k);
      if (v === undefined || !/^\d+$/.test(v)) continue;
      // With prefix delegation the growth check reads WARM_PREFIX_TARGET, not WARM_ENI_TARGET; without, the reverse
      // (ipamd isDatastorePoolTooLow, aws/amazon-vpc-cni-k8s pkg/ipamd/ipamd.go).
      if ((pd && k === 'WARM_ENI_TARGET') || (!pd && k === 'WARM_PREFIX_TARGET')) {
        unused.push(`aws-node ${k}=${v}: not read ${pd ? 'with' : 'without'} prefix delegation`);
        continue;
      }
      parameters[p] = Number(v);
    }
    if (env.get('AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG')?.toLowerCase() === 'true') {
      parameters.customNetworking = true;
      notes.push('custom networking is on: pods take addresses from the ENIConfig subnets, which no export here holds (kubectl get eniconfigs -o json); check the pools\' subnets');
    }
    if (env.get('ENABLE_POD_ENI')?.toLowerCase() === 'true') unused.push('aws-node ENABLE_POD_ENI=true (security groups for pods): the trunk ENI is not simulated');
  }

  const kn = isObj(c.kubernetesNetworkConfig) ? c.kubernetesNetworkConfig : {};
  const network: Json = {};
  if (str(kn.serviceIpv4Cidr)) network.serviceCidr = str(kn.serviceIpv4Cidr);
  if (str(kn.ipFamily)?.toLowerCase() === 'ipv6') unused.push(`kubernetesNetworkConfig.ipFamily ipv6: pods get IPv6 prefixes; cnisim simulates the IPv4 VPC CNI (${str(kn.serviceIpv6Cidr) ?? ''})`);

  const names = new NameSet();
  const pools: PoolModel[] = input.nodegroups.map(({ data: ng }) => {
    const exportName = str(ng.nodegroupName)!;
    const pool = newPool(names.claim(cleanName(exportName, 'nodegroup')), exportName);
    const sc = isObj(ng.scalingConfig) ? ng.scalingConfig : {};
    pool.count = int(sc.desiredSize) ?? 0;
    pool.countFrom = 'scalingConfig.desiredSize';
    const min = int(sc.minSize);
    const max = int(sc.maxSize);
    if (min !== undefined && max !== undefined && max > min) {
      pool.autoscaler = { minCount: min, maxCount: max };
      pool.comments.push(`autoscaler: scalingConfig minSize–maxSize; EKS scales only with cluster-autoscaler or Karpenter installed (assumed)`);
    }
    const types = Array.isArray(ng.instanceTypes) ? ng.instanceTypes.map(String) : [];
    pool.instanceType = types[0] ?? null;
    pool.instanceTypeKey = true;
    if (types.length > 1) unused.push(`node group ${exportName}: instanceTypes ${types.join(', ')}; cnisim simulates ${types[0]} (the first)`);
    if (types.length === 0) notes.push(`node group ${exportName}: no instanceTypes (a launch template sets it): write instanceType into the pool`);
    const subnets = Array.isArray(ng.subnets) ? ng.subnets.map(String) : [];
    pool.nodeSubnets = subnets.map((id) => book.range([id], id, `nodePools[${exportName}].nodeSubnets`));
    const ami = str(ng.amiType) ?? '';
    if (/WINDOWS/i.test(ami)) {
      pool.os = 'windows';
      unused.push(`node group ${exportName} runs Windows (amiType ${ami}): Windows nodes take pod addresses through the VPC resource controller, not aws-node; simulated like Linux`);
    }
    if (str(ng.capacityType) === 'SPOT') pool.comments.push('spot capacity');
    // Surge: EKS launches up to twice the zones' count of nodes, or maxUnavailable if larger
    // [https://docs.aws.amazon.com/eks/latest/userguide/managed-node-update-behavior.html, scale up phase].
    const uc = isObj(ng.updateConfig) ? ng.updateConfig : {};
    const zones = new Set(subnets.map((s) => zoneOf.get(s) ?? s)).size || 1;
    const maxUnavailable = int(uc.maxUnavailable) ?? (int(uc.maxUnavailablePercentage) !== undefined ? Math.ceil((int(uc.maxUnavailablePercentage)! * pool.count) / 100) : 1);
    pool.surge = Math.max(2 * zones, maxUnavailable, 1);
    pool.surgeWhy = `EKS surges by the larger of 2 × zones (${zones}${zoneOf.size ? '' : ', counted as subnets'}) and updateConfig maxUnavailable (${maxUnavailable})`;
    const status = str(ng.status);
    if (status && status !== 'ACTIVE') pool.busy = `status ${status}`;
    return pool;
  });
  if (pools.length === 0) notes.push('no aws eks describe-nodegroup export: give one per node group (aws eks list-nodegroups names them)');
  const firstSubnet = pools[0]?.nodeSubnets[0];
  if (firstSubnet !== undefined) network.nodeSubnet = firstSubnet;

  return {
    cloud: 'eks', platform: 'aws', name, mode, modeWhy: why, network, parameters, pools,
    poolLabels: ['eks.amazonaws.com/nodegroup', 'alpha.eksctl.io/nodegroup-name'],
    poolOfNodeName: () => null,
    notes, unused, placeholders,
  };
}
