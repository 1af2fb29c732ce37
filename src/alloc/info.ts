/**
 * What a mode declares about itself, without its code: the scenario schema, the CLI and `cnisim modes`
 * read these; `registry.ts` pairs each with its factory.
 */
import { z } from 'zod';
import { formatDuration, parseDuration } from '../units.js';
import type { CauseDef } from './causes.js';
import type { Platform } from './platform/platforms.js';

/** The max-pods a node pool may have under a mode, and its default. */
export interface MaxPodsRange {
  readonly default: number;
  readonly min: number;
  readonly max: number;
  /** Above `max` is allowed with a warning instead of an error (AWS: the calculator's value is a recommendation). */
  readonly aboveMaxWarns?: boolean;
  /** Where the default comes from, for messages ("m5.large: 3 ENIs × (10 − 1) + 2"). */
  readonly why?: string;
  /**
   * Pods the default counts that take no pod address (EKS: aws-node and kube-proxy on the host network, the "+ 2"):
   * a node with max-pods pods that all need addresses leaves this many waiting. 0 when absent.
   */
  readonly hostNetworkPods?: number;
}

export interface ModeInfo<P = unknown, Q = unknown> {
  readonly name: string;
  readonly title: string;
  /** Whose network the mode runs on: its platform's rules (src/alloc/platform/) apply to it. */
  readonly platform: Platform;
  readonly summary: string;
  /** One line per rule, each ending with its source tags in brackets, for `cnisim modes`. */
  readonly rules: readonly string[];
  /** Source tag → where a user can read it (a documentation page or a repository path), for `cnisim modes`. */
  readonly sources: Readonly<Record<string, string>>;
  /** max-pods of a pool given its own settings (`poolParams` output) and the mode's parameters. */
  maxPods(pool: Q, params: P): MaxPodsRange;
  /** Which address spaces the mode draws from besides the node subnet. */
  /**
   * Which address spaces the mode draws from besides the node subnet; `poolPodCidr`: a node pool's own `podCidr`;
   * `podCidrList`: more IPv4 pod CIDRs after the first (network.additionalPodCidrs).
   */
  readonly uses: { readonly podSubnet: boolean; readonly podCidr: boolean; readonly dualStack: boolean; readonly poolPodCidr?: boolean; readonly podCidrList?: boolean };
  /** The pod CIDR the mode uses when the scenario names none (the project's own default), as text. */
  readonly defaultPodCidr?: string;
  /** Parameters with their documented defaults: `params.parse({})` gives the defaults. */
  readonly params: z.ZodType<P>;
  /**
   * Keys a node pool may carry for this mode (`instanceType`, an own `podCidr`…), each with its schema; the
   * scenario's node-pool schema accepts the keys of every mode. `poolParams` turns a pool's values into Q.
   */
  readonly poolKeys: Readonly<Record<string, z.ZodType>>;
  readonly poolParams: z.ZodType<Q>;
  /** Causes the mode may raise beyond the core ones (causes.ts), registered by defineCause when its info loads. */
  readonly causes: readonly CauseDef[];
  /** What the simulation may do with a cluster under this mode. */
  readonly capabilities: {
    /** `expandPodCidr` events apply (the allocator implements expandPodCidr). */
    readonly expandPodCidr: boolean;
    /** Modes a `migrate` event may take the cluster to. */
    readonly migratesTo: readonly string[];
    /**
     * The pod CIDR may contain the service CIDR: the mode never hands out the overlapping ranges (Kubernetes'
     * node IPAM occupies them up front). Default false: an overlap is an error.
     */
    readonly serviceCidrInsidePodCidr?: boolean;
  };
}

/** A mode whose max-pods does not depend on the pool or its parameters. */
export function fixedMaxPods(range: MaxPodsRange): () => MaxPodsRange {
  return () => range;
}

/** For modes with no per-pool settings. */
export const NO_POOL_PARAMS = z.object({}).transform(() => ({}));

/**
 * A duration parameter: seconds or "5s"/"2m"…, to integer milliseconds (at least `minMs`). The default is given
 * in input form (seconds) through `prefault`, so it goes through the same transform: zod 4's `.default()` would
 * return it untransformed (3 instead of 3000 ms).
 */
export function durationParam(defaultMs: number, minMs = 0, plausibleMaxMs = 3_600_000) {
  const schema = z
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
  DURATIONS.set(schema, { plausibleMaxMs });
  return schema;
}

/** Duration parameters (durationParam), with the longest value that is plausible for them. */
const DURATIONS = new WeakMap<z.ZodType, { readonly plausibleMaxMs: number }>();

/** The schema of each key of a mode's parameters (empty when the schema is not an object). */
export function paramSchemas(params: z.ZodType): Readonly<Record<string, z.ZodType>> {
  const shape = (params as unknown as { shape?: Record<string, z.ZodType> }).shape;
  return shape ?? {};
}

/** Whether parameter `key` of `params` is a duration (milliseconds inside, seconds or "5s" in a scenario), and its plausible maximum. */
export function durationOf(params: z.ZodType, key: string): { readonly plausibleMaxMs: number } | undefined {
  const s = paramSchemas(params)[key];
  return s === undefined ? undefined : DURATIONS.get(s);
}

/** A parameter value as a user writes it: durations with their unit (`grantLatency=3s`, never `3000`). */
export function formatParam(params: z.ZodType, key: string, value: unknown): string {
  if (durationOf(params, key) !== undefined && typeof value === 'number') return formatDuration(value);
  return String(value);
}

/**
 * A parameter key that was renamed: giving it is an error naming the new key (and what its values mean); absent,
 * it never appears in the parsed parameters.
 */
export function renamedParam(old: string, now: string, values: string) {
  return z
    .unknown()
    .optional()
    .transform((v, ctx): undefined => {
      if (v !== undefined) ctx.addIssue({ code: 'custom', message: `${old} was renamed ${now}: write ${now} instead (${values})` });
      return undefined;
    });
}

export function intParam(def: number, min: number, max: number) {
  return z.number().int().min(min).max(max).default(def);
}

/**
 * A pool's max-pods range under a mode: `pool` is the pool's settings (the output of `info.poolParams`), `params`
 * the mode's parameters; either defaults when absent (`poolParams.parse({})` and `params.parse({})` give every
 * mode's defaults).
 */
export function maxPodsRange(info: ModeInfo, pool?: unknown, params?: unknown): MaxPodsRange {
  return info.maxPods(pool ?? info.poolParams.parse({}), params ?? info.params.parse({}));
}
