/**
 * ClusterModel + pod groups → the scenario object and its reviewable YAML: a header saying where every value
 * came from and what was assumed, a comment above each pool and each workload entry, and at the end a
 * commented-out timeline (each pool's upgrade with its own surge, then growth to the autoscaler maxima) that a
 * reviewer switches on by removing the leading "# ". Cost: O(pools + pod groups).
 */
import YAML from 'yaml';
import { findMode } from '../alloc/registry.js';
import { maxPodsRange, type ModeInfo } from '../alloc/info.js';
import type { Json } from './detect.js';
import { NameSet, cleanName, oneLine, type ClusterModel, type PoolModel } from './model.js';
import type { PodGroup } from './kube.js';

export interface WriteInput {
  readonly model: ClusterModel;
  /** The pod groups, or null without a kubectl pods export. */
  readonly groups: readonly PodGroup[] | null;
  /** "file (what it is)" per export read. */
  readonly sources: readonly string[];
}

export interface Written {
  readonly yaml: string;
  readonly scenario: Json;
}

/** Time of the first upgrade in the timeline, the gap between pools' upgrades, and the run after growth. */
const FIRST_UPGRADE = 10;
const UPGRADE_GAP = 30;
const AFTER_GROWTH = 60;

interface Entry {
  readonly entry: Json;
  readonly comment: string;
}

/** A workload name from namespace and owner, unique in the scenario. */
function workloadName(names: NameSet, g: PodGroup, pool: string | null): string {
  const owner = g.ownerKind === 'Pod' ? 'pods' : g.ownerName;
  const base = cleanName(`${g.namespace}-${owner}${pool === null ? '' : `-${pool}`}`, 'workload');
  return names.claim(base);
}

const ownerText = (g: PodGroup) => (g.ownerKind === 'Pod' ? `${g.namespace}: pods without an owner` : `${g.namespace}/${g.ownerName} (${g.ownerKind})`);

/** The starting workload: daemonsets first (as on a real node, they are there before the rest), then deployments. */
function workloadOf(model: ClusterModel, groups: readonly PodGroup[], names: NameSet): Entry[] {
  const poolName = new Map(model.pools.map((p) => [p.exportName, p.name]));
  const withNodes = model.pools.filter((p) => p.count > 0).map((p) => p.exportName);
  const sorted = [...groups].sort((a, b) => (a.namespace + a.ownerName < b.namespace + b.ownerName ? -1 : a.namespace + a.ownerName > b.namespace + b.ownerName ? 1 : 0));
  const out: Entry[] = [];
  const host = (g: PodGroup) => (g.hostNetwork ? { hostNetwork: true } : {});
  const counts = (g: PodGroup) => `${g.running} running${g.pending ? `, ${g.pending} pending` : ''}${g.hostNetwork ? ', hostNetwork (no pod address)' : ''}`;
  for (const g of sorted) {
    if (!g.daemon || g.perPool.size === 0) continue;
    const pools = [...g.perPool.keys()];
    if (withNodes.length > 0 && withNodes.every((p) => g.perPool.has(p))) {
      out.push({ entry: { at: 0, daemonset: { name: workloadName(names, g, null), ...host(g) } }, comment: `${ownerText(g)}: ${counts(g)}, on every pool` });
    } else {
      for (const p of pools.sort()) {
        const pool = poolName.get(p)!;
        const here = pools.length > 1 ? `; ${g.perPool.get(p)} of them on ${pool}, one of its ${pools.length} pools` : `, on pool ${pool}`;
        out.push({ entry: { at: 0, daemonset: { name: workloadName(names, g, pools.length > 1 ? pool : null), pool, ...host(g) } }, comment: `${ownerText(g)}: ${counts(g)}${here}` });
      }
    }
  }
  for (const g of sorted) {
    if (g.daemon) continue;
    const pools = [...g.perPool.keys()].sort();
    for (const p of pools) {
      const pool = poolName.get(p)!;
      const n = g.perPool.get(p)!;
      out.push({
        entry: { at: 0, deploy: { name: workloadName(names, g, pools.length > 1 ? pool : null), pool, replicas: n, ...host(g) } },
        comment: `${ownerText(g)}: ${counts(g)}${pools.length > 1 ? `; ${n} of them on ${pool}` : ''}`,
      });
    }
  }
  return out;
}

