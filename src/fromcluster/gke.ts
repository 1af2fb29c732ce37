/**
 * GKE exports → ClusterModel. `gcloud container clusters describe --format=json` gives ipAllocationPolicy (the
 * pod and service ranges), defaultMaxPodsConstraint and nodePools (maxPodsConstraint, podIpv4CidrSize,
 * networkConfig.podIpv4CidrBlock for an additional pod range, autoscaling, locations, upgradeSettings);
 * `gcloud compute networks subnets describe --format=json` gives the node subnet's ipCidrRange and its secondary
 * ranges. Field names: the GKE API's Cluster and NodePool
 * (https://cloud.google.com/kubernetes-engine/docs/reference/rest/v1/projects.locations.clusters), Compute's
 * Subnetwork. Project ids are not kept. Cost: O(pools + ranges).
 */
import { inputError } from '../errors.js';
import { int, isObj, str, type Json } from './detect.js';
import { NameSet, SubnetBook, cleanName, lastSegment, newPool, type ClusterModel, type PoolModel, type SubnetHints } from './model.js';

export interface GkeInput {
  readonly cluster: { readonly file: string; readonly data: Json };
  readonly subnets: readonly { readonly file: string; readonly data: readonly Json[] }[];
}

/** Standard GKE's default max pods per node [https://cloud.google.com/kubernetes-engine/docs/how-to/flexible-pod-cidr]. */
const GKE_DEFAULT_MAX_PODS = 110;

