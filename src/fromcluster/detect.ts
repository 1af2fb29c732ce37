/**
 * Reads one export file and tells which export it is from its JSON shape alone (never its file name):
 *  - AKS: `az aks show` (type Microsoft.ContainerService/ManagedClusters, agentPoolProfiles, networkProfile),
 *    `az aks nodepool list|show` (type …/managedClusters/agentPools), `az network vnet subnet list|show`
 *    (type Microsoft.Network/virtualNetworks/subnets, addressPrefix(es));
 *  - EKS: `aws eks describe-cluster` ({cluster: {arn, resourcesVpcConfig}}), `aws eks describe-nodegroup`
 *    ({nodegroup: {nodegroupName, scalingConfig}}), `aws ec2 describe-subnets` ({Subnets: [{SubnetId, CidrBlock}]});
 *  - GKE: `gcloud container clusters describe --format=json` (nodePools + ipAllocationPolicy or clusterIpv4Cidr),
 *    `gcloud compute networks subnets describe|list --format=json` (kind compute#subnetwork, ipCidrRange);
 *  - kubectl: `kubectl get nodes -o json` / `kubectl get pods -A -o json` (kind List of Node / Pod items).
 * Anything else, and JSON that does not parse (a truncated file), is an input error naming the file and what
 * was expected. Cost: one JSON.parse, then O(1) shape checks (O(items) for lists, which are checked item by item).
 */
import { inputError } from '../errors.js';

export type Json = Record<string, unknown>;

export type Export =
  | { readonly kind: 'aks-cluster'; readonly file: string; readonly data: Json }
  | { readonly kind: 'aks-nodepools'; readonly file: string; readonly data: readonly Json[] }
  | { readonly kind: 'azure-subnets'; readonly file: string; readonly data: readonly Json[] }
  | { readonly kind: 'eks-cluster'; readonly file: string; readonly data: Json }
  | { readonly kind: 'eks-nodegroup'; readonly file: string; readonly data: Json }
  | { readonly kind: 'aws-subnets'; readonly file: string; readonly data: readonly Json[] }
  | { readonly kind: 'gke-cluster'; readonly file: string; readonly data: Json }
  | { readonly kind: 'gcp-subnets'; readonly file: string; readonly data: readonly Json[] }
  | { readonly kind: 'kube-nodes'; readonly file: string; readonly data: readonly Json[] }
  | { readonly kind: 'kube-pods'; readonly file: string; readonly data: readonly Json[] }
  /** `kind: List` with no items: no way to tell nodes from pods, and nothing to read. */
  | { readonly kind: 'kube-empty'; readonly file: string; readonly data: readonly Json[] };

export type ExportKind = Export['kind'];

/** What each export is, for messages and the summary. */
export const EXPORT_TITLES: Readonly<Record<ExportKind, string>> = {
  'aks-cluster': 'az aks show -o json',
  'aks-nodepools': 'az aks nodepool list -o json',
  'azure-subnets': 'az network vnet subnet list|show -o json',
  'eks-cluster': 'aws eks describe-cluster',
  'eks-nodegroup': 'aws eks describe-nodegroup',
  'aws-subnets': 'aws ec2 describe-subnets',
  'gke-cluster': 'gcloud container clusters describe --format=json',
  'gcp-subnets': 'gcloud compute networks subnets describe|list --format=json',
  'kube-nodes': 'kubectl get nodes -o json',
  'kube-pods': 'kubectl get pods -A -o json',
  'kube-empty': 'kubectl get … -o json (an empty list)',
};

const EXPECTED = `one of: ${[...new Set(Object.values(EXPORT_TITLES).slice(0, -1))].join('; ')}`;

export const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
export const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
/** A whole number from a number or a numeric string (gcloud writes int64 fields as strings). */
export const int = (v: unknown): number | undefined => {
  if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
  if (typeof v === 'string' && /^\d{1,15}$/.test(v)) return Number(v);
  return undefined;
};

const lower = (v: unknown) => (typeof v === 'string' ? v.toLowerCase() : '');

