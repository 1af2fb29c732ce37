/**
 * The front door: turns parsed scenario data into a typed, fully defaulted Scenario, or refuses it with every
 * problem at once (each with its path). Shape and types are checked field by field (schema.ts); then the
 * cross-field rules of MODEL.md "Validation rules", each applied only to the modes that use the space it names.
 * Values that failed their own check are `undefined` in the drafts below, and every rule skips them, so one
 * mistake is reported once, not again by each rule it touches. Boundary code: O(size of the file), plus a sort
 * of the subnets for the overlap sweep.
 */
import { basename, extname } from 'node:path';
import type { z } from 'zod';
import { contains, overlaps, parseCidr4, parseCidr6, type Cidr, type Cidr4, type Cidr6 } from '../net/index.js';
import { formatDuration } from '../units.js';
import { MODE_INFOS, MODE_NAMES, modeInfo } from '../alloc/modes.js';
import { inputError, type Problem } from '../errors.js';
import { at, describe, didYouMean, formatProblems, parseWith, Problems, scenarioError, unknownKeyMessage } from './problems.js';
import { isPlainObject, sanitize } from './read.js';
import {
  CLUSTER_SHAPE,
  EVENT_KEYS,
  EVENT_SHAPES,
  MAX_SAMPLES,
  NETWORK_SHAPE,
  POOL_SHAPE,
  TOP_SHAPE,
  durationSchema,
  fields,
  type EventKey,
  type Fields,
} from './schema.js';
import type { Autoscaler, ClusterScenario, Network, PoolScenario, Scenario, WorkloadEvent } from './types.js';

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
/** [overlay-doc] The service CIDR "must be smaller than /12": /13 is the largest accepted. */
export const SERVICE_CIDR_LARGEST_PREFIX = 13;
/** [overlay-doc] The IPv6 service CIDR may not be larger than /108. */
export const SERVICE_CIDR6_LARGEST_PREFIX = 108;
/** [Azure VNet FAQ] The smallest IPv4 subnet Azure supports is /29. */
export const AZURE_SMALLEST_SUBNET_PREFIX = 29;
/** [az aks create] --node-count default. */
export const DEFAULT_NODE_COUNT = 3;
/** [issue 4] The autoscaler's provisioning delay. */
export const DEFAULT_PROVISION_DELAY_MS = 180_000;
/** [cluster-autoscaler] --scale-down-unneeded-time default 10m. */
export const DEFAULT_SCALE_DOWN_DELAY_MS = 600_000;
/** [assumption] Nodes requested by a `nodes` event join at once unless the pool sets bootDelay. */
export const DEFAULT_BOOT_DELAY_MS = 0;
/** [overlay-doc, MODEL.md] An upgrade surges one node by default. */
export const DEFAULT_MAX_SURGE = 1;
/** [assumption] Time to drain one node during an upgrade. */
export const DEFAULT_DRAIN_MS = 30_000;
/** [assumption] Time for an upgrade's new node to boot and join: the autoscaler's provisioning delay. */
export const DEFAULT_UPGRADE_BOOT_MS = DEFAULT_PROVISION_DELAY_MS;
/** [overlay-doc] Only these modes migrate to overlay (azure with a new pod CIDR, kubenet keeping its own). */
export const MIGRATES_TO_OVERLAY: readonly string[] = ['kubenet', 'azure'];
const MIGRATION_TARGET = 'overlay';
const DEFAULT_CLUSTER = 'default';
const MAX_LISTED_PROBLEMS = 100;

// ————— drafts: values that failed their own check are undefined —————

type Src<T> = { readonly value: T | undefined; readonly path: string; readonly given: boolean };

interface NetDraft {
  readonly path: string;
  vnetCidr: Src<Cidr4 | null>;
  nodeSubnet: Src<Cidr4>;
  podSubnet: Src<Cidr4 | null>;
  podCidr: Src<Cidr4>;
  podCidr6: Src<Cidr6 | null>;
  serviceCidr: Src<Cidr4>;
  serviceCidr6: Src<Cidr6 | null>;
  dnsServiceIp: Src<number>;
  peeredCidrs: Src<readonly Cidr[]>;
  ipFamilies: Src<readonly ('ipv4' | 'ipv6')[]>;
  names: { vnetName: string | null; nodeSubnetName: string | null; podSubnetName: string | null; resourceGroup: string | null };
}

interface PoolDraft {
  readonly path: string;
  readonly name: string | undefined;
  readonly count: number | undefined;
  readonly maxPods: number | null | undefined;
  readonly nodeSubnet: Src<Cidr4>;
  readonly podSubnet: Src<Cidr4 | null>;
  readonly autoscaler: Autoscaler | null | undefined;
  readonly bootDelayMs: number | undefined;
}

interface EventDraft {
  readonly path: string;
  readonly key: EventKey;
  readonly index: number;
  readonly atMs: number;
  readonly toMs: number | undefined;
  readonly body: Record<string, unknown>;
  readonly pool: PoolDraft | undefined;
}

interface ClusterDraft {
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
  migrates: boolean;
}

// ————— helpers —————

