/**
 * `kubectl get nodes -o json` and `kubectl get pods -A -o json` → the nodes per pool and the pods as the
 * scenario's starting workload. A node's pool is its pool label (agentpool / kubernetes.azure.com/agentpool,
 * eks.amazonaws.com/nodegroup, cloud.google.com/gke-nodepool); a pod's pool is its node's, or for a Pending pod
 * without a node, its nodeSelector's pool label, else the pool where its owner's other pods run, else the
 * cluster's first user pool (noted). Running and Pending pods are kept; Succeeded and Failed ones are left out.
 * DaemonSet-owned pods (and static pods, owned by their Node) become daemonsets; the rest deployments, one per
 * owner (a ReplicaSet is named after its Deployment: the pod-template-hash suffix removed) and pool.
 * Pods with spec.hostNetwork keep `hostNetwork: true`: they count against max-pods but take no pod address.
 * Cost: one pass over the items, O(pods + nodes) time, a few strings per pod (10,000 pods: see bench/).
 */
import { inputError } from '../errors.js';
import { int, isObj, str, type Json } from './detect.js';

export interface KubeNode {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  /** status.capacity.pods. */
  readonly maxPods: number | null;
  readonly unschedulable: boolean;
  readonly kubeletVersion: string | null;
  readonly os: string | null;
  readonly providerId: string | null;
  readonly podCidrs: readonly string[];
}

export interface PodRow {
  readonly namespace: string;
  /** 'DaemonSet', 'Deployment', 'StatefulSet', 'Job', 'Node' (static pod), 'Pod' (no owner), … */
  readonly ownerKind: string;
  readonly ownerName: string;
  readonly node: string | null;
  readonly hostNetwork: boolean;
  readonly pending: boolean;
  /** spec.nodeSelector, or null. */
  readonly selector: Readonly<Record<string, string>> | null;
}

export interface KubePods {
  readonly file: string;
  readonly rows: PodRow[];
  readonly succeeded: number;
  readonly failed: number;
  /** Phases other than Running, Pending, Succeeded, Failed (Unknown): left out. */
  readonly other: number;
  /** The aws-node container's environment (EKS), or null when no aws-node pod is in the export. */
  readonly awsNodeEnv: Map<string, string> | null;
}

function labelsOf(meta: Json): Record<string, string> {
  return isObj(meta.labels) ? (meta.labels as Record<string, string>) : {};
}

export function readNodes(file: string, items: readonly Json[]): KubeNode[] {
  const out: KubeNode[] = [];
  for (let i = 0; i < items.length; i++) {
    const it = items[i];
    if (!isObj(it)) throw inputError(`${file}: items[${i}] is not an object; expected kubectl get nodes -o json`);
    if (it.kind !== undefined && it.kind !== 'Node') throw inputError(`${file}: items[${i}] is a ${String(it.kind)}, not a Node; expected kubectl get nodes -o json`);
    const meta = isObj(it.metadata) ? it.metadata : {};
    const spec = isObj(it.spec) ? it.spec : {};
    const status = isObj(it.status) ? it.status : {};
    const name = str(meta.name);
    if (name === undefined) throw inputError(`${file}: items[${i}] has no metadata.name; expected kubectl get nodes -o json`);
    const info = isObj(status.nodeInfo) ? status.nodeInfo : {};
    out.push({
      name,
      labels: labelsOf(meta),
      maxPods: int(isObj(status.capacity) ? status.capacity.pods : undefined) ?? null,
      unschedulable: spec.unschedulable === true,
      kubeletVersion: str(info.kubeletVersion) ?? null,
      os: str(info.operatingSystem) ?? null,
      providerId: str(spec.providerID) ?? null,
      podCidrs: Array.isArray(spec.podCIDRs) ? spec.podCIDRs.map(String) : str(spec.podCIDR) ? [str(spec.podCIDR)!] : [],
    });
  }
  return out;
}

/** The owning controller: a ReplicaSet with a pod-template-hash is its Deployment; a static pod's owner is its Node. */
function ownerOf(meta: Json, podName: string, node: string | null): { kind: string; name: string } {
  const refs = Array.isArray(meta.ownerReferences) ? meta.ownerReferences : [];
  let ref: Json | undefined;
  for (const r of refs) if (isObj(r) && (ref === undefined || r.controller === true)) ref = r;
  if (ref === undefined) return { kind: 'Pod', name: '' };
  const kind = str(ref.kind) ?? 'Unknown';
  const name = str(ref.name) ?? '';
  if (kind === 'ReplicaSet') {
    const hash = labelsOf(meta)['pod-template-hash'];
    if (hash && name.endsWith(`-${hash}`)) return { kind: 'Deployment', name: name.slice(0, -hash.length - 1) };
    return { kind, name };
  }
  if (kind === 'Node') return { kind, name: node && podName.endsWith(`-${node}`) ? podName.slice(0, -node.length - 1) : podName };
  return { kind, name };
}

