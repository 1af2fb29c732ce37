import { z } from 'zod';
import { durationParam, fixedMaxPods, intParam, NO_POOL_PARAMS, type ModeInfo } from '../info.js';
import { AZURE_SOURCES } from '../platform/azure-sources.js';

export const dynamicParams = z.strictObject({
  /** Addresses per batch [podsubnet-doc, cns: 16]. */
  batchSize: intParam(16, 1, 256),
  /** Grow when free < round(batch × minFreeFraction) [cns: 50% → 8]. */
  minFreeFraction: z.number().min(0).max(4).default(0.5),
  /** Release a batch when free ≥ round(batch × maxFreeFraction) [cns: 150% → 24]. */
  maxFreeFraction: z.number().min(0).max(8).default(1.5),
  /** Pool monitor version [cns]: v1 steps one batch per round trip; v2 targets B·ceil(0.5 + demand/B). */
  monitor: z.enum(['v1', 'v2']).default('v1'),
  /** How often the v1 monitor looks at a node [cns: 1 s]. */
  monitorInterval: durationParam(1000, 1, 60_000),
  /** Control-plane delay before a batch request is granted [assumption: no source states it]. */
  grantLatency: durationParam(3000, 0, 600_000),
  /** The node's network container takes one primary address from the pod subnet [cns; ACN issue 2462]. */
  primaryIp: z.boolean().default(true),
  /** Addresses one node may hold [cns: 250]. */
  perNodeCap: intParam(250, 1, 1024),
  /** Pods per cluster [podsubnet-doc: 65,000]. */
  clusterPodLimit: intParam(65_000, 1, 10_000_000),
  /** Pod subnet utilisation above which nodes switch to batch 1 [cns; value: assumption]. */
  exhaustedAbove: z.number().min(0).max(1).default(0.95),
  /** …and below which they switch back [cns; value: assumption]. */
  recoveredBelow: z.number().min(0).max(1).default(0.85),
})
  .refine((p) => p.minFreeFraction < p.maxFreeFraction, { message: 'minFreeFraction must be below maxFreeFraction (the monitor would grow and release at once)', path: ['minFreeFraction'] })
  .refine((p) => p.recoveredBelow <= p.exhaustedAbove, { message: 'recoveredBelow must not be above exhaustedAbove (hysteresis)', path: ['recoveredBelow'] });
export type DynamicParams = z.output<typeof dynamicParams>;

export const dynamicInfo: ModeInfo<DynamicParams> = {
  name: 'dynamic',
  platform: 'azure',
  title: 'Azure CNI pod subnet, dynamic allocation',
  summary: 'nodes take pod-subnet addresses in batches of 16, refilled when fewer than 8 are free',
  rules: [
    'node: one address from the node subnet; a primary address plus a batch of 16 from the pod subnet at start (17) [podsubnet-doc, cns]',
    "pool monitor v1: checks at the node's 1 s phase times (join + k s), grow one batch when free < 8, release one when free ≥ 24 [cns]; a check is only scheduled when there is something to do, at the first phase time after the change",
    'pool monitor v2 (option): target = 16·ceil(0.5 + pods/16), at most 250 [cns]',
    'a batch is granted after a control-plane delay (parameter); pods without an address wait, served in arrival order [podsubnet-doc]',
    'per-node cap 250 addresses; 65,000 pods per cluster [cns, podsubnet-doc]',
    'pod subnet above the exhaustion threshold: nodes switch to batch 1 until it falls below the lower one [cns]',
  ],
  maxPods: fixedMaxPods({ default: 250, min: 10, max: 250 }),
  uses: { podSubnet: true, podCidr: false, dualStack: false },
  sources: AZURE_SOURCES,
  poolKeys: {},
  poolParams: NO_POOL_PARAMS,
  causes: [],
  capabilities: { expandPodCidr: false, migratesTo: [] },
  params: dynamicParams,
};