/** 1234567 → "1,234,567" (toLocaleString is slow and locale-dependent). */
function fmtInt(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function listOf(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]!}`;
}

function scenarioNameFrom(file: string): string {
  const base = basename(file, extname(file))
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '')
    .slice(0, 63);
  return base === '' ? 'scenario' : base;
}

function given<T>(value: T | undefined, path: string): Src<T> {
  return { value, path, given: true };
}

/** A value that failed its own check (already reported): rules skip it. */
function invalid<T>(path: string): Src<T> {
  return { value: undefined, path, given: true };
}

function defaulted<T>(value: T, path: string): Src<T> {
  return { value, path, given: false };
}

/** Default CIDRs, parsed once (Cidr objects are immutable, so scenarios may share them). */
const parsedDefaults = new Map<string, Cidr>();
function v4(text: string): Cidr4 {
  let c = parsedDefaults.get(text);
  if (c === undefined) parsedDefaults.set(text, (c = parseCidr4(text)));
  return c as Cidr4;
}
function v6(text: string): Cidr6 {
  let c = parsedDefaults.get(text);
  if (c === undefined) parsedDefaults.set(text, (c = parseCidr6(text)));
  return c as Cidr6;
}

function ipText(ip: number): string {
  return `${ip >>> 24}.${(ip >>> 16) & 255}.${(ip >>> 8) & 255}.${ip & 255}`;
}

/** A subnet in use, for overlap rules: where it was set and what it is. */
interface Space {
  readonly cidr: Cidr;
  readonly path: string;
  readonly what: string;
  readonly cluster: string;
}

// ————— top level —————

/** Validates parsed data (any shape) into a Scenario; throws CnisimError('input') listing every problem. */
export function validateScenario(raw: unknown, file: string): Scenario {
  const p = new Problems();
  const data = sanitize(raw, p);
  if (!isPlainObject(data)) {
    p.error('', `expected a scenario: a mapping with keys like name, duration, modes, network, nodePools, workload; got ${describe(raw)}`);
    throw fail(file, p.errors);
  }
  const top = fields(data, '', TOP_SHAPE, p, 'a scenario')!;
  const v = top.values;

  const name = v.name ?? scenarioNameFrom(file);
  const description = v.description ?? '';
  const seed = v.seed ?? 1;
  const durationMs = v.duration;
  if (durationMs === undefined && !top.bad.has('duration')) p.error('duration', 'required: how long to simulate, as seconds or a string like "6h"');
  const sampleEveryMs = v.sampleEvery;
  if (durationMs !== undefined && sampleEveryMs !== undefined) {
    if (durationMs / sampleEveryMs > MAX_SAMPLES) {
      p.error('sampleEvery', `${formatDuration(sampleEveryMs)} gives ${fmtInt(Math.ceil(durationMs / sampleEveryMs))} samples over ${formatDuration(durationMs)}: at most ${fmtInt(MAX_SAMPLES)}; sample less often`);
    } else if (sampleEveryMs > durationMs) {
      p.warn('sampleEvery', `${formatDuration(sampleEveryMs)} is longer than the run (${formatDuration(durationMs)}): only the sample at time 0 is taken`);
    }
  } else if (durationMs !== undefined && !top.bad.has('sampleEvery') && durationMs / DEFAULT_SAMPLE_EVERY_MS > MAX_SAMPLES) {
    p.error('sampleEvery', `the default of 1m gives more than ${fmtInt(MAX_SAMPLES)} samples over ${formatDuration(durationMs)}: set a longer sampleEvery`);
  }

  const modes = resolveModes(v.modes, top.bad.has('modes'), p);
  const placement = v.placement ?? 'spread';
  const parameters = resolveParameters(data['parameters'], p);

  // Network defaults shared by every cluster.
  const topNet = data['network'] === undefined ? null : fields(data['network'], 'network', NETWORK_SHAPE, p, 'network settings');

  const clusters: ClusterDraft[] = [];
  if (v.clusters !== undefined || top.bad.has('clusters')) {
    for (const key of ['nodePools', 'workload'] as const) {
      if (data[key] !== undefined) p.error(key, `a scenario with clusters: keeps ${key} inside each cluster: move it into clusters[…].${key}`);
    }
    const seen = new Map<string, number>();
    (v.clusters ?? []).forEach((rawCluster, i) => {
      const path = at('clusters', i);
      const cf = fields(rawCluster, path, CLUSTER_SHAPE, p, 'a cluster');
      if (cf === null) return;
      const cname = cf.values.name;
      if (cname === undefined && !cf.bad.has('name')) p.error(at(path, 'name'), 'required: every cluster needs a name');
      if (cname !== undefined) {
        const prev = seen.get(cname);
        if (prev !== undefined) p.error(at(path, 'name'), `"${cname}" is already the name of clusters[${prev}]: cluster names must be unique`);
        else seen.set(cname, i);
      }
      const mode = resolvePinnedMode(cf, path, p);
      const clusterNet = (rawCluster as Record<string, unknown>)['network'];
      const netFields = clusterNet === undefined ? null : fields(clusterNet, at(path, 'network'), NETWORK_SHAPE, p, 'network settings');
      const net = resolveNetwork(topNet, netFields, at(path, 'network'), p);
      const poolsRaw = cf.values.nodePools;
      if (poolsRaw === undefined && !cf.bad.has('nodePools')) p.error(at(path, 'nodePools'), 'required: a cluster needs at least one node pool');
      clusters.push(makeCluster(path, cname, mode, at(path, 'mode'), net, poolsRaw ?? [], at(path, 'nodePools'), cf.values.workload ?? [], at(path, 'workload'), p));
    });
  } else {
    const net = resolveNetwork(topNet, null, 'network', p);
    if (v.nodePools === undefined && !top.bad.has('nodePools')) p.error('nodePools', 'required: a list of node pools, e.g. [{name: user, count: 3}] (or clusters: with nodePools in each)');
    clusters.push(makeCluster('', DEFAULT_CLUSTER, null, 'mode', net, v.nodePools ?? [], 'nodePools', v.workload ?? [], 'workload', p));
  }

  for (const c of clusters) {
    const cmodes = c.mode === undefined ? undefined : c.mode !== null ? [c.mode] : modes;
    c.workload = resolveWorkload(c, cmodes, durationMs, parameters, p);
    checkCluster(c, cmodes, parameters, p);
  }
  checkSharedSubnets(clusters, modes, p);
  if (modes !== undefined) warnUnusedParameters(data['parameters'], modes, clusters, p);

  if (p.failed) throw fail(file, p.errors);
  return {
    file,
    name,
    description,
    seed,
    durationMs: durationMs!,
    sampleEveryMs: sampleEveryMs ?? DEFAULT_SAMPLE_EVERY_MS,
    modes: modes!,
    placement,
    clusters: clusters.map(finishCluster),
    parameters,
    warnings: p.warnings,
  };
}

function fail(file: string, errors: Problem[]) {
  if (errors.length <= MAX_LISTED_PROBLEMS) return scenarioError(file, errors);
  // Every problem stays on the error; the message lists the first ones.
  const listed = formatProblems(file, errors.slice(0, MAX_LISTED_PROBLEMS));
  return inputError(`${listed}\n${file}: … and ${errors.length - MAX_LISTED_PROBLEMS} more problems`, { file, problems: errors });
}

function resolveModes(list: readonly string[] | undefined, bad: boolean, p: Problems): string[] | undefined {
  if (bad) return undefined;
  if (list === undefined) return [...MODE_NAMES];
  let ok = true;
  const seen = new Set<string>();
  list.forEach((m, i) => {
    if (!MODE_NAMES.includes(m)) {
      p.error(at('modes', i), `${describe(m)} is not a mode${didYouMean(m, MODE_NAMES) || `: expected ${MODE_NAMES.join(', ')}`}`);
      ok = false;
    } else if (seen.has(m)) {
      p.error(at('modes', i), `"${m}" is listed twice`);
      ok = false;
    }
    seen.add(m);
  });
  return ok ? [...list] : undefined;
}

function resolvePinnedMode(cf: Fields<typeof CLUSTER_SHAPE>, path: string, p: Problems): string | null | undefined {
  if (cf.bad.has('mode')) return undefined;
  const m = cf.values.mode;
  if (m === undefined) return null;
  if (!MODE_NAMES.includes(m)) {
    p.error(at(path, 'mode'), `${describe(m)} is not a mode${didYouMean(m, MODE_NAMES) || `: expected ${MODE_NAMES.join(', ')}`}`);
    return undefined;
  }
  return m;
}

function resolveParameters(raw: unknown, p: Problems): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let obj: Record<string, unknown> = {};
  if (raw !== undefined) {
    if (!isPlainObject(raw)) p.error('parameters', `expected a mapping of mode name to parameters, got ${describe(raw)}`);
    else obj = raw;
  }
  for (const key of Object.keys(obj)) {
    if (!MODE_NAMES.includes(key)) p.error(at('parameters', key), unknownKeyMessage(key, MODE_NAMES).replace('unknown key', 'unknown mode'));
  }
  for (const info of MODE_INFOS) {
    const path = at('parameters', info.name);
    const given = obj[info.name];
    const parsed = given === undefined ? undefined : parseWith(info.params as z.ZodType<unknown>, given, path, p);
    out[info.name] = parsed ?? info.params.parse({});
  }
  return out;
}

function warnUnusedParameters(raw: unknown, modes: readonly string[], clusters: readonly ClusterDraft[], p: Problems): void {
  if (!isPlainObject(raw)) return;
  const used = new Set(modes);
  for (const c of clusters) if (c.mode) used.add(c.mode);
  for (const key of Object.keys(raw)) {
    if (MODE_NAMES.includes(key) && !used.has(key)) p.warn(at('parameters', key), `${key} is not among the modes run (${modes.join(', ')}): these parameters are unused`);
  }
}

// ————— network —————

function resolveNetwork(
  top: Fields<typeof NETWORK_SHAPE> | null,
  own: Fields<typeof NETWORK_SHAPE> | null,
  ownPath: string,
  p: Problems,
): NetDraft {
  type K = keyof typeof NETWORK_SHAPE;
  /** The most specific level that mentions `key`: its value (undefined if bad) and path. */
  const pick = <Key extends K>(key: Key): Src<z.output<(typeof NETWORK_SHAPE)[Key]>> | null => {
    for (const f of [own, top]) {
      if (f === null) continue;
      if (f.bad.has(key)) return invalid(at(f.path, key));
      const val = f.values[key];
      if (val !== undefined) return given(val as z.output<(typeof NETWORK_SHAPE)[Key]>, at(f.path, key));
    }
    return null;
  };
  /** Which level holds either of two alternative keys (podCidr / podCidrs). */
  const level = (a: K, b: K): Fields<typeof NETWORK_SHAPE> | null => {
    for (const f of [own, top]) {
      if (f === null) continue;
      const has = (k: K) => f.bad.has(k) || f.values[k] !== undefined;
      if (has(a) || has(b)) {
        if (has(a) && has(b)) p.error(at(f.path, b), `give ${a} or ${b}, not both`);
        return f;
      }
    }
    return null;
  };
  const dflt = (key: K) => at(ownPath, key);

  const famSrc = pick('ipFamilies');
  let ipFamilies: Src<readonly ('ipv4' | 'ipv6')[]> = famSrc ?? defaulted(['ipv4'] as const, dflt('ipFamilies'));
  if (famSrc?.value !== undefined) {
    const f = famSrc.value;
    const okFam = f.length === 1 ? f[0] === 'ipv4' : f[0] === 'ipv4' && f[1] === 'ipv6';
    if (!okFam) {
      p.error(famSrc.path, `[${f.join(', ')}] is not supported: use [ipv4] or [ipv4, ipv6] (dual stack) [overlay-doc]`);
      ipFamilies = invalid(famSrc.path);
    }
  }
  const dual = ipFamilies.value === undefined ? undefined : ipFamilies.value.length === 2;

  const pair = (single: 'podCidr' | 'serviceCidr', list: 'podCidrs' | 'serviceCidrs', d4: string, d6: string): [Src<Cidr4>, Src<Cidr6 | null>] => {
    const lv = level(single, list);
    if (lv === null) return [defaulted(v4(d4), dflt(single)), defaulted(dual ? v6(d6) : null, dflt(list))];
    const singlePath = at(lv.path, single);
    const listPath = at(lv.path, list);
    if (lv.bad.has(single) || lv.bad.has(list)) return [invalid(singlePath), invalid(listPath)];
    const one = lv.values[single] as Cidr4 | undefined;
    if (one !== undefined && lv.values[list] === undefined) {
      return [given(one, singlePath), dual === undefined ? invalid(listPath) : defaulted(dual ? v6(d6) : null, listPath)];
    }
    const cidrs = (lv.values[list] ?? []) as readonly Cidr[];
    if (dual === undefined) return [invalid(listPath), invalid(listPath)];
    const want = dual ? 2 : 1;
    if (cidrs.length !== want) {
      p.error(listPath, `has ${cidrs.length} ${cidrs.length === 1 ? 'entry' : 'entries'} but ipFamilies has ${want}: the number and order of CIDRs must match ipFamilies [overlay-doc]`);
      return [invalid(listPath), invalid(listPath)];
    }
    let c4: Cidr4 | undefined;
    let c6: Cidr6 | null | undefined = null;
    if (cidrs[0]!.family === 4) c4 = cidrs[0] as Cidr4;
    else p.error(at(listPath, 0), `${cidrs[0]!.text} is IPv6: the first entry is the IPv4 CIDR (the order must match ipFamilies)`);
    if (dual) {
      if (cidrs[1]!.family === 6) c6 = cidrs[1] as Cidr6;
      else {
        p.error(at(listPath, 1), `${cidrs[1]!.text} is IPv4: the second entry is the IPv6 CIDR (the order must match ipFamilies)`);
        c6 = undefined;
      }
    }
    return [given(c4, at(listPath, 0)), given(c6, at(listPath, 1))];
  };
  const [podCidr, podCidr6] = pair('podCidr', 'podCidrs', DEFAULT_POD_CIDR, DEFAULT_POD_CIDR6);
  const [serviceCidr, serviceCidr6] = pair('serviceCidr', 'serviceCidrs', DEFAULT_SERVICE_CIDR, DEFAULT_SERVICE_CIDR6);

  let dnsServiceIp: Src<number> = pick('dnsServiceIp') ?? { value: undefined, path: dflt('dnsServiceIp'), given: false };
  if (!dnsServiceIp.given) {
    const svc = serviceCidr.value;
    if (svc === undefined) dnsServiceIp = { value: undefined, path: dnsServiceIp.path, given: false };
    else if (svc.size <= DNS_DEFAULT_OFFSET) {
      p.error(serviceCidr.path, `${svc.text} is too small for the default DNS service address (its ${DNS_DEFAULT_OFFSET}th address): give dnsServiceIp`);
      dnsServiceIp = { value: undefined, path: dnsServiceIp.path, given: false };
    } else dnsServiceIp = defaulted(svc.base + DNS_DEFAULT_OFFSET, dnsServiceIp.path);
  }

  const name = (k: 'vnetName' | 'nodeSubnetName' | 'podSubnetName' | 'resourceGroup') => pick(k)?.value ?? null;
  return {
    path: ownPath,
    vnetCidr: pick('vnetCidr') ?? defaulted(null, dflt('vnetCidr')),
    nodeSubnet: pick('nodeSubnet') ?? defaulted(v4(DEFAULT_NODE_SUBNET), dflt('nodeSubnet')),
    podSubnet: pick('podSubnet') ?? defaulted(null, dflt('podSubnet')),
    podCidr,
    podCidr6,
    serviceCidr,
    serviceCidr6,
    dnsServiceIp,
    peeredCidrs: pick('peeredCidrs') ?? defaulted([], dflt('peeredCidrs')),
    ipFamilies,
    names: { vnetName: name('vnetName'), nodeSubnetName: name('nodeSubnetName'), podSubnetName: name('podSubnetName'), resourceGroup: name('resourceGroup') },
  };
}

// ————— pools —————

function resolvePool(raw: unknown, path: string, net: NetDraft, p: Problems): PoolDraft | undefined {
  const f = fields(raw, path, POOL_SHAPE, p, 'a node pool');
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
  return {
    path,
    name: v.name,
    count,
    maxPods: f.bad.has('maxPods') ? undefined : (v.maxPods ?? null),
    nodeSubnet: own('nodeSubnet', net.nodeSubnet),
    podSubnet: own('podSubnet', net.podSubnet),
    autoscaler,
    bootDelayMs: f.bad.has('bootDelay') ? undefined : (v.bootDelay ?? DEFAULT_BOOT_DELAY_MS),
  };
}

function makeCluster(
  path: string,
  name: string | undefined,
  mode: string | null | undefined,
  modePath: string,
  net: NetDraft,
  poolsRaw: readonly unknown[],
  poolsPath: string,
  workloadRaw: readonly unknown[],
  workloadPath: string,
  p: Problems,
): ClusterDraft {
  const pools: PoolDraft[] = [];
  const seen = new Map<string, number>();
  poolsRaw.forEach((raw, i) => {
    const pool = resolvePool(raw, at(poolsPath, i), net, p);
    if (pool === undefined) return;
    if (pool.name !== undefined) {
      const prev = seen.get(pool.name);
      if (prev !== undefined) p.error(at(poolsPath, i, 'name'), `"${pool.name}" is already the name of ${at(poolsPath, prev)}: node pool names must be unique`);
      else seen.set(pool.name, i);
    }
    pools.push(pool);
  });
  const events = parseEvents(workloadRaw, workloadPath, net, p);
  const added = events.flatMap((e) => (e.pool ? [e.pool] : []));
  return { path, name, mode, modePath, net, pools, allPools: [...pools, ...added], events, workload: [], migrates: false };
}

// ————— workload —————

const TIME_KEYS = ['at', 'from', 'to'] as const;
const ENTRY_KEYS: readonly string[] = [...TIME_KEYS, ...EVENT_KEYS];
const atSchema = durationSchema('zero');

function parseEvents(list: readonly unknown[], base: string, net: NetDraft, p: Problems): EventDraft[] {
  const out: EventDraft[] = [];
  list.forEach((raw, index) => {
    const path = at(base, index);
    if (!isPlainObject(raw)) {
      p.error(path, `expected a workload entry like {at: 30m, deploy: {name: web, pool: user, replicas: 10}}, got ${describe(raw)}`);
      return;
    }
    for (const key of Object.keys(raw)) if (!ENTRY_KEYS.includes(key)) p.error(at(path, key), unknownKeyMessage(key, ENTRY_KEYS));
    const keys = EVENT_KEYS.filter((k) => raw[k] !== undefined);
    if (keys.length === 0) {
      p.error(path, `no event: expected one of ${EVENT_KEYS.join(', ')}`);
      return;
    }
    if (keys.length > 1) {
      p.error(path, `holds several events (${keys.join(', ')}): give one per entry`);
      return;
    }
    const key = keys[0]!;
    let atMs: number | undefined;
    let toMs: number | undefined;
    let ok = true;
    if (key === 'churn') {
      if (raw['at'] !== undefined) p.error(at(path, 'at'), 'churn runs over a period: give from: and to: instead of at:');
      for (const k of ['from', 'to'] as const) {
        if (raw[k] === undefined) {
          p.error(at(path, k), `required: churn runs from: a time to: a later time`);
          ok = false;
        }
      }
      atMs = raw['from'] === undefined ? undefined : parseWith(atSchema, raw['from'], at(path, 'from'), p);
      toMs = raw['to'] === undefined ? undefined : parseWith(atSchema, raw['to'], at(path, 'to'), p);
      if (atMs !== undefined && toMs !== undefined && toMs <= atMs) {
        p.error(at(path, 'to'), `${formatDuration(toMs)} must be after from (${formatDuration(atMs)})`);
        ok = false;
      }
    } else {
      for (const k of ['from', 'to'] as const) if (raw[k] !== undefined) p.error(at(path, k), `only churn takes from:/to:; ${key} happens at: one time`);
      if (raw['at'] === undefined) {
        p.error(at(path, 'at'), `required: when the ${key} happens, e.g. at: 30m`);
        ok = false;
      } else atMs = parseWith(atSchema, raw['at'], at(path, 'at'), p);
    }
    const bodyPath = at(path, key);
    let body: Record<string, unknown> | undefined;
    let pool: PoolDraft | undefined;
    if (key === 'addPool') {
      pool = resolvePool(raw[key], bodyPath, net, p);
      body = {};
    } else {
      body = parseWith(EVENT_SHAPES[key] as z.ZodType<Record<string, unknown>>, raw[key], bodyPath, p);
    }
    if (!ok || atMs === undefined || body === undefined || (key === 'addPool' && pool === undefined)) return;
    out.push({ path, key, index, atMs, toMs, body, pool });
  });
  return out;
}

function resolveWorkload(
  c: ClusterDraft,
  modes: readonly string[] | undefined,
  durationMs: number | undefined,
  params: Record<string, unknown>,
  p: Problems,
): WorkloadEvent[] {
  const events = [...c.events].sort((a, b) => a.atMs - b.atMs || a.index - b.index);
  const pools = new Map<string, { removedBy: string | null; draft: PoolDraft }>();
  for (const pool of c.pools) if (pool.name !== undefined) pools.set(pool.name, { removedBy: null, draft: pool });
  const live = new Map<string, 'deployment' | 'daemonset'>();
  let migratedBy: string | null = null;
  /** Per mode that runs this cluster: its current IPv4 pod CIDR once it is an overlay cluster (undefined: not overlay yet). */
  const overlayCidr = new Map<string, Cidr4 | undefined>();
  if (modes !== undefined) for (const m of modes) overlayCidr.set(m, m === MIGRATION_TARGET ? c.net.podCidr.value : undefined);
  const out: WorkloadEvent[] = [];

  const poolRef = (name: string, path: string): boolean => {
    const entry = pools.get(name);
    if (entry === undefined) {
      p.error(path, `no node pool named "${name}" at this time${didYouMean(name, [...pools.keys()]) || (pools.size > 0 ? `: the pools are ${[...pools.keys()].join(', ')}` : '')}`);
      return false;
    }
    if (entry.removedBy !== null) {
      p.error(path, `node pool "${name}" was removed earlier (${entry.removedBy})`);
      return false;
    }
    return true;
  };

  for (const e of events) {
    const b = e.body;
    const bp = at(e.path, e.key);
    if (durationMs !== undefined && e.atMs >= durationMs && e.atMs > 0) {
      p.warn(at(e.path, e.key === 'churn' ? 'from' : 'at'), `${formatDuration(e.atMs)} is at or after the end of the run (${formatDuration(durationMs)}): this ${e.key} never happens`);
    }
    switch (e.key) {
      case 'deploy': {
        const name = b['name'] as string;
        const pool = b['pool'] as string;
        if (live.has(name)) p.error(at(bp, 'name'), `"${name}" is already deployed: scale it, or delete it first`);
        else live.set(name, 'deployment');
        poolRef(pool, at(bp, 'pool'));
        out.push({ type: 'deploy', atMs: e.atMs, name, pool, replicas: b['replicas'] as number });
        break;
      }
      case 'daemonset': {
        const name = b['name'] as string;
        const pool = (b['pool'] as string | undefined) ?? null;
        if (live.has(name)) p.error(at(bp, 'name'), `"${name}" is already deployed: delete it first`);
        else live.set(name, 'daemonset');
        if (pool !== null) poolRef(pool, at(bp, 'pool'));
        out.push({ type: 'daemonset', atMs: e.atMs, name, pool });
        break;
      }
      case 'scale': {
        const name = b['name'] as string;
        const kind = live.get(name);
        if (kind === undefined) p.error(at(bp, 'name'), `no deployment named "${name}" is running at ${formatDuration(e.atMs)}${didYouMean(name, [...live.keys()])}: deploy it earlier`);
        else if (kind === 'daemonset') p.error(at(bp, 'name'), `"${name}" is a daemonset (one pod per node): it cannot be scaled`);
        out.push({ type: 'scale', atMs: e.atMs, name, replicas: b['replicas'] as number });
        break;
      }
      case 'delete': {
        const name = b['name'] as string;
        if (!live.delete(name)) p.error(at(bp, 'name'), `nothing named "${name}" is running at ${formatDuration(e.atMs)}${didYouMean(name, [...live.keys()])}`);
        out.push({ type: 'delete', atMs: e.atMs, name });
        break;
      }
      case 'churn': {
        const pool = b['pool'] as string;
        poolRef(pool, at(bp, 'pool'));
        out.push({ type: 'churn', atMs: e.atMs, toMs: e.toMs!, pool, ratePerSecond: b['ratePerSecond'] as number, lifetimeMs: b['lifetime'] as number });
        break;
      }
      case 'nodes': {
        const pool = b['pool'] as string;
        const count = b['count'] as number;
        if (poolRef(pool, at(bp, 'pool'))) {
          const a = pools.get(pool)!.draft.autoscaler;
          if (a && (count < a.minCount || count > a.maxCount)) {
            p.warn(at(bp, 'count'), `${count} nodes is outside the autoscaler's range ${a.minCount}–${a.maxCount} of pool "${pool}": the autoscaler will bring it back into range`);
          }
        }
        out.push({ type: 'nodes', atMs: e.atMs, pool, count });
        break;
      }
      case 'upgrade': {
        const pool = b['pool'] as string;
        poolRef(pool, at(bp, 'pool'));
        const surge = b['maxSurge'] as number | string | undefined;
        out.push({
          type: 'upgrade',
          atMs: e.atMs,
          pool,
          maxSurge: surge ?? DEFAULT_MAX_SURGE,
          drainMs: (b['drain'] as number | undefined) ?? DEFAULT_DRAIN_MS,
          bootMs: (b['boot'] as number | undefined) ?? DEFAULT_UPGRADE_BOOT_MS,
        });
        break;
      }
      case 'addPool': {
        const pool = e.pool!;
        if (pool.name !== undefined) {
          const prev = pools.get(pool.name);
          if (prev !== undefined && prev.removedBy === null) p.error(at(bp, 'name'), `a node pool named "${pool.name}" already exists at ${formatDuration(e.atMs)}`);
          else pools.set(pool.name, { removedBy: null, draft: pool });
        }
        out.push({ type: 'addPool', atMs: e.atMs, pool: pool as unknown as PoolScenario });
        break;
      }
      case 'removePool': {
        const pool = b['pool'] as string;
        if (poolRef(pool, at(bp, 'pool'))) pools.set(pool, { removedBy: `${e.path} at ${formatDuration(e.atMs)}`, draft: pools.get(pool)!.draft });
        out.push({ type: 'removePool', atMs: e.atMs, pool });
        break;
      }
      case 'migrate': {
        const podCidr = (b['podCidr'] as Cidr4 | undefined) ?? null;
        if (migratedBy !== null) {
          p.error(bp, `the cluster already migrated to overlay (${migratedBy}): a migration is irreversible and happens once`);
        } else if (modes !== undefined) {
          migratedBy = e.path;
          c.migrates = true;
          checkMigration(c, modes, podCidr, bp, p);
          for (const m of modes) {
            if (!MIGRATES_TO_OVERLAY.includes(m)) continue;
            overlayCidr.set(m, modeInfo(m)!.uses.podCidr ? c.net.podCidr.value : (podCidr ?? undefined));
          }
        }
        out.push({ type: 'migrate', atMs: e.atMs, to: 'overlay', podCidr });
        break;
      }
      case 'expandPodCidr': {
        const cidr = b['podCidr'] as Cidr4;
        if (modes !== undefined) checkExpansion(c, modes, overlayCidr, migratedBy !== null, cidr, bp, p);
        out.push({ type: 'expandPodCidr', atMs: e.atMs, podCidr: cidr });
        break;
      }
    }
  }
  return out;
}

