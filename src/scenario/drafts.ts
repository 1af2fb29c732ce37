/**
 * Scenario validation, shared pieces: the defaults, the drafts (values that failed their own check are
 * undefined, so every rule skips them and one mistake is reported once), and small helpers.
 */
import { basename, extname } from 'node:path';
import { parseCidr4, parseCidr6, type Cidr, type Cidr4, type Cidr6 } from '../net/index.js';
import { at, Problems } from './problems.js';
import { fields, fullPoolShape, modePoolShape, type EventKey } from './schema.js';
import { MODE_INFOS } from '../alloc/registry.js';
import type { Autoscaler, WorkloadEvent } from './types.js';
import { AZURE_VNET_IP_LIMIT } from '../alloc/platform/azure-vnet.js';


/** [issue 4] sampleEvery default. */
export const DEFAULT_SAMPLE_EVERY_MS = 60_000;
/** [aks-docs] The subnet of AKS's default VNet (10.224.0.0/12) when no node subnet is given. */
export const DEFAULT_NODE_SUBNET = '10.224.0.0/16';
/** [overlay-doc] --pod-cidr default. */
export const DEFAULT_POD_CIDR = '10.244.0.0/16';
/** [overlay-doc] dual stack: second --pod-cidrs default. */
export const DEFAULT_POD_CIDR6 = 'fd12:3456:789a::/64';
/** [overlay-doc] --service-cidr default. */
export const DEFAULT_SERVICE_CIDR = '10.0.0.0/16';
/** [overlay-doc] dual stack: second --service-cidrs default. */
export const DEFAULT_SERVICE_CIDR6 = 'fd12:3456:789a:1::/108';
/** [aks-docs] --dns-service-ip default 10.0.0.10: the 10th address of the service CIDR. */
export const DNS_DEFAULT_OFFSET = 10;
/** [overlay-doc] The IPv6 service CIDR may not be larger than /108. */
export const SERVICE_CIDR6_LARGEST_PREFIX = 108;
/** [az aks create] --node-count default. */
export const DEFAULT_NODE_COUNT = 3;
/** [issue 4] The autoscaler's provisioning delay. */
export const DEFAULT_PROVISION_DELAY_MS = 180_000;
/** [cluster-autoscaler] --scale-down-unneeded-time default 10m. */
export const DEFAULT_SCALE_DOWN_DELAY_MS = 600_000;
/** [assumption] Nodes requested by a `nodes` event join at once unless the pool sets bootDelay. */
export const DEFAULT_BOOT_DELAY_MS = 0;
/** [overlay-doc] An upgrade surges one node by default. */
export const DEFAULT_MAX_SURGE = 1;
/** [assumption] Time to drain one node during an upgrade. */
export const DEFAULT_DRAIN_MS = 30_000;
/** [assumption] Time for an upgrade's new node to boot and join: the autoscaler's provisioning delay. */
export const DEFAULT_UPGRADE_BOOT_MS = DEFAULT_PROVISION_DELAY_MS;
/** The modes that migrate to `to` (their capabilities.migratesTo names it), in table order. */
export function migratingTo(to: string): string[] {
  return MODE_INFOS.filter((i) => i.capabilities.migratesTo.includes(to)).map((i) => i.name);
}

/** Every mode some mode migrates to. */
export function migrationTargets(): string[] {
  return [...new Set(MODE_INFOS.flatMap((i) => i.capabilities.migratesTo))];
}

/** The modes whose pod CIDR an expandPodCidr event may widen. */
export function expandableModes(): string[] {
  return MODE_INFOS.filter((i) => i.capabilities.expandPodCidr).map((i) => i.name);
}
export const DEFAULT_CLUSTER = 'default';
/** [vnet-limits] Private IP addresses per virtual network (read by the AKS modes only). */
export const DEFAULT_VNET_IP_LIMIT = AZURE_VNET_IP_LIMIT;
export const MAX_LISTED_PROBLEMS = 100;

// ————— drafts: values that failed their own check are undefined —————

export type Src<T> = { readonly value: T | undefined; readonly path: string; readonly given: boolean };

export interface NetDraft {
  readonly path: string;
  vnetCidr: Src<Cidr4 | null>;
  nodeSubnet: Src<Cidr4>;
  podSubnet: Src<Cidr4 | null>;
  podCidr: Src<Cidr4>;
  podCidr6: Src<Cidr6 | null>;
  serviceCidr: Src<Cidr4>;
  serviceCidr6: Src<Cidr6 | null>;
  dnsServiceIp: Src<number>;
  additionalPodCidrs: Src<readonly Cidr4[]>;
  peeredCidrs: Src<readonly Cidr[]>;
  ipFamilies: Src<readonly ('ipv4' | 'ipv6')[]>;
  vnetIpLimit: Src<number>;
  names: { vnetName: string | null; nodeSubnetName: string | null; podSubnetName: string | null; resourceGroup: string | null };
}

