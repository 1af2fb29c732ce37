/**
 * `cnisim plan <scenario>`: the planner applied to a scenario's own clusters, answering a reviewer's questions:
 *   - what the file's ranges must hold at the timeline's actual peak (each pool's pods from its workload, nodes
 *     from its autoscaler within min–max; src/plan/timeline.ts), beside the every-node-full size (count,
 *     autoscaler max, `nodes` events, nodes × max-pods) — needs summed per actual range (pools and clusters
 *     sharing a subnet add up; a pod CIDR is per cluster);
 *   - headroom: from that peak, how many more nodes (full, at the pool's max-pods) each pool can add before each
 *     space it draws from runs out, and which runs out first.
 * `--pods`, `--nodes`, `--max-pods`, `--surge` override one pool's figures (`--pool`, or the only pool).
 * Cost: O(modes × pools × (events + spaces × log(nodes))).
 */
import { maxPodsRange } from '../alloc/info.js';
import { modeInfo } from '../alloc/registry.js';
import { modePlanner, poolParamsOf } from '../alloc/registry.js';
import { inputError, internalError } from '../errors.js';
import type { ClusterScenario, PoolScenario, Scenario } from '../scenario/index.js';
import { effectiveMode } from '../scenario/index.js';
import { surgeNodes, type Surge } from '../commands/flags.js';
import { fmt, SPACE_LABEL, spaceHolds, type ModePlanner, type SpaceName, type SpaceNeed } from './need.js';
import { smallestPrefix } from './plan.js';
import { fullPeaks, poolsOf, timelinePeaks, upgradeSurge, type PoolLoad } from './timeline.js';
import { sideBySide } from '../report/columns.js';

/** Figures given on the command line, applied to one node pool (`pool`, or the scenario's only pool). */
export interface PlanOverrides {
  readonly pool?: string;
  readonly nodes?: number;
  readonly pods?: number;
  readonly maxPods?: number;
  readonly surge?: Surge;
}

/** What one range must hold under one basis (the timeline's peak, or every node full). */
export interface RangeAnswer {
  readonly needed: number;
  readonly inUse: number;
  readonly wasted: number;
  /** Smallest range that would hold it, or null when none up to the largest allowed does. */
  readonly smallestPrefix: number | null;
  /** True when the scenario's range holds it. */
  readonly holds: boolean;
}

export interface ScenarioSpacePlan {
  readonly mode: string;
  /** Clusters drawing from the range, comma-separated. */
  readonly clusters: string;
  readonly space: SpaceName;
  /** The range in the scenario. */
  readonly cidr: string;
  readonly currentPrefix: number;
  readonly currentUsable: number;
  /** At the timeline's peak. */
  readonly peak: RangeAnswer;
  /** With every node full at the pools' largest. */
  readonly full: RangeAnswer;
}

/** A pool's figures under one mode: max-pods, and its load at the peak and with every node full. */
export interface PoolPlan {
  readonly cluster: string;
  readonly pool: string;
  readonly maxPods: number;
  readonly peak: { readonly nodes: number; readonly pods: number; readonly surge: number; readonly demand: number };
  readonly full: { readonly nodes: number; readonly pods: number; readonly surge: number };
}

/** How many more nodes a pool can add, from the peak, before one space runs out. */
export interface Headroom {
  readonly cluster: string;
  readonly pool: string;
  /** A space, or 'limit' for the mode's cluster limits (nodes, pods per cluster). */
  readonly space: SpaceName | 'limit';
  /** The range, or the limit's words. */
  readonly cidr: string;
  /** More nodes that fit (≥ 0), or −1 when the peak itself does not fit; null: more than HEADROOM_CAP. */
  readonly moreNodes: number | null;
  /** True on the space that runs out first for this pool. */
  readonly first: boolean;
}

export interface ScenarioModePlan {
  readonly mode: string;
  readonly pools: readonly PoolPlan[];
  readonly spaces: readonly ScenarioSpacePlan[];
  readonly headroom: readonly Headroom[];
  /** Why the mode cannot hold the timeline's peak (a cluster limit…). */
  readonly blockers: readonly string[];
  /** Why it could not hold every node full (when the peak is fine). */
  readonly fullBlockers: readonly string[];
  readonly notes: readonly string[];
}

