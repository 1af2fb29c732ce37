/**
 * Durations at the boundary: a number of seconds, or a string like `90s`, `5m`, `1.5h`, `2d`, `250ms`.
 * Inside a run every time is an integer number of milliseconds.
 */
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const DURATION_RE = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*$/;

/** Parses a duration to integer milliseconds, or returns an error message saying what is expected. */
export function parseDuration(value: unknown): number | string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) return `${String(value)} is not a duration: expected a number of seconds ≥ 0 or a string like "90s", "5m", "2h", "1d"`;
    return Math.round(value * 1000);
  }
  if (typeof value === 'string') {
    const m = DURATION_RE.exec(value);
    if (!m) return `"${value.length > 40 ? value.slice(0, 40) + '…' : value}" is not a duration: expected a number of seconds or a string like "90s", "5m", "2h", "1d"`;
    return Math.round(Number(m[1]) * UNIT_MS[m[2]!]!);
  }
  return `expected a duration (a number of seconds or a string like "5m"), got ${value === null ? 'null' : typeof value}`;
}

/** Formats milliseconds the way a user would write them (for messages and `cnisim modes`). */
export function formatDuration(ms: number): string {
  for (const [unit, size] of [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000]] as const) {
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
