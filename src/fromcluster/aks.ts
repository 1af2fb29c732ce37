/**
 * AKS exports → ClusterModel. `az aks show -o json` gives the network profile and `agentPoolProfiles`;
 * `az aks nodepool list -o json` (newer per-pool state) replaces those pools by name; `az network vnet subnet
 * list|show -o json` gives the ranges of the subnets the pools name by id (vnetSubnetId, podSubnetId).
 * Field names: the ManagedCluster / AgentPool / Subnet resources of the ARM API
 * (https://learn.microsoft.com/rest/api/aks/managed-clusters/get, …/agent-pools/list,
 * https://learn.microsoft.com/rest/api/virtualnetwork/subnets/list). Nothing identifying the subscription is kept.
 * Cost: O(pools + subnets).
 */
import { inputError } from '../errors.js';
import { int, isObj, str, type Json } from './detect.js';
import { NameSet, SubnetBook, cleanName, lastSegment, newPool, type ClusterModel, type PoolModel, type SubnetHints } from './model.js';

export interface AksInput {
  readonly cluster: { readonly file: string; readonly data: Json };
  readonly nodepools: readonly { readonly file: string; readonly data: readonly Json[] }[];
  readonly subnets: readonly { readonly file: string; readonly data: readonly Json[] }[];
}

const vnetOf = (id: string): string | null => /\/virtualNetworks\/([^/]+)\//i.exec(id)?.[1]?.toLowerCase() ?? null;
const clusterOfPoolId = (id: string): string | null => /\/managedClusters\/([^/]+)\/agentPools\//i.exec(id)?.[1] ?? null;

/** The cnisim mode of an AKS network profile and its pools [overlay-doc, podsubnet-doc, static-block doc]. */
function aksMode(np: Json, pools: readonly Json[], file: string, notes: string[]): { mode: string; why: string } {
  const plugin = str(np.networkPlugin)?.toLowerCase();
  const pluginMode = str(np.networkPluginMode)?.toLowerCase();
  if (plugin === 'none') throw inputError(`${file}: networkProfile.networkPlugin is "none" (bring your own CNI): there is no AKS allocation mode to simulate; expected azure or kubenet`);
  if (plugin === undefined) throw inputError(`${file}: networkProfile.networkPlugin is missing; expected the az aks show -o json of a cluster (azure or kubenet)`);
  if (plugin === 'kubenet') return { mode: 'kubenet', why: 'networkProfile.networkPlugin kubenet' };
  if (plugin !== 'azure') throw inputError(`${file}: networkProfile.networkPlugin "${plugin}" is not azure, kubenet or none`);
  if (pluginMode === 'overlay') return { mode: 'overlay', why: 'networkPlugin azure, networkPluginMode overlay' };
  const withPodSubnet = pools.filter((p) => str(p.podSubnetId) !== undefined);
  if (withPodSubnet.length > 0) {
    const modes = withPodSubnet.map((p) => (str(p.podIpAllocationMode)?.toLowerCase() === 'staticblock' ? 'static-block' : 'dynamic'));
    const mode = modes[0]!;
    const other = withPodSubnet.filter((_, i) => modes[i] !== mode).map((p) => String(p.name));
    if (other.length) notes.push(`pools ${other.join(', ')} use another podIpAllocationMode than ${String(withPodSubnet[0]!.name)}; a scenario cluster runs one mode, so ${mode} is simulated for all`);
    const alloc = str(withPodSubnet[0]!.podIpAllocationMode) ?? 'DynamicIndividual (the default)';
    return { mode, why: `networkPlugin azure, pods in a pod subnet (podSubnetId), podIpAllocationMode ${alloc}` };
  }
  return { mode: 'azure', why: 'networkPlugin azure without overlay or pod subnet (traditional Azure CNI)' };
}