/** Headroom is searched up to this many more nodes per pool [assumption: beyond it the answer is "plenty"]. */
export const HEADROOM_CAP = 1_000_000;

interface Group {
  readonly clusters: string[];
  readonly space: SpaceName;
  readonly cidr: string;
  readonly prefix: number;
  readonly need: SpaceNeed;
  needed: number;
  inUse: number;
}

function rangeOf(space: SpaceName, cluster: ClusterScenario, pool: PoolScenario): { key: string; cidr: string; prefix: number } {
  if (space === 'node-subnet') return { key: `subnet ${pool.nodeSubnet.text}`, cidr: pool.nodeSubnet.text, prefix: pool.nodeSubnet.prefix };
  if (space === 'pod-subnet') {
    if (pool.podSubnet === null) throw internalError(`plan: pool ${pool.name} has no pod subnet`);
    return { key: `subnet ${pool.podSubnet.text}`, cidr: pool.podSubnet.text, prefix: pool.podSubnet.prefix };
  }
  const c = pool.podCidr ?? cluster.network.podCidr;
  return { key: pool.podCidr ? `pod-cidr ${c.text}` : `pod-cidr ${cluster.name} ${c.text}`, cidr: c.text, prefix: c.prefix };
}

/** One pool's load as the planner is asked it. */
interface Ask {
  readonly cluster: ClusterScenario;
  readonly pool: PoolScenario;
  readonly maxPods: number;
  readonly poolParams: unknown;
  readonly nodes: number;
  readonly pods: number;
  readonly surge: number;
}

/** The pool the overrides apply to: --pool, or the only one. */
function overriddenPool(scenario: Scenario, o: PlanOverrides): string | null {
  const given = o.nodes !== undefined || o.pods !== undefined || o.maxPods !== undefined || o.surge !== undefined;
  const all = scenario.clusters.flatMap((c) => poolsOf(c).map((p) => p.name));
  if (o.pool !== undefined) {
    if (!all.includes(o.pool)) throw inputError(`--pool: no node pool "${o.pool}" in ${scenario.file}; its pools: ${[...new Set(all)].join(', ')}`);
    return o.pool;
  }
  if (!given) return null;
  if (new Set(all).size > 1) throw inputError(`--pool: ${scenario.file} has node pools ${[...new Set(all)].join(', ')}; name the one --nodes/--pods/--max-pods/--surge describe with --pool <name>`);
  return all[0] ?? null;
}

