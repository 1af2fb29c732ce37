/**
 * The subnet planner: for each mode, the smallest prefix of every address space it uses that holds the
 * cluster's peak (nodes at the autoscaler's max plus upgrade surge, every node full unless a pod count is
 * given), with the addresses needed and wasted; or why the mode cannot hold it. The arithmetic of each mode
 * lives in src/alloc/<mode>/plan.ts; this file searches prefixes and lays the answers out.
 * Cost: O(modes × spaces × 25 prefixes).
 */
import { maxPodsRange } from '../alloc/info.js';
import { inputError } from '../errors.js';
import { MODE_NAMES, modeInfo } from '../alloc/registry.js';
import { modePlanner } from '../alloc/registry.js';
import { fmt, rangeSize, SPACE_LABEL, spaceHolds, type SpaceName, type SpaceNeed } from './need.js';
import { surgeNodes, type Surge } from '../commands/flags.js';
import { sideBySide } from '../report/columns.js';

/**
 * The max-pods every mode is planned at when several are compared and none is given: kubelet's default
 * [kubelet --max-pods: 110], inside every mode's range, so the modes are compared on the same cluster.
 */
export const COMMON_MAX_PODS = 110;

/** The question, as `cnisim plan` flags give it. */
export interface PlanRequest {
  readonly modes: readonly string[];
  /** Nodes at start (--nodes). */
  readonly nodes: number;
  /** Autoscaler maximum (--max-nodes); the peak is max(nodes, maxNodes). */
  readonly maxNodes?: number;
  /** Upgrade surge (--surge): nodes, or a percentage of the peak nodes (rounded up, at least 1); default 0. */
  readonly surge?: Surge;
  /** --max-pods; default: each mode's own default. */
  readonly maxPods?: number;
  /** Peak pods (--pods); default: every node full (peak nodes × max-pods). */
  readonly pods?: number;
  /** Per-mode parameters (output of each mode's `info.params.parse`); default: the documented defaults. */
  readonly params?: Readonly<Record<string, unknown>>;
}

/** One address space of one mode's answer. */
export interface SpacePlan {
  readonly space: SpaceName;
  /** Smallest range that holds the need (largest prefix length), or null when none up to the largest allowed does. */
  readonly prefix: number | null;
  /** Addresses in the range (2^(32 − prefix)); 0 without a prefix. */
  readonly size: number;
  /** Addresses usable by this use (after Azure's reservations, whole blocks). */
  readonly usable: number;
  readonly needed: number;
  readonly inUse: number;
  /** needed − inUse: taken by nodes but used by no pod or node (pre-reservations, idle block slots, free batch addresses). */
  readonly wasted: number;
  /** usable − needed: room left in the range. */
  readonly spare: number;
  readonly largest: number;
  readonly smallest: number;
  readonly rule: string;
}

export interface ModePlan {
  readonly mode: string;
  readonly maxPods: number;
  readonly nodes: number;
  readonly surge: number;
  readonly pods: number;
  readonly spaces: readonly SpacePlan[];
  /** Why the mode cannot hold the request; empty when it can. */
  readonly blockers: readonly string[];
  readonly notes: readonly string[];
}

/** The smallest range (largest prefix length) from need.smallest up to need.largest that holds `needed`, or null. */
export function smallestPrefix(need: Pick<SpaceNeed, 'capacity' | 'fillBelow' | 'largest' | 'smallest'>, needed: number): number | null {
  for (let p = need.smallest; p >= need.largest; p--) if (spaceHolds(need, p, needed)) return p;
  return null;
}

export function spacePlan(need: SpaceNeed, needed = need.needed, inUse = need.inUse): SpacePlan {
  const prefix = smallestPrefix(need, needed);
  const usable = prefix === null ? 0 : need.capacity(prefix);
  return {
    space: need.space,
    prefix,
    size: prefix === null ? 0 : rangeSize(prefix),
    usable,
    needed,
    inUse,
    wasted: needed - inUse,
    spare: prefix === null ? 0 : usable - needed,
    largest: need.largest,
    smallest: need.smallest,
    rule: need.rule,
  };
}

function checkCount(name: string, v: number | undefined, min: number): void {
  if (v === undefined) return;
  if (!Number.isSafeInteger(v) || v < min || v > 10_000_000) throw inputError(`--${name}: ${String(v)} is not a whole number from ${min} to 10,000,000`);
}