/** Pods of daemonsets on each node of `pool` and the other pods now in it. */
function poolLoad(pool: PoolModel, groups: readonly PodGroup[] | null): { daemonsPerNode: number; others: number } {
  let daemonsPerNode = 0;
  let others = 0;
  for (const g of groups ?? []) {
    const n = g.perPool.get(pool.exportName);
    if (n === undefined) continue;
    if (g.daemon) daemonsPerNode++;
    else others += n;
  }
  return { daemonsPerNode, others };
}

/** The mode's default max-pods for this pool (its instance type, the parameters read), or null when they do not parse. */
function modeDefaultMaxPods(info: ModeInfo, p: PoolModel, params: Json): number | null {
  const pool = info.poolParams.safeParse(p.instanceTypeKey && p.instanceType !== null ? { instanceType: p.instanceType } : {});
  const ps = info.params.safeParse(params);
  return pool.success && ps.success ? maxPodsRange(info, pool.data, ps.data).default : null;
}

/** The commented-out timeline's lines (already prefixed with "  # "), and the run's duration in minutes. */
function timeline(model: ClusterModel, groups: readonly PodGroup[] | null, names: NameSet): { lines: string[]; minutes: number } {
  const lines: string[] = [];
  const entries: { e: Json; comment: string }[] = [];
  let t = FIRST_UPGRADE;
  for (const p of model.pools) {
    if (p.count === 0) continue;
    if (p.surge === null) {
      lines.push(oneLine(`no upgrade of ${p.name}: ${p.surgeWhy}`));
      continue;
    }
    entries.push({ e: { at: `${t}m`, upgrade: { pool: p.name, maxSurge: p.surge } }, comment: `upgrade of ${p.name}, ${p.count} node(s): ${p.surgeWhy}` });
    t += UPGRADE_GAP;
  }
  const info = findMode(model.mode)?.info;
  for (const p of model.pools) {
    if (p.autoscaler === null) continue;
    const maxPods = p.maxPods ?? (info ? modeDefaultMaxPods(info, p, model.parameters) : null);
    if (maxPods === null) {
      lines.push(`no growth entry for ${p.name}: its max-pods is unknown here (give the nodes export, or write maxPods)`);
      continue;
    }
    const load = poolLoad(p, groups);
    const replicas = p.autoscaler.maxCount * Math.max(0, maxPods - load.daemonsPerNode) - load.others;
    if (replicas <= 0) continue;
    entries.push({
      e: { at: `${t}m`, deploy: { name: names.claim(cleanName(`grow-${p.name}`, 'grow')), pool: p.name, replicas } },
      comment: `growth of ${p.name} to its autoscaler maximum: ${p.autoscaler.maxCount} nodes × (${maxPods} max-pods − ${load.daemonsPerNode} daemonset pod(s)) − ${load.others} pods it runs now`,
    });
  }
  for (const { e, comment } of entries) {
    const doc = new YAML.Document([e]);
    const item = (doc.contents as YAML.YAMLSeq).items[0] as YAML.YAMLMap;
    for (const pair of item.items) if (YAML.isMap(pair.value)) pair.value.flow = true;
    lines.push(oneLine(comment));
    for (const l of doc.toString({ lineWidth: 0 }).trimEnd().split('\n')) lines.push(l);
  }
  return { lines: lines.map((l) => `  # ${l}`), minutes: t + AFTER_GROWTH };
}

