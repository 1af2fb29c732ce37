/** Planner helpers for the AKS modes: needs of an Azure subnet (5 reserved, /29 at least [vnet-faq]). */
import { subnetNeed, type SpaceName, type SpaceNeed } from '../../plan/need.js';
import { AZURE_SUBNET } from './reserves.js';

export function azureSubnetNeed(space: SpaceName, needed: number, inUse: number, rule: string): SpaceNeed {
  return subnetNeed(space, needed, inUse, rule, AZURE_SUBNET);
}