function checkMigration(c: ClusterDraft, modes: readonly string[], podCidr: Cidr4 | null, path: string, p: Problems): void {
  const can = modes.filter((m) => MIGRATES_TO_OVERLAY.includes(m));
  const cannot = modes.filter((m) => !MIGRATES_TO_OVERLAY.includes(m));
  if (can.length === 0) {
    p.error(path, `only ${listOf(MIGRATES_TO_OVERLAY.map((m) => m))} clusters migrate to overlay; this cluster runs under ${listOf(cannot)} (not allowed from dynamic pod IP allocation) [overlay-doc]`);
    return;
  }
  if (cannot.length > 0) p.warn(path, `ignored in the ${listOf(cannot)} run${cannot.length > 1 ? 's' : ''}: only ${listOf(MIGRATES_TO_OVERLAY.map((m) => m))} clusters migrate to overlay`);
  const needsCidr = can.filter((m) => !modeInfo(m)!.uses.podCidr);
  const keepsCidr = can.filter((m) => modeInfo(m)!.uses.podCidr);
  if (needsCidr.length > 0) {
    if (podCidr === null) {
      p.error(at(path, 'podCidr'), `required: ${listOf(needsCidr)} → overlay needs a new pod CIDR that overlaps neither the node subnet, the VNet nor the service CIDR [overlay-doc]`);
    } else {
      checkPodCidrPlacement(c, podCidr, at(path, 'podCidr'), 'error', p);
    }
  } else if (podCidr !== null) {
    p.warn(at(path, 'podCidr'), `${listOf(keepsCidr)} keeps its pod CIDR when it migrates to overlay: this podCidr is ignored [overlay-doc]`);
  }
}

