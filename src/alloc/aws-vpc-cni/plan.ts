/**
 * Amazon VPC CNI sizing [ipamd, calculator, vpc-subnets]: every node (surge included) holds its ENIs' primaries and
 * the warm pool ipamd keeps for its pods, at the most the rules hold for the node's pod count (the steady state of
 * the pool loop, pods packed densely, the grow-side of the hysteresis). Pods are spread evenly over the nodes; the
 * two host-network pods of the max-pods default take no address. The node subnet (custom networking: the pod
 * subnet) is an AWS subnet, /16 … /28, five addresses reserved; in prefix mode its addresses count in whole /28s:
 * prefixes need free aligned /28s, the first and last /28 never qualify, and the single addresses (node addresses,
 * ENI primaries) spoil the /28s they land in (lowest-first, they pack: 12 fit beside the reserved first four).
 * Cost: O(1) per distinct per-node pod count.
 */
import { fmt, LARGEST_PREFIX, spreadPods, type ModePlanner, type SpaceName, type SpaceNeed } from '../../plan/need.js';
import { AWS_SUBNET } from '../platform/reserves.js';
import { usableAddresses } from '../../pool/reserve.js';
import type { MaxPodsRange } from '../info.js';
import {
  awsVpcCniInfo, awsVpcCniPrefixInfo, prefixMaxPods, secondaryMaxPods,
  type AwsPoolParams, type AwsVpcCniParams, type AwsVpcCniPrefixParams,
} from './info.js';
import { HOST_NETWORK_PODS, PREFIX_SIZE } from './instances.js';

/** The largest AWS subnet is a /16 [vpc-subnets]. */
const AWS_LARGEST_PREFIX = Math.max(16, LARGEST_PREFIX);
/** Single addresses that fit in a subnet's first /28 beside the four reserved ones. */
const FIRST_BLOCK_SINGLES = 16 - AWS_SUBNET.head;

interface Knobs {
  readonly prefix: boolean;
  readonly warm: number;
  readonly warmIp: number;
  readonly minIp: number;
  readonly maxEni: number;
  readonly custom: boolean;
}

/**
 * What one node holds when `n` pods need addresses: its ENIs (each with a primary) and its slots (IPs or prefixes),
 * at the steady state of the pool loop. `n` is capped by what the node can address.
 */
export function heldFor(n: number, l: AwsPoolParams, k: Knobs, maxPods: number): { enis: number; slots: number; addressed: number } {
  const perEni = l.ipv4PerEni - 1;
  const enisMax = k.maxEni >= 1 && k.maxEni < l.enis ? k.maxEni : l.enis;
  const unit = k.prefix ? PREFIX_SIZE : 1;
  const slotsMax = Math.max(0, enisMax - (k.custom ? 1 : 0)) * perEni;
  const need = Math.max(0, Math.min(n, slotsMax * unit));
  let slots: number;
  if (k.warmIp > 0 || k.minIp > 0) {
    // [ipamd datastoreTargetState] the total settles at max(minimum, pods + warm); prefixes hold 16.
    slots = Math.ceil(Math.max(k.minIp, need + k.warmIp) / unit);
  } else {
    // [ipamd isDatastorePoolTooLow] grow while available < warm × (slots per ENI | 16), in whole ENIs or prefixes;
    // never once the total reaches max-pods.
    const per = k.prefix ? PREFIX_SIZE : perEni;
    const step = k.prefix ? 1 : perEni;
    const want = (k.warm >= 1 ? Math.ceil(need / per) + k.warm : Math.floor(need / per) + 1) * per / unit;
    const stop = Math.ceil(Math.ceil(maxPods / unit) / step) * step;
    slots = Math.min(want, Math.max(stop, Math.ceil(need / unit)));
  }
  slots = Math.min(slots, slotsMax);
  const podEnis = Math.max(1, Math.ceil(slots / perEni));
  return { enis: k.custom ? 1 + podEnis : podEnis, slots, addressed: need };
}

function awsSubnetNeed(space: SpaceName, needed: number, inUse: number, prefix: boolean, rule: string): SpaceNeed {
  return {
    space,
    needed,
    inUse,
    largest: AWS_LARGEST_PREFIX,
    smallest: AWS_SUBNET.smallestPrefix,
    // Prefix mode counts whole /28s: every /28 but the first and the last can become a prefix.
    capacity: prefix ? (p) => Math.max(0, 2 ** (28 - p) - 2) * PREFIX_SIZE : (p) => usableAddresses(p, AWS_SUBNET),
    fillBelow: null,
    rule,
  };
}

