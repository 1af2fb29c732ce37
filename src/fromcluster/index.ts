/**
 * `cnisim from-cluster`: cloud and kubectl exports (any mix, recognised by shape) → a scenario that starts where
 * the cluster is. detect.ts tells the exports apart; aks.ts, eks.ts, gke.ts read the cloud's view (mode, ranges,
 * pools); kube.ts reads the nodes and pods; this file checks that every export is of the same cluster, refines
 * the pools from the nodes (current count, max-pods, an upgrade in progress), and write.ts writes the YAML.
 * Everything a user should know but the scenario cannot hold goes into `summary` (printed on stderr).
 * Cost: O(export size): one JSON.parse per file and one pass over its items.
 */
import { inputError } from '../errors.js';
import { EXPORT_TITLES, type Export, type Json } from './detect.js';
import { readExport } from './detect.js';
import { fromAks } from './aks.js';
import { fromEks } from './eks.js';
import { fromGke } from './gke.js';
import { groupPods, readNodes, readPods, type KubeNode, type KubePods } from './kube.js';
import { NameSet, cleanName, newPool, oneLine, type ClusterModel, type Platform, type SubnetHints } from './model.js';
import { writeScenario } from './write.js';
import { findMode } from '../alloc/registry.js';

export interface FromClusterFile {
  /** Shown in messages (the path given). */
  readonly file: string;
  readonly text: string;
}

export interface FromClusterResult {
  readonly yaml: string;
  readonly scenario: Json;
  /** Lines for stderr: what was read, what the exports hold that is not simulated, what to fill in. */
  readonly summary: readonly string[];
  readonly placeholders: readonly string[];
  readonly mode: string;
}

const CLUSTER_KINDS = new Set(['aks-cluster', 'eks-cluster', 'gke-cluster']);
const CLOUD_OF: Readonly<Record<string, string>> = {
  'aks-cluster': 'aks', 'aks-nodepools': 'aks', 'azure-subnets': 'aks', 'eks-cluster': 'eks', 'eks-nodegroup': 'eks', 'aws-subnets': 'eks', 'gke-cluster': 'gke', 'gcp-subnets': 'gke',
};
const ALL_POOL_LABELS = ['kubernetes.azure.com/agentpool', 'agentpool', 'eks.amazonaws.com/nodegroup', 'alpha.eksctl.io/nodegroup-name', 'cloud.google.com/gke-nodepool'];

function baseName(file: string): string {
  return file.replace(/^.*[\\/]/, '');
}

/** A model from kubectl exports alone: pools from node labels, the platform from the provider ids, the mode to fill in. */
function fromNodesOnly(nodes: readonly KubeNode[], file: string): ClusterModel {
  const notes: string[] = ['no cloud export: pools, counts and max-pods come from the nodes; address ranges and the mode must be filled in'];
  const placeholders = ['modes', 'network.nodeSubnet'];
  const byPool = new Map<string, KubeNode[]>();
  for (const n of nodes) {
    const pool = ALL_POOL_LABELS.map((k) => n.labels[k]).find((v) => v !== undefined) ?? 'nodes';
    const list = byPool.get(pool) ?? [];
    list.push(n);
    byPool.set(pool, list);
  }
  if (byPool.size === 0) throw inputError(`${file}: no nodes; expected kubectl get nodes -o json of a running cluster, or a cloud export`);
  const pid = nodes.find((n) => n.providerId !== null)?.providerId ?? '';
  const platform: Platform = pid.startsWith('azure://') ? 'azure' : pid.startsWith('aws://') ? 'aws' : pid.startsWith('gce://') ? 'gcp' : 'kubernetes';
  const names = new NameSet();
  const pools = [...byPool].map(([exportName, list]) => {
    const p = newPool(names.claim(cleanName(exportName, 'pool')), exportName);
    p.count = list.length;
    p.countFrom = 'the nodes in the export';
    const mp = list.find((n) => n.maxPods !== null)?.maxPods ?? null;
    p.maxPods = mp;
    p.maxPodsFrom = 'status.capacity.pods';
    p.surge = 1;
    p.surgeWhy = 'surge unknown without the cloud export: 1 assumed';
    return p;
  });
  const podCidrs = nodes.flatMap((n) => n.podCidrs);
  if (podCidrs.length) notes.push(`nodes hold pod ranges (spec.podCIDR) such as ${podCidrs.slice(0, 2).join(', ')}: a per-node range mode`);
  return {
    cloud: 'kube', platform, name: 'cluster', mode: 'FILL-IN mode', modeWhy: `unknown without a cloud export (nodes run on ${platform}): write one of \`cnisim modes\``,
    network: { nodeSubnet: 'FILL-IN CIDR of the node subnet' }, parameters: {}, pools, poolLabels: ALL_POOL_LABELS, poolOfNodeName: () => null, notes, unused: [], placeholders,
  };
}