/** Plans every requested mode. Throws an input error for a bad request (unknown mode, negative counts). */
export function planModes(req: PlanRequest): ModePlan[] {
  checkCount('nodes', req.nodes, 1);
  checkCount('max-nodes', req.maxNodes, 1);
  if (typeof req.surge === 'number') checkCount('surge', req.surge, 0);
  checkCount('max-pods', req.maxPods, 1);
  checkCount('pods', req.pods, 0);
  if (req.modes.length === 0) throw inputError(`--mode: no mode given; expected one of ${MODE_NAMES.join(', ')} or all`);
  return req.modes.map((mode) => {
    const info = modeInfo(mode);
    const planner = modePlanner(mode);
    if (info === undefined || planner === undefined) throw inputError(`--mode: unknown mode "${mode}"; expected one of ${MODE_NAMES.join(', ')} or all`);
    const params = req.params?.[mode] ?? info.params.parse({});
    const pool = info.poolParams.parse({});
    const maxPods = req.maxPods ?? maxPodsRange(info, pool, params).default;
    const nodes = Math.max(req.nodes, req.maxNodes ?? 0);
    const surge = req.surge === undefined ? 0 : surgeNodes(req.surge, nodes);
    const pods = req.pods ?? nodes * maxPods;
    const needs = planner.needs({ nodes, surge, maxPods, pods, params, pool });
    const blockers = [...needs.blockers];
    if (pods > nodes * maxPods) {
      blockers.push(`${fmt(pods)} pods do not fit on ${fmt(nodes)} nodes of ${maxPods} pods: that needs ${fmt(Math.ceil(pods / maxPods))} nodes (raise --max-nodes or --max-pods)`);
    }
    const spaces = needs.spaces.map((n) => spacePlan(n));
    for (const s of spaces) {
      if (s.prefix === null) blockers.push(`the ${SPACE_LABEL[s.space]} would need ${fmt(s.needed)} addresses, more than a /${s.largest} can give`);
    }
    return { mode, maxPods, nodes, surge, pods, spaces, blockers, notes: needs.notes };
  });
}

/** "all" or a comma-separated list → mode names, in MODE_NAMES order for "all". */
export function parseModes(text: string): string[] {
  if (text.trim() === 'all') return [...MODE_NAMES];
  const modes = text.split(',').map((m) => m.trim()).filter((m) => m !== '');
  const bad = modes.filter((m) => !MODE_NAMES.includes(m));
  if (modes.length === 0 || bad.length > 0) {
    throw inputError(`--mode: ${bad.length ? `unknown mode ${bad.map((b) => `"${b}"`).join(', ')}` : 'no mode given'}; expected all, or a comma-separated list of ${MODE_NAMES.join(', ')}`);
  }
  return modes;
}

// --- output --------------------------------------------------------------------------------------------

const SPACES: readonly SpaceName[] = ['node-subnet', 'pod-subnet', 'pod-cidr'];

/** The modes side by side: a column per mode, a group of rows per address space; then the reasons and notes. */
export function planTable(plans: readonly ModePlan[]): string {
  const rows: string[][] = [['', ...plans.map((p) => p.mode + (p.blockers.length ? ' (cannot)' : ''))]];
  rows.push(['max-pods', ...plans.map((p) => String(p.maxPods))]);
  rows.push(['nodes + surge', ...plans.map((p) => `${fmt(p.nodes)} + ${fmt(p.surge)}`)]);
  rows.push(['pods', ...plans.map((p) => fmt(p.pods))]);
  for (const space of SPACES) {
    if (!plans.some((p) => p.spaces.some((s) => s.space === space))) continue;
    const of = (p: ModePlan) => p.spaces.find((s) => s.space === space);
    rows.push([`${SPACE_LABEL[space]}: smallest prefix`, ...plans.map((p) => {
      const s = of(p);
      if (!s) return '—';
      return s.prefix === null ? `> /${s.largest}` : `/${s.prefix} (${fmt(s.usable)} usable)`;
    })]);
    rows.push(['  addresses needed', ...plans.map((p) => { const s = of(p); return s ? fmt(s.needed) : '—'; })]);
    rows.push(['  addresses wasted', ...plans.map((p) => { const s = of(p); return s ? fmt(s.wasted) : '—'; })]);
  }
  const lines = [sideBySide(rows, 'left')];
  const why = plans.filter((p) => p.blockers.length > 0);
  if (why.length) {
    lines.push('', 'cannot hold this cluster:');
    for (const p of why) for (const b of p.blockers) lines.push(`  ${p.mode}: ${b}`);
  }
  lines.push('', 'how:');
  for (const p of plans) for (const s of p.spaces) lines.push(`  ${p.mode}, ${SPACE_LABEL[s.space]}: ${s.rule}`);
  const notes = plans.flatMap((p) => p.notes);
  if (notes.length) {
    lines.push('', 'notes:');
    for (const n of notes) lines.push(`  ${n}`);
  }
  lines.push('  wasted = addresses taken by nodes that no pod or node uses (pre-reservations, idle block addresses, free batch addresses)');
  return lines.join('\n');
}

export const PLAN_CSV_COLUMNS = ['mode', 'space', 'prefix', 'size', 'usable', 'needed', 'in_use', 'wasted', 'spare', 'max_pods', 'nodes', 'surge', 'pods', 'status', 'reason'] as const;

function csvCell(v: string | number): string {
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A row per mode and space, for a spreadsheet. */
export function planCsv(plans: readonly ModePlan[]): string {
  const lines = [PLAN_CSV_COLUMNS.join(',')];
  for (const p of plans) {
    for (const s of p.spaces) {
      lines.push([
        p.mode, s.space, s.prefix === null ? '' : `/${s.prefix}`, s.size, s.usable, s.needed, s.inUse, s.wasted, s.spare,
        p.maxPods, p.nodes, p.surge, p.pods, p.blockers.length ? 'cannot' : 'ok', p.blockers.join('; '),
      ].map(csvCell).join(','));
    }
  }
  return `${lines.join('\n')}\n`;
}