function isAksCluster(o: Json): boolean {
  return lower(o.type) === 'microsoft.containerservice/managedclusters' || (Array.isArray(o.agentPoolProfiles) && isObj(o.networkProfile));
}
function isAksPool(o: Json): boolean {
  return lower(o.type) === 'microsoft.containerservice/managedclusters/agentpools'
    || (typeof o.id === 'string' && /\/managedClusters\/[^/]+\/agentPools\/[^/]+$/i.test(o.id));
}
function isAzureSubnet(o: Json): boolean {
  return lower(o.type) === 'microsoft.network/virtualnetworks/subnets'
    || (typeof o.id === 'string' && /\/virtualNetworks\/[^/]+\/subnets\/[^/]+$/i.test(o.id) && (typeof o.addressPrefix === 'string' || Array.isArray(o.addressPrefixes)));
}
function isGcpSubnet(o: Json): boolean {
  return o.kind === 'compute#subnetwork' || (typeof o.ipCidrRange === 'string' && typeof o.selfLink === 'string' && /\/subnetworks\//.test(o.selfLink));
}
function isGkeCluster(o: Json): boolean {
  return Array.isArray(o.nodePools) && (isObj(o.ipAllocationPolicy) || typeof o.clusterIpv4Cidr === 'string' || typeof o.selfLink === 'string' && /\/clusters\//.test(o.selfLink));
}

/** Classifies parsed JSON; null when it is none of the exports. */
function classify(file: string, v: unknown): Export | null {
  if (Array.isArray(v)) {
    if (v.length === 0) return null;
    if (v.every((x) => isObj(x) && isAksPool(x))) return { kind: 'aks-nodepools', file, data: v as Json[] };
    if (v.every((x) => isObj(x) && isAzureSubnet(x))) return { kind: 'azure-subnets', file, data: v as Json[] };
    if (v.every((x) => isObj(x) && isGcpSubnet(x))) return { kind: 'gcp-subnets', file, data: v as Json[] };
    return null;
  }
  if (!isObj(v)) return null;
  if (isAksCluster(v)) return { kind: 'aks-cluster', file, data: v };
  if (isAksPool(v)) return { kind: 'aks-nodepools', file, data: [v] };
  if (isAzureSubnet(v)) return { kind: 'azure-subnets', file, data: [v] };
  if (isObj(v.cluster) && (typeof v.cluster.arn === 'string' || isObj(v.cluster.resourcesVpcConfig))) return { kind: 'eks-cluster', file, data: v.cluster };
  if (isObj(v.nodegroup) && typeof v.nodegroup.nodegroupName === 'string') return { kind: 'eks-nodegroup', file, data: v.nodegroup };
  if (Array.isArray(v.Subnets) && v.Subnets.every((s) => isObj(s) && typeof s.SubnetId === 'string')) return { kind: 'aws-subnets', file, data: v.Subnets as Json[] };
  if (isGkeCluster(v)) return { kind: 'gke-cluster', file, data: v };
  if (isGcpSubnet(v)) return { kind: 'gcp-subnets', file, data: [v] };
  if (v.kind === 'List' || v.kind === 'NodeList' || v.kind === 'PodList') {
    const items = v.items;
    if (!Array.isArray(items)) return null;
    if (items.length === 0) return { kind: v.kind === 'PodList' ? 'kube-pods' : v.kind === 'NodeList' ? 'kube-nodes' : 'kube-empty', file, data: [] };
    // A kubectl list holds one kind: look at the first item, then check the rest as they are read.
    const k = isObj(items[0]) ? items[0].kind : undefined;
    if (k === 'Node') return { kind: 'kube-nodes', file, data: items as Json[] };
    if (k === 'Pod') return { kind: 'kube-pods', file, data: items as Json[] };
    return null;
  }
  return null;
}

/** A short description of what the JSON holds, for the error message. */
function whatItIs(v: unknown): string {
  if (Array.isArray(v)) return v.length === 0 ? 'an empty JSON array' : `a JSON array of ${isObj(v[0]) ? `objects with keys ${Object.keys(v[0]).slice(0, 5).join(', ')}` : typeof v[0]}`;
  if (isObj(v)) {
    if (v.kind === 'List' && Array.isArray(v.items)) return `a kubectl list of ${String((v.items[0] as Json | undefined)?.kind ?? 'unknown')} items`;
    return `a JSON object with keys ${Object.keys(v).slice(0, 6).join(', ') || '(none)'}`;
  }
  return `JSON ${v === null ? 'null' : typeof v}`;
}

/** Parses and classifies one export. Throws an input error naming `file` and the exports expected. */
export function readExport(file: string, text: string): Export {
  let v: unknown;
  try {
    v = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (err) {
    const trimmed = text.trim();
    const why = trimmed === '' ? 'the file is empty' : /^[[{]/.test(trimmed) ? `the JSON is not complete or not valid (${(err as Error).message}); was the export cut short?` : 'it is not JSON (run the export with -o json / --format=json)';
    throw inputError(`${file}: ${why}; expected ${EXPECTED}`, { cause: err });
  }
  const e = classify(file, v);
  if (e === null) throw inputError(`${file}: ${whatItIs(v)} is none of the exports from-cluster reads; expected ${EXPECTED}`);
  return e;
}