/** The scenario for the exports. Throws an input error (exit 2) naming the file for bad or mismatched input. */
export function fromCluster(files: readonly FromClusterFile[], opts: { readonly subnets?: SubnetHints } = {}): FromClusterResult {
  if (files.length === 0) throw inputError('from-cluster: give the export files, e.g. cnisim from-cluster aks.json nodepools.json subnets.json nodes.json pods.json');
  const hints = opts.subnets ?? new Map<string, string>();
  const exports: Export[] = files.map((f) => readExport(f.file, f.text));
  const of = <K extends Export['kind']>(k: K) => exports.filter((e): e is Extract<Export, { kind: K }> => e.kind === k);

  const clusters = exports.filter((e) => CLUSTER_KINDS.has(e.kind));
  if (clusters.length > 1) {
    throw inputError(`${clusters[1]!.file}: a second cluster export (${EXPORT_TITLES[clusters[1]!.kind]}) after ${clusters[0]!.file}; expected one cluster per scenario`);
  }
  const cluster = clusters[0];
  const cloud = cluster ? CLOUD_OF[cluster.kind]! : null;
  for (const e of exports) {
    const c = CLOUD_OF[e.kind];
    if (c === undefined) continue;
    if (cloud === null) throw inputError(`${e.file}: ${EXPORT_TITLES[e.kind]} needs the cluster's own export too; expected also ${c === 'aks' ? 'az aks show -o json' : c === 'eks' ? 'aws eks describe-cluster' : 'gcloud container clusters describe --format=json'}`);
    if (c !== cloud) throw inputError(`${e.file}: ${EXPORT_TITLES[e.kind]} is not of the ${cloud.toUpperCase()} cluster of ${cluster!.file}; expected exports of one cluster`);
  }

  const nodes: KubeNode[] = of('kube-nodes').flatMap((e) => readNodes(e.file, e.data));
  const podExports = of('kube-pods').map((e) => readPods(e.file, e.data));
  const pods: KubePods | null = podExports.length === 0 ? null : {
    file: podExports.map((p) => p.file).join(', '),
    rows: podExports.flatMap((p) => p.rows),
    succeeded: podExports.reduce((s, p) => s + p.succeeded, 0),
    failed: podExports.reduce((s, p) => s + p.failed, 0),
    other: podExports.reduce((s, p) => s + p.other, 0),
    awsNodeEnv: podExports.find((p) => p.awsNodeEnv !== null)?.awsNodeEnv ?? null,
  };

  let model: ClusterModel;
  if (cluster?.kind === 'aks-cluster') model = fromAks({ cluster, nodepools: of('aks-nodepools'), subnets: of('azure-subnets') }, hints);
  else if (cluster?.kind === 'eks-cluster') model = fromEks({ cluster, nodegroups: of('eks-nodegroup'), subnets: of('aws-subnets'), cniEnv: pods?.awsNodeEnv ?? null }, hints);
  else if (cluster?.kind === 'gke-cluster') model = fromGke({ cluster, subnets: of('gcp-subnets') }, hints);
  else {
    const nodeFile = of('kube-nodes')[0]?.file;
    if (nodeFile === undefined) throw inputError(`${files[0]!.file}: kubectl pods alone do not say the cluster's nodes or network; expected also kubectl get nodes -o json, or a cloud export (az aks show, aws eks describe-cluster, gcloud container clusters describe)`);
    model = fromNodesOnly(nodes, nodeFile);
  }

  const summary: string[] = [`from-cluster: read ${exports.map((e) => `${e.file} (${EXPORT_TITLES[e.kind]})`).join(', ')}`];
  for (const e of of('kube-empty')) summary.push(`from-cluster: ${e.file} is an empty kubectl list: nothing read from it`);
  const byName = new Map(model.pools.map((p) => [p.exportName, p]));
  const poolOfLabels = (n: KubeNode): string | null => {
    for (const k of model.poolLabels) {
      const v = n.labels[k];
      if (v !== undefined) return v;
    }
    return null;
  };

  // Nodes: each must belong to a pool of the cluster; none doing so means another cluster's export.
  const nodePool = new Map<string, string | null>();
  if (nodes.length > 0) {
    const nodesFile = of('kube-nodes').map((e) => e.file).join(', ');
    let matched = 0;
    const strangers = new Set<string>();
    for (const n of nodes) {
      const p = poolOfLabels(n) ?? model.poolOfNodeName(n.name);
      const known = p !== null && byName.has(p);
      nodePool.set(n.name, known ? p : null);
      if (known) matched++;
      else strangers.add(p ?? `(no pool label: ${n.name})`);
    }
    if (matched === 0) {
      throw inputError(`${nodesFile}: none of its ${nodes.length} nodes belongs to a node pool of "${model.name}" (${model.pools.map((p) => p.exportName).join(', ')}); its pools are ${[...strangers].slice(0, 5).join(', ')}; expected kubectl get nodes -o json of the same cluster`);
    }
    if (strangers.size) summary.push(`from-cluster: nodes of pools the cloud export does not list (${[...strangers].join(', ')}): not simulated`);
    refinePools(model, nodes, nodePool);
  }

  let groups = null;
  if (pods !== null) {
    const fallbackPool = model.pools.find((p) => !p.system && p.count > 0) ?? model.pools.find((p) => p.count > 0) ?? model.pools[0]!;
    const poolOfNode = (node: string): string | null => {
      if (nodePool.has(node)) return nodePool.get(node)!;
      const p = model.poolOfNodeName(node);
      return p !== null && byName.has(p) ? p : null;
    };
    const g = groupPods(pods, poolOfNode, model.poolLabels, new Set(byName.keys()), fallbackPool.exportName);
    const bound = pods.rows.filter((r) => r.node !== null).length;
    if (bound > 0 && g.orphans === bound) {
      throw inputError(`${pods.file}: none of its pods runs on a node of "${model.name}" (nodes such as ${g.orphanNodes.slice(0, 3).join(', ')}); expected kubectl get pods -A -o json of the same cluster`);
    }
    groups = g.groups;
    if (pods.succeeded + pods.failed + pods.other > 0) summary.push(`from-cluster: left out ${pods.succeeded} Succeeded, ${pods.failed} Failed${pods.other ? `, ${pods.other} Unknown` : ''} pods (they hold no address)`);
    if (g.orphans > 0) summary.push(`from-cluster: left out ${g.orphans} pods on nodes of no known pool (${g.orphanNodes.slice(0, 3).join(', ')}${g.orphanNodes.length > 3 ? ', …' : ''})`);
    if (g.guessedPool > 0) model.notes.push(`${g.guessedPool} Pending pods have no node and no pool in their nodeSelector: put where their owner's other pods run, else on ${fallbackPool.name}`);
    const pending = pods.rows.filter((r) => r.pending).length;
    if (pending > 0) model.notes.push(`${pending} Pending pods are placed like the others: cnisim knows no CPU or memory, only max-pods and addresses`);
  } else {
    model.notes.push('no kubectl pods export: the pools start empty');
  }
  clampCounts(model);
  if (nodes.length === 0 && model.cloud !== 'kube') model.notes.push('no kubectl nodes export: node counts are the cloud export\'s');

  for (const u of model.unused) summary.push(`from-cluster: not simulated: ${u}`);
  // Placeholder keys: pools named by their export name, now given by index.
  const placeholders = model.placeholders.map((k) => k.replace(/^nodePools\[(.+?)\]/, (_, n: string) => `nodePools[${model.pools.findIndex((p) => p.exportName === n)}]`));
  model.placeholders.splice(0, model.placeholders.length, ...placeholders);
  if (placeholders.length) summary.push(`from-cluster: fill in ${placeholders.join(', ')} before running (no export given holds them; for a subnet's range use --subnet <name or id>=<cidr>)`);

  dropUnknownParameters(model);
  const sources = exports.map((e) => `${baseName(e.file)} (${EXPORT_TITLES[e.kind]})`);
  const w = writeScenario({ model, groups, sources });
  return { yaml: w.yaml, scenario: w.scenario, summary: summary.map(oneLine), placeholders, mode: model.mode };
}

