/**
 * The one table of modes: name → { info, create, planner }. The CLI's choices, the scenario schema, the
 * simulation and the planner all read modes from here; nothing outside src/alloc branches on a mode's name.
 * A new mode is a folder under src/alloc/ plus one line below. Lookups are O(modes), made while building a run.
 */
import { inputError } from '../errors.js';
import type { ModePlanner } from '../plan/need.js';
import type { ModeInfo } from './info.js';
import type { Platform } from './platform/platforms.js';
import { azureInfo } from './azure/info.js';
import { createAzure } from './azure/index.js';
import { azurePlanner } from './azure/plan.js';
import { dynamicInfo } from './dynamic/info.js';
import { createDynamic } from './dynamic/index.js';
import { dynamicPlanner } from './dynamic/plan.js';
import { kubenetInfo } from './kubenet/info.js';
import { createKubenet } from './kubenet/index.js';
import { kubenetPlanner } from './kubenet/plan.js';
import { overlayInfo } from './overlay/info.js';
import { createOverlay } from './overlay/index.js';
import { overlayPlanner } from './overlay/plan.js';
import { staticBlockInfo } from './static-block/info.js';
import { createStaticBlock } from './static-block/index.js';
import { staticBlockPlanner } from './static-block/plan.js';
import { awsVpcCniInfo, awsVpcCniPrefixInfo } from './aws-vpc-cni/info.js';
import { createAwsVpcCni, createAwsVpcCniPrefix } from './aws-vpc-cni/index.js';
import { awsVpcCniPlanner, awsVpcCniPrefixPlanner } from './aws-vpc-cni/plan.js';
import { gkeInfo } from './gke/info.js';
import { createGke } from './gke/index.js';
import { gkePlanner } from './gke/plan.js';
import { kubernetesInfo } from './kubernetes/info.js';
import { createKubernetes } from './kubernetes/index.js';
import { kubernetesPlanner } from './kubernetes/plan.js';
import { calicoInfo } from './calico/info.js';
import { createCalico } from './calico/index.js';
import { calicoPlanner } from './calico/plan.js';
import { ciliumClusterPoolInfo } from './cilium-cluster-pool/info.js';
import { createCiliumClusterPool } from './cilium-cluster-pool/index.js';
import { ciliumClusterPoolPlanner } from './cilium-cluster-pool/plan.js';
import type { Allocator, AllocatorContext } from './types.js';

export interface ModeEntry {
  readonly info: ModeInfo;
  /** `ctx.params` must be the output of `info.params.parse(…)` (durations already in milliseconds). */
  readonly create: (ctx: AllocatorContext<unknown>) => Allocator;
  readonly planner: ModePlanner;
}

/** Pairs a mode's declaration with its factory and planner, erasing the parameter types behind the info's own schemas. */
export function modeEntry<P, Q>(info: ModeInfo<P, Q>, create: (ctx: AllocatorContext<P>) => Allocator, planner: ModePlanner<P>): ModeEntry {
  return { info: info as unknown as ModeInfo, create: (ctx) => create(ctx as AllocatorContext<P>), planner: planner as ModePlanner };
}

/** Azure's in the order of the AKS docs, then the other platforms'. */
export const MODES: readonly ModeEntry[] = [
  modeEntry(overlayInfo, createOverlay, overlayPlanner),
  modeEntry(dynamicInfo, createDynamic, dynamicPlanner),
  modeEntry(staticBlockInfo, createStaticBlock, staticBlockPlanner),
  modeEntry(kubenetInfo, createKubenet, kubenetPlanner),
  modeEntry(azureInfo, createAzure, azurePlanner),
  modeEntry(awsVpcCniInfo, createAwsVpcCni, awsVpcCniPlanner),
  modeEntry(awsVpcCniPrefixInfo, createAwsVpcCniPrefix, awsVpcCniPrefixPlanner),
  modeEntry(gkeInfo, createGke, gkePlanner),
  modeEntry(kubernetesInfo, createKubernetes, kubernetesPlanner),
  modeEntry(calicoInfo, createCalico, calicoPlanner),
  modeEntry(ciliumClusterPoolInfo, createCiliumClusterPool, ciliumClusterPoolPlanner),
];

/** Views of the table, kept in step by registerMode. */
export const MODE_INFOS: readonly ModeInfo[] = MODES.map((m) => m.info);
export const MODE_NAMES: readonly string[] = MODES.map((m) => m.info.name);

/**
 * Adds a mode to the table at run time (a plug-in, or a test's own mode); returns a function that removes it.
 * Scenario schemas, the CLI's choices and the planner see it at once: they read the table when they run.
 */
export function registerMode(entry: ModeEntry): () => void {
  if (findMode(entry.info.name) !== undefined) throw inputError(`mode "${entry.info.name}" is already registered`);
  (MODES as ModeEntry[]).push(entry);
  (MODE_INFOS as ModeInfo[]).push(entry.info);
  (MODE_NAMES as string[]).push(entry.info.name);
  return () => {
    for (const list of [MODES, MODE_INFOS, MODE_NAMES] as unknown[][]) {
      const i = list.findIndex((x) => x === entry || x === entry.info || x === entry.info.name);
      if (i >= 0) list.splice(i, 1);
    }
  };
}

export function findMode(name: string): ModeEntry | undefined {
  return MODES.find((m) => m.info.name === name);
}

export function modeInfo(name: string): ModeInfo | undefined {
  return findMode(name)?.info;
}

/** The modes of a platform, in table order: a scenario's default `modes`. */
export function platformModes(platform: Platform): string[] {
  return MODES.filter((m) => m.info.platform === platform).map((m) => m.info.name);
}

/** The entry of `name`; an input error naming the choices otherwise. */
export function requireMode(name: string): ModeEntry {
  const m = findMode(name);
  if (m === undefined) throw inputError(`unknown mode "${name}": expected one of ${MODE_NAMES.join(', ')}`);
  return m;
}

/**
 * Builds an allocator of mode `name`. `ctx.params` is the output of the mode's `info.params.parse(…)` (the
 * scenario reader parses every mode's parameters); undefined means the documented defaults.
 */
export function createAllocator(name: string, ctx: Omit<AllocatorContext<unknown>, 'params'> & { readonly params?: unknown }): Allocator {
  const m = requireMode(name);
  const params = ctx.params === undefined ? m.info.params.parse({}) : ctx.params;
  return m.create({ host: ctx.host, spaces: ctx.spaces, cluster: ctx.cluster, params });
}

/** A pool's settings under mode `info` (the output of its poolParams) from the pool's mode keys, validated at load. */
export function poolParamsOf(info: ModeInfo, modeKeys: Readonly<Record<string, unknown>>): unknown {
  const r = info.poolParams.safeParse(modeKeys);
  if (!r.success) throw inputError(`${info.name}: node pool settings: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return r.data;
}

export function modePlanner(name: string): ModePlanner | undefined {
  return findMode(name)?.planner;
}