/** Plans each mode of the scenario over its own ranges: at the timeline's peak, every node full, and headroom. */
export function planScenario(scenario: Scenario, overrides: PlanOverrides = {}): ScenarioModePlan[] {
  const target = overriddenPool(scenario, overrides);
  return scenario.modes.map((runMode) => {
    const notes = new Set<string>();
    const pools: PoolPlan[] = [];
    const peakAsks: Ask[] = [];
    const fullAsks: Ask[] = [];
    const plannerOf = new Map<ClusterScenario, { planner: ModePlanner; params: unknown; firstPool: unknown }>();
    for (const cluster of scenario.clusters) {
      const mode = effectiveMode(cluster, runMode);
      const info = modeInfo(mode);
      const planner = modePlanner(mode);
      if (!info || !planner) throw internalError(`plan: no planner for mode ${mode}`);
      const params = scenario.parameters[mode] ?? info.params.parse({});
      const paramsOf = (p: PoolScenario) => poolParamsOf(info, p.modeKeys);
      const maxPodsOf = (p: PoolScenario) => (p.name === target && overrides.maxPods !== undefined ? overrides.maxPods : p.maxPods ?? maxPodsRange(info, paramsOf(p), params).default);
      plannerOf.set(cluster, { planner, params, firstPool: paramsOf(poolsOf(cluster)[0]!) });
      const peaks = timelinePeaks(cluster, maxPodsOf);
      const fulls = fullPeaks(cluster, maxPodsOf);
      peaks.forEach((peak: PoolLoad, i) => {
        const full = fulls[i]!;
        const pool = peak.pool;
        const maxPods = maxPodsOf(pool);
        const mine = pool.name === target;
        const nodes = mine && overrides.nodes !== undefined ? overrides.nodes : peak.nodes;
        const pods = mine && overrides.pods !== undefined ? overrides.pods : mine && overrides.nodes !== undefined ? Math.min(peak.demand, nodes * maxPods) : peak.pods;
        const fullNodes = mine && overrides.nodes !== undefined ? overrides.nodes : full.nodes;
        const surgeOf = (n: number) => (mine && overrides.surge !== undefined ? surgeNodes(overrides.surge, n) : upgradeSurge(cluster, pool.name, n));
        const ask = { cluster, pool, maxPods, poolParams: paramsOf(pool) };
        peakAsks.push({ ...ask, nodes, pods, surge: surgeOf(nodes) });
        fullAsks.push({ ...ask, nodes: fullNodes, pods: fullNodes * maxPods, surge: surgeOf(fullNodes) });
        pools.push({
          cluster: cluster.name, pool: pool.name, maxPods,
          peak: { nodes, pods, surge: surgeOf(nodes), demand: mine && overrides.pods !== undefined ? overrides.pods : peak.demand },
          full: { nodes: fullNodes, pods: fullNodes * maxPods, surge: surgeOf(fullNodes) },
        });
      });
    }

    const needsOf = (a: Ask, extra = 0) => {
      const { planner, params } = plannerOf.get(a.cluster)!;
      return planner.needs({ nodes: a.nodes + extra, surge: a.surge, maxPods: a.maxPods, pods: a.pods + extra * a.maxPods, params, pool: a.poolParams, networkIpLimit: a.cluster.network.vnetIpLimit });
    };
    const groupsOf = (asks: readonly Ask[]) => {
      const groups = new Map<string, Group>();
      const keys: string[][] = [];
      for (const a of asks) {
        const needs = needsOf(a);
        for (const n of needs.notes) notes.add(n);
        const mine: string[] = [];
        for (const need of needs.spaces) {
          const r = rangeOf(need.space, a.cluster, a.pool);
          const key = `${need.space} ${r.key}`;
          let g = groups.get(key);
          if (g === undefined) {
            g = { clusters: [], space: need.space, cidr: r.cidr, prefix: r.prefix, need, needed: 0, inUse: 0 };
            groups.set(key, g);
          }
          if (!g.clusters.includes(a.cluster.name)) g.clusters.push(a.cluster.name);
          g.needed += need.needed;
          g.inUse += need.inUse;
          mine.push(key);
        }
        keys.push(mine);
      }
      return { groups, keys };
    };
    /** Cluster-wide limits (node limit, pods per cluster) need the cluster's totals. */
    const clusterBlockers = (asks: readonly Ask[], extraFor: Ask | null = null, extra = 0): string[] => {
      const out: string[] = [];
      for (const cluster of scenario.clusters) {
        const mine = asks.filter((a) => a.cluster === cluster);
        if (mine.length === 0) continue;
        const { planner, params, firstPool } = plannerOf.get(cluster)!;
        let nodes = 0, pods = 0, surge = 0, maxPods = 1;
        for (const a of mine) {
          const k = a === extraFor ? extra : 0;
          nodes += a.nodes + k;
          pods += a.pods + k * a.maxPods;
          surge += a.surge;
          maxPods = Math.max(maxPods, a.maxPods);
        }
        const whole = planner.needs({ nodes, surge, maxPods, pods, params, pool: firstPool });
        for (const b of whole.blockers) out.push(`cluster ${cluster.name}: ${b}`);
      }
      return out;
    };

    const peak = groupsOf(peakAsks);
    const full = groupsOf(fullAsks);
    const answer = (g: Group | undefined): RangeAnswer => {
      if (!g) return { needed: 0, inUse: 0, wasted: 0, smallestPrefix: null, holds: true };
      return { needed: g.needed, inUse: g.inUse, wasted: g.needed - g.inUse, smallestPrefix: smallestPrefix(g.need, g.needed), holds: spaceHolds(g.need, g.prefix, g.needed) };
    };
    const keys = [...new Set([...full.groups.keys(), ...peak.groups.keys()])];
    const spaces = keys.map((key): ScenarioSpacePlan => {
      const g = (full.groups.get(key) ?? peak.groups.get(key))!;
      return {
        mode: runMode, clusters: g.clusters.join(','), space: g.space, cidr: g.cidr, currentPrefix: g.prefix,
        currentUsable: g.need.capacity(g.prefix), peak: answer(peak.groups.get(key)), full: answer(full.groups.get(key)),
      };
    });

    // Headroom: per pool, per range it draws from, the most extra full nodes that still fit (binary search).
    const headroom: Headroom[] = [];
    const baseBlockers = clusterBlockers(peakAsks);
    peakAsks.forEach((a, i) => {
      const rows: Headroom[] = [];
      const own = needsOf(a);
      for (const key of peak.keys[i]!) {
        const g = peak.groups.get(key)!;
        const ownNeed = own.spaces.find((s) => `${s.space} ${rangeOf(s.space, a.cluster, a.pool).key}` === key)!;
        const others = g.needed - ownNeed.needed;
        const fits = (k: number) => {
          const n = needsOf(a, k).spaces.find((s) => s.space === g.space)!;
          return spaceHolds(g.need, g.prefix, others + n.needed);
        };
        rows.push({ cluster: a.cluster.name, pool: a.pool.name, space: g.space, cidr: g.cidr, moreNodes: most(fits), first: false });
      }
      const limited = baseBlockers.filter((b) => b.startsWith(`cluster ${a.cluster.name}:`));
      if (limited.length > 0) rows.push({ cluster: a.cluster.name, pool: a.pool.name, space: 'limit', cidr: limited[0]!, moreNodes: -1, first: false });
      else {
        const k = most((k) => clusterBlockers(peakAsks, a, k).length === 0);
        if (k !== null) rows.push({ cluster: a.cluster.name, pool: a.pool.name, space: 'limit', cidr: clusterBlockers(peakAsks, a, k + 1)[0] ?? '', moreNodes: k, first: false });
      }
      const least = Math.min(...rows.map((r) => (r.moreNodes === null ? Infinity : r.moreNodes)));
      let marked = false;
      for (const r of rows) {
        const first = !marked && least !== Infinity && r.moreNodes === least;
        if (first) marked = true;
        headroom.push(first ? { ...r, first } : r);
      }
    });

    const blockers = baseBlockers;
    const fullBlockers = clusterBlockers(fullAsks).filter((b) => !blockers.includes(b));
    for (const p of pools) {
      if (p.peak.demand > p.peak.pods) notes.add(`${p.cluster}/${p.pool}: the timeline asks for ${fmt(p.peak.demand)} pods at once; ${fmt(p.peak.nodes)} nodes of ${p.maxPods} max-pods run ${fmt(p.peak.pods)} (the rest stay unschedulable)`);
    }
    return { mode: runMode, pools, spaces, headroom, blockers, fullBlockers, notes: [...notes] };
  });
}

