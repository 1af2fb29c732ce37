/**
 * `cnisim modes`: every mode of the table as text — its rules with their source tags, then where each tag can be
 * read (a documentation page or a repository path), max-pods, parameters with their defaults (durations with
 * units), node-pool keys and its own refusal causes. O(modes × rules).
 */
import { formatParam, maxPodsRange, type ModeInfo } from './info.js';
import { PLATFORM_INFO } from './platform/platforms.js';
import { MODES } from './registry.js';

/** Source tags a rule line cites: the comma-separated words of its trailing brackets. */
function tagsOf(rule: string): string[] {
  const m = /\[([^\]]+)\]\s*$/.exec(rule);
  return m ? m[1]!.split(',').map((t) => t.trim().split(/[\s:]/)[0]!).filter((t) => t !== '') : [];
}

export function describeMode(m: ModeInfo): string {
  const out: string[] = [];
  out.push(`${m.name} — ${m.title} (${PLATFORM_INFO[m.platform].title})`);
  out.push(`  ${m.summary}`);
  const mp = maxPodsRange(m);
  out.push(`  max-pods: default ${mp.default}, range ${mp.min}–${mp.max}${mp.why ? ` (${mp.why})` : ''}`);
  for (const r of m.rules) out.push(`  • ${r}`);
  const defaults = m.params.parse({}) as Record<string, unknown>;
  const keys = Object.keys(defaults);
  if (keys.length) out.push(`  parameters (scenario \`parameters.${m.name}\`; durations in seconds or "5s", "2m"): ${keys.map((k) => `${k}=${formatParam(m.params, k, defaults[k])}`).join(', ')}`);
  const poolKeys = Object.keys(m.poolKeys);
  if (poolKeys.length) out.push(`  node-pool keys: ${poolKeys.join(', ')}`);
  if (m.causes.length) out.push(`  causes: ${m.causes.map((c) => `${c.name} (${c.meaning})`).join('; ')}`);
  const tags = [...new Set(m.rules.flatMap(tagsOf))];
  const cited = tags.filter((t) => m.sources[t] !== undefined);
  if (cited.length) {
    out.push('  sources:');
    for (const t of cited) out.push(`    [${t}] ${m.sources[t]}`);
  }
  return out.join('\n') + '\n';
}

export function describeModes(): string {
  return MODES.map((e) => describeMode(e.info)).join('\n');
}
