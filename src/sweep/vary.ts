/**
 * `--vary <path>=<v1,v2,…>`: parsing, applying a value at a path of the raw scenario object (before
 * validation, so the validator checks every combination), and the cartesian product of several varies (the
 * first --vary changes slowest). Paths look like `nodePools[0].maxPods`, `parameters.dynamic.grantLatency`,
 * `network.podSubnet`. Values are YAML scalars: `30` is a number, `true` a boolean, `5s` or `10.0.0.0/16` strings.
 * Costs: parsing O(text); applying O(path length) plus a deep copy of the raw object per combination.
 */
import YAML from 'yaml';
import { inputError } from '../errors.js';

export type Segment = string | number;

export interface Vary {
  /** As written, e.g. `nodePools[0].maxPods`; names the CSV column. */
  readonly path: string;
  readonly segments: readonly Segment[];
  /** Parsed values, in the order given. */
  readonly values: readonly unknown[];
  /** The values as written, for the CSV cells. */
  readonly texts: readonly string[];
}

/** Values per --vary, at most [assumption: a guard against typos like a pasted list]. */
export const MAX_VALUES = 1000;
/** Combinations per sweep, at most [assumption]. */
export const MAX_COMBINATIONS = 100_000;

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

/** `a.b[0].c` → ['a', 'b', 0, 'c']. Throws an input error naming the flag. */
export function parsePath(path: string, flag = '--vary'): Segment[] {
  const segs: Segment[] = [];
  const re = /^(?:([A-Za-z_][A-Za-z0-9_-]*)|\.([A-Za-z_][A-Za-z0-9_-]*)|\[(\d{1,6})\])/;
  let rest = path;
  while (rest.length > 0) {
    const m = re.exec(rest);
    if (!m || (m[1] !== undefined && segs.length > 0)) {
      throw inputError(`${flag} ${path}: cannot read the path at "${rest}"; write it like nodePools[0].maxPods or parameters.dynamic.grantLatency`);
    }
    const key = m[1] ?? m[2];
    if (key !== undefined) {
      if (FORBIDDEN.has(key)) throw inputError(`${flag} ${path}: "${key}" is not a scenario key`);
      segs.push(key);
    } else segs.push(Number(m[3]));
    rest = rest.slice(m[0].length);
  }
  if (segs.length === 0 || typeof segs[0] !== 'string') throw inputError(`${flag} ${path}: the path must start with a key, like nodePools[0].maxPods`);
  return segs;
}

/** `path=v1,v2,…` → a Vary. */
export function parseVary(text: string): Vary {
  const eq = text.indexOf('=');
  if (eq <= 0) throw inputError(`--vary ${text}: expected <path>=<v1,v2,…>, e.g. --vary nodePools[0].maxPods=30,31,32`);
  const path = text.slice(0, eq).trim();
  const texts = text.slice(eq + 1).split(',').map((v) => v.trim());
  if (texts.some((t) => t === '')) throw inputError(`--vary ${text}: an empty value; separate values with single commas, e.g. ${path}=30,31`);
  if (texts.length > MAX_VALUES) throw inputError(`--vary ${path}: ${texts.length} values; at most ${MAX_VALUES}`);
  if (new Set(texts).size !== texts.length) throw inputError(`--vary ${path}: a value is listed twice`);
  const values = texts.map((t) => {
    try {
      return YAML.parse(t) as unknown;
    } catch {
      return t;
    }
  });
  return { path, segments: parsePath(path), values, texts };
}

/** Refuses two varies of one path. */
export function checkVaries(varies: readonly Vary[]): void {
  const seen = new Set<string>();
  for (const v of varies) {
    const key = JSON.stringify(v.segments);
    if (seen.has(key)) throw inputError(`--vary ${v.path}: given twice; list all its values in one --vary`);
    seen.add(key);
  }
  let n = 1;
  for (const v of varies) n *= v.values.length;
  if (n > MAX_COMBINATIONS) throw inputError(`--vary: ${n} combinations; at most ${MAX_COMBINATIONS}. Vary fewer values.`);
}

/** Every combination as value indices, the first vary changing slowest. */
export function combinations(varies: readonly Vary[]): number[][] {
  let out: number[][] = [[]];
  for (const v of varies) {
    const next: number[][] = [];
    for (const c of out) for (let i = 0; i < v.values.length; i++) next.push([...c, i]);
    out = next;
  }
  return out;
}

export function comboLabel(varies: readonly Vary[], combo: readonly number[]): string {
  return varies.map((v, i) => `${v.path}=${v.texts[combo[i]!]}`).join(', ') || '(no --vary)';
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * A deep copy of `raw` with `value` at the path. Missing mappings on the way are created (so
 * `parameters.dynamic.grantLatency` works on a file without `parameters`); a missing list entry is an error.
 */
export function applyAt(raw: unknown, vary: Pick<Vary, 'path' | 'segments'>, value: unknown): unknown {
  const root = structuredClone(raw) as unknown;
  if (!isObject(root)) throw inputError(`--vary ${vary.path}: the scenario is not a mapping`);
  let cur: unknown = root;
  const segs = vary.segments;
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i]!;
    const last = i === segs.length - 1;
    const where = pathText(segs.slice(0, i + 1));
    if (typeof seg === 'number') {
      if (!Array.isArray(cur)) throw inputError(`--vary ${vary.path}: ${pathText(segs.slice(0, i)) || 'the scenario'} is not a list`);
      if (seg >= cur.length) throw inputError(`--vary ${vary.path}: ${where} does not exist (the list has ${cur.length} entries)`);
      if (last) cur[seg] = value;
      else cur = cur[seg];
    } else {
      if (!isObject(cur)) throw inputError(`--vary ${vary.path}: ${pathText(segs.slice(0, i)) || 'the scenario'} is not a mapping`);
      if (last) cur[seg] = value;
      else {
        if (cur[seg] === undefined || cur[seg] === null) {
          if (typeof segs[i + 1] === 'number') throw inputError(`--vary ${vary.path}: ${where} does not exist`);
          cur[seg] = {};
        }
        cur = cur[seg];
      }
    }
  }
  return root;
}

export function pathText(segs: readonly Segment[]): string {
  return segs.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}
