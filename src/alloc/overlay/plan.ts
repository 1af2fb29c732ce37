/** Overlay sizing [overlay-doc]: a node-subnet address and a /24 per node; the cluster stops at 5,000 nodes. */
import { nodeBlockPlanner } from '../node-block-plan.js';
import { overlayInfo } from './info.js';

export const overlayPlanner = nodeBlockPlanner(overlayInfo, 'cluster limit');
