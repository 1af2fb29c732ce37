/**
 * Mode name → { info, create }: the CLI's choices, the scenario schema and the simulation all read modes from
 * here; nothing outside src/alloc branches on a mode's name. Lookups are O(modes), made while building a run.
 */
import { inputError } from '../errors.js';
import type { ModeInfo } from './info.js';
import { azureInfo } from './azure/info.js';
import { createAzure } from './azure/index.js';
import { dynamicInfo } from './dynamic/info.js';
import { createDynamic } from './dynamic/index.js';
import { kubenetInfo } from './kubenet/info.js';
import { createKubenet } from './kubenet/index.js';
import { overlayInfo } from './overlay/info.js';
import { createOverlay } from './overlay/index.js';
import { staticBlockInfo } from './static-block/info.js';
import { createStaticBlock } from './static-block/index.js';
import type { Allocator, AllocatorContext } from './types.js';

export interface ModeEntry {
  readonly info: ModeInfo;
  /** `ctx.params` must be the output of `info.params.parse(…)` (durations already in milliseconds). */
  readonly create: (ctx: AllocatorContext<unknown>) => Allocator;
}

/** Pairs a mode's declaration with its factory, erasing the parameter type behind the info's own schema. */
function entry<P>(info: ModeInfo<P>, create: (ctx: AllocatorContext<P>) => Allocator): ModeEntry {
  return { info: info as ModeInfo, create: (ctx) => create(ctx as AllocatorContext<P>) };
}

/** In the order of MODEL.md. */
export const MODES: readonly ModeEntry[] = [
  entry(overlayInfo, createOverlay),
  entry(dynamicInfo, createDynamic),
  entry(staticBlockInfo, createStaticBlock),
  entry(kubenetInfo, createKubenet),
  entry(azureInfo, createAzure),
];

export const MODE_NAMES_REGISTERED: readonly string[] = MODES.map((m) => m.info.name);

export function findMode(name: string): ModeEntry | undefined {
  return MODES.find((m) => m.info.name === name);
}

/** The entry of `name`; an input error naming the choices otherwise. */
export function modeEntry(name: string): ModeEntry {
  const m = findMode(name);
  if (m === undefined) throw inputError(`unknown mode "${name}": expected one of ${MODES.map((x) => x.info.name).join(', ')}`);
  return m;
}

/**
 * Builds an allocator of mode `name`. `ctx.params` is the output of the mode's `info.params.parse(…)` (the
 * scenario reader parses every mode's parameters); undefined means the documented defaults.
 */
export function createAllocator(name: string, ctx: Omit<AllocatorContext<unknown>, 'params'> & { readonly params?: unknown }): Allocator {
  const m = modeEntry(name);
  const params = ctx.params === undefined ? m.info.params.parse({}) : ctx.params;
  return m.create({ host: ctx.host, spaces: ctx.spaces, cluster: ctx.cluster, params });
}
