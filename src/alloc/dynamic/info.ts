import { z } from 'zod';
import { defineCause, type CauseDef } from '../causes.js';
import { durationParam, fixedMaxPods, intParam, NO_POOL_PARAMS, renamedParam, type ModeInfo } from '../info.js';
import { AZURE_SOURCES } from '../platform/azure-sources.js';
import { VNET_IP_LIMIT_DEF, vnetRule } from '../platform/azure-vnet.js';

/**
 * The control plane marked the pod subnet exhausted (its utilisation reached exhaustedAbove at a poll): nodes
 * switch to batch 1 [cns subnet scarcity, ClusterSubnetState]. A limit the control plane imposes, not a request
 * the subnet could not serve (that is pod-subnet-full).
 */
export const POD_SUBNET_SCARCE_DEF: CauseDef = {
  name: 'pod-subnet-scarce',
  kind: 'limit',
  color: '#bcbd22',
  meaning: 'the control plane marked the pod subnet exhausted (utilisation ≥ exhaustedAbove at a poll): dynamic nodes use batch 1 until it falls below recoveredBelow [cns]',
};
export const POD_SUBNET_SCARCE = defineCause(POD_SUBNET_SCARCE_DEF);

/** CNS v2 clamps the per-node cap at 250 whatever maxIPCount says [cns v2/monitor.go DefaultMaxIPs]. */
export const V2_MAX_IPS = 250;
/** CNS v2 recomputes its target at least every 60 s [cns v2/monitor.go maxReconcileDelay]. */
export const V2_RECONCILE_MS = 60_000;

/** The scaler's MaxIPCount: 'max-pods' (the node pool's max-pods, as the control plane sets it [cns PR 843]) or a number. */
const maxIpCount = z
  .unknown()
  .transform((v, ctx): number | 'max-pods' => {
    if (v === 'max-pods') return v;
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1 || v > 65_536) {
      ctx.addIssue({ code: 'custom', message: `${JSON.stringify(v)} is not a per-node address cap: give a whole number from 1 to 65,536, or max-pods (the default: the node pool's max-pods)` });
      return z.NEVER;
    }
    return v;
  })
  .prefault('max-pods');

export const dynamicParams = z.strictObject({
  /** Addresses per batch [podsubnet-doc, cns: 16]; clamped to maxIPCount [cns clampScaler]. */
  batchSize: intParam(16, 1, 256),
  /**
   * The scaler's request threshold [cns RequestThresholdPercent, 50 %]: v1 grows when requested − assigned <
   * round(batch × minFreeFraction) (8); v2 uses it as its buffer, target = batch·ceil(buffer + demand/batch).
   */
  minFreeFraction: z.number().min(0).max(1).default(0.5),
  /** v1 releases when free ≥ round(batch × maxFreeFraction) [cns ReleaseThresholdPercent, 150 % → 24]. */
  maxFreeFraction: z.number().min(0).max(8).default(1.5),
  /** Pool monitor version [cns]: v1 steps by batches; v2 targets batch·ceil(buffer + demand/batch). */
  monitor: z.enum(['v1', 'v2']).default('v1'),
  /** How often the v1 monitor looks at a node [cns: 1 s]. */
  monitorInterval: durationParam(1000, 1, 60_000),
  /** Control-plane delay before a request (a batch, or a release) is answered [assumption: no source states it]. */
  grantLatency: durationParam(3000, 0, 600_000),
  /** The node's network container takes one primary address from the pod subnet [cns; ACN issue 2462]. */
  primaryIp: z.boolean().default(true),
  /** Pod addresses one node may hold, its primary not counted [cns MaxIPCount; PR 843: the node's max-pods]. */
  maxIPCount: maxIpCount,
  perNodeCap: renamedParam('perNodeCap', 'maxIPCount', "a number, or max-pods for the node pool's max-pods (the default)"),
  clusterPodLimit: z
    .unknown()
    .optional()
    .transform((v, ctx): undefined => {
      if (v !== undefined) ctx.addIssue({ code: 'custom', message: "clusterPodLimit is gone: the 65,000 pods per cluster are the VNet's 65,536 private addresses, counted as held (node addresses + primaries + batches); set network.vnetIpLimit instead" });
      return undefined;
    }),
  /** Pod subnet utilisation at which the control plane marks it exhausted [cns; value: assumption]. */
  exhaustedAbove: z.number().min(0).max(1).default(0.95),
  /** …and below which it marks it recovered [cns; value: assumption]. */
  recoveredBelow: z.number().min(0).max(1).default(0.85),
  /** How often the control plane looks at the pod subnet's utilisation [cns ClusterSubnetState; value: assumption]. */
  exhaustionPollInterval: durationParam(30_000, 1),
  /** CNS reads the exhausted state and switches to batch 1 [cns EnableSubnetScarcity]; false: never. */
  subnetScarcity: z.boolean().default(true),
})
  .refine((p) => p.maxFreeFraction >= p.minFreeFraction + 1, {
    message: 'maxFreeFraction must be at least minFreeFraction + 1 (CNS raises the release threshold to the request threshold + 100 %, so a release never undoes the last grow)',
    path: ['maxFreeFraction'],
  })
  .refine((p) => p.recoveredBelow <= p.exhaustedAbove, { message: 'recoveredBelow must not be above exhaustedAbove (hysteresis)', path: ['recoveredBelow'] });
