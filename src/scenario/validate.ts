/**
 * The front door: turns parsed scenario data into a typed, fully defaulted Scenario, or refuses it with every
 * problem at once (each with its path). Shape and types are checked field by field (schema.ts); then the
 * cross-field rules (docs/model.md, "Platforms"), each applied only to the modes that use the space it names.
 * Values that failed their own check are `undefined` in the drafts below, and every rule skips them, so one
 * mistake is reported once, not again by each rule it touches. Boundary code: O(size of the file), plus a sort
 * of the subnets for the overlap sweep. This file holds the top level, modes, parameters, networks and clusters;
 * drafts.ts the defaults and drafts, workload-rules.ts the timeline, cluster-rules.ts the cross-field rules,
 * output.ts the finished Scenario.
 */
import type { z } from 'zod';
import { type Cidr, type Cidr4, type Cidr6 } from '../net/index.js';
import { formatDuration } from '../units.js';
import { MODE_INFOS, MODE_NAMES, platformModes } from '../alloc/registry.js';
import { durationOf, type ModeInfo } from '../alloc/info.js';
import { PLATFORM_INFO, type Platform } from '../alloc/platform/platforms.js';
import { inputError, type Problem } from '../errors.js';
import { at, describe, didYouMean, formatProblems, parseWith, Problems, scenarioError, unknownKeyMessage } from './problems.js';
import { isPlainObject, sanitize } from './read.js';
import {
  CLUSTER_SHAPE,
  MAX_SAMPLES,
  NETWORK_SHAPE,
  TOP_SHAPE,
  fields,
  type Fields,
} from './schema.js';
import type { Scenario } from './types.js';
import {
  DEFAULT_SAMPLE_EVERY_MS,
  DEFAULT_POD_CIDR,
  DEFAULT_POD_CIDR6,
  DEFAULT_VNET_IP_LIMIT,
  DEFAULT_SERVICE_CIDR6,
  DNS_DEFAULT_OFFSET,
  DEFAULT_CLUSTER,
  MAX_LISTED_PROBLEMS,
  Src,
  NetDraft,
  PoolDraft,
  ClusterDraft,
  fmtInt,
  scenarioNameFrom,
  given,
  invalid,
  defaulted,
  v4,
  v6,
  resolvePool,
} from './drafts.js';
import { parseEvents, resolveWorkload } from './workload-rules.js';
import { checkCluster, checkSharedSubnets, checkSharedVnetLimits } from './cluster-rules.js';
import { finishCluster } from './output.js';


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

  const platform: Platform = v.platform ?? 'azure';
  const modes = resolveModes(v.modes, top.bad.has('modes'), platform, p);
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
      const net = resolveNetwork(topNet, netFields, at(path, 'network'), platform, p);
      const poolsRaw = cf.values.nodePools;
      if (poolsRaw === undefined && !cf.bad.has('nodePools')) p.error(at(path, 'nodePools'), 'required: a cluster needs at least one node pool');
      clusters.push(makeCluster(path, cname, mode, at(path, 'mode'), net, poolsRaw ?? [], at(path, 'nodePools'), cf.values.workload ?? [], at(path, 'workload'), p));
    });
  } else {
    const net = resolveNetwork(topNet, null, 'network', platform, p);
    if (v.nodePools === undefined && !top.bad.has('nodePools')) p.error('nodePools', 'required: a list of node pools, e.g. [{name: user, count: 3}] (or clusters: with nodePools in each)');
    clusters.push(makeCluster('', DEFAULT_CLUSTER, null, 'mode', net, v.nodePools ?? [], 'nodePools', v.workload ?? [], 'workload', p));
  }

  for (const c of clusters) {
    const cmodes = c.mode === undefined ? undefined : c.mode !== null ? [c.mode] : modes;
    c.workload = resolveWorkload(c, cmodes, durationMs, parameters, p);
    checkCluster(c, cmodes, parameters, p);
  }
  checkSharedSubnets(clusters, modes, p);
  checkSharedVnetLimits(clusters, p);
  if (modes !== undefined) warnUnusedParameters(data['parameters'], modes, clusters, p);

  if (p.failed) throw fail(file, p.errors);
  return {
    file,
    name,
    description,
    seed,
    platform,
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

function resolveModes(list: readonly string[] | undefined, bad: boolean, platform: Platform, p: Problems): string[] | undefined {
  if (bad) return undefined;
  if (list === undefined) {
    const own = platformModes(platform);
    if (own.length === 0) p.error('modes', `no mode of platform ${platform} is registered: list the modes to run (${MODE_NAMES.join(', ')})`);
    return own.length === 0 ? undefined : own;
  }
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
    if (parsed !== undefined && isPlainObject(given)) warnImplausibleDurations(info, given, parsed as Record<string, unknown>, path, p);
    out[info.name] = parsed ?? info.params.parse({});
  }
  return out;
}

/**
 * A duration parameter far above what is plausible for it (a bare number is seconds: `grantLatency: 3000` is 50
 * minutes, not 3 s) is a warning that names the unit and the likely intent.
 */
function warnImplausibleDurations(info: ModeInfo, given: Record<string, unknown>, parsed: Record<string, unknown>, path: string, p: Problems): void {
  for (const key of Object.keys(given)) {
    const d = durationOf(info.params, key);
    const ms = parsed[key];
    if (d === undefined || typeof ms !== 'number' || ms <= d.plausibleMaxMs) continue;
    const raw = given[key];
    const hint = typeof raw === 'number' ? `; a bare number is seconds: for ${raw} ms write "${raw}ms"` : '';
    p.warn(at(path, key), `${formatDuration(ms)} is far above a plausible ${key} (at most ${formatDuration(d.plausibleMaxMs)})${hint}`);
  }
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
  platform: Platform,
  p: Problems,
): NetDraft {
  const defaults = PLATFORM_INFO[platform];
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
  const [serviceCidr, serviceCidr6] = pair('serviceCidr', 'serviceCidrs', defaults.serviceCidr, DEFAULT_SERVICE_CIDR6);

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
  /** The provider network's range: vnetCidr (Azure) or vpcCidr (AWS), one of them. */
  const providerNetwork = (): Src<Cidr4 | null> => {
    if (level('vnetCidr', 'vpcCidr') === null) return defaulted(null, dflt('vnetCidr'));
    return pick('vnetCidr') ?? pick('vpcCidr')!;
  };
  return {
    path: ownPath,
    vnetCidr: providerNetwork(),
    nodeSubnet: pick('nodeSubnet') ?? defaulted(v4(defaults.nodeSubnet), dflt('nodeSubnet')),
    podSubnet: pick('podSubnet') ?? defaulted(null, dflt('podSubnet')),
    podCidr,
    podCidr6,
    serviceCidr,
    serviceCidr6,
    dnsServiceIp,
    additionalPodCidrs: pick('additionalPodCidrs') ?? defaulted([], dflt('additionalPodCidrs')),
    peeredCidrs: pick('peeredCidrs') ?? defaulted([], dflt('peeredCidrs')),
    ipFamilies,
    vnetIpLimit: pick('vnetIpLimit') ?? defaulted(DEFAULT_VNET_IP_LIMIT, dflt('vnetIpLimit')),
    names: { vnetName: name('vnetName'), nodeSubnetName: name('nodeSubnetName'), podSubnetName: name('podSubnetName'), resourceGroup: name('resourceGroup') },
  };
}

// ————— pools —————


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
  return { path, name, mode, modePath, net, pools, allPools: [...pools, ...added], events, workload: [], migratesTo: null };
}

