/** How figures read in the report and the console table: durations as durations, fractions as percentages. */

/** A time in seconds as a duration: 0, 30s, 1m, 1h, 1d, 33m7s, 2h3m, 1d1h1m1s. */
export function formatTime(seconds: number): string {
  const s = Math.round(seconds * 1000) / 1000; // to the millisecond, so 119.9999 reads 2m, not 1m60s
  if (s === 0) return '0';
  if (s < 60) return `${+s.toFixed(3)}s`;
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = +(s % 60).toFixed(3);
  return `${d ? `${d}d` : ''}${h ? `${h}h` : ''}${m ? `${m}m` : ''}${sec ? `${sec}s` : ''}`;
}

/** A wait as a duration rounded for reading: 0, 0.35s, 17m1.5s. */
export function formatWait(s: number | null): string {
  if (s === null) return '—';
  if (s === 0) return '0';
  return formatTime(s < 10 ? +s.toFixed(2) : +s.toFixed(1));
}

export const percent = (v: number) => `${(v * 100).toFixed(v > 0 && v < 0.1 ? 1 : 0)}%`;
export const count = (v: number) => Math.round(v).toLocaleString('en-US');
