/**
 * Scenario validation, the workload: each entry's time and event, references to pools and deployments that exist
 * at that time, and the lifecycle rules (migrations, pod CIDR expansion), read from the modes' capabilities.
 */
import type { z } from 'zod';
import { contains, type Cidr4 } from '../net/index.js';
import { formatDuration } from '../units.js';
import { modeInfo } from '../alloc/registry.js';
import { at, describe, didYouMean, parseWith, Problems, unknownKeyMessage } from './problems.js';
import { isPlainObject } from './read.js';
import {
  EVENT_KEYS,
  EVENT_SHAPES,
  durationSchema,
  } from './schema.js';
import type { PoolScenario, WorkloadEvent } from './types.js';
import {
  DEFAULT_MAX_SURGE,
  DEFAULT_DRAIN_MS,
  DEFAULT_UPGRADE_BOOT_MS,
  expandableModes,
  migratingTo,
  NetDraft,
  PoolDraft,
  EventDraft,
  ClusterDraft,
  listOf,
  resolvePool,
} from './drafts.js';
import { checkPodCidrPlacement } from './cluster-rules.js';

// ————— workload —————

export const TIME_KEYS = ['at', 'from', 'to'] as const;
export const ENTRY_KEYS: readonly string[] = [...TIME_KEYS, ...EVENT_KEYS];
export const atSchema = durationSchema('zero');

export function parseEvents(list: readonly unknown[], base: string, net: NetDraft, p: Problems): EventDraft[] {
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

export function resolveWorkload(
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
  /** Per mode that runs this cluster: its current IPv4 pod CIDR once its pod CIDR can be expanded (undefined: not yet). */
  const overlayCidr = new Map<string, Cidr4 | undefined>();
  if (modes !== undefined) for (const m of modes) overlayCidr.set(m, expandableModes().includes(m) ? c.net.podCidr.value : undefined);
  let migratedTo: string | null = null;
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
        out.push({ type: 'deploy', atMs: e.atMs, name, pool, replicas: b['replicas'] as number, ...(b['hostNetwork'] === true ? { hostNetwork: true } : {}) });
        break;
      }
      case 'daemonset': {
        const name = b['name'] as string;
        const pool = (b['pool'] as string | undefined) ?? null;
        if (live.has(name)) p.error(at(bp, 'name'), `"${name}" is already deployed: delete it first`);
        else live.set(name, 'daemonset');
        if (pool !== null) poolRef(pool, at(bp, 'pool'));
        out.push({ type: 'daemonset', atMs: e.atMs, name, pool, ...(b['hostNetwork'] === true ? { hostNetwork: true } : {}) });
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
            p.warn(at(bp, 'count'), `${count} nodes is outside the autoscaler's range ${a.minCount}–${a.maxCount} of pool "${pool}" (AKS refuses a manual count while the autoscaler is on); cnisim keeps it: below minCount the autoscaler adds nodes only for waiting pods, above maxCount it removes only idle ones`);
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
        const to = b['to'] as string;
        if (migratedBy !== null) {
          p.error(bp, `the cluster already migrated to ${migratedTo} (${migratedBy}): a migration is irreversible and happens once`);
        } else if (modes !== undefined) {
          migratedBy = e.path;
          migratedTo = to;
          c.migratesTo = to;
          checkMigration(c, modes, to, podCidr, bp, p);
          for (const m of migratingTo(to)) {
            if (!modes.includes(m) || !expandableModes().includes(to)) continue;
            overlayCidr.set(m, modeInfo(m)!.uses.podCidr ? c.net.podCidr.value : (podCidr ?? undefined));
          }
        }
        out.push({ type: 'migrate', atMs: e.atMs, to, podCidr });
        break;
      }
      case 'expandPodCidr': {
        const cidr = b['podCidr'] as Cidr4;
        if (modes !== undefined) checkExpansion(c, modes, overlayCidr, migratedTo, cidr, bp, p);
        out.push({ type: 'expandPodCidr', atMs: e.atMs, podCidr: cidr });
        break;
      }
    }
  }
  return out;
}

export function checkMigration(c: ClusterDraft, modes: readonly string[], to: string, podCidr: Cidr4 | null, path: string, p: Problems): void {
  const from = migratingTo(to);
  const can = modes.filter((m) => from.includes(m));
  const cannot = modes.filter((m) => !from.includes(m));
  if (can.length === 0) {
    p.error(path, `only ${listOf(from)} clusters migrate to ${to}; this cluster runs under ${listOf(cannot)}`);
    return;
  }
  if (cannot.length > 0) p.warn(path, `ignored in the ${listOf(cannot)} run${cannot.length > 1 ? 's' : ''}: only ${listOf(from)} clusters migrate to ${to}`);
  const needsCidr = can.filter((m) => !modeInfo(m)!.uses.podCidr);
  const keepsCidr = can.filter((m) => modeInfo(m)!.uses.podCidr);
  if (needsCidr.length > 0) {
    if (podCidr === null) {
      p.error(at(path, 'podCidr'), `required: ${listOf(needsCidr)} → ${to} needs a new pod CIDR that overlaps neither the node subnet, the VNet nor the service CIDR [overlay-doc]`);
    } else {
      checkPodCidrPlacement(c, podCidr, at(path, 'podCidr'), 'error', p);
    }
  } else if (podCidr !== null) {
    p.warn(at(path, 'podCidr'), `${listOf(keepsCidr)} keeps its pod CIDR when it migrates to ${to}: this podCidr is ignored [overlay-doc]`);
  }
}

export function checkExpansion(
  c: ClusterDraft,
  modes: readonly string[],
  overlayCidr: Map<string, Cidr4 | undefined>,
  migratedTo: string | null,
  cidr: Cidr4,
  path: string,
  p: Problems,
): void {
  const expandable = expandableModes();
  const intoExpandable = expandable.flatMap((t) => migratingTo(t));
  const applies = modes.filter((m) => expandable.includes(m) || (migratedTo !== null && expandable.includes(migratedTo) && migratingTo(migratedTo).includes(m)));
  const ignored = modes.filter((m) => !applies.includes(m));
  const what = `only an ${listOf(expandable)} cluster's pod CIDR can be expanded`;
  if (applies.length === 0) {
    p.error(path, `${what}; this cluster runs under ${listOf(modes)}${modes.some((m) => intoExpandable.includes(m)) ? ` and has not migrated to ${listOf(expandable)} by then` : ''}`);
    return;
  }
  if (ignored.length > 0) p.warn(path, `ignored in the ${listOf(ignored)} run${ignored.length > 1 ? 's' : ''}: ${what}`);
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