export function readPods(file: string, items: readonly Json[]): KubePods {
  const rows: PodRow[] = [];
  let succeeded = 0;
  let failed = 0;
  let other = 0;
  let awsNodeEnv: Map<string, string> | null = null;
  for (let i = 0; i < items.length; i++) {
    const it = items[i];
    if (!isObj(it)) throw inputError(`${file}: items[${i}] is not an object; expected kubectl get pods -A -o json`);
    if (it.kind !== undefined && it.kind !== 'Pod') throw inputError(`${file}: items[${i}] is a ${String(it.kind)}, not a Pod; expected kubectl get pods -A -o json`);
    const status = isObj(it.status) ? it.status : {};
    const phase = status.phase;
    if (phase === 'Succeeded') {
      succeeded++;
      continue;
    }
    if (phase === 'Failed') {
      failed++;
      continue;
    }
    if (phase !== 'Running' && phase !== 'Pending') {
      other++;
      continue;
    }
    const meta = isObj(it.metadata) ? it.metadata : {};
    const spec = isObj(it.spec) ? it.spec : {};
    const node = str(spec.nodeName) ?? null;
    const owner = ownerOf(meta, str(meta.name) ?? '', node);
    const ns = str(meta.namespace) ?? 'default';
    if (awsNodeEnv === null && owner.kind === 'DaemonSet' && owner.name === 'aws-node' && ns === 'kube-system') awsNodeEnv = envOf(spec, 'aws-node');
    rows.push({
      namespace: ns, ownerKind: owner.kind, ownerName: owner.name, node, hostNetwork: spec.hostNetwork === true, pending: phase === 'Pending',
      selector: isObj(spec.nodeSelector) ? (spec.nodeSelector as Record<string, string>) : null,
    });
  }
  return { file, rows, succeeded, failed, other, awsNodeEnv };
}

/** The literal env values of container `name` (valueFrom entries are skipped). */
function envOf(spec: Json, name: string): Map<string, string> {
  const env = new Map<string, string>();
  const containers = Array.isArray(spec.containers) ? spec.containers.filter(isObj) : [];
  const c = containers.find((x) => x.name === name) ?? containers[0];
  for (const e of c && Array.isArray(c.env) ? c.env.filter(isObj) : []) if (str(e.name) && typeof e.value === 'string') env.set(e.name as string, e.value);
  return env;
}

/** One group of pods that becomes one workload entry (or one per pool for a daemonset on some pools). */
export interface PodGroup {
  readonly namespace: string;
  readonly ownerKind: string;
  readonly ownerName: string;
  readonly daemon: boolean;
  hostNetwork: boolean;
  /** Pool export name → pods (Running + Pending). */
  readonly perPool: Map<string, number>;
  running: number;
  pending: number;
}

export interface Grouped {
  readonly groups: PodGroup[];
  /** Pending pods without a node whose pool came from their owner's other pods or the fallback pool. */
  readonly guessedPool: number;
  /** Pods on nodes whose pool is unknown: left out. */
  readonly orphans: number;
  readonly orphanNodes: readonly string[];
}

/**
 * Groups the pods by owner and pool. `poolOfNode` names a bound pod's pool (null: unknown); `poolLabels` are the
 * label keys a nodeSelector may name a pool by; `fallback` takes unplaced pending pods with no other hint.
 */
export function groupPods(pods: KubePods, poolOfNode: (node: string) => string | null, poolLabels: readonly string[], poolNames: ReadonlySet<string>, fallback: string): Grouped {
  const byKey = new Map<string, PodGroup>();
  let guessedPool = 0;
  let orphans = 0;
  const orphanNodes = new Set<string>();
  const unplaced: { g: PodGroup; row: PodRow }[] = [];
  for (const row of pods.rows) {
    const daemon = row.ownerKind === 'DaemonSet' || row.ownerKind === 'Node';
    const key = `${row.ownerKind}\u0000${row.namespace}\u0000${row.ownerKind === 'Pod' ? '' : row.ownerName}`;
    let g = byKey.get(key);
    if (g === undefined) {
      g = { namespace: row.namespace, ownerKind: row.ownerKind, ownerName: row.ownerName, daemon, hostNetwork: row.hostNetwork, perPool: new Map(), running: 0, pending: 0 };
      byKey.set(key, g);
    }
    // A group is hostNetwork when all its pods are (a Deployment's pods share one template).
    if (!row.hostNetwork) g.hostNetwork = false;
    if (row.pending) g.pending++;
    else g.running++;
    let pool: string | null = null;
    if (row.node !== null) {
      pool = poolOfNode(row.node);
      if (pool === null) {
        orphans++;
        orphanNodes.add(row.node);
        continue;
      }
    } else if (row.selector !== null) {
      for (const k of poolLabels) {
        const v = row.selector[k];
        if (v !== undefined && poolNames.has(v)) {
          pool = v;
          break;
        }
      }
    }
    if (pool === null) {
      unplaced.push({ g, row });
      continue;
    }
    g.perPool.set(pool, (g.perPool.get(pool) ?? 0) + 1);
  }
  // Pending pods with no node and no selector: where their owner's other pods run (the largest share), else the fallback.
  for (const { g } of unplaced) {
    if (g.daemon) continue; // a daemonset's pending pod is the pod of a node it already counts
    let best: string | null = null;
    for (const [p, n] of g.perPool) if (best === null || n > g.perPool.get(best)!) best = p;
    const pool = best ?? fallback;
    g.perPool.set(pool, (g.perPool.get(pool) ?? 0) + 1);
    guessedPool++;
  }
  return { groups: [...byKey.values()], guessedPool, orphans, orphanNodes: [...orphanNodes].sort() };
}
