/** kubenet sizing [overlay-doc]: a node-subnet address and a /24 per node; the route table stops it at 400 nodes. */
import { nodeBlockPlanner } from '../node-block-plan.js';
import { kubenetInfo } from './info.js';

export const kubenetPlanner = nodeBlockPlanner(kubenetInfo, 'limit', 'one user-defined route per node in the route table');
