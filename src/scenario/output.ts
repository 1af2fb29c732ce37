/** Scenario validation, the output: drafts that passed every rule become the typed, defaulted Scenario. */


import type { ClusterScenario, Network, PoolScenario, Scenario } from './types.js';
import {
  NetDraft,
  PoolDraft,
  ClusterDraft,
} from './drafts.js';

// ————— output —————

export function finishNetwork(n: NetDraft): Network {
  return {
    vnetCidr: n.vnetCidr.value!,
    nodeSubnet: n.nodeSubnet.value!,
    podSubnet: n.podSubnet.value!,
    podCidr: n.podCidr.value!,
    podCidrGiven: n.podCidr.given,
    podCidr6: n.podCidr6.value!,
    serviceCidr: n.serviceCidr.value!,
    serviceCidr6: n.serviceCidr6.value!,
    dnsServiceIp: n.dnsServiceIp.value!,
    additionalPodCidrs: n.additionalPodCidrs.value!,
    peeredCidrs: n.peeredCidrs.value!,
    ipFamilies: n.ipFamilies.value!,
    vnetIpLimit: n.vnetIpLimit.value!,
    vnetName: n.names.vnetName,
    nodeSubnetName: n.names.nodeSubnetName,
    podSubnetName: n.names.podSubnetName,
    resourceGroup: n.names.resourceGroup,
  };
}

export function finishPool(d: PoolDraft): PoolScenario {
  return {
    name: d.name!,
    count: d.count!,
    maxPods: d.maxPods!,
    nodeSubnet: d.nodeSubnet.value!,
    nodeSubnets: d.nodeSubnets.value!,
    podSubnet: d.podSubnet.value!,
    podCidr: d.podCidr.value!,
    modeKeys: d.modeKeys!,
    autoscaler: d.autoscaler!,
    bootDelayMs: d.bootDelayMs!,
  };
}

export function finishCluster(c: ClusterDraft): ClusterScenario {
  return {
    name: c.name!,
    mode: c.mode!,
    network: finishNetwork(c.net),
    pools: c.pools.map(finishPool),
    workload: c.workload.map((e) => (e.type === 'addPool' ? { ...e, pool: finishPool(e.pool as unknown as PoolDraft) } : e)),
  };
}

/** The modes a cluster is validated for and runs under: its pinned mode, or every run's mode. */
export function clusterModes(scenario: Scenario, cluster: ClusterScenario): readonly string[] {
  return cluster.mode === null ? scenario.modes : [cluster.mode];
}

/** The mode a cluster runs under in the run of `runMode`. */
export function effectiveMode(cluster: ClusterScenario, runMode: string): string {
  return cluster.mode ?? runMode;
}

