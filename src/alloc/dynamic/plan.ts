/**
 * Dynamic pod-subnet sizing [podsubnet-doc; cns]: every node (surge included) takes one node-subnet address
 * and, from the pod subnet, its primary address plus the batches its pool monitor settles on for its pods.
 * The pod subnet is sized so that it never reaches the exhaustion threshold (95% by default), where CNS would
 * switch nodes to batch 1. Pods are assumed spread evenly over the nodes (the default placement).
 * Cost: O(1) per distinct per-node pod count (two of them), each a short fixed-point loop of the v1 rule.
 */
import { AZURE_SUBNET } from '../platform/reserves.js';
import { azureSubnetNeed } from '../platform/azure-plan.js';
import { fmt, maxPodsBlocker, oneAddressPerNode, spreadPods, type ModePlanner } from '../../plan/need.js';
import { dynamicInfo, type DynamicParams } from './info.js';

/** Pod addresses (primary not counted) a node holds at most while it runs `pods` pods, by the monitor's rule. */
export function heldFor(pods: number, p: DynamicParams): number {
  const b = p.batchSize;
  const first = Math.min(b, p.perNodeCap);
  if (p.monitor === 'v2') {
    // [cns v2] target = B·ceil(0.5 + demand/B), capped; the node starts with one batch.
    return Math.max(first, Math.min(b * Math.ceil(0.5 + pods / b), p.perNodeCap));
  }
  // [cns v1] grow one batch while free < minFree (or pods wait), release one while free ≥ maxFree.
  const minFree = Math.round(b * p.minFreeFraction);
  const maxFree = Math.round(b * p.maxFreeFraction);
  let held = first;
  let peak = held;
  for (let i = 0; i < 10_000; i++) {
    const free = held - pods;
    if (free < minFree || pods > held) {
      const amount = Math.min(b, p.perNodeCap - held);
      if (amount <= 0) break;
      held += amount;
    } else if (free >= maxFree) {
      const n = Math.min(b, free - minFree);
      if (n <= 0) break;
      held -= n;
    } else break;
    if (held > peak) peak = held;
  }
  return peak;
}

export const dynamicPlanner: ModePlanner<DynamicParams> = {
  mode: dynamicInfo.name,
  needs({ nodes, surge, maxPods, pods, pool, params }) {
    const all = nodes + surge;
    const blockers: string[] = [];
    const mp = maxPodsBlocker(dynamicInfo.name, maxPods, dynamicInfo.maxPods(pool, params));
    if (mp) blockers.push(mp);
    if (pods > params.clusterPodLimit) blockers.push(`${fmt(pods)} pods is above dynamic's limit of ${fmt(params.clusterPodLimit)} pods per cluster [podsubnet-doc]`);
    const s = spreadPods(pods, nodes);
    const primary = params.primaryIp ? 1 : 0;
    const highHeld = heldFor(s.high, params);
    const lowHeld = heldFor(s.low, params);
    // Surge nodes take over a drained node's pods: counted like the fullest node.
    const surgeHeld = heldFor(s.highNodes > 0 ? s.high : s.low, params);
    const needed = s.highNodes * (primary + highHeld) + s.lowNodes * (primary + lowHeld) + surge * (primary + surgeHeld);
    const above = params.exhaustedAbove;
    const pod = azureSubnetNeed('pod-subnet', needed, pods + primary * all,
      `per node ${primary ? '1 primary + ' : ''}the batches of ${params.batchSize} its monitor (${params.monitor}) holds for its pods ` +
        `(${s.lowNodes > 0 ? `${fmt(s.lowNodes)} × ${lowHeld} for ${s.low} pods` : ''}${s.lowNodes > 0 && s.highNodes > 0 ? ', ' : ''}${s.highNodes > 0 ? `${fmt(s.highNodes)} × ${highHeld} for ${s.high} pods` : ''}${surge > 0 ? `, ${surge} surge × ${surgeHeld}` : ''}), kept below ${Math.round(above * 100)}% of the subnet`);
    return {
      spaces: [
        oneAddressPerNode(all, AZURE_SUBNET),
        // The subnet is marked exhausted when used / capacity ≥ exhaustedAbove [cns]: stay strictly below.
        { ...pod, fillBelow: above },
      ],
      blockers,
      notes: [`dynamic: pods spread evenly over the nodes; the pod subnet stays below ${Math.round(above * 100)}% used (parameter exhaustedAbove), where nodes would switch to batch 1 [cns]`],
    };
  },
};