function checkExpansion(
  c: ClusterDraft,
  modes: readonly string[],
  overlayCidr: Map<string, Cidr4 | undefined>,
  migrated: boolean,
  cidr: Cidr4,
  path: string,
  p: Problems,
): void {
  const applies = modes.filter((m) => m === MIGRATION_TARGET || (migrated && MIGRATES_TO_OVERLAY.includes(m)));
  const ignored = modes.filter((m) => !applies.includes(m));
  if (applies.length === 0) {
    p.error(path, `only an overlay cluster's pod CIDR can be expanded; this cluster runs under ${listOf(modes)}${modes.some((m) => MIGRATES_TO_OVERLAY.includes(m)) ? ' and has not migrated to overlay by then' : ''}`);
    return;
  }
  if (ignored.length > 0) p.warn(path, `ignored in the ${listOf(ignored)} run${ignored.length > 1 ? 's' : ''}: only an overlay cluster's pod CIDR can be expanded`);
  const cp = at(path, 'podCidr');
  let reported = false;
  for (const m of applies) {
    const cur = overlayCidr.get(m);
    if (cur === undefined) continue;
    if (!reported && !(contains(cidr, cur) && cidr.prefix < cur.prefix)) {
      p.error(cp, `${cidr.text} does not contain the current pod CIDR ${cur.text} (${m} run) and is not larger: a pod CIDR can only be expanded to a larger range that contains it [aks-docs]`);
      reported = true;
    }
    overlayCidr.set(m, cidr);
  }
  if (!reported) checkPodCidrPlacement(c, cidr, cp, 'warn', p);
}