export type DynamicParams = z.output<typeof dynamicParams>;

export const dynamicInfo: ModeInfo<DynamicParams> = {
  name: 'dynamic',
  platform: 'azure',
  title: 'Azure CNI pod subnet, dynamic allocation',
  summary: 'nodes take pod-subnet addresses in batches of 16, refilled when fewer than 8 are free',
  rules: [
    'node: one address from the node subnet; a primary address (primaryIp, default true) plus a batch of 16 from the pod subnet at start (17) [podsubnet-doc, cns]',
    "per-node cap maxIPCount (default max-pods: the node's pool max-pods, PR 843; a number overrides; v2 at most 250), primary not counted: 10 nodes of max-pods 30 with 30 pods hold 310 [cns]",
    "pool monitor v1 (monitor, default v1), every monitorInterval (default 1 s) at the node's phase times: grow when requested − assigned < round(batchSize × minFreeFraction) = 8, to the next multiple of the batch, capped (17 → 32); release when free ≥ round(batchSize × maxFreeFraction) = 24, to the lower multiple (37 → 32) [cns]",
    'pool monitor v2: target = batch·ceil(buffer + demand/batch) with buffer = minFreeFraction (default 0.5), capped at min(maxIPCount, 250); recomputed on every pod change and at least every 60 s [cns]',
    'one request in flight per node; answered after grantLatency (default 3 s): a batch arrives whole or is refused (batch-refused, pods wait); released addresses stay with the node, pending release, until the answer [cns, assumption]',
    'subnet exhaustion: the control plane polls the pod subnet every exhaustionPollInterval (default 30 s): ≥ exhaustedAbove (0.95) → exhausted (pod-subnet-scarce), < recoveredBelow (0.85) → recovered; exhausted nodes use batch 1 (v1 minFree 1, maxFree 2; v2 buffer 1); subnetScarcity (default true) turns it off [cns]',
    vnetRule('node addresses, primaries and batches (pending releases included)', 'a batch past it is refused and its pods wait; this is the doc\'s "65,000 pods per cluster" (podsubnet-doc)'),
  ],
  maxPods: fixedMaxPods({ default: 250, min: 10, max: 250 }),
  uses: { podSubnet: true, podCidr: false, dualStack: false },
  sources: AZURE_SOURCES,
  poolKeys: {},
  poolParams: NO_POOL_PARAMS,
  causes: [POD_SUBNET_SCARCE_DEF, VNET_IP_LIMIT_DEF],
  capabilities: { expandPodCidr: false, migratesTo: [] },
  params: dynamicParams,
};
