/** Every mode's declaration, by name: the scenario schema and the CLI take their choices from here. */
import type { ModeInfo } from './info.js';
import { overlayInfo } from './overlay/info.js';
import { dynamicInfo } from './dynamic/info.js';
import { staticBlockInfo } from './static-block/info.js';
import { kubenetInfo } from './kubenet/info.js';
import { azureInfo } from './azure/info.js';

export const MODE_INFOS: readonly ModeInfo[] = [overlayInfo, dynamicInfo, staticBlockInfo, kubenetInfo, azureInfo] as ModeInfo[];
export const MODE_NAMES: readonly string[] = MODE_INFOS.map((m) => m.name);

export function modeInfo(name: string): ModeInfo | undefined {
  return MODE_INFOS.find((m) => m.name === name);
}