/** A pod CIDR (overlay) may not overlap the node subnets, the service CIDR or peered networks; the VNet: `vnet`. */
function checkPodCidrPlacement(c: ClusterDraft, cidr: Cidr4, path: string, vnet: 'error' | 'warn', p: Problems): void {
  for (const s of nodeSubnets(c)) {
    if (overlaps(cidr, s.cidr)) p.error(path, `${cidr.text} overlaps the node subnet ${s.cidr.text} (${s.path}) [overlay-doc]`);
  }
  const svc = c.net.serviceCidr.value;
  if (svc && overlaps(cidr, svc)) p.error(path, `${cidr.text} overlaps the service CIDR ${svc.text} (${c.net.serviceCidr.path}) [overlay-doc]`);
  for (const peer of c.net.peeredCidrs.value ?? []) {
    if (overlaps(cidr, peer)) p.error(path, `${cidr.text} overlaps the peered network ${peer.text} (${c.net.peeredCidrs.path}) [overlay-doc]`);
  }
  const vn = c.net.vnetCidr.value;
  if (vn && overlaps(cidr, vn)) {
    const msg = `${cidr.text} overlaps the VNet ${vn.text} (${c.net.vnetCidr.path}): the pod CIDR should lie outside the VNet [overlay-doc]`;
    if (vnet === 'error') p.error(path, msg);
    else p.warn(path, msg);
  }
}

