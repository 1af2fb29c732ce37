/**
 * The cluster as the cloud exports describe it, before it becomes a scenario: one ClusterModel per import,
 * built by aks.ts, eks.ts or gke.ts (or kube.ts alone), refined by the kubectl exports, written by write.ts.
 * Also the subnet book that resolves subnet ids to ranges: from the subnet exports, then `--subnet name=cidr`,
 * else a `FILL-IN …` placeholder that the scenario validator refuses (never a guessed range).
 */
import type { Json } from './detect.js';

export type Cloud = 'aks' | 'eks' | 'gke' | 'kube';
export type Platform = 'azure' | 'aws' | 'gcp' | 'kubernetes';

export interface PoolModel {
  /** The scenario's pool name (lower case, [a-z0-9-]). */
  name: string;
  /** The name the cloud and the node labels use. */
  readonly exportName: string;
  count: number;
  /** Where count came from, for the comment. */
  countFrom: string;
  autoscaler: { minCount: number; maxCount: number } | null;
  maxPods: number | null;
  maxPodsFrom: string;
  instanceType: string | null;
  /** Written as the pool key `instanceType` (modes that read it) or only as a comment. */
  instanceTypeKey: boolean;
  /** Own node subnets (one per zone); [] = the cluster's. */
  nodeSubnets: string[];
  podSubnet: string | null;
  podCidr: string | null;
  /** The upgrade surge for the timeline: a node count or "N%"; null = no surge upgrade (noted). */
  surge: number | string | null;
  surgeWhy: string;
  /** Linux unless the export says otherwise. */
  os: string;
  /** Comment lines written above the pool. */
  readonly comments: string[];
  /** The pool is being upgraded or scaled right now (provisioning state), as the export says. */
  busy: string | null;
  /** An AKS system pool: unplaced Pending pods go to a user pool first. */
  system: boolean;
}

export interface ClusterModel {
  readonly cloud: Cloud;
  readonly platform: Platform;
  /** The cluster's name as exported. */
  readonly name: string;
  /** A mode name of the registry, or a FILL-IN placeholder. */
  readonly mode: string;
  readonly modeWhy: string;
  readonly network: Json;
  /** `parameters.<mode>` values read from the exports (defaults are left out). */
  readonly parameters: Json;
  readonly pools: PoolModel[];
  /** Node label keys whose value names the node's pool, most specific first. */
  readonly poolLabels: readonly string[];
  /** Pool name from a node name when the node is not in a nodes export (AKS, GKE naming); null otherwise. */
  readonly poolOfNodeName: (node: string) => string | null;
  /** Assumptions and remarks, written into the file. */
  readonly notes: string[];
  /** What the exports hold that cnisim does not use: the stderr summary (and the file's footer). */
  readonly unused: string[];
  /** Scenario keys holding FILL-IN placeholders. */
  readonly placeholders: string[];
}

/** `--subnet` values: subnet name or id → CIDR. */
export type SubnetHints = ReadonlyMap<string, string>;

/**
 * Subnet ranges by id and by name (ids compared case-insensitively: Azure ids differ in case between exports).
 * `range()` answers a CIDR or a placeholder, recording the placeholder's scenario key.
 */
export class SubnetBook {
  private readonly byKey = new Map<string, string>();
  /** Ids and names that resolved, for "subnets in the exports no pool uses". */
  readonly used = new Set<string>();

  constructor(private readonly hints: SubnetHints, private readonly placeholders: string[]) {}

  add(keys: readonly (string | undefined)[], cidr: string): void {
    for (const k of keys) if (k !== undefined && k !== '') this.byKey.set(k.toLowerCase(), cidr);
  }

  has(key: string): boolean {
    return this.byKey.has(key.toLowerCase());
  }

  /** The range of the subnet known by any of `keys` (id first, then name), else a placeholder for `scenarioKey`. */
  range(keys: readonly (string | undefined)[], label: string, scenarioKey: string): string {
    for (const k of keys) {
      if (k === undefined) continue;
      const hint = this.hints.get(k) ?? this.hints.get(k.toLowerCase());
      if (hint !== undefined) {
        this.used.add(k.toLowerCase());
        return hint;
      }
    }
    for (const k of keys) {
      if (k === undefined) continue;
      const r = this.byKey.get(k.toLowerCase());
      if (r !== undefined) {
        this.used.add(k.toLowerCase());
        return r;
      }
    }
    if (!this.placeholders.includes(scenarioKey)) this.placeholders.push(scenarioKey);
    // Short, so that the validator's message (which quotes 40 characters) shows all of it.
    return `FILL-IN CIDR of ${label}`.slice(0, 40);
  }
}

/** Text from an export made one line (control characters and line separators → a space), for comments and stderr. */
export function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f\u0085\u2028\u2029]+/g, ' ');
}

/** A scenario name ([a-z0-9-], ≤ max) from an export's name; `fallback` when nothing is left. */
export function cleanName(text: string | undefined, fallback: string, max = 63): string {
  if (text === undefined) return fallback;
  const s = text.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/-+/g, '-').replace(/^-+|-+$/g, '').slice(0, max).replace(/-+$/, '');
  return s === '' || !/^[a-z0-9]/.test(s) ? fallback : s;
}

/** Names unique within one scenario: `base`, then `base-2`, `base-3`… (each at most 63 characters). */
export class NameSet {
  private readonly taken = new Set<string>();

  claim(base: string): string {
    let name = base;
    for (let i = 2; this.taken.has(name); i++) {
      const tail = `-${i}`;
      name = `${base.slice(0, 63 - tail.length).replace(/-+$/, '')}${tail}`;
    }
    this.taken.add(name);
    return name;
  }
}

/** The last path segment of an id or URL (`…/subnets/<name>`, `projects/p/regions/r/subnetworks/<name>`). */
export function lastSegment(id: string): string {
  const parts = id.replace(/\/+$/, '').split('/');
  return parts[parts.length - 1]!;
}

/** A fresh pool model with nothing known but its names. */
export function newPool(name: string, exportName: string): PoolModel {
  return {
    name, exportName, count: 0, countFrom: '', autoscaler: null, maxPods: null, maxPodsFrom: '', instanceType: null, instanceTypeKey: false,
    nodeSubnets: [], podSubnet: null, podCidr: null, surge: null, surgeWhy: '', os: 'linux', comments: [], busy: null, system: false,
  };
}
