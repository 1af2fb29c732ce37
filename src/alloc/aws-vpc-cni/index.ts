/**
 * The Amazon VPC CNI modes' factories: both run ipamd (ipamd.ts), with one address or one /28 prefix per ENI slot.
 */
import type { Allocator, AllocatorContext } from '../types.js';
import { awsVpcCniInfo, awsVpcCniPrefixInfo, type AwsVpcCniParams, type AwsVpcCniPrefixParams } from './info.js';
import { IpamdAllocator } from './ipamd.js';

export function createAwsVpcCni(ctx: AllocatorContext<AwsVpcCniParams>): Allocator {
  const p = ctx.params;
  return new IpamdAllocator(ctx, {
    mode: awsVpcCniInfo.name, prefix: false, warmTarget: p.warmEniTarget, warmIpTarget: p.warmIpTarget, minimumIpTarget: p.minimumIpTarget,
    maxEni: p.maxEni, ipCooldownPeriod: p.ipCooldownPeriod, customNetworking: p.customNetworking,
  });
}

export function createAwsVpcCniPrefix(ctx: AllocatorContext<AwsVpcCniPrefixParams>): Allocator {
  const p = ctx.params;
  return new IpamdAllocator(ctx, {
    mode: awsVpcCniPrefixInfo.name, prefix: true, warmTarget: p.warmPrefixTarget, warmIpTarget: p.warmIpTarget, minimumIpTarget: p.minimumIpTarget,
    maxEni: p.maxEni, ipCooldownPeriod: p.ipCooldownPeriod, customNetworking: p.customNetworking,
  });
}