// ————— cluster rules —————

function nodeSubnets(c: ClusterDraft): Space[] {
  const out: Space[] = [];
  const seen = new Set<string>();
  for (const pool of c.allPools) {
    const s = pool.nodeSubnet;
    if (s.value === undefined) continue;
    const key = `${s.value.text} ${s.path}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ cidr: s.value, path: s.path, what: 'node subnet', cluster: c.name ?? '' });
  }
  return out;
}

function podSubnets(c: ClusterDraft): Space[] {
  const out: Space[] = [];
  const seen = new Set<string>();
  for (const pool of c.allPools) {
    const s = pool.podSubnet;
    if (s.value === undefined || s.value === null) continue;
    const key = `${s.value.text} ${s.path}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ cidr: s.value, path: s.path, what: 'pod subnet', cluster: c.name ?? '' });
  }
  return out;
}

function usesOf(modes: readonly string[]) {
  const infos = modes.map((m) => modeInfo(m)!);
  return {
    podSubnet: infos.filter((i) => i.uses.podSubnet).map((i) => i.name),
    podCidr: infos.filter((i) => i.uses.podCidr).map((i) => i.name),
    notDualStack: infos.filter((i) => !i.uses.dualStack).map((i) => i.name),
  };
}

function numParam(params: Record<string, unknown>, mode: string, key: string): number | undefined {
  const v = (params[mode] as Record<string, unknown> | undefined)?.[key];
  return typeof v === 'number' ? v : undefined;
}