export function writeScenario(input: WriteInput): Written {
  const { model, groups } = input;
  const names = new NameSet();
  for (const p of model.pools) names.claim(p.name);
  const workload = groups === null ? [] : workloadOf(model, groups, names);
  const tl = timeline(model, groups, names);

  const nodePools = model.pools.map((p) => {
    const o: Json = { name: p.name, count: p.count };
    if (p.maxPods !== null) o.maxPods = p.maxPods;
    if (p.nodeSubnets.length === 1 && !p.instanceTypeKey) o.nodeSubnet = p.nodeSubnets[0];
    else if (p.nodeSubnets.length > 0) o.nodeSubnets = p.nodeSubnets;
    if (p.podSubnet !== null) o.podSubnet = p.podSubnet;
    if (p.podCidr !== null) o.podCidr = p.podCidr;
    if (p.instanceTypeKey && p.instanceType !== null) o.instanceType = p.instanceType;
    if (p.autoscaler !== null) o.autoscaler = p.autoscaler;
    return o;
  });
  const scenario: Json = {
    name: cleanName(model.name, 'cluster'),
    description: `Generated by cnisim from-cluster from ${input.sources.join(', ')}`.slice(0, 2000),
    seed: 1,
    duration: `${tl.minutes}m`,
    sampleEvery: '1m',
  };
  scenario.platform = model.platform;
  scenario.modes = [model.mode];
  scenario.network = model.network;
  if (Object.keys(model.parameters).length > 0) scenario.parameters = { [model.mode]: model.parameters };
  scenario.nodePools = nodePools;
  scenario.workload = workload.map((w) => w.entry);

  const doc = new YAML.Document(scenario);
  const header = [
    ` ${scenario.name}: generated by \`cnisim from-cluster\` — review, then: cnisim validate <file> && cnisim run <file>`,
    ` read: ${input.sources.join('; ')}`,
    ` mode: ${model.mode} — ${model.modeWhy}`,
  ];
  if (model.placeholders.length) {
    header.push('', ` FILL IN before running: ${model.placeholders.join(', ')}. No export given holds these values: add the`,
      ' export that does (a subnet export for a subnet\'s range), or run from-cluster again with --subnet <name or id>=<cidr>.',
      ' cnisim validate refuses the placeholders.');
  }
  if (model.notes.length) header.push('', ' Assumed and noted:', ...model.notes.map((n) => `   ${n}`));
  if (model.unused.length) header.push('', ' In the exports but not simulated:', ...model.unused.map((n) => `   ${n}`));
  doc.commentBefore = header.map(oneLine).join('\n');

  const poolsNode = doc.get('nodePools', true) as YAML.YAMLSeq;
  model.pools.forEach((p, i) => {
    const node = poolsNode.items[i] as YAML.YAMLMap;
    const bits = [`${p.exportName}: count from ${p.countFrom}`];
    if (p.maxPods !== null) bits.push(`max-pods from ${p.maxPodsFrom}`);
    if (p.instanceType !== null && !p.instanceTypeKey) bits.push(`VM size ${p.instanceType}`);
    if (p.os !== 'linux') bits.push(`OS ${p.os}`);
    node.commentBefore = [` ${bits.join('; ')}`, ...p.comments.map((c) => ` ${c}`), ...(p.busy ? [` now: ${p.busy}`] : [])].map(oneLine).join('\n');
    const as = node.get('autoscaler', true);
    if (YAML.isMap(as)) as.flow = true;
  });
  const wl = doc.get('workload', true) as YAML.YAMLSeq;
  workload.forEach((w, i) => {
    const item = wl.items[i] as YAML.YAMLMap;
    for (const pair of item.items) if (YAML.isMap(pair.value)) pair.value.flow = true;
    item.commentBefore = ` ${oneLine(w.comment)}`;
  });
  if (workload.length > 0) {
    (wl.items[0] as YAML.YAMLMap).commentBefore = ` The cluster as exported: its Running and Pending pods per pool at t = 0 (Succeeded and Failed pods left out).\n${(wl.items[0] as YAML.YAMLMap).commentBefore ?? ''}`;
  }
  let yaml = doc.toString({ lineWidth: 0 });
  if (groups === null) {
    yaml = yaml.replace(/^workload: \[\]\n/m, 'workload: [] # no kubectl pods export: the pools start empty (add `kubectl get pods -A -o json` to start from the cluster\'s pods)\n');
  }
  const intro = workload.length > 0
    ? '  # ---- A timeline to switch on: remove the leading "# " of the entries you want. ----'
    : '  # ---- A timeline to switch on: write `workload:` instead of `workload: []` above, then remove the leading "# " of the entries you want. ----';
  yaml += `${intro}\n${tl.lines.join('\n')}\n`;
  return { yaml, scenario };
}
