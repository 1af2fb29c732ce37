/** How figures read in the report and the console table: durations as durations, fractions as percentages. */
import { humanSeconds } from './duration.js';

/** A time in seconds as a duration: 0, 30s, 1m, 33m 7s, 2h 3m (one formatter for the console, the report and messages). */
export function formatTime(seconds: number): string {
  return seconds === 0 ? '0' : humanSeconds(seconds);
}

/** A wait as a duration rounded for reading: 0, 0.35s, 17m 1.5s. */
export function formatWait(s: number | null): string {
  if (s === null) return '—';
  if (s === 0) return '0';
  return formatTime(s < 10 ? +s.toFixed(2) : +s.toFixed(1));
}

export const percent = (v: number) => `${(v * 100).toFixed(v > 0 && v < 0.1 ? 1 : 0)}%`;
export const count = (v: number) => Math.round(v).toLocaleString('en-US');
