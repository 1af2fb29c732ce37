/**
 * What a mode declares about itself, without its code: the scenario schema, the CLI and `cnisim modes`
 * read these; `registry.ts` pairs each with its factory.
 */
import { z } from 'zod';
import { parseDuration } from '../units.js';

export interface ModeInfo<P = unknown> {
  readonly name: string;
  readonly title: string;
  readonly summary: string;
  /** One line per rule, each with its source, for `cnisim modes`. */
  readonly rules: readonly string[];
  readonly maxPods: { readonly default: number; readonly min: number; readonly max: number };
  /** Which address spaces the mode draws from besides the node subnet. */
  readonly uses: { readonly podSubnet: boolean; readonly podCidr: boolean; readonly dualStack: boolean };
  /** Parameters with their documented defaults: `params.parse({})` gives the defaults. */
  readonly params: z.ZodType<P>;
}

/**
 * A duration parameter: seconds or "5s"/"2m"…, to integer milliseconds (at least `minMs`). The default is given
 * in input form (seconds) through `prefault`, so it goes through the same transform: zod 4's `.default()` would
 * return it untransformed (3 instead of 3000 ms).
 */
export function durationParam(defaultMs: number, minMs = 0) {
  return z
    .union([z.number(), z.string()])
    .transform((v, ctx) => {
      const r = parseDuration(v);
      if (typeof r === 'string') {
        ctx.addIssue({ code: 'custom', message: r });
        return z.NEVER;
      }
      if (r < minMs) {
        ctx.addIssue({ code: 'custom', message: `${r} ms is too short: at least ${minMs} ms` });
        return z.NEVER;
      }
      return r;
    })
    .prefault(defaultMs / 1000);
}

export function intParam(def: number, min: number, max: number) {
  return z.number().int().min(min).max(max).default(def);
}