function checkCluster(c: ClusterDraft, modes: readonly string[] | undefined, params: Record<string, unknown>, p: Problems): void {
  const net = c.net;
  const nodes = nodeSubnets(c);
  const uses = modes === undefined ? undefined : usesOf(modes);
  const pods = uses && uses.podSubnet.length > 0 ? podSubnets(c) : [];
  const vnet = net.vnetCidr.value;
  const svc = net.serviceCidr.value;
  const peered = net.peeredCidrs.value ?? [];
  const azureSubnets = [...nodes, ...pods];

  // Azure subnets: size, inside the VNet, node and pod subnets apart.
  for (const s of azureSubnets) {
    if (s.cidr.prefix > AZURE_SMALLEST_SUBNET_PREFIX) {
      p.error(s.path, `${s.cidr.text} is smaller than /${AZURE_SMALLEST_SUBNET_PREFIX}, the smallest subnet Azure allows [Azure VNet FAQ]`);
    }
    if (vnet && !contains(vnet, s.cidr)) p.error(s.path, `the ${s.what} ${s.cidr.text} lies outside the VNet ${vnet.text} (${net.vnetCidr.path})`);
    for (const peer of peered) {
      if (overlaps(peer, s.cidr)) p.error(s.path, `the ${s.what} ${s.cidr.text} overlaps the peered network ${peer.text} (${net.peeredCidrs.path})`);
    }
  }
  if (vnet) {
    for (const peer of peered) {
      if (overlaps(peer, vnet)) p.error(net.peeredCidrs.path, `the peered network ${peer.text} overlaps the VNet ${vnet.text}: Azure cannot peer overlapping address spaces`);
    }
  }
  for (const ps of pods) {
    for (const ns of nodes) {
      if (overlaps(ps.cidr, ns.cidr)) p.error(ps.path, `the pod subnet ${ps.cidr.text} overlaps the node subnet ${ns.cidr.text} (${ns.path}): they must be separate subnets`);
    }
  }

  // Service CIDR and DNS address [overlay-doc].
  if (svc) {
    if (svc.prefix < SERVICE_CIDR_LARGEST_PREFIX) p.error(net.serviceCidr.path, `${svc.text} is too large: the service CIDR must be smaller than /12 (/13 or longer prefix) [overlay-doc]`);
    for (const s of azureSubnets) {
      if (overlaps(svc, s.cidr)) p.error(net.serviceCidr.path, `${svc.text} overlaps the ${s.what} ${s.cidr.text} (${s.path}) [overlay-doc]`);
    }
    for (const peer of peered) {
      if (overlaps(svc, peer)) p.error(net.serviceCidr.path, `${svc.text} overlaps the peered network ${peer.text} (${net.peeredCidrs.path}) [overlay-doc]`);
    }
    const dns = net.dnsServiceIp.value;
    if (dns !== undefined) {
      const dp = net.dnsServiceIp.path;
      if (dns < svc.base || dns >= svc.base + svc.size) p.error(dp, `${ipText(dns)} lies outside the service CIDR ${svc.text} [overlay-doc]`);
      else if (dns === svc.base) p.error(dp, `${ipText(dns)} is the network address of the service CIDR ${svc.text}: use another address, e.g. ${ipText(svc.base + DNS_DEFAULT_OFFSET)} [aks-docs]`);
      else if (dns === svc.base + 1) p.error(dp, `${ipText(dns)} is the first address of the service CIDR ${svc.text}, which the kubernetes service takes: use another, e.g. ${ipText(svc.base + DNS_DEFAULT_OFFSET)} [overlay-doc]`);
    }
  }

  if (modes === undefined || uses === undefined) return;

  // Pod CIDR (overlay, kubenet) [overlay-doc].
  const podCidr = net.podCidr.value;
  if (uses.podCidr.length > 0 && podCidr) {
    for (const m of uses.podCidr) {
      const block = numParam(params, m, 'blockPrefix');
      if (block !== undefined && podCidr.prefix > block) p.error(net.podCidr.path, `${podCidr.text} is smaller than the /${block} block each node takes in ${m} mode`);
    }
    checkPodCidrPlacement(c, podCidr, net.podCidr.path, 'warn', p);
    warnPodCidrFit(c, podCidr, uses.podCidr, params, p);
  }

  // Pod subnet (dynamic, static-block).
  if (uses.podSubnet.length > 0) {
    const lacking = c.allPools.filter((pool) => pool.podSubnet.value === null);
    if (lacking.length > 0) {
      const names = lacking.map((pool) => pool.name ?? pool.path);
      p.error(at(net.path, 'podSubnet'), `required by ${listOf(uses.podSubnet)} (pod-subnet mode${uses.podSubnet.length > 1 ? 's' : ''}): give network.podSubnet, or a podSubnet for node pool${names.length > 1 ? 's' : ''} ${listOf(names)}`);
    }
    for (const m of uses.podSubnet) {
      const largest = numParam(params, m, 'largestPodSubnet');
      const block = numParam(params, m, 'blockPrefix');
      for (const s of pods) {
        if (largest !== undefined && s.cidr.prefix < largest) p.error(s.path, `${s.cidr.text} is larger than /${largest}: ${m} mode allows a pod subnet of at most /${largest} [podsubnet-doc]`);
        if (block !== undefined && s.cidr.prefix > block) p.error(s.path, `${s.cidr.text} is smaller than one /${block} block of ${m} mode`);
      }
    }
  }

  // Dual stack [overlay-doc].
  const fam = net.ipFamilies.value;
  if (fam && fam.length === 2) {
    if (uses.notDualStack.length > 0) {
      p.error(net.ipFamilies.path, `dual stack is supported only by ${listOf(MODE_INFOS.filter((i) => i.uses.dualStack).map((i) => i.name))}; ${listOf(uses.notDualStack)} cannot run it: set modes (or this cluster's mode) accordingly`);
    }
    const pod6 = net.podCidr6.value;
    const svc6 = net.serviceCidr6.value;
    if (svc6 && svc6.prefix < SERVICE_CIDR6_LARGEST_PREFIX) p.error(net.serviceCidr6.path, `${svc6.text} is larger than /${SERVICE_CIDR6_LARGEST_PREFIX}: the IPv6 service CIDR may not be larger [overlay-doc]`);
    if (pod6) {
      for (const m of modes) {
        const block6 = numParam(params, m, 'block6Prefix');
        if (block6 !== undefined && pod6.prefix > block6) p.error(net.podCidr6.path, `${pod6.text} is smaller than the /${block6} IPv6 block each node takes in ${m} mode`);
      }
      if (svc6 && overlaps(pod6, svc6)) p.error(net.podCidr6.path, `${pod6.text} overlaps the IPv6 service CIDR ${svc6.text} (${net.serviceCidr6.path})`);
      for (const peer of peered) if (overlaps(pod6, peer)) p.error(net.podCidr6.path, `${pod6.text} overlaps the peered network ${peer.text} (${net.peeredCidrs.path})`);
    }
    if (svc6) for (const peer of peered) if (overlaps(svc6, peer)) p.error(net.serviceCidr6.path, `${svc6.text} overlaps the peered network ${peer.text} (${net.peeredCidrs.path})`);
  }

  // max-pods within range of every mode the cluster runs under (and overlay when it migrates) [overlay-doc].
  const rangeModes = c.migrates && !modes.includes(MIGRATION_TARGET) ? [...modes, MIGRATION_TARGET] : modes;
  for (const pool of c.allPools) {
    const mp = pool.maxPods;
    if (mp === null || mp === undefined) continue;
    const infos = rangeModes.map((m) => modeInfo(m)!);
    const above = infos.filter((i) => mp > i.maxPods.max).sort((a, b) => a.maxPods.max - b.maxPods.max)[0];
    const below = infos.filter((i) => mp < i.maxPods.min).sort((a, b) => b.maxPods.min - a.maxPods.min)[0];
    if (above) p.error(at(pool.path, 'maxPods'), `${mp} is above the ${above.name} maximum of ${above.maxPods.max}`);
    if (below) p.error(at(pool.path, 'maxPods'), `${mp} is below the ${below.name} minimum of ${below.maxPods.min}`);
  }
}

