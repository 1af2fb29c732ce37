/**
 * Collecting validation problems with their paths (`nodePools[1].maxPods`), friendly zod messages, and
 * "did you mean" suggestions for near-miss keys and names. Boundary code: runs once per scenario file.
 */
import { z } from 'zod';
import { inputError, type CnisimError, type Problem } from '../errors.js';

/** Joins path parts: `at('nodePools', 1, 'maxPods')` → `nodePools[1].maxPods`; '' parts are skipped. */
export function at(...parts: readonly (string | number | PropertyKey)[]): string {
  let out = '';
  for (const p of parts) {
    if (typeof p === 'number') out += `[${p}]`;
    else if (p === '') continue;
    else out += out === '' ? String(p) : `.${String(p)}`;
  }
  return out;
}

export class Problems {
  readonly errors: Problem[] = [];
  readonly warnings: Problem[] = [];

  error(path: string, message: string): void {
    this.errors.push({ path, message });
  }

  warn(path: string, message: string): void {
    if (!this.warnings.some((w) => w.path === path && w.message === message)) this.warnings.push({ path, message });
  }

  get failed(): boolean {
    return this.errors.length > 0;
  }

  /** Adds every issue of a failed zod parse, under `base`. */
  zod(base: string, error: z.ZodError): void {
    for (const issue of error.issues) {
      if (issue.code === 'unrecognized_keys') {
        // The error map wrote one line per key, in the order of issue.keys.
        const lines = issue.message.split('\n');
        issue.keys.forEach((key, i) => this.error(at(base, ...issue.path, key), lines[i] ?? `unknown key "${key}"`));
      } else {
        this.error(at(base, ...issue.path), issue.message);
      }
    }
  }
}

/** `file: path: message` lines, one per problem (`file: message` when the path is empty). */
export function formatProblems(file: string, problems: readonly Problem[]): string {
  return problems.map((p) => (p.path === '' ? `${file}: ${p.message}` : `${file}: ${p.path}: ${p.message}`)).join('\n');
}

export function scenarioError(file: string, problems: Problem[]): CnisimError {
  return inputError(formatProblems(file, problems), { file, problems });
}

/** A short, safe rendering of any input value for messages (long strings cut). */
export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Uint8Array) return 'binary data';
  if (typeof value === 'object') return 'a mapping';
  return typeof value;
}

/**
 * Edit distance with adjacent transpositions (optimal string alignment: "wbe" → "web" is 1), capped: returns
 * cap + 1 as soon as the distance must exceed cap. O(|a|·|b|).
 */
export function editDistance(a: string, b: string, cap = 3): number {
  if (Math.abs(a.length - b.length) > cap) return cap + 1;
  let prev2 = new Array<number>(b.length + 1).fill(0);
  let prev = new Array<number>(b.length + 1);
  let cur = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a.charCodeAt(i - 1) === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1)) d = Math.min(d, prev2[j - 2]! + 1);
      cur[j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > cap) return cap + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[b.length]!;
}

