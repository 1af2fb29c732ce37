/**
 * The shape of a scenario file: zod schemas for every field, with the limits that keep a run sane, and the
 * `fields()` helper that checks one mapping key by key (unknown keys refused with a suggestion), so one bad
 * field never hides the problems of its neighbours. Cross-field rules live in validate.ts.
 */
import { z } from 'zod';
import { parseCidr, parseCidr4, parseCidr6, parseIp4, type Cidr, type Cidr4, type Cidr6 } from '../net/index.js';
import { parseDuration, formatDuration } from '../units.js';
import { at, describe, parseWith, unknownKeyMessage, type Problems } from './problems.js';
import { MODE_INFOS } from '../alloc/registry.js';
import { PLATFORMS } from '../alloc/platform/platforms.js';
import { migrationTargets } from './drafts.js';

/** Subnet, VNet, resource-group names and Kubernetes labels: at most 63 characters [overlay-doc]. */
export const NAME_MAX = 63;
/** Longest description kept [assumption]. */
export const DESCRIPTION_MAX = 2000;
/** Nodes one pool may ask for, and a `nodes` event's count: guards against absurd input [assumption]. */
export const MAX_NODES = 100_000;
/** Replicas of one deployment: guards against absurd input [assumption; clusters of up to 1M pods, podsubnet-doc]. */
export const MAX_REPLICAS = 10_000_000;
/** Longest simulated time [assumption]. */
export const MAX_DURATION_MS = 365 * 86_400_000;
/** Most samples a run may take: duration / sampleEvery [assumption]. */
export const MAX_SAMPLES = 1_000_000;
/** Node pools per cluster [aks-docs: AKS supports up to 100 node pools]. */
export const MAX_POOLS = 100;
/** Clusters per scenario [assumption]. */
export const MAX_CLUSTERS = 100;
/** Workload entries per cluster [assumption]. */
export const MAX_EVENTS = 100_000;
/** Peered or connected networks listed [Azure limits: 500 VNet peerings per VNet]. */
export const MAX_PEERED = 500;
/** Additional IPv4 pod CIDRs of a cluster [assumption: absurd-input guard; Cilium lists a handful]. */
export const MAX_EXTRA_POD_CIDRS = 16;
/** Node subnets of one pool: one per availability zone [assumption: regions have at most 6 zones]. */
export const MAX_ZONES = 6;
/** Churn arrivals per second [assumption: absurd-input guard]. */
export const MAX_RATE = 100_000;

/** Pool, cluster and workload names: a Kubernetes label value, lower case. */
const NAME_RE = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
/** Scenario names (results folder): no leading dot, so never `.` or `..`. */
const SCENARIO_NAME_RE = /^[a-z0-9][a-z0-9._-]*$/;

export const nameSchema = z
  .string()
  .max(NAME_MAX)
  .refine((s) => NAME_RE.test(s), {
    error: (iss) => `${describe(iss.input)} is not a valid name: use lower-case letters, digits and '-', starting and ending with a letter or digit`,
  });

export const scenarioNameSchema = z
  .string()
  .max(NAME_MAX)
  .refine((s) => SCENARIO_NAME_RE.test(s), {
    error: (iss) => `${describe(iss.input)} is not a valid scenario name: use lower-case letters, digits, '.', '_' and '-', starting with a letter or digit (it names the results folder)`,
  });

/** Free-text names validated only for length (VNet, subnet, resource group) [overlay-doc: at most 63 characters]. */
export const azureNameSchema = z.string().min(1).max(NAME_MAX);

/** A duration in milliseconds: `min` 'zero' allows 0, 'positive' requires > 0; at most `maxMs`. */
export function durationSchema(min: 'zero' | 'positive', maxMs = MAX_DURATION_MS) {
  return z.unknown().transform((v, ctx) => {
    const r = typeof v === 'string' && v.length > 40 ? `${describe(v)} is not a duration` : parseDuration(v);
    if (typeof r === 'string') {
      ctx.addIssue({ code: 'custom', message: r });
      return z.NEVER;
    }
    if (min === 'positive' && r <= 0) {
      ctx.addIssue({ code: 'custom', message: `${describe(v)} must be longer than 0` });
      return z.NEVER;
    }
    if (r > maxMs) {
      ctx.addIssue({ code: 'custom', message: `${describe(v)} is longer than the maximum of ${formatDuration(maxMs)}` });
      return z.NEVER;
    }
    return r;
  });
}