/**
 * The nodes' view of each pool: max-pods from status.capacity.pods where the cloud export has none (EKS), the
 * current size where the cloud export only has the size at creation (GKE), and an upgrade in progress (cordoned
 * nodes, more nodes than the pool's count, two kubelet versions) noted on the pool.
 */
function refinePools(model: ClusterModel, nodes: readonly KubeNode[], nodePool: ReadonlyMap<string, string | null>): void {
  for (const pool of model.pools) {
    const mine = nodes.filter((n) => nodePool.get(n.name) === pool.exportName);
    const cordoned = mine.filter((n) => n.unschedulable).length;
    const versions = [...new Set(mine.map((n) => n.kubeletVersion).filter((v) => v !== null))].sort();
    const caps = [...new Set(mine.map((n) => n.maxPods).filter((v): v is number => v !== null))];
    if (pool.maxPods === null && caps.length > 0) {
      pool.maxPods = Math.min(...caps);
      pool.maxPodsFrom = 'the nodes\' status.capacity.pods';
    } else if (pool.maxPods !== null && caps.length > 0 && !caps.includes(pool.maxPods)) {
      model.notes.push(`pool ${pool.name}: the nodes say ${caps.join(', ')} pods per node (status.capacity.pods), the cloud export ${pool.maxPods}; kept ${pool.maxPods}`);
    }
    if (caps.length > 1) model.notes.push(`pool ${pool.name}: nodes differ in max pods (${caps.join(', ')}); the smallest is simulated`);
    if (model.cloud === 'gke') {
      pool.count = mine.length - cordoned;
      pool.countFrom = `the nodes in the export${cordoned ? ` less ${cordoned} cordoned` : ''}`;
    } else if (mine.length !== pool.count && cordoned === 0 && versions.length < 2 && pool.busy === null) {
      model.notes.push(`pool ${pool.name}: ${mine.length} nodes in the nodes export, ${pool.count} in the pool's ${pool.countFrom}; the scenario starts from ${pool.count}`);
    }
    const signs: string[] = [];
    if (cordoned > 0) signs.push(`${cordoned} node(s) cordoned`);
    if (mine.length > pool.count && model.cloud !== 'gke') signs.push(`${mine.length - pool.count} node(s) above its count (surge)`);
    if (versions.length > 1) signs.push(`kubelet versions ${versions.join(' and ')}`);
    if (pool.busy !== null || signs.length > 0) {
      const what = [pool.busy, ...signs].filter((x) => x !== null).join(', ');
      pool.busy = what;
      model.notes.push(`pool ${pool.name} is mid-upgrade (${what}): the scenario starts from its ${pool.count} nodes with every pod placed again; the upgrade entry of the timeline replays the upgrade`);
    }
  }
}

/** A scenario's count lies in its autoscaler range: a count outside (a pool being scaled) is moved in, noted. */
function clampCounts(model: ClusterModel): void {
  for (const pool of model.pools) {
    if (pool.autoscaler !== null && (pool.count < pool.autoscaler.minCount || pool.count > pool.autoscaler.maxCount)) {
      model.notes.push(`pool ${pool.name}: ${pool.count} nodes lie outside its autoscaler range ${pool.autoscaler.minCount}–${pool.autoscaler.maxCount}; the count is moved into the range`);
      pool.count = Math.min(Math.max(pool.count, pool.autoscaler.minCount), pool.autoscaler.maxCount);
    }
  }
}

/** Parameters the mode's own schema does not know (a mode whose settings differ from the exports' names) are noted, not written. */
function dropUnknownParameters(model: ClusterModel): void {
  const params = findMode(model.mode)?.info.params as { shape?: Record<string, unknown> } | undefined;
  if (params?.shape === undefined) return;
  for (const k of Object.keys(model.parameters)) {
    if (k in params.shape) continue;
    model.unused.push(`parameter ${k}=${String(model.parameters[k])}: ${model.mode} has no such setting`);
    delete (model.parameters as Record<string, unknown>)[k];
  }
}