function planner<P extends Omit<Knobs, 'prefix' | 'warm' | 'custom' | 'warmIp' | 'minIp'> & { warmIpTarget: number; minimumIpTarget: number; customNetworking: boolean }>(
  mode: string, prefix: boolean, warmOf: (p: P) => number, range: (l: AwsPoolParams, p: P) => MaxPodsRange,
): ModePlanner<P> {
  return {
    mode,
    needs({ nodes, surge, maxPods, pods, pool, params }) {
      const l = pool as AwsPoolParams;
      const k: Knobs = { prefix, warm: warmOf(params), warmIp: params.warmIpTarget, minIp: params.minimumIpTarget, maxEni: params.maxEni, custom: params.customNetworking };
      const r = range(l, params);
      const blockers: string[] = [];
      const notes: string[] = [];
      if (maxPods < r.min) blockers.push(`max-pods ${maxPods} is below ${mode}'s minimum of ${r.min}`);
      if (maxPods > r.max) notes.push(`${mode}: max-pods ${maxPods} is above ${r.max} (${r.why}): allowed, but a node may run out of addresses first`);
      // Every node runs aws-node and kube-proxy on the host network: of a node's pods (max-pods counts them), two
      // need no address.
      const s = spreadPods(pods, nodes);
      const need = (n: number) => Math.max(0, Math.min(n, maxPods) - HOST_NETWORK_PODS);
      const high = heldFor(need(s.high), l, k, maxPods);
      const low = heldFor(need(s.low), l, k, maxPods);
      const most = s.highNodes > 0 ? need(s.high) : need(s.low);
      const podEnis = Math.max(0, (k.maxEni >= 1 && k.maxEni < l.enis ? k.maxEni : l.enis) - (k.custom ? 1 : 0));
      const capacity = podEnis * (l.ipv4PerEni - 1) * (prefix ? PREFIX_SIZE : 1);
      if (most > capacity) {
        blockers.push(`${most} pods a node need an address (its pods less the 2 host-network pods), but ${l.instanceType} gives at most ${capacity} (${podEnis} ENIs × ${l.ipv4PerEni - 1}${prefix ? ' prefixes × 16' : ''}): the others would wait; lower max-pods or use a larger instance type`);
      }
      const fullest = s.highNodes > 0 ? high : low;
      const all = nodes + surge;
      const sum = (f: (h: { enis: number; slots: number; addressed: number }) => number) => s.highNodes * f(high) + s.lowNodes * f(low) + surge * f(fullest);
      const enis = sum((h) => h.enis);
      const slots = sum((h) => h.slots);
      const addressed = s.highNodes * high.addressed + s.lowNodes * low.addressed;
      const perNode = `${s.lowNodes > 0 ? `${fmt(s.lowNodes)} × (${low.enis} ENIs, ${low.slots} ${prefix ? 'prefixes' : 'IPs'}) for ${low.addressed} pods` : ''}${s.lowNodes > 0 && s.highNodes > 0 ? ', ' : ''}${s.highNodes > 0 ? `${fmt(s.highNodes)} × (${high.enis}, ${high.slots}) for ${high.addressed} pods` : ''}${surge > 0 ? `, ${surge} surge like the fullest` : ''}`;
      const reserved = '(+ 5 reserved by AWS)';
      const spaces: SpaceNeed[] = [];
      const podSpace: SpaceName = k.custom ? 'pod-subnet' : 'node-subnet';
      // Single addresses in the pod space: ENI primaries (custom networking: the pod ENIs'; else all, node addresses included).
      const singles = k.custom ? enis - all : enis;
      const singleBlocks = Math.ceil(Math.max(0, singles - FIRST_BLOCK_SINGLES) / PREFIX_SIZE);
      const podNeeded = prefix ? (slots + singleBlocks) * PREFIX_SIZE : singles + slots;
      const podInUse = (k.custom ? 0 : all) + addressed;
      const podRule = prefix
        ? `${l.instanceType}: ${perNode}; ${fmt(slots)} /28 prefixes + ${fmt(singles)} ENI primaries packed into ${fmt(singleBlocks)} more /28s (12 fit in the first) = ${fmt(podNeeded)} in whole /28s; the first and last /28 never hold a prefix`
        : `${l.instanceType}: ${perNode}: ${fmt(singles)} ENI primaries + ${fmt(slots)} secondary IPs = ${fmt(podNeeded)} addresses ${reserved}`;
      if (k.custom) spaces.push(awsSubnetNeed('node-subnet', all, all, false, `${fmt(all)} nodes × 1 address (the primary ENI takes no pods) ${reserved}`));
      spaces.push(awsSubnetNeed(podSpace, podNeeded, podInUse, prefix, podRule));
      notes.push(`${mode}: the warm pool at its steady state for each node's pods (pods spread evenly, packed densely); 2 pods of every node (aws-node, kube-proxy) use the host network and take no address [calculator]`);
      if (prefix) notes.push(`${mode}: churn leaves partly used prefixes that are never released (at worst one per pod), and a subnet fragmented by other single addresses has fewer free /28s: keep room or reserve the range (subnet CIDR reservation) [eks-pd-doc]`);
      return { spaces, blockers, notes };
    },
  };
}

export const awsVpcCniPlanner: ModePlanner<AwsVpcCniParams> = planner<AwsVpcCniParams>(awsVpcCniInfo.name, false, (p) => p.warmEniTarget, secondaryMaxPods);
export const awsVpcCniPrefixPlanner: ModePlanner<AwsVpcCniPrefixParams> = planner<AwsVpcCniPrefixParams>(awsVpcCniPrefixInfo.name, true, (p) => p.warmPrefixTarget, prefixMaxPods);
