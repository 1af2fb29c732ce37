/**
 * Dynamic pod-subnet sizing [podsubnet-doc; cns]: every node (surge included) takes one node-subnet address and,
 * from the pod subnet, its primary address plus what its pool monitor settles on for its pods (the monitor's own
 * rule, monitor.ts, capped at maxIPCount). The pod subnet is sized so that it never reaches the exhaustion
 * threshold (95% by default), where CNS would switch nodes to batch 1. Node addresses, primaries and batches
 * count against the VNet's private-address limit [vnet-limits]. Pods are assumed spread evenly over the nodes
 * (the default placement). Cost: O(steps of the monitor) per distinct per-node pod count (two of them).
 */
import { AZURE_SUBNET } from '../platform/reserves.js';
import { azureSubnetNeed } from '../platform/azure-plan.js';
import { fmt, maxPodsBlocker, oneAddressPerNode, spreadPods, type ModePlanner } from '../../plan/need.js';
import { vnetPlan } from '../platform/azure-vnet.js';
import { dynamicInfo, type DynamicParams } from './info.js';
import { heldFor, scalerOf } from './monitor.js';

export const dynamicPlanner: ModePlanner<DynamicParams> = {
  mode: dynamicInfo.name,
  needs({ nodes, surge, maxPods, pods, pool, params, networkIpLimit }) {
    const all = nodes + surge;
    const blockers: string[] = [];
    const notes: string[] = [];
    const mp = maxPodsBlocker(dynamicInfo.name, maxPods, dynamicInfo.maxPods(pool, params));
    if (mp) blockers.push(mp);
    const scaler = scalerOf(params, maxPods, false);
    const s = spreadPods(pods, nodes);
    const primary = params.primaryIp ? 1 : 0;
    const highHeld = heldFor(s.high, scaler);
    const lowHeld = heldFor(s.low, scaler);
    // Surge nodes take over a drained node's pods: counted like the fullest node.
    const surgeHeld = heldFor(s.highNodes > 0 ? s.high : s.low, scaler);
    const needed = s.highNodes * (primary + highHeld) + s.lowNodes * (primary + lowHeld) + surge * (primary + surgeHeld);
    const busiest = s.highNodes > 0 ? s.high : s.low;
    const uncapped = heldFor(busiest, scalerOf({ ...params, maxIPCount: 65_536 }, maxPods, false));
    if (uncapped > scaler.max) {
      notes.push(`dynamic: the per-node cap binds: a node of ${busiest} pods would ask for ${uncapped} addresses, maxIPCount ${params.maxIPCount === 'max-pods' ? `= max-pods ${maxPods}` : params.maxIPCount}${params.monitor === 'v2' ? ' (v2: at most 250)' : ''} stops it at ${scaler.max} [cns]`);
    }
    const above = params.exhaustedAbove;
    const pod = azureSubnetNeed('pod-subnet', needed, pods + primary * all,
      `per node ${primary ? '1 primary + ' : ''}the batches of ${scaler.batch} its monitor (${params.monitor}) holds for its pods, at most ${scaler.max} ` +
        `(${s.lowNodes > 0 ? `${fmt(s.lowNodes)} × ${lowHeld} for ${s.low} pods` : ''}${s.lowNodes > 0 && s.highNodes > 0 ? ', ' : ''}${s.highNodes > 0 ? `${fmt(s.highNodes)} × ${highHeld} for ${s.high} pods` : ''}${surge > 0 ? `, ${surge} surge × ${surgeHeld}` : ''}), kept below ${Math.round(above * 100)}% of the subnet`);
    // The VNet counts node addresses + primaries + batches [vnet-limits, aks-api].
    const perNode = 1 + primary + Math.max(highHeld, lowHeld, surgeHeld);
    const vnet = vnetPlan(dynamicInfo.name, all + needed, perNode, all, networkIpLimit);
    if (vnet.blocker) blockers.push(vnet.blocker);
    if (vnet.note) notes.push(vnet.note);
    notes.push(`dynamic: pods spread evenly over the nodes; the pod subnet stays below ${Math.round(above * 100)}% used (parameter exhaustedAbove), where nodes would switch to batch 1 [cns]`);
    return {
      spaces: [
        oneAddressPerNode(all, AZURE_SUBNET),
        // The subnet is marked exhausted when used / capacity ≥ exhaustedAbove [cns]: stay strictly below.
        { ...pod, fillBelow: above },
      ],
      blockers,
      notes,
    };
  },
};