/** The closest candidate to `word` (case differences count as near), or undefined when none is close. */
export function suggest(word: string, candidates: readonly string[]): string | undefined {
  if (word.length > 64) return undefined;
  const lower = word.toLowerCase();
  const exactCase = candidates.find((c) => c.toLowerCase() === lower);
  if (exactCase !== undefined) return exactCase;
  const cap = word.length <= 4 ? 1 : word.length <= 8 ? 2 : 3;
  let best: string | undefined;
  let bestD = cap + 1;
  for (const c of candidates) {
    const d = editDistance(lower, c.toLowerCase(), cap);
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best;
}

/** ` (did you mean "x"?)` or ''. */
export function didYouMean(word: string, candidates: readonly string[]): string {
  const s = suggest(word, candidates);
  return s === undefined ? '' : `: did you mean "${s}"?`;
}

/**
 * Keys users bring from az (`--vnet-subnet-id`, `--pod-subnet-id`) that name a subnet by its resource id: cnisim
 * needs the range, under the key that takes it.
 */
const SUBNET_ID_KEYS: Readonly<Record<string, string>> = {
  vnetSubnetId: 'nodeSubnet',
  vnetSubnetID: 'nodeSubnet',
  nodeSubnetId: 'nodeSubnet',
  podSubnetId: 'podSubnet',
  podSubnetID: 'podSubnet',
};

export function unknownKeyMessage(key: string, known: readonly string[]): string {
  const range = SUBNET_ID_KEYS[key];
  if (range !== undefined && known.includes(range)) {
    return `unknown key "${key}": did you mean "${range}"? It takes the subnet's range, not its id, e.g. ${range}: 10.240.0.0/16 ` +
      '(az network vnet subnet show --ids <id> --query addressPrefix prints it)';
  }
  const hint = didYouMean(key, known);
  return hint !== '' ? `unknown key "${key}"${hint}` : `unknown key "${key}": expected one of ${known.join(', ')}`;
}

const TYPE_NAMES: Record<string, string> = {
  number: 'a number',
  int: 'an integer',
  string: 'a string',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping',
};

function shapeKeysOf(inst: unknown): string[] {
  const def = (inst as { _zod?: { def?: { shape?: Record<string, unknown> } } } | undefined)?._zod?.def;
  return def?.shape ? Object.keys(def.shape) : [];
}

/**
 * Friendly messages for zod issues, passed to every safeParse of scenario input (schema-level messages win).
 * Unknown keys: one line per key with a suggestion taken from the object's own shape.
 */
export const errorMap = (iss: z.core.$ZodRawIssue): string | undefined => {
  switch (iss.code) {
    case 'invalid_type': {
      if (iss.input === undefined) return 'required';
      if (iss.expected === 'int' && typeof iss.input === 'number') return `${describe(iss.input)} is not an integer`;
      if (iss.expected === 'number' && typeof iss.input === 'number') return `${describe(iss.input)} is not a finite number`;
      return `expected ${TYPE_NAMES[iss.expected] ?? iss.expected}, got ${describe(iss.input)}`;
    }
    case 'too_big': {
      const max = String(iss.maximum);
      if (iss.origin === 'string') return `is ${(iss.input as string).length} characters long: at most ${max} allowed`;
      if (iss.origin === 'array') return `has ${(iss.input as unknown[]).length} entries: at most ${max} allowed`;
      return iss.inclusive ? `${describe(iss.input)} is above the maximum of ${max}` : `${describe(iss.input)} must be below ${max}`;
    }
    case 'too_small': {
      const min = String(iss.minimum);
      if (iss.origin === 'string') return iss.minimum === 1 ? 'must not be empty' : `must be at least ${min} characters long`;
      if (iss.origin === 'array') return iss.minimum === 1 ? 'must not be empty' : `needs at least ${min} entries`;
      return iss.inclusive ? `${describe(iss.input)} is below the minimum of ${min}` : `${describe(iss.input)} must be above ${min}`;
    }
    case 'invalid_value': {
      const values = iss.values.map((v) => String(v));
      const hint = typeof iss.input === 'string' ? didYouMean(iss.input, values) : '';
      return values.length === 1
        ? `${describe(iss.input)} is not allowed: expected "${values[0]}"`
        : `${describe(iss.input)} is not one of ${values.join(', ')}${hint}`;
    }
    case 'unrecognized_keys': {
      const known = shapeKeysOf(iss.inst);
      return iss.keys.map((k) => unknownKeyMessage(k, known)).join('\n');
    }
    default:
      return undefined;
  }
};

/** safeParse with the friendly messages; problems land under `base`. Returns undefined on failure. */
export function parseWith<T>(schema: z.ZodType<T>, value: unknown, base: string, p: Problems): T | undefined {
  const r = schema.safeParse(value, { error: errorMap });
  if (r.success) return r.data;
  p.zod(base, r.error);
  return undefined;
}