/** [Azure/AKS-Construction issue 701] AKS counts the pools' maximum nodes × one block each against the pod CIDR. */
function warnPodCidrFit(c: ClusterDraft, podCidr: Cidr4, podCidrModes: readonly string[], params: Record<string, unknown>, p: Problems): void {
  let nodes = 0;
  let scaled = false;
  for (const pool of c.allPools) {
    const n = pool.autoscaler ? Math.max(pool.autoscaler.maxCount, pool.count ?? 0) : (pool.count ?? 0);
    if (pool.autoscaler) scaled = true;
    nodes += n;
  }
  if (!scaled) return;
  for (const m of podCidrModes) {
    const block = numParam(params, m, 'blockPrefix');
    if (block === undefined || podCidr.prefix > block) continue;
    const perNode = 2 ** (32 - block);
    const fits = podCidr.size / perNode;
    if (nodes > fits) {
      p.warn(
        c.net.podCidr.path,
        `the node pools may reach ${fmtInt(nodes)} nodes (autoscaler maxCount), × ${perNode} addresses (a /${block} each) = ${fmtInt(nodes * perNode)}, which does not fit the pod CIDR ${podCidr.text} (${fmtInt(podCidr.size)} addresses: ${fmtInt(fits)} nodes); AKS refuses such a pool [Azure/AKS-Construction issue 701]`,
      );
    }
  }
}

/**
 * Across clusters (one VNet): Azure subnets are identical (shared) or disjoint, a subnet is never both a node
 * and a pod subnet, and no run puts two pod-subnet modes (static-block, dynamic) on one subnet [podsubnet-doc].
 */
function checkSharedSubnets(clusters: readonly ClusterDraft[], modes: readonly string[] | undefined, p: Problems): void {
  const spaces: Space[] = [];
  for (const c of clusters) {
    spaces.push(...nodeSubnets(c));
    const cm = c.mode === undefined ? undefined : c.mode !== null ? [c.mode] : modes;
    if (cm && usesOf(cm).podSubnet.length > 0) spaces.push(...podSubnets(c));
  }
  // Sweep in address order: a range overlaps an earlier one iff it starts before the farthest end seen.
  const v4s = spaces.filter((s) => s.cidr.family === 4) as (Space & { cidr: Cidr4 })[];
  v4s.sort((a, b) => a.cidr.base - b.cidr.base || a.cidr.prefix - b.cidr.prefix);
  let far: (Space & { cidr: Cidr4 }) | undefined;
  const reported = new Set<string>();
  for (const s of v4s) {
    // Node/pod overlaps inside one cluster are reported by checkCluster already.
    if (far && s.cidr.base < far.cidr.base + far.cidr.size && !(s.cluster === far.cluster && s.what !== far.what)) {
      const key = `${s.path} ${far.path}`;
      if (s.cidr.text !== far.cidr.text && !reported.has(key)) {
        reported.add(key);
        p.error(s.path, `${s.cidr.text} overlaps ${far.cidr.text} (${far.path}) without being the same subnet: subnets of one VNet are either shared or apart`);
      } else if (s.cidr.text === far.cidr.text && s.what !== far.what && !reported.has(key)) {
        reported.add(key);
        p.error(s.path, `${s.cidr.text} is a ${s.what} here and a ${far.what} at ${far.path}: a subnet serves nodes or pods, not both`);
      }
    }
    if (!far || s.cidr.base + s.cidr.size > far.cidr.base + far.cidr.size) far = s;
  }

  // One pod-subnet mode per subnet in every run: only pinned clusters can mix modes in one run.
  if (modes === undefined || !clusters.some((c) => c.mode)) return;
  const conflicts = new Set<string>();
  for (const run of modes) {
    const bySubnet = new Map<string, { mode: string; cluster: ClusterDraft }>();
    for (const c of clusters) {
      if (c.mode === undefined) continue;
      const m = c.mode ?? run;
      if (!modeInfo(m)!.uses.podSubnet) continue;
      for (const s of podSubnets(c)) {
        const prev = bySubnet.get(s.cidr.text);
        if (prev === undefined) bySubnet.set(s.cidr.text, { mode: m, cluster: c });
        else if (prev.mode !== m) {
          const pinned = c.mode ? c : prev.cluster;
          const key = `${s.cidr.text} ${pinned.modePath}`;
          if (conflicts.has(key)) continue;
          conflicts.add(key);
          p.error(
            pinned.modePath,
            `the pod subnet ${s.cidr.text} would be used in ${prev.mode} mode by cluster "${prev.cluster.name ?? '?'}" and in ${m} mode by cluster "${c.name ?? '?'}" in the ${run} run: a subnet serves one pod-subnet mode [podsubnet-doc]; give them separate subnets or change modes`,
          );
        }
      }
    }
  }
}

// ————— output —————

function finishNetwork(n: NetDraft): Network {
  return {
    vnetCidr: n.vnetCidr.value!,
    nodeSubnet: n.nodeSubnet.value!,
    podSubnet: n.podSubnet.value!,
    podCidr: n.podCidr.value!,
    podCidr6: n.podCidr6.value!,
    serviceCidr: n.serviceCidr.value!,
    serviceCidr6: n.serviceCidr6.value!,
    dnsServiceIp: n.dnsServiceIp.value!,
    peeredCidrs: n.peeredCidrs.value!,
    ipFamilies: n.ipFamilies.value!,
    vnetName: n.names.vnetName,
    nodeSubnetName: n.names.nodeSubnetName,
    podSubnetName: n.names.podSubnetName,
    resourceGroup: n.names.resourceGroup,
  };
}

function finishPool(d: PoolDraft): PoolScenario {
  return {
    name: d.name!,
    count: d.count!,
    maxPods: d.maxPods!,
    nodeSubnet: d.nodeSubnet.value!,
    podSubnet: d.podSubnet.value!,
    autoscaler: d.autoscaler!,
    bootDelayMs: d.bootDelayMs!,
  };
}

function finishCluster(c: ClusterDraft): ClusterScenario {
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
