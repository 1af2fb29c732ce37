/** Durations as a person reads them: `17m 1.5s`, `2h 5m`, `0.25s` (CSV files keep seconds in `_s` columns). */

const PARTS: readonly [string, number][] = [['d', 86_400], ['h', 3_600], ['m', 60]];

/** Seconds as days, hours, minutes and seconds, largest first, zero parts left out; seconds to the millisecond. */
export function humanSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return String(seconds);
  const sign = seconds < 0 ? '-' : '';
  let ms = Math.round(Math.abs(seconds) * 1000);
  const out: string[] = [];
  for (const [unit, size] of PARTS) {
    const n = Math.floor(ms / (size * 1000));
    if (n > 0) out.push(`${n}${unit}`);
    ms -= n * size * 1000;
  }
  if (ms > 0 || out.length === 0) out.push(`${(ms / 1000).toFixed(3).replace(/\.?0+$/, '')}s`);
  return sign + out.join(' ');
}