export function fromGke(input: GkeInput, hints: SubnetHints): ClusterModel {
  const c = input.cluster.data;
  const file = input.cluster.file;
  const name = str(c.name) ?? 'gke-cluster';
  const notes: string[] = [];
  const unused: string[] = [];
  const placeholders: string[] = [];
  const book = new SubnetBook(hints, placeholders);
  const ipa = isObj(c.ipAllocationPolicy) ? c.ipAllocationPolicy : {};
  const nc = isObj(c.networkConfig) ? c.networkConfig : {};
  const subnetName = lastSegment(str(nc.subnetwork) ?? str(c.subnetwork) ?? 'default');

  // The subnet export must be the cluster's subnetwork; its secondary ranges name the pod ranges.
  const secondary = new Map<string, string>();
  for (const s of input.subnets) {
    const mine = s.data.find((sn) => str(sn.name) === subnetName);
    if (mine === undefined) {
      throw inputError(`${s.file}: subnet ${s.data.map((x) => String(x.name)).join(', ')} is not the subnetwork "${subnetName}" of cluster "${name}" (${file}); expected gcloud compute networks subnets describe ${subnetName} --region <region> --format=json`);
    }
    for (const sn of s.data) {
      if (str(sn.ipCidrRange)) book.add([str(sn.name), str(sn.selfLink)], str(sn.ipCidrRange)!);
      if (sn !== mine) continue;
      for (const r of Array.isArray(sn.secondaryIpRanges) ? sn.secondaryIpRanges.filter(isObj) : []) {
        if (str(r.rangeName) && str(r.ipCidrRange)) secondary.set(str(r.rangeName)!, str(r.ipCidrRange)!);
      }
      if (str(sn.ipv6CidrRange) || str(sn.externalIpv6Prefix)) unused.push(`subnet ${subnetName}: IPv6 range ${str(sn.ipv6CidrRange) ?? str(sn.externalIpv6Prefix)}; cnisim simulates GKE's IPv4 ranges`);
    }
  }

  const network: Json = {};
  network.nodeSubnetName = subnetName;
  network.nodeSubnet = book.range([subnetName, str(nc.subnetwork)], subnetName, 'network.nodeSubnet');
  const podRangeName = str(ipa.clusterSecondaryRangeName);
  const podCidr = str(ipa.clusterIpv4CidrBlock) ?? str(ipa.clusterIpv4Cidr) ?? str(c.clusterIpv4Cidr) ?? (podRangeName ? secondary.get(podRangeName) : undefined);
  if (podCidr) network.podCidr = podCidr;
  else {
    placeholders.push('network.podCidr');
    network.podCidr = `FILL-IN CIDR of pod range ${podRangeName ?? ''}`.trim().slice(0, 40);
  }
  const svc = str(ipa.servicesIpv4CidrBlock) ?? str(ipa.servicesIpv4Cidr) ?? str(c.servicesIpv4Cidr);
  if (svc) network.serviceCidr = svc;
  if (ipa.useIpAliases === false) notes.push('a routes-based cluster (useIpAliases false): simulated as VPC-native, with the same per-node ranges from the cluster range');
  if (str(ipa.stackType) === 'IPV4_IPV6') unused.push(`ipAllocationPolicy.stackType IPV4_IPV6: pods also get IPv6 addresses (${str(ipa.subnetIpv6CidrBlock) ?? 'the subnet\'s IPv6 range'}); cnisim simulates the IPv4 ranges`);
  if (isObj(c.autopilot) && c.autopilot.enabled === true) notes.push('an Autopilot cluster: Google manages its node pools (32 pods per node); the pools below are the current ones');
  const extraRanges = isObj(ipa.additionalPodRangesConfig) && Array.isArray(ipa.additionalPodRangesConfig.podRangeNames) ? ipa.additionalPodRangesConfig.podRangeNames.map(String) : [];
  const defaultMax = int(isObj(c.defaultMaxPodsConstraint) ? c.defaultMaxPodsConstraint.maxPodsPerNode : undefined) ?? GKE_DEFAULT_MAX_PODS;
  const clusterZones = Array.isArray(c.locations) ? c.locations.length : 1;

  const usedRanges = new Set<string>([podRangeName ?? '', str(ipa.servicesSecondaryRangeName) ?? '']);
  const names = new NameSet();
  const pools: PoolModel[] = (Array.isArray(c.nodePools) ? c.nodePools.filter(isObj) : []).map((p) => {
    const exportName = str(p.name)!;
    const pool = newPool(names.claim(cleanName(exportName, 'pool')), exportName);
    const zones = Array.isArray(p.locations) && p.locations.length > 0 ? p.locations.length : clusterZones;
    pool.count = (int(p.initialNodeCount) ?? 0) * zones;
    pool.countFrom = `initialNodeCount × ${zones} zone(s), the size at creation`;
    const as = isObj(p.autoscaling) ? p.autoscaling : {};
    if (as.enabled === true) {
      const min = int(as.totalMinNodeCount) ?? (int(as.minNodeCount) ?? 0) * zones;
      const max = int(as.totalMaxNodeCount) ?? (int(as.maxNodeCount) ?? 0) * zones;
      pool.autoscaler = { minCount: min, maxCount: max };
      pool.comments.push(`autoscaler: ${as.totalMaxNodeCount !== undefined ? 'totalMin/MaxNodeCount' : `min/maxNodeCount per zone × ${zones} zone(s)`}`);
    }
    const mp = int(isObj(p.maxPodsConstraint) ? p.maxPodsConstraint.maxPodsPerNode : undefined);
    pool.maxPods = mp ?? defaultMax;
    pool.maxPodsFrom = mp !== undefined ? `maxPodsConstraint.maxPodsPerNode (a /${int(p.podIpv4CidrSize) ?? '?'} per node)` : 'the cluster\'s defaultMaxPodsConstraint';
    const cfg = isObj(p.config) ? p.config : {};
    pool.instanceType = str(cfg.machineType) ?? null;
    if (/WINDOWS/i.test(str(cfg.imageType) ?? '')) {
      pool.os = 'windows';
      unused.push(`pool ${exportName} runs Windows (imageType ${str(cfg.imageType)}): simulated like a Linux pool`);
    }
    const pnc = isObj(p.networkConfig) ? p.networkConfig : {};
    const range = str(pnc.podRange);
    if (range) usedRanges.add(range);
    const block = str(pnc.podIpv4CidrBlock) ?? (range ? secondary.get(range) : undefined);
    if (range && range !== podRangeName) {
      pool.podCidr = block ?? (() => {
        placeholders.push(`nodePools[${exportName}].podCidr`);
        return `FILL-IN CIDR of pod range ${range}`.slice(0, 40);
      })();
      pool.comments.push(`its own pod range ${range} (discontiguous multi-pod CIDR)`);
    }
    const us = isObj(p.upgradeSettings) ? p.upgradeSettings : {};
    if (str(us.strategy) === 'BLUE_GREEN') {
      pool.surge = '100%';
      pool.surgeWhy = 'upgradeSettings.strategy BLUE_GREEN: a whole green pool beside the blue one';
    } else {
      const surge = int(us.maxSurge) ?? 1;
      pool.surge = surge > 0 ? surge : null;
      pool.surgeWhy = surge > 0 ? `upgradeSettings.maxSurge ${surge}${us.maxSurge === undefined ? ' (unset: GKE\'s default 1)' : ''}` : `upgradeSettings.maxSurge 0, maxUnavailable ${int(us.maxUnavailable) ?? '?'}: no surge node; cnisim's upgrade always surges`;
    }
    const status = str(p.status);
    if (status && status !== 'RUNNING') pool.busy = `status ${status}`;
    return pool;
  });
  for (const r of extraRanges) if (!usedRanges.has(r)) unused.push(`additional pod range ${r}${secondary.has(r) ? ` (${secondary.get(r)})` : ''}: cluster-wide, used by new node pools GKE creates; no pool here uses it`);
  for (const [r, cidr] of secondary) if (!usedRanges.has(r) && !extraRanges.includes(r)) unused.push(`secondary range ${r} (${cidr}) of subnet ${subnetName}: not used by this cluster`);
  if (pools.length === 0) throw inputError(`${file}: no nodePools; expected a cluster with at least one node pool`);

  return {
    cloud: 'gke', platform: 'gcp', name, mode: 'gke', modeWhy: `VPC-native (alias IP) pod ranges${podRangeName ? ` from secondary range ${podRangeName}` : ''}`, network, parameters: {}, pools,
    poolLabels: ['cloud.google.com/gke-nodepool'],
    poolOfNodeName: (node) => {
      if (!node.startsWith('gke-')) return null;
      const hit = [...pools].sort((a, b) => b.exportName.length - a.exportName.length).find((p) => node.includes(`-${p.exportName}-`));
      return hit?.exportName ?? null;
    },
    notes, unused, placeholders,
  };
}