function parsed<T>(parse: (text: string) => T, what: string, example: string) {
  return z.unknown().transform((v, ctx): T => {
    if (typeof v !== 'string') {
      ctx.addIssue({ code: 'custom', message: `expected ${what} like ${example}, got ${describe(v)}` });
      return z.NEVER;
    }
    if (v.length > 100) {
      ctx.addIssue({ code: 'custom', message: `${describe(v)} is not ${what}` });
      return z.NEVER;
    }
    try {
      return parse(v);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: err instanceof Error ? err.message : String(err) });
      return z.NEVER;
    }
  });
}

export const cidr4Schema = parsed<Cidr4>(parseCidr4, 'an IPv4 CIDR', '10.240.0.0/16');
export const cidr6Schema = parsed<Cidr6>(parseCidr6, 'an IPv6 CIDR', 'fd12:3456:789a::/64');
export const cidrSchema = parsed<Cidr>(parseCidr, 'a CIDR', '10.240.0.0/16');
export const ip4Schema = parsed<number>(parseIp4, 'an IPv4 address', '10.0.0.10');

export const count = (max: number) => z.number().int().min(0).max(max);

export const autoscalerSchema = z.strictObject({
  minCount: count(MAX_NODES),
  maxCount: count(MAX_NODES),
  provisionDelay: durationSchema('zero').optional(),
  scaleDownDelay: durationSchema('zero').optional(),
});

export const POOL_SHAPE = {
  name: nameSchema,
  count: count(MAX_NODES),
  nodeCount: count(MAX_NODES),
  maxPods: z.number().int().min(1).max(100_000),
  nodeSubnet: cidr4Schema,
  /** One node subnet per availability zone; nodes are balanced across them. */
  nodeSubnets: z.array(cidr4Schema).min(1).max(MAX_ZONES),
  podSubnet: cidr4Schema,
  /** The pool's own pod range, for modes that take one (GKE's additional pod ranges). */
  podCidr: cidr4Schema,
  autoscaler: autoscalerSchema,
  bootDelay: durationSchema('zero'),
};

/** Keys the modes declare for node pools (ModeInfo.poolKeys: instanceType…), first declaration wins. O(modes). */
export function modePoolShape(): Readonly<Record<string, z.ZodType>> {
  return Object.fromEntries([...MODE_INFOS].reverse().flatMap((i) => Object.entries(i.poolKeys)));
}

/** The node-pool keys: the scenario's own and the modes'. */
export function fullPoolShape(): typeof POOL_SHAPE & Readonly<Record<string, z.ZodType>> {
  return { ...modePoolShape(), ...POOL_SHAPE };
}

export const NETWORK_SHAPE = {
  vnetCidr: cidr4Schema,
  /** The same for an AWS VPC (EKS users' word for it). */
  vpcCidr: cidr4Schema,
  nodeSubnet: cidr4Schema,
  podSubnet: cidr4Schema,
  podCidr: cidr4Schema,
  podCidrs: z.array(cidrSchema).min(1).max(2),
  serviceCidr: cidr4Schema,
  serviceCidrs: z.array(cidrSchema).min(1).max(2),
  dnsServiceIp: ip4Schema,
  /** More IPv4 pod CIDRs after podCidr, for modes that take several (Calico IP pools, Cilium's CIDR list). */
  additionalPodCidrs: z.array(cidr4Schema).min(1).max(MAX_EXTRA_POD_CIDRS),
  peeredCidrs: z.array(cidrSchema).max(MAX_PEERED),
  ipFamilies: z.array(z.enum(['ipv4', 'ipv6'])).min(1).max(2),
  vnetName: azureNameSchema,
  nodeSubnetName: azureNameSchema,
  podSubnetName: azureNameSchema,
  resourceGroup: azureNameSchema,
  /** Private addresses the VNet may hold, shared by its clusters [vnet-limits: 65,536]. */
  vnetIpLimit: z.unknown().transform((v, ctx) => {
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1) {
      ctx.addIssue({ code: 'custom', message: `${describe(v)} is not a number of addresses: give a whole number ≥ 1 (Azure's limit is 65,536 private addresses per VNet)` });
      return z.NEVER;
    }
    return v;
  }),
};

export const TOP_SHAPE = {
  name: scenarioNameSchema,
  description: z.string().max(DESCRIPTION_MAX),
  seed: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  duration: durationSchema('positive'),
  sampleEvery: durationSchema('positive'),
  platform: z.enum(PLATFORMS),
  modes: z.array(z.string().max(100)).min(1).max(50),
  placement: z.enum(['spread', 'pack']),
  network: z.unknown(),
  nodePools: z.array(z.unknown()).min(1).max(MAX_POOLS),
  workload: z.array(z.unknown()).max(MAX_EVENTS),
  parameters: z.unknown(),
  clusters: z.array(z.unknown()).min(1).max(MAX_CLUSTERS),
};