export function fromAks(input: AksInput, hints: SubnetHints): ClusterModel {
  const c = input.cluster.data;
  const file = input.cluster.file;
  const name = str(c.name) ?? 'aks-cluster';
  const notes: string[] = [];
  const unused: string[] = [];
  const placeholders: string[] = [];
  const book = new SubnetBook(hints, placeholders);

  // Pools: the cluster's agentPoolProfiles, replaced by name by the nodepool exports (their state is per pool).
  const poolsByName = new Map<string, Json>();
  for (const p of Array.isArray(c.agentPoolProfiles) ? c.agentPoolProfiles : []) if (isObj(p) && str(p.name)) poolsByName.set(str(p.name)!, p);
  for (const np of input.nodepools) {
    for (const p of np.data) {
      const owner = typeof p.id === 'string' ? clusterOfPoolId(p.id) : null;
      if (owner !== null && owner.toLowerCase() !== name.toLowerCase()) {
        throw inputError(`${np.file}: node pool ${String(p.name)} belongs to cluster "${owner}", not to "${name}" of ${file}; expected the az aks nodepool list of the same cluster`);
      }
      if (str(p.name)) poolsByName.set(str(p.name)!, p);
    }
  }
  if (poolsByName.size === 0) throw inputError(`${file}: no node pools (agentPoolProfiles is empty) and no az aks nodepool list export; expected at least one pool`);
  const rawPools = [...poolsByName.values()];

  // Subnets: by id and name. An export none of whose subnets (nor their VNets) the cluster names is another cluster's.
  const named = rawPools.flatMap((p) => [str(p.vnetSubnetId), str(p.podSubnetId)]).filter((s): s is string => s !== undefined);
  const namedVnets = new Set(named.map(vnetOf).filter((v) => v !== null));
  for (const s of input.subnets) {
    let related = named.length === 0;
    for (const sn of s.data) {
      const prefixes = [str(sn.addressPrefix), ...(Array.isArray(sn.addressPrefixes) ? sn.addressPrefixes.map(str) : [])].filter((x): x is string => x !== undefined);
      const v4 = prefixes.find((x) => !x.includes(':'));
      if (v4 === undefined) continue;
      const id = str(sn.id);
      book.add([id, str(sn.name)], v4);
      if (prefixes.filter((x) => x !== v4).length) unused.push(`subnet ${String(sn.name)}: more address prefixes than ${v4} (${prefixes.filter((x) => x !== v4).join(', ')}); cnisim uses the first IPv4 one`);
      if (id !== undefined && (named.some((n) => n.toLowerCase() === id.toLowerCase()) || namedVnets.has(vnetOf(id) ?? ''))) related = true;
    }
    if (!related) {
      const vnets = [...new Set(s.data.map((sn) => vnetOf(String(sn.id ?? '')) ?? '?'))].join(', ');
      throw inputError(`${s.file}: subnets of VNet ${vnets}, which no node pool of "${name}" (${file}) uses; expected the az network vnet subnet list of the cluster's VNet (${[...namedVnets].join(', ') || 'none named'})`);
    }
  }

  const np = isObj(c.networkProfile) ? c.networkProfile : {};
  const { mode, why } = aksMode(np, rawPools, file, notes);
  const usesPodSubnet = mode === 'dynamic' || mode === 'static-block';

  const network: Json = {};
  const rg = str(c.resourceGroup);
  if (rg) network.resourceGroup = rg;
  const first = rawPools[0]!;
  const nodeSubnetId = str(first.vnetSubnetId);
  if (nodeSubnetId) {
    const vn = /\/virtualNetworks\/([^/]+)\//i.exec(nodeSubnetId)?.[1];
    if (vn) network.vnetName = vn;
    network.nodeSubnetName = lastSegment(nodeSubnetId);
    network.nodeSubnet = book.range([nodeSubnetId, lastSegment(nodeSubnetId)], lastSegment(nodeSubnetId), 'network.nodeSubnet');
  } else {
    notes.push('no vnetSubnetId: AKS made its own VNet (10.224.0.0/12), whose node subnet is 10.224.0.0/16, the scenario default [https://learn.microsoft.com/azure/aks/concepts-network-cni-overview]');
  }
  const podSubnetId = rawPools.map((p) => str(p.podSubnetId)).find((x) => x !== undefined);
  if (usesPodSubnet && podSubnetId) {
    network.podSubnetName = lastSegment(podSubnetId);
    network.podSubnet = book.range([podSubnetId, lastSegment(podSubnetId)], `pod subnet ${lastSegment(podSubnetId)}`, 'network.podSubnet');
  }
  const families = Array.isArray(np.ipFamilies) ? np.ipFamilies.map((f) => String(f).toLowerCase()) : ['ipv4'];
  if (families.includes('ipv6')) network.ipFamilies = families;
  const podCidrs = Array.isArray(np.podCidrs) ? np.podCidrs.map(String) : [];
  const serviceCidrs = Array.isArray(np.serviceCidrs) ? np.serviceCidrs.map(String) : [];
  if (mode === 'overlay' || mode === 'kubenet') {
    if (families.includes('ipv6') && podCidrs.length > 1) network.podCidrs = podCidrs;
    else if (str(np.podCidr)) network.podCidr = str(np.podCidr);
  } else if (str(np.podCidr)) unused.push(`networkProfile.podCidr ${str(np.podCidr)}: ${mode} gives pods VNet addresses; the pod CIDR is not used`);
  if (families.includes('ipv6') && serviceCidrs.length > 1) network.serviceCidrs = serviceCidrs;
  else if (str(np.serviceCidr)) network.serviceCidr = str(np.serviceCidr);
  if (str(np.dnsServiceIp)) network.dnsServiceIp = str(np.dnsServiceIp);
  if (families.includes('ipv6') && mode !== 'overlay') unused.push(`dual stack (ipFamilies ${families.join(', ')}): cnisim simulates IPv6 pod addresses in overlay only`);
  if (str(np.networkDataplane)?.toLowerCase() === 'cilium') notes.push('networkDataplane cilium: the dataplane does not change how addresses are allocated');
  const addons = isObj(c.addonProfiles) ? c.addonProfiles : {};
  for (const [k, v] of Object.entries(addons)) {
    if (isObj(v) && v.enabled === true && /aciConnector|ingressApplicationGateway/i.test(k)) unused.push(`addon ${k}: takes addresses from its own subnet, which cnisim does not simulate`);
  }

  const names = new NameSet();
  const pools: PoolModel[] = rawPools.map((p) => {
    const exportName = str(p.name)!;
    const pool = newPool(names.claim(cleanName(exportName, 'pool', 12)), exportName);
    const stopped = isObj(p.powerState) && str(p.powerState.code) === 'Stopped';
    pool.count = stopped ? 0 : int(p.count) ?? 0;
    pool.countFrom = stopped ? 'powerState Stopped' : 'count';
    if (p.enableAutoScaling === true && int(p.minCount) !== undefined && int(p.maxCount) !== undefined) {
      pool.autoscaler = { minCount: int(p.minCount)!, maxCount: int(p.maxCount)! };
    }
    pool.maxPods = int(p.maxPods) ?? null;
    pool.maxPodsFrom = 'maxPods';
    pool.instanceType = str(p.vmSize) ?? null;
    pool.os = (str(p.osType) ?? 'Linux').toLowerCase();
    if (pool.os === 'windows') unused.push(`pool ${exportName} runs Windows (osSku ${str(p.osSku) ?? '?'}): simulated like a Linux pool; cnisim does not model Windows differences${mode === 'kubenet' ? ' (and kubenet is Linux only)' : ''}`);
    if (str(p.mode)) pool.comments.push(`${str(p.mode)} pool`);
    pool.system = str(p.mode) === 'System';
    const sid = str(p.vnetSubnetId);
    if (sid && sid.toLowerCase() !== (nodeSubnetId ?? '').toLowerCase()) {
      pool.nodeSubnets = [book.range([sid, lastSegment(sid)], lastSegment(sid), `nodePools[${exportName}].nodeSubnet`)];
    }
    const pid = str(p.podSubnetId);
    if (pid) {
      if (!usesPodSubnet) unused.push(`pool ${exportName}: podSubnetId ${lastSegment(pid)} has no effect in ${mode}`);
      else if (pid.toLowerCase() !== (podSubnetId ?? '').toLowerCase()) pool.podSubnet = book.range([pid, lastSegment(pid)], `pod subnet ${lastSegment(pid)}`, `nodePools[${exportName}].podSubnet`);
    } else if (usesPodSubnet) notes.push(`pool ${exportName} has no podSubnetId: in ${mode} its pods draw from the cluster's pod subnet here`);
    const us = isObj(p.upgradeSettings) ? p.upgradeSettings : {};
    const surge = str(us.maxSurge) ?? (typeof us.maxSurge === 'number' ? String(us.maxSurge) : undefined);
    if (surge === undefined) {
      pool.surge = 1;
      pool.surgeWhy = 'upgradeSettings.maxSurge unset: 1, AKS\'s default [https://learn.microsoft.com/azure/aks/upgrade-aks-node-pools-rolling]; newer API versions default to 10%';
    } else if (/^\d+$/.test(surge) && Number(surge) > 0) {
      pool.surge = Number(surge);
      pool.surgeWhy = `upgradeSettings.maxSurge ${surge}`;
    } else if (/^\d+%$/.test(surge) && Number(surge.slice(0, -1)) > 0) {
      pool.surge = surge;
      pool.surgeWhy = `upgradeSettings.maxSurge ${surge}`;
    } else {
      pool.surge = null;
      pool.surgeWhy = `upgradeSettings.maxSurge ${surge}${str(us.maxUnavailable) ? `, maxUnavailable ${str(us.maxUnavailable)}` : ''}: no surge node; cnisim's upgrade always surges`;
    }
    const state = str(p.provisioningState);
    if (state && state !== 'Succeeded') pool.busy = `provisioningState ${state}`;
    if (str(p.currentOrchestratorVersion) && str(p.orchestratorVersion) && str(p.currentOrchestratorVersion) !== str(p.orchestratorVersion)) {
      pool.busy = `${pool.busy ? `${pool.busy}, ` : ''}orchestratorVersion ${str(p.orchestratorVersion)} (running ${str(p.currentOrchestratorVersion)})`;
    }
    return pool;
  });

  return {
    cloud: 'aks', platform: 'azure', name, mode, modeWhy: why, network, parameters: {}, pools,
    poolLabels: ['kubernetes.azure.com/agentpool', 'agentpool'],
    poolOfNodeName: (node) => /^aks-([a-z0-9]+)-\d+-vmss/.exec(node)?.[1] ?? null,
    notes, unused, placeholders,
  };
}
