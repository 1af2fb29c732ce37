/**
 * Mode name → its sizing arithmetic (`src/alloc/<mode>/plan.ts`), for `cnisim plan`: the planner asks each mode
 * what it needs and never branches on a mode's name. Lookups O(modes).
 */
import type { ModePlanner } from '../plan/need.js';
import { azurePlanner } from './azure/plan.js';
import { dynamicPlanner } from './dynamic/plan.js';
import { kubenetPlanner } from './kubenet/plan.js';
import { overlayPlanner } from './overlay/plan.js';
import { staticBlockPlanner } from './static-block/plan.js';

/** In the order of MODE_NAMES (MODEL.md). */
export const MODE_PLANNERS: readonly ModePlanner[] = [overlayPlanner, dynamicPlanner, staticBlockPlanner, kubenetPlanner, azurePlanner] as ModePlanner[];

export function modePlanner(name: string): ModePlanner | undefined {
  return MODE_PLANNERS.find((p) => p.mode === name);
}
