/**
 * Command-line flags read the same way by every command: numbers and durations parsed from the text the user
 * typed (yargs' own number parsing turns `abc` into NaN), every message naming the flag, the form expected and
 * what was given; `--mode` and `--modes` both accepted wherever modes are chosen; help examples laid out so they
 * fit 80 columns without breaking a command. O(length of the text) each.
 */
import { inputError } from '../errors.js';
import { MODE_NAMES } from '../alloc/registry.js';
import { parseDuration } from '../units.js';

/** Width help is laid out for; examples' commands must fit it with their indent. */
export { HELP_WIDTH } from './width.js';

type Raw = string | number | boolean | readonly unknown[] | undefined | null;

/** The single text of a flag, or an error when it was given twice or without a value. */
function textOf(flag: string, v: Raw, expected: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (Array.isArray(v)) throw inputError(`--${flag}: give it once, as ${expected}`);
  if (typeof v === 'boolean' || v === '') throw inputError(`--${flag}: expected ${expected}, got no value`);
  return String(v).trim();
}

const WHOLE = /^[+]?\d+$/;

/**
 * A whole number from `min` (default 0) up to `max` (default 2^53 − 1): `--seed: expected a whole number ≥ 0,
 * got abc`. Undefined when the flag is absent.
 */
export function wholeFlag(flag: string, v: Raw, opts: { min?: number; max?: number } = {}): number | undefined {
  const min = opts.min ?? 0;
  const max = opts.max ?? Number.MAX_SAFE_INTEGER;
  const expected = `a whole number ≥ ${min}${max < Number.MAX_SAFE_INTEGER ? ` and ≤ ${max.toLocaleString('en-US')}` : ''}`;
  const t = textOf(flag, v, expected);
  if (t === undefined) return undefined;
  const n = WHOLE.test(t) ? Number(t) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) throw inputError(`--${flag}: expected ${expected}, got ${t}`);
  return n;
}

/** A number greater than 0 (fractions allowed): `--max-memory: expected a number > 0, got lots`. */
export function positiveFlag(flag: string, v: Raw): number | undefined {
  const t = textOf(flag, v, 'a number > 0');
  if (t === undefined) return undefined;
  const n = /^[+]?(\d+(\.\d*)?|\.\d+)(e[+]?\d+)?$/i.test(t) ? Number(t) : NaN;
  if (!(n > 0) || !Number.isFinite(n)) throw inputError(`--${flag}: expected a number > 0, got ${t}`);
  return n;
}

/** A duration greater than 0 in integer ms: a number of seconds, or `30s`, `5m`, `1.5h`, `2d`, `250ms`. */
export function durationFlag(flag: string, v: Raw): number | undefined {
  const expected = 'a duration > 0 such as 30s, 5m, 1.5h or a number of seconds';
  const t = textOf(flag, v, expected);
  if (t === undefined) return undefined;
  const ms = parseDuration(/^\d+(\.\d+)?$/.test(t) ? Number(t) : t);
  if (typeof ms === 'string' || ms <= 0) throw inputError(`--${flag}: expected ${expected}, got ${t}`);
  return ms;
}

/** An upgrade surge as scenarios write it: a node count (`2`) or a percentage of the pool (`33%`). */
export type Surge = number | `${number}%`;

export function surgeFlag(flag: string, v: Raw): Surge | undefined {
  const expected = 'a node count (e.g. 1) or a percentage of the pool (e.g. 33%)';
  const t = textOf(flag, v, expected);
  if (t === undefined) return undefined;
  const pct = /^(\d+(\.\d+)?)\s*%$/.exec(t);
  if (pct) {
    const p = Number(pct[1]);
    if (p > 0 && p <= 100) return `${p}%`;
    throw inputError(`--${flag}: a percentage must be above 0% and at most 100%, got ${t}`);
  }
  if (!WHOLE.test(t) || !Number.isSafeInteger(Number(t))) throw inputError(`--${flag}: expected ${expected}, got ${t}`);
  return Number(t);
}

/** Surge nodes for a pool of `nodes`: a count as given, a percentage rounded up (at least 1), as upgrades do. */
export function surgeNodes(surge: Surge, nodes: number): number {
  if (typeof surge === 'number') return surge;
  return Math.max(1, Math.ceil((nodes * parseFloat(surge)) / 100));
}

/**
 * The modes of `--mode` / `--modes` (either spelling; they are aliases): `all` or a comma-separated list.
 * Undefined when neither was given.
 */
export function modesFlag(argv: { mode?: Raw; modes?: Raw }, opts: { all?: boolean } = {}): string[] | undefined {
  const expected = `${opts.all ? 'all, or ' : ''}a comma-separated list of ${MODE_NAMES.join(', ')}`;
  // Aliases: yargs sets both keys to the same value (an array when the flag was repeated).
  const t = textOf('modes', argv.modes ?? argv.mode, expected);
  if (t === undefined) return undefined;
  if (opts.all && t === 'all') return [...MODE_NAMES];
  const modes = t.split(',').map((m) => m.trim()).filter((m) => m !== '');
  const bad = modes.filter((m) => !MODE_NAMES.includes(m));
  if (modes.length === 0 || bad.length > 0) {
    throw inputError(`--modes: ${bad.length ? `unknown mode ${bad.map((b) => `"${b}"`).join(', ')}` : 'no mode given'}; expected ${expected}`);
  }
  return modes;
}

/**
 * Help examples as an epilogue: the description on one line, the command whole on the next, so a command is
 * never broken across lines. A command longer than HELP_WIDTH − 4 is a bug in this file's callers (tested).
 */
export function exampleText(list: readonly (readonly [command: string, description: string])[]): string {
  const lines = ['Examples:'];
  for (const [command, description] of list) lines.push(`  # ${description}`, `    ${command}`);
  return lines.join('\n');
}