/** The largest k in 0..HEADROOM_CAP with fits(k) (fits is monotone: true up to some k); −1 if not even 0; null above the cap. */
function most(fits: (k: number) => boolean): number | null {
  if (!fits(0)) return -1;
  let lo = 0;
  let hi = 1;
  while (fits(hi)) {
    lo = hi;
    if (hi >= HEADROOM_CAP) return null;
    hi = Math.min(HEADROOM_CAP, hi * 2);
  }
  // fits(lo), !fits(hi)
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (fits(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}

// --- output --------------------------------------------------------------------------------------------

/** A row per mode, columns padded; never wrapped (its first columns name the row, so blocks would lose them). */
function layout(rows: string[][]): string[] {
  return sideBySide(rows, 'left', Infinity).split('\n');
}

function verdict(a: RangeAnswer): string {
  if (a.holds) return 'holds';
  return a.smallestPrefix === null ? 'too small: no range is large enough' : `too small: needs a /${a.smallestPrefix}`;
}

const prefixText = (p: number | null) => (p === null ? '—' : `/${p}`);

export function scenarioPlanTable(scenario: Scenario, plans: readonly ScenarioModePlan[]): string {
  const lines = [
    `${scenario.name}: each node pool at the timeline's peak (its pods; nodes within the autoscaler's min–max; upgrade surge),`,
    'beside every node full (count, autoscaler max, nodes events; nodes × max-pods)',
    '',
  ];
  const poolRows: string[][] = [['mode', 'node pool', 'max-pods', 'peak: nodes + surge', 'pods', 'every node full: nodes + surge', 'pods']];
  for (const p of plans) {
    for (const q of p.pools) {
      poolRows.push([p.mode, `${q.cluster}/${q.pool}`, String(q.maxPods), `${fmt(q.peak.nodes)} + ${fmt(q.peak.surge)}`, fmt(q.peak.pods), `${fmt(q.full.nodes)} + ${fmt(q.full.surge)}`, fmt(q.full.pods)]);
    }
  }
  lines.push(...layout(poolRows), '');
  const rows: string[][] = [['mode', 'cluster', 'space', 'range', 'usable', 'peak: needed', 'smallest', 'verdict', 'every node full: needed', 'smallest', 'verdict']];
  for (const p of plans) {
    for (const s of p.spaces) {
      rows.push([
        p.mode, s.clusters, SPACE_LABEL[s.space], s.cidr, fmt(s.currentUsable),
        fmt(s.peak.needed), prefixText(s.peak.smallestPrefix), verdict(s.peak),
        fmt(s.full.needed), prefixText(s.full.smallestPrefix), verdict(s.full),
      ]);
    }
  }
  lines.push(...layout(rows));
  lines.push('', 'headroom: more nodes each pool can add from the peak (full, at its max-pods) before a space runs out');
  const head: string[][] = [['mode', 'node pool', 'space', 'range', 'more nodes', '']];
  for (const p of plans) {
    for (const h of p.headroom) {
      head.push([
        p.mode, `${h.cluster}/${h.pool}`, h.space === 'limit' ? 'cluster limit' : SPACE_LABEL[h.space], h.space === 'limit' ? '' : h.cidr,
        h.moreNodes === null ? `> ${fmt(HEADROOM_CAP)}` : h.moreNodes < 0 ? 'none: short at the peak' : `+${fmt(h.moreNodes)}`,
        h.first ? '← runs out first' : '',
      ]);
    }
  }
  lines.push(...layout(head));
  const limits = plans.flatMap((p) => p.headroom.filter((h) => h.space === 'limit' && h.first).map((h) => `  ${p.mode}, ${h.cluster}/${h.pool}: ${h.cidr}`));
  if (limits.length) lines.push('', 'the limit reached first:', ...limits);
  const blockers = plans.flatMap((p) => p.blockers.map((b) => `  ${p.mode}: ${b}`));
  if (blockers.length) lines.push('', 'cannot hold this cluster at its peak:', ...blockers);
  const fullBlockers = plans.flatMap((p) => p.fullBlockers.map((b) => `  ${p.mode}: ${b}`));
  if (fullBlockers.length) lines.push('', 'could not hold it with every node full:', ...fullBlockers);
  const notes = [...new Set(plans.flatMap((p) => p.notes))];
  if (notes.length) lines.push('', 'notes:', ...notes.map((n) => `  ${n}`));
  return lines.join('\n');
}

export const SCENARIO_PLAN_CSV_COLUMNS = [
  'mode', 'cluster', 'space', 'range', 'usable',
  'peak_needed', 'peak_in_use', 'peak_wasted', 'peak_smallest_prefix', 'peak_holds',
  'full_needed', 'full_in_use', 'full_wasted', 'full_smallest_prefix', 'full_holds',
] as const;

export const HEADROOM_CSV_COLUMNS = ['mode', 'cluster', 'pool', 'space', 'range', 'more_nodes', 'runs_out_first'] as const;

const q = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

export function scenarioPlanCsv(plans: readonly ScenarioModePlan[]): string {
  const lines = [SCENARIO_PLAN_CSV_COLUMNS.join(',')];
  for (const p of plans) {
    for (const s of p.spaces) {
      const a = (x: RangeAnswer) => [x.needed, x.inUse, x.wasted, x.smallestPrefix === null ? '' : `/${x.smallestPrefix}`, x.holds ? 'yes' : 'no'];
      lines.push([p.mode, q(s.clusters), s.space, s.cidr, s.currentUsable, ...a(s.peak), ...a(s.full)].join(','));
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Headroom rows for a spreadsheet (more_nodes: −1 short at the peak, empty above HEADROOM_CAP). */
export function headroomCsv(plans: readonly ScenarioModePlan[]): string {
  const lines = [HEADROOM_CSV_COLUMNS.join(',')];
  for (const p of plans) {
    for (const h of p.headroom) lines.push([p.mode, q(h.cluster), h.pool, h.space, q(h.cidr), h.moreNodes === null ? '' : h.moreNodes, h.first ? 'yes' : 'no'].join(','));
  }
  return `${lines.join('\n')}\n`;
}