export interface PoolDraft {
  readonly path: string;
  readonly name: string | undefined;
  readonly count: number | undefined;
  readonly maxPods: number | null | undefined;
  readonly nodeSubnet: Src<Cidr4>;
  /** nodeSubnets, or [nodeSubnet]. */
  readonly nodeSubnets: Src<readonly Cidr4[]>;
  readonly podSubnet: Src<Cidr4 | null>;
  readonly podCidr: Src<Cidr4 | null>;
  /** Values of the mode-declared keys given (undefined when one failed its schema). */
  readonly modeKeys: Readonly<Record<string, unknown>> | undefined;
  readonly autoscaler: Autoscaler | null | undefined;
  readonly bootDelayMs: number | undefined;
}

export interface EventDraft {
  readonly path: string;
  readonly key: EventKey;
  readonly index: number;
  readonly atMs: number;
  readonly toMs: number | undefined;
  readonly body: Record<string, unknown>;
  readonly pool: PoolDraft | undefined;
}

export interface ClusterDraft {
  readonly path: string;
  readonly name: string | undefined;
  readonly mode: string | null | undefined;
  readonly modePath: string;
  readonly net: NetDraft;
  readonly pools: PoolDraft[];
  /** Every pool the cluster ever has: initial ones and addPool ones. */
  allPools: PoolDraft[];
  events: EventDraft[];
  workload: WorkloadEvent[];
  /** The mode a `migrate` event takes the cluster to; null when it does not migrate. */
  migratesTo: string | null;
}

// ————— helpers —————

/** 1234567 → "1,234,567" (toLocaleString is slow and locale-dependent). */
export function fmtInt(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

export function listOf(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]!}`;
}

export function scenarioNameFrom(file: string): string {
  const base = basename(file, extname(file))
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '')
    .slice(0, 63);
  return base === '' ? 'scenario' : base;
}

export function given<T>(value: T | undefined, path: string): Src<T> {
  return { value, path, given: true };
}

/** A value that failed its own check (already reported): rules skip it. */
export function invalid<T>(path: string): Src<T> {
  return { value: undefined, path, given: true };
}

export function defaulted<T>(value: T, path: string): Src<T> {
  return { value, path, given: false };
}

/** Default CIDRs, parsed once (Cidr objects are immutable, so scenarios may share them). */
export const parsedDefaults = new Map<string, Cidr>();
export function v4(text: string): Cidr4 {
  let c = parsedDefaults.get(text);
  if (c === undefined) parsedDefaults.set(text, (c = parseCidr4(text)));
  return c as Cidr4;
}
export function v6(text: string): Cidr6 {
  let c = parsedDefaults.get(text);
  if (c === undefined) parsedDefaults.set(text, (c = parseCidr6(text)));
  return c as Cidr6;
}

export function ipText(ip: number): string {
  return `${ip >>> 24}.${(ip >>> 16) & 255}.${(ip >>> 8) & 255}.${ip & 255}`;
}

/** A subnet in use, for overlap rules: where it was set and what it is. */
export interface Space {
  readonly cidr: Cidr;
  readonly path: string;
  readonly what: string;
  readonly cluster: string;
}

// ————— top level —————

/** `az aks nodepool add` / `az aks create` flags a node pool may carry as keys: they mean `autoscaler:`. */
const AZ_AUTOSCALER_KEYS = ['minCount', 'maxCount', 'enableClusterAutoscaler'] as const;

/**
 * A pool written with az's autoscaler flags (`minCount`, `maxCount`, `enableClusterAutoscaler: true`) as the
 * same pool with `autoscaler: {minCount, maxCount}`; problems (both spellings, half a range, the autoscaler
 * switched off with a range) are reported at the keys the user wrote. Anything else is returned as it was.
 */
function azAutoscalerKeys(raw: unknown, path: string, p: Problems): unknown {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return raw;
  const obj = raw as Record<string, unknown>;
  const present = AZ_AUTOSCALER_KEYS.filter((k) => obj[k] !== undefined);
  if (present.length === 0) return raw;
  const rest: Record<string, unknown> = { ...obj };
  for (const k of AZ_AUTOSCALER_KEYS) delete rest[k];
  const enable = obj.enableClusterAutoscaler;
  if (enable !== undefined && typeof enable !== 'boolean') {
    p.error(at(path, 'enableClusterAutoscaler'), `expected true or false, got ${JSON.stringify(enable)}`);
    return rest;
  }
  if (obj.autoscaler !== undefined) {
    p.error(at(path, present[0]!), `give autoscaler: {minCount, maxCount} or az's ${present.join(', ')}, not both`);
    return rest;
  }
  const range = obj.minCount !== undefined || obj.maxCount !== undefined;
  if (enable === false) {
    if (range) p.error(at(path, 'enableClusterAutoscaler'), 'is false but minCount/maxCount are given: remove them, or set enableClusterAutoscaler: true');
    return rest;
  }
  for (const k of ['minCount', 'maxCount'] as const) {
    if (obj[k] === undefined) {
      p.error(at(path, k), `required with ${present.join(' and ')}: the autoscaler needs minCount and maxCount (az aks nodepool add --enable-cluster-autoscaler --min-count 1 --max-count 10)`);
      return rest;
    }
  }
  return { ...rest, autoscaler: { minCount: obj.minCount, maxCount: obj.maxCount } };
}

