import type { ModePlanner } from '../../plan/need.js';
import { awsVpcCniInfo, awsVpcCniPrefixInfo, type AwsVpcCniParams, type AwsVpcCniPrefixParams } from './info.js';
export const awsVpcCniPlanner: ModePlanner<AwsVpcCniParams> = { mode: awsVpcCniInfo.name, needs: () => ({ spaces: [], blockers: [], notes: [] }) };
export const awsVpcCniPrefixPlanner: ModePlanner<AwsVpcCniPrefixParams> = { mode: awsVpcCniPrefixInfo.name, needs: () => ({ spaces: [], blockers: [], notes: [] }) };