export const CLUSTER_SHAPE = {
  name: nameSchema,
  mode: z.string().max(100),
  network: z.unknown(),
  nodePools: z.array(z.unknown()).min(1).max(MAX_POOLS),
  workload: z.array(z.unknown()).max(MAX_EVENTS),
};

/** Event bodies, keyed by the event key of a workload entry. */
export const EVENT_SHAPES = {
  /** hostNetwork: the pods use their node's address (kube-proxy, CNI agents): placed and counted against max-pods, never given a pod address. */
  deploy: z.strictObject({ name: nameSchema, pool: nameSchema, replicas: count(MAX_REPLICAS), hostNetwork: z.boolean().optional() }),
  scale: z.strictObject({ name: nameSchema, replicas: count(MAX_REPLICAS) }),
  delete: z.strictObject({ name: nameSchema }),
  daemonset: z.strictObject({ name: nameSchema, pool: nameSchema.optional(), hostNetwork: z.boolean().optional() }),
  churn: z.strictObject({
    pool: nameSchema,
    ratePerSecond: z.number().gt(0).max(MAX_RATE),
    lifetime: durationSchema('positive'),
  }),
  nodes: z.strictObject({ pool: nameSchema, count: count(MAX_NODES) }),
  upgrade: z.strictObject({
    pool: nameSchema,
    maxSurge: z
      .union([z.number(), z.string()])
      .optional()
      .superRefine((v, ctx) => {
        if (v === undefined) return;
        if (typeof v === 'number') {
          if (!Number.isInteger(v) || v < 1 || v > MAX_NODES) ctx.addIssue({ code: 'custom', message: `${describe(v)} is not a surge: expected a whole number of nodes from 1 to ${MAX_NODES}, or a percentage like "33%"` });
        } else {
          const m = /^([0-9]{1,3})%$/.exec(v);
          if (!m || Number(m[1]) < 1 || Number(m[1]) > 100) ctx.addIssue({ code: 'custom', message: `${describe(v)} is not a surge: expected a percentage from "1%" to "100%", or a number of nodes` });
        }
      }),
    drain: durationSchema('zero').optional(),
    boot: durationSchema('zero').optional(),
  }),
  migrate: z.strictObject({
    to: z.string().refine((t) => migrationTargets().includes(t), { error: (iss) => `${describe(iss.input)} is not a mode any mode migrates to: expected ${migrationTargets().join(' or ')}` }),
    podCidr: cidr4Schema.optional(),
  }),
  expandPodCidr: z.strictObject({ podCidr: cidr4Schema }),
  addPool: z.unknown(),
  removePool: z.strictObject({ pool: nameSchema }),
} as const;

export type EventKey = keyof typeof EVENT_SHAPES;
export const EVENT_KEYS = Object.keys(EVENT_SHAPES) as EventKey[];

type Shape = Record<string, z.ZodType>;
/** What `fields()` found: a value per key that parsed; `bad` lists keys that were present but invalid. */
export interface Fields<S extends Shape> {
  readonly values: { [K in keyof S]?: z.output<S[K]> };
  readonly bad: ReadonlySet<keyof S>;
  /** The mapping's own path. */
  readonly path: string;
}

/**
 * Checks a mapping field by field against `shape`: unknown keys refused with a suggestion, each present key
 * parsed on its own. Returns null (with a problem) when `raw` is not a mapping.
 */
export function fields<S extends Shape>(raw: unknown, path: string, shape: S, p: Problems, what: string): Fields<S> | null {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    p.error(path, `expected ${what} (a mapping), got ${describe(raw)}`);
    return null;
  }
  const obj = raw as Record<string, unknown>;
  const known = Object.keys(shape);
  const values: Record<string, unknown> = {};
  const bad = new Set<keyof S>();
  for (const key of Object.keys(obj)) {
    if (!Object.prototype.hasOwnProperty.call(shape, key)) p.error(at(path, key), unknownKeyMessage(key, known));
  }
  for (const key of known) {
    if (!Object.prototype.hasOwnProperty.call(obj, key) || obj[key] === undefined) continue;
    const v = parseWith(shape[key]!, obj[key], at(path, key), p);
    if (v === undefined) bad.add(key);
    else values[key] = v;
  }
  return { values: values as Fields<S>['values'], bad, path };
}