export function resolvePool(raw: unknown, path: string, net: NetDraft, p: Problems): PoolDraft | undefined {
  const f = fields(azAutoscalerKeys(raw, path, p), path, fullPoolShape(), p, 'a node pool');
  if (f === null) return undefined;
  const v = f.values;
  if (v.name === undefined && !f.bad.has('name')) p.error(at(path, 'name'), 'required: every node pool needs a name');
  let autoscaler: Autoscaler | null | undefined = null;
  if (f.bad.has('autoscaler')) autoscaler = undefined;
  else if (v.autoscaler !== undefined) {
    const a = v.autoscaler;
    if (a.minCount > a.maxCount) {
      p.error(at(path, 'autoscaler', 'minCount'), `${a.minCount} is above maxCount (${a.maxCount})`);
      autoscaler = undefined;
    } else {
      autoscaler = {
        minCount: a.minCount,
        maxCount: a.maxCount,
        provisionDelayMs: a.provisionDelay ?? DEFAULT_PROVISION_DELAY_MS,
        scaleDownDelayMs: a.scaleDownDelay ?? DEFAULT_SCALE_DOWN_DELAY_MS,
      };
    }
  }
  let count: number | undefined;
  let countPath = at(path, 'count');
  if (v.count !== undefined && v.nodeCount !== undefined) {
    p.error(at(path, 'nodeCount'), 'give count or nodeCount (the same setting), not both');
  } else if (f.bad.has('count') || f.bad.has('nodeCount')) {
    count = undefined;
  } else if (v.count !== undefined || v.nodeCount !== undefined) {
    count = v.count ?? v.nodeCount;
    if (v.count === undefined) countPath = at(path, 'nodeCount');
    if (autoscaler && count !== undefined && (count < autoscaler.minCount || count > autoscaler.maxCount)) {
      p.error(countPath, `${count} nodes is outside the autoscaler's range ${autoscaler.minCount}–${autoscaler.maxCount}: set count between minCount and maxCount`);
      count = undefined;
    }
  } else if (autoscaler !== undefined) {
    count = autoscaler ? autoscaler.minCount : DEFAULT_NODE_COUNT;
  }
  const own = <T>(key: 'nodeSubnet' | 'podSubnet', fallback: Src<T>): Src<T> =>
    f.bad.has(key) ? invalid(at(path, key)) : v[key] !== undefined ? given(v[key] as T, at(path, key)) : fallback;
  const nodeSubnet = own('nodeSubnet', net.nodeSubnet);
  let nodeSubnets: Src<readonly Cidr4[]>;
  if (v.nodeSubnets !== undefined && v.nodeSubnet !== undefined) {
    p.error(at(path, 'nodeSubnets'), 'give nodeSubnet or nodeSubnets (one per availability zone), not both');
    nodeSubnets = invalid(at(path, 'nodeSubnets'));
  } else if (f.bad.has('nodeSubnets')) nodeSubnets = invalid(at(path, 'nodeSubnets'));
  else if (v.nodeSubnets !== undefined) nodeSubnets = given(v.nodeSubnets as readonly Cidr4[], at(path, 'nodeSubnets'));
  else nodeSubnets = { value: nodeSubnet.value === undefined ? undefined : [nodeSubnet.value], path: nodeSubnet.path, given: nodeSubnet.given };
  const modeKeys: Record<string, unknown> = {};
  let modeKeysOk = true;
  for (const key of Object.keys(modePoolShape())) {
    if (f.bad.has(key as never)) modeKeysOk = false;
    const value = (v as Record<string, unknown>)[key];
    if (value !== undefined) modeKeys[key] = value;
  }
  return {
    path,
    name: v.name,
    count,
    maxPods: f.bad.has('maxPods') ? undefined : (v.maxPods ?? null),
    nodeSubnet: nodeSubnets.given && nodeSubnets.value !== undefined ? given(nodeSubnets.value[0]!, nodeSubnets.path) : nodeSubnet,
    nodeSubnets,
    podSubnet: own('podSubnet', net.podSubnet),
    podCidr: f.bad.has('podCidr') ? invalid(at(path, 'podCidr')) : v.podCidr !== undefined ? given(v.podCidr, at(path, 'podCidr')) : { value: null, path: at(path, 'podCidr'), given: false },
    modeKeys: modeKeysOk ? modeKeys : undefined,
    autoscaler,
    bootDelayMs: f.bad.has('bootDelay') ? undefined : (v.bootDelay ?? DEFAULT_BOOT_DELAY_MS),
  };
}
