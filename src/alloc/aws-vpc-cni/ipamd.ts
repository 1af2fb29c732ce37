/**
 * ipamd, the Amazon VPC CNI's address manager, for both modes: secondary IPs (one address per ENI slot) and prefix
 * delegation (one /28 per ENI slot). Sources: aws/amazon-vpc-cni-k8s pkg/ipamd/ipamd.go [ipamd],
 * pkg/ipamd/datastore/data_store.go [datastore], pkg/awsutils/awsutils.go [awsutils].
 *
 * A node joins with its primary ENI (device 0), whose primary address is the node's own, from one of its pool's
 * node subnets (balanced, NodeSubnets.pick). ipamd's node init grows the pool at once (handlePreScaling); after
 * that its loop runs every 5 s from the node's start (StartNodeIPPoolManager), one decision per tick:
 *   - too low (isDatastorePoolTooLow; never once total ≥ max-pods): fill an ENI with free slots (tryAssignIPs /
 *     tryAssignPrefixes: warm ENI mode asks for all its free slots, targets for `short`, prefixes for
 *     max(1, short prefixes)), all or nothing, then one; if no ENI took any, attach a new ENI (tryAllocateENI) with
 *     all its slots, or min(short, slots), or min(prefixes needed, slots); a failed ENI creation stops growth for
 *     120 s (insufficientCidrErrorCooldown);
 *   - else too high (targets: over > 0; prefixes: free prefixes > warmPrefixTarget) and ≥ 30 s since the last
 *     decrease: release `over` unassigned addresses / free prefixes (tryUnassignCidrsFromAll);
 *   - then, when shouldRemoveExtraENIs holds on the stats taken at the start of the tick, free the first ENI that
 *     is not primary, ≥ 1 min old, has no pod and no address in cooldown, and is not needed for the targets
 *     (getDeletableENI).
 * Lazy ticks: a tick is scheduled only when it would act, at the node's first phase time (join + k × 5 s) strictly
 * after now and not before the action becomes possible (back-off end, decrease interval, ENI age, cooldown end);
 * every change re-arms. An idle node costs no events.
 *
 * Pods: a pod takes the lowest ready slot of its node in (ENI device index, slot position, address) order; a new
 * ENI takes the lowest free device index [awsutils awsGetFreeDeviceNumber] (ipamd walks a Go map, so upstream the
 * order is unspecified). A released address cools for ipCooldownPeriod before any pod gets it again, still counted
 * as available [datastore]; pods that find no ready address wait (PENDING) in a per-node FIFO and are granted when
 * an address cools down or the loop attaches more. Subnet addresses and /28 prefixes are taken lowest-first
 * (EC2's choice is not public).
 *
 * Layout: per node, per ENI (node × E + device), per slot position (node × C + device × P + k) and per address
 * slot (node × C × U + …) typed arrays, with uniform strides across the cluster's pools (E = most ENIs, P = most
 * slots per ENI, U = 1 or 16). Ready slots are a bitset per node with a summary word per 32 words; cooling slots
 * an intrusive doubly linked FIFO per node (release order = expiry order, the period being one constant).
 * A pod's handle is its slot index in its node.
 *
 * Costs: podAdd O(summary words) + O(1), podRelease O(1), both allocation-free; re-arming O(1), O(E) when an empty
 * ENI might be freed; a tick O(E × P × U) at worst (attach, release, free); nodeJoin/nodeLeave O(C × U);
 * gauges O(subnets) plus the fragmentation scan (prefix mode, O(size/32)); recount O(node ids × C × U).
 */
import { inputError, internalError } from '../../errors.js';
import type { AddressPool } from '../../pool/index.js';
import { AWS_SUBNET } from '../platform/reserves.js';
import { freeOf, growF64, growI32, NodeSubnets, setGauges4 } from '../mechanics.js';
import {
  MAX_PODS, NODE_SUBNET_FULL, OK, PENDING, POD_SUBNET_FULL, refused,
  type Allocator, type AllocatorContext, type AllocatorHost, type Clock, type Gauges,
} from '../types.js';
import type { AwsPoolParams } from './info.js';
import { PREFIX_SIZE } from './instances.js';

/** ipamPoolMonitorInterval [ipamd]. */
export const LOOP_MS = 5_000;
/** decreaseIPPoolInterval [ipamd]. */
export const DECREASE_MS = 30_000;
/** insufficientCidrErrorCooldown [ipamd]. */
export const BACKOFF_MS = 120_000;
/** minENILifeTime [datastore]. */
export const MIN_ENI_LIFE_MS = 60_000;

/** What the two modes' parameters come to. */
export interface IpamdConfig {
  readonly mode: string;
  readonly prefix: boolean;
  /** WARM_ENI_TARGET (secondary IPs) or WARM_PREFIX_TARGET (prefixes). */
  readonly warmTarget: number;
  readonly warmIpTarget: number;
  readonly minimumIpTarget: number;
  readonly maxEni: number;
  readonly ipCooldownPeriod: number;
  readonly customNetworking: boolean;
}

const NEG = -Infinity;

// Node record fields (Int32, stride RS: these 12, then the ready bitset's summary words and its words, so a pod's
// add or release reads one line of them for the common instance types).
const N_POOL = 0; // node-pool index, -1: not joined
const N_TOTAL = 1; // addresses attached as slots (IPs, or 16 × prefixes)
const N_ASSIGNED = 2;
const N_PODS = 3; // assigned + waiting
const N_ENIS = 4;
const N_CIDRS = 5; // slot positions filled (IPs or prefixes)
const N_FREE = 6; // positions with no assigned address (free IPs / free prefixes)
const N_EMPTY = 7; // non-primary ENIs with no assigned address
const N_COOL_HEAD = 8;
const N_COOL_TAIL = 9;
const N_WAIT_HEAD = 10;
const N_WAITING = 11;
const N_FIELDS = 12;
// Colder node fields (Int32, stride 4).
const S_SUB = 0; // index into subnets of the node's subnet
const S_ENI_SUB = 1; // … of its pod ENIs' subnet
const S_REFUSING = 2;
const S_WAIT_TAIL = 3;
// Node times (Float64, stride 8).
const T_JOIN = 0;
const T_TICK = 1; // handle of the scheduled tick, -1: none
const T_TICK_AT = 2;
const T_COOL_TIMER = 3;
const T_LAST_DECREASE = 4;
const T_LAST_INSUFFICIENT = 5;
const T_COOL_HEAD_AT = 6; // release time of the oldest cooling address, Infinity: none
const T_FIELDS = 8;
// ENI fields (Int32, stride 8) and times (Float64, stride 2).
const E_CIDRS = 0; // -1: not attached
const E_ASSIGNED = 1;
const E_FREE = 2;
const E_COOLING = 3;
const E_PRIMARY = 4;
const E_STRIDE = 5;
const F_CREATED = 0;
const F_LAST_RELEASE = 1;
const F_STRIDE = 2;

export class IpamdAllocator implements Allocator {
  readonly mode: string;
  private readonly host: AllocatorHost;
  private readonly clock: Clock;
  private readonly tickKind: number;
  private readonly coolKind: number;
  private readonly prefix: boolean;
  private readonly warm: number;
  private readonly warmIp: number;
  private readonly minIp: number;
  /** WARM_IP_TARGET or MINIMUM_IP_TARGET set (warmIPTargetsDefined). */
  private readonly targets: boolean;
  private readonly cooldown: number;
  private readonly custom: boolean;
  /** Addresses per slot position (1 or 16) and its log2. */
  private readonly unit: number;
  private readonly ushift: number;
  /** Strides: ENIs per node, positions per ENI, positions per node, address slots per node, bitset words. */
  private readonly E: number;
  private readonly P: number;
  private readonly C: number;
  private readonly SLOTS: number;
  private readonly W: number;
  private readonly SW: number;
  private readonly nodes: NodeSubnets;
  /** By node-pool index: max-pods, ENIs ipamd may attach, slot positions per ENI (IPv4 − 1). */
  private readonly maxPodsOf: Int32Array;
  private readonly maxEniOf: Int32Array;
  private readonly perEniOf: Int32Array;
  /** Distinct subnets this cluster draws from; whether each is a node subnet (for the node gauge). */
  private readonly subnets: readonly AddressPool[];
  private readonly isNodeSubnet: Uint8Array;
  /** By pool, by node-subnet index: index into subnets; by pool: the pod ENIs' subnet (custom) else -1. */
  private readonly nodeSubIdx: Int32Array[];
  private readonly podSubIdx: Int32Array;
  private readonly heldIn: Float64Array;
  private readonly nodeCapacity: number;
  private readonly podCapacity: number;
  /** Pod-space subnets (prefix mode fragmentation). */
  private readonly podSpace: readonly AddressPool[];
  /**
   * Per node, one record of Int32 fields and ready bits (nr, stride RS: N_…; one 64-byte line for m5.large), one of
   * colder fields (ns, stride 4: S_…) and one of Float64 times (nt, stride 8: T_…),
   * so a pod's add or release reads and writes a few cache lines whatever the node.
   */
  private ri: Int32Array;
  private rf: Float64Array;
  /** Record stride in Int32s (IS) and Float64s (FS); Float64 index of the node times (TB); Int32 index of the ENIs (EB). */
  private readonly IS: number;
  private readonly FS: number;
  private readonly TB: number;
  private readonly EB: number;
  private ns: Int32Array;
  // --- per slot position
  private cidrAddr: Int32Array; // offset in the ENI's subnet, -1: empty
  private cidrAssigned: Int32Array;
  // --- per address slot
  private coolAt: Float64Array; // release time while cooling, else -1
  private coolNext: Int32Array;
  private coolPrev: Int32Array;
  // --- per pod (wait queue)
  private wNext: Int32Array;
  private wPrev: Int32Array;
  private wNode: Int32Array;
  // --- cluster totals
  private sumTotal: number;
  private sumAssigned: number;
  private sumWaiting: number;
  /** Why the last subnet request failed (EC2's error code) and on which subnet. */
  private failCode: string;
  private failSub: number;
  /** Positions taken by one attach request (for its rollback). */
  private readonly scratch: Int32Array;

  constructor(ctx: AllocatorContext<unknown>, cfg: IpamdConfig) {
    const { cluster, spaces, host } = ctx;
    this.mode = cfg.mode;
    this.host = host;
    this.clock = host.clock;
    this.tickKind = this.clock.define((node) => this.tick(node));
    this.coolKind = this.clock.define((node) => this.cooled(node));
    this.prefix = cfg.prefix;
    this.warm = cfg.warmTarget;
    this.warmIp = cfg.warmIpTarget;
    this.minIp = cfg.minimumIpTarget;
    this.targets = cfg.warmIpTarget > 0 || cfg.minimumIpTarget > 0;
    this.cooldown = cfg.ipCooldownPeriod;
    this.custom = cfg.customNetworking;
    this.unit = cfg.prefix ? PREFIX_SIZE : 1;
    this.ushift = cfg.prefix ? 4 : 0;
    const limits = cluster.pools.map((p) => p.params as AwsPoolParams);
    this.maxPodsOf = Int32Array.from(cluster.pools, (p) => p.maxPods);
    this.maxEniOf = Int32Array.from(limits, (l) => (cfg.maxEni >= 1 && cfg.maxEni < l.enis ? cfg.maxEni : l.enis));
    this.perEniOf = Int32Array.from(limits, (l) => l.ipv4PerEni - 1);
    this.E = Math.max(1, ...this.maxEniOf);
    this.P = Math.max(1, ...this.perEniOf);
    this.C = this.E * this.P;
    this.SLOTS = this.C * this.unit;
    this.W = Math.ceil(this.SLOTS / 32);
    this.SW = Math.ceil(this.W / 32);
    this.nodes = new NodeSubnets(spaces, cluster, AWS_SUBNET);
    const subs: AddressPool[] = [...this.nodes.distinct];
    const nodeSubs = subs.length;
    this.nodeSubIdx = this.nodes.subnetsOf.map((l) => Int32Array.from(l, (s) => subs.indexOf(s)));
    this.podSubIdx = Int32Array.from(cluster.pools, (np, i) => {
      if (!cfg.customNetworking) return -1;
      if (np.podSubnet === null) {
        throw inputError(`nodePools[${i}].podSubnet: ${cfg.mode} with customNetworking draws pod ENIs from a pod subnet (the ENIConfig subnet); node pool ${np.name} has none: give it a podSubnet, or network.podSubnet`);
      }
      const s = spaces.subnet(np.podSubnet, AWS_SUBNET);
      let k = subs.indexOf(s);
      if (k < 0) k = subs.push(s) - 1;
      return k;
    });
    this.subnets = subs;
    this.isNodeSubnet = Uint8Array.from(subs, (_, i) => (i < nodeSubs ? 1 : 0));
    this.heldIn = new Float64Array(subs.length);
    this.nodeCapacity = this.nodes.capacity();
    this.podSpace = cfg.customNetworking ? subs.slice(nodeSubs) : subs.slice(0, nodeSubs);
    this.podCapacity = this.podSpace.reduce((a, s) => a + s.capacity, 0);
    const n = 64;
    // One record per node: Int32 fields, the ready bitset, the ENIs' Int32 fields (padded to 64 bytes), then the
    // node's Float64 times and its ENIs' (padded to 64 bytes), in one buffer seen through two views.
    this.EB = N_FIELDS + this.SW + this.W;
    const ints = Math.ceil((this.EB + this.E * E_STRIDE) / 16) * 16;
    const floats = Math.ceil((T_FIELDS + this.E * F_STRIDE) / 8) * 8;
    this.IS = ints + 2 * floats;
    this.FS = this.IS / 2;
    this.TB = ints / 2;
    this.ri = new Int32Array(0);
    this.rf = new Float64Array(0);
    this.ns = new Int32Array(0);
    this.records(n);
    this.cidrAddr = new Int32Array(n * this.C).fill(-1);
    this.cidrAssigned = new Int32Array(n * this.C);
    this.coolAt = new Float64Array(n * this.SLOTS).fill(-1);
    this.coolNext = new Int32Array(n * this.SLOTS).fill(-1);
    this.coolPrev = new Int32Array(n * this.SLOTS).fill(-1);
    this.wNext = new Int32Array(n).fill(-1);
    this.wPrev = new Int32Array(n).fill(-1);
    this.wNode = new Int32Array(n).fill(-1);
    this.sumTotal = 0;
    this.sumAssigned = 0;
    this.sumWaiting = 0;
    this.failCode = '';
    this.failSub = -1;
    this.scratch = new Int32Array(this.P);
  }

  // --- the Allocator interface ---------------------------------------------------------------------------

  nodeJoin(node: number, pool: number): number {
    this.ensure(node);
    if (this.nodes.poolOf[node]! >= 0) throw internalError(`${this.mode}: node ${node} joined twice`);
    const nsub = this.nodes.pick(pool, 1);
    if (nsub < 0) return NODE_SUBNET_FULL;
    this.nodes.take(node, pool, nsub, true);
    this.ri[node * this.IS + N_POOL] = pool;
    const si = this.nodeSubIdx[pool]![nsub]!;
    this.ns[(node << 2) + S_SUB] = si;
    this.ns[(node << 2) + S_ENI_SUB] = this.custom ? this.podSubIdx[pool]! : si;
    this.heldIn[si]!++;
    this.ri[node * this.IS + N_TOTAL] = 0;
    this.ri[node * this.IS + N_ASSIGNED] = 0;
    this.ri[node * this.IS + N_PODS] = 0;
    this.ri[node * this.IS + N_ENIS] = 0;
    this.ri[node * this.IS + N_CIDRS] = 0;
    this.ri[node * this.IS + N_FREE] = 0;
    this.ri[node * this.IS + N_EMPTY] = 0;
    this.ns[(node << 2) + S_REFUSING] = 0;
    this.ri[node * this.IS + N_COOL_HEAD] = -1;
    this.rf[node * this.FS + this.TB + T_COOL_HEAD_AT] = Infinity;
    this.ri[node * this.IS + N_COOL_TAIL] = -1;
    this.ri[node * this.IS + N_WAIT_HEAD] = -1;
    this.ns[(node << 2) + S_WAIT_TAIL] = -1;
    this.ri[node * this.IS + N_WAITING] = 0;
    this.rf[node * this.FS + this.TB + T_JOIN] = this.clock.now;
    this.rf[node * this.FS + this.TB + T_TICK] = -1;
    this.rf[node * this.FS + this.TB + T_TICK_AT] = Infinity;
    this.rf[node * this.FS + this.TB + T_COOL_TIMER] = -1;
    this.rf[node * this.FS + this.TB + T_LAST_DECREASE] = NEG;
    this.rf[node * this.FS + this.TB + T_LAST_INSUFFICIENT] = NEG;
    this.openEni(node, 0, this.nodes.addrOf[node]!);
    // Node init grows the pool at once (handlePreScaling); custom networking fails init while the pool is empty.
    this.increase(node, pool, this.custom);
    if (this.custom && this.ri[node * this.IS + N_CIDRS] === 0) {
      this.release(node);
      return POD_SUBNET_FULL;
    }
    this.arm(node);
    return OK;
  }

  nodeLeave(node: number): void {
    this.joined(node, 'nodeLeave');
    if (this.ri[node * this.IS + N_PODS] !== 0) throw internalError(`${this.mode}: node ${node} left with ${this.ri[node * this.IS + N_ASSIGNED]} pods holding addresses and ${this.ri[node * this.IS + N_WAITING]} waiting`);
    this.release(node);
  }

  podAdd(pod: number, node: number): number {
    const pool = this.joined(node, 'podAdd');
    if (this.ri[node * this.IS + N_PODS]! >= this.maxPodsOf[pool]!) return refused(MAX_PODS);
    this.ri[node * this.IS + N_PODS]!++;
    if (this.rf[node * this.FS + this.TB + T_COOL_HEAD_AT]! <= this.clock.now - this.cooldown) this.drain(node);
    if (this.ri[node * this.IS + N_WAITING]! > 0) this.serveWaiting(node);
    if (this.ri[node * this.IS + N_WAITING] === 0) {
      const s = this.lowestReady(node);
      if (s >= 0) {
        this.assign(node, s);
        this.arm(node);
        return s;
      }
    }
    this.enqueue(pod, node);
    this.armCool(node);
    this.arm(node);
    return PENDING;
  }

  podRelease(pod: number, node: number, handle: number): void {
    this.joined(node, 'podRelease');
    this.ri[node * this.IS + N_PODS]!--;
    if (handle === PENDING) {
      if (this.wNode[pod] !== node) throw internalError(`${this.mode}: pod ${pod} is not waiting on node ${node}`);
      this.unlink(pod, node);
      return;
    }
    this.unassign(node, handle);
    if (this.cooldown > 0) {
      this.startCooling(node, handle);
      if (this.ri[node * this.IS + N_WAITING]! > 0) this.armCool(node);
    } else {
      this.setReady(node, handle);
      if (this.ri[node * this.IS + N_WAITING]! > 0) this.serveWaiting(node);
    }
    this.arm(node);
  }

  address(node: number, handle: number): number {
    this.joined(node, 'address');
    const c = handle >> this.ushift;
    const dev = (c / this.P) | 0;
    const sub = this.subnets[dev === 0 ? this.ns[(node << 2) + S_SUB]! : this.ns[(node << 2) + S_ENI_SUB]!]!;
    return sub.cidr.base + this.cidrAddr[node * this.C + c]! + (handle & (this.unit - 1));
  }

  gauges(out: Gauges): void {
    let nodeUsed = 0;
    for (let i = 0; i < this.subnets.length; i++) if (this.isNodeSubnet[i] === 1) nodeUsed += this.heldIn[i]!;
    setGauges4(out, nodeUsed, this.nodeCapacity, this.sumTotal, this.sumAssigned, this.podCapacity, this.fragmentation(), this.sumWaiting);
  }

  recount(out: Gauges): void {
    let nodeUsed = 0;
    let reserved = 0;
    let used = 0;
    let waiting = 0;
    const U = this.unit;
    for (let node = 0; node < this.ri.length / this.IS; node++) {
      if (this.ri[node * this.IS + N_POOL]! < 0) continue;
      for (let dev = 0; dev < this.E; dev++) {
        const e = this.eniAt(node, dev);
        if (this.ri[e + E_CIDRS]! < 0) continue;
        const si = dev === 0 ? this.ns[(node << 2) + S_SUB]! : this.ns[(node << 2) + S_ENI_SUB]!;
        const sub = this.subnets[si]!;
        const onNode = this.isNodeSubnet[si] === 1;
        if (sub.isAllocated(this.ri[e + E_PRIMARY]!) && onNode) nodeUsed++;
        for (let k = 0; k < this.P; k++) {
          const c = node * this.C + dev * this.P + k;
          const a = this.cidrAddr[c]!;
          if (a < 0) continue;
          let held = 0;
          for (let j = 0; j < U; j++) if (sub.isAllocated(a + j)) held++;
          reserved += held;
          if (onNode) nodeUsed += held;
          for (let j = 0; j < U; j++) {
            const s = (dev * this.P + k) * U + j;
            if (!this.isReady(node, s) && this.coolAt[node * this.SLOTS + s]! < 0) used++;
          }
        }
      }
      for (let w = this.ri[node * this.IS + N_WAIT_HEAD]!; w >= 0; w = this.wNext[w]!) waiting++;
    }
    setGauges4(out, nodeUsed, this.nodes.capacity(), reserved, used, this.podSpace.reduce((a, s) => a + s.capacity, 0), this.fragmentation(), waiting);
  }

  // --- the ipamd loop -------------------------------------------------------------------------------------

  /** One pass of updateIPPoolIfRequired [ipamd]. */
  private tick(node: number): void {
    this.rf[node * this.FS + this.TB + T_TICK] = -1;
    this.rf[node * this.FS + this.TB + T_TICK_AT] = Infinity;
    const pool = this.ri[node * this.IS + N_POOL]!;
    if (pool < 0) return; // cancelled at nodeLeave; kept as a guard
    const now = this.clock.now;
    if (this.ri[node * this.IS + N_COOL_HEAD]! >= 0) this.drain(node);
    const availBefore = this.ri[node * this.IS + N_TOTAL]! - this.ri[node * this.IS + N_ASSIGNED]!;
    let decreased = false;
    if (this.isLow(node, pool)) this.increase(node, pool, false);
    else if (this.isHigh(node) && now - this.rf[node * this.FS + this.TB + T_LAST_DECREASE]! >= DECREASE_MS) {
      this.decrease(node);
      decreased = true;
    }
    if (this.shouldRemoveEnis(node, pool, availBefore)) {
      const dev = this.deletableEni(node, now);
      if (dev > 0) this.closeEni(node, dev);
    }
    if (decreased) this.rf[node * this.FS + this.TB + T_LAST_DECREASE] = now;
    if (this.ri[node * this.IS + N_WAITING]! > 0) {
      this.serveWaiting(node);
      this.armCool(node);
    }
    this.arm(node);
  }

  /** isDatastorePoolTooLow [ipamd]. O(1). */
  private isLow(node: number, pool: number): boolean {
    const total = this.ri[node * this.IS + N_TOTAL]!;
    if (total >= this.maxPodsOf[pool]!) return false;
    if (this.targets) return this.short(node) > 0;
    const avail = total - this.ri[node * this.IS + N_ASSIGNED]!;
    const per = this.prefix ? PREFIX_SIZE : this.perEniOf[pool]!;
    return avail < per * this.warm || (this.warm === 0 && avail === 0);
  }

  /** datastoreTargetState's short: addresses (prefix mode: prefixes) below WARM_IP / MINIMUM_IP [ipamd]. */
  private short(node: number): number {
    const total = this.ri[node * this.IS + N_TOTAL]!;
    const avail = total - this.ri[node * this.IS + N_ASSIGNED]!;
    const s = Math.max(this.warmIp - avail, 0, this.minIp - total);
    return this.prefix ? Math.ceil(s / PREFIX_SIZE) : s;
  }

  /** datastoreTargetState's over: addresses (prefix mode: prefixes) above the targets [ipamd]. */
  private over(node: number): number {
    const total = this.ri[node * this.IS + N_TOTAL]!;
    const assigned = this.ri[node * this.IS + N_ASSIGNED]!;
    if (!this.prefix) return Math.max(Math.min(Math.max(total - assigned - this.warmIp, 0), total - this.minIp), 0);
    const prefixes = this.ri[node * this.IS + N_CIDRS]!;
    const forWarm = Math.ceil((assigned + this.warmIp) / PREFIX_SIZE);
    const forMin = Math.ceil(this.minIp / PREFIX_SIZE);
    const o = Math.max(Math.min(this.ri[node * this.IS + N_FREE]!, prefixes - forWarm), 0);
    return Math.max(Math.min(o, prefixes - forMin), 0);
  }

  /** isDatastorePoolTooHigh [ipamd]: only with targets, or free prefixes above WARM_PREFIX_TARGET. O(1). */
  private isHigh(node: number): boolean {
    if (this.targets) return this.over(node) > 0;
    return this.prefix && this.ri[node * this.IS + N_FREE]! > this.warm;
  }

  /** shouldRemoveExtraENIs [ipamd] on the tick's starting stats. O(1). */
  private shouldRemoveEnis(node: number, pool: number, avail: number): boolean {
    if (this.targets) return true;
    const perEni = this.perEniOf[pool]! * this.unit;
    if (avail >= (this.warm + 1) * perEni) return true;
    return this.prefix && this.ri[node * this.IS + N_EMPTY]! > 0; // CheckFreeableENIexists
  }

  /** increaseDatastorePool [ipamd]: fill an ENI, else attach one; a failed ENI creation backs off 120 s. */
  private increase(node: number, pool: number, quiet: boolean): void {
    const now = this.clock.now;
    if (now - this.rf[node * this.FS + this.TB + T_LAST_INSUFFICIENT]! < BACKOFF_MS) return;
    const r = this.tryAssign(node, pool);
    if (r > 0) {
      this.ns[(node << 2) + S_REFUSING] = 0;
      return;
    }
    if (this.ri[node * this.IS + N_ENIS]! < this.maxEniOf[pool]!) {
      const per = this.perEniOf[pool]!;
      const n = this.prefix ? Math.min(this.prefixesNeeded(node), per) : this.targets ? Math.min(this.short(node), per) : per;
      if (n <= 0) return;
      if (this.createEni(node, pool, n)) this.ns[(node << 2) + S_REFUSING] = 0;
      else {
        this.rf[node * this.FS + this.TB + T_LAST_INSUFFICIENT] = now;
        if (!quiet) this.recordRefusal(node, n, true);
      }
    } else if (r < 0 && !quiet) this.recordRefusal(node, 0, false);
  }

  /** getPrefixesNeeded [ipamd]: at least one; targets take precedence over WARM_PREFIX_TARGET. */
  private prefixesNeeded(node: number): number {
    if (this.targets) return Math.max(1, this.short(node));
    return Math.max(1, this.warm - this.ri[node * this.IS + N_FREE]!);
  }

  /**
   * tryAssignIPs / tryAssignPrefixes [ipamd]: the first ENI (device order) with free slots gets min(free slots,
   * wanted), all or nothing, else one; an ENI whose subnet cannot serve even one is skipped (subnet discovery on).
   * 1: added; 0: no ENI had room; -1: every ENI with room failed.
   */
  private tryAssign(node: number, pool: number): number {
    const per = this.perEniOf[pool]!;
    const want = this.prefix ? this.prefixesNeeded(node) : this.targets ? this.short(node) : per;
    if (want <= 0) return 0;
    let failed = false;
    for (let dev = this.custom ? 1 : 0; dev < this.E; dev++) {
      const have = this.ri[this.eniAt(node, dev) + E_CIDRS]!;
      if (have < 0 || have >= per) continue;
      const n = Math.min(per - have, want);
      if (this.attach(node, dev, n) || (n > 1 && this.attach(node, dev, 1))) return 1;
      failed = true;
    }
    return failed ? -1 : 0;
  }

  /** tryAllocateENI [ipamd, awsutils createENI]: a new ENI at the lowest free device index, its primary and n slots, all or nothing. */
  private createEni(node: number, pool: number, n: number): boolean {
    let dev = 1;
    while (dev < this.maxEniOf[pool]! && this.ri[this.eniAt(node, dev) + E_CIDRS]! >= 0) dev++;
    if (dev >= this.maxEniOf[pool]!) return false;
    const si = this.ns[(node << 2) + S_ENI_SUB]!;
    const sub = this.subnets[si]!;
    if (!this.prefix && freeOf(sub) < 1 + n) return this.fail('InsufficientFreeAddressesInSubnet', si);
    const primary = sub.allocateBlock(0);
    if (primary < 0) return this.fail('InsufficientFreeAddressesInSubnet', si);
    this.heldIn[si]!++;
    this.openEni(node, dev, primary);
    if (this.attach(node, dev, n)) return true;
    this.closeEni(node, dev); // the ENI could not get its prefixes: nothing is kept
    return false;
  }

  /** Attaches n slot positions (addresses or /28 prefixes, lowest-first) to an attached ENI, all or nothing. */
  private attach(node: number, dev: number, n: number): boolean {
    const si = dev === 0 ? this.ns[(node << 2) + S_SUB]! : this.ns[(node << 2) + S_ENI_SUB]!;
    const sub = this.subnets[si]!;
    if (!this.prefix && freeOf(sub) < n) return this.fail('InsufficientFreeAddressesInSubnet', si);
    const base = node * this.C + dev * this.P;
    const taken = this.scratch;
    let k = 0;
    for (let i = 0; i < n; i++) {
      while (this.cidrAddr[base + k]! >= 0) k++;
      const a = this.prefix ? sub.allocateBlock(4) : sub.allocateBlock(0);
      if (a < 0) {
        for (let j = 0; j < i; j++) {
          const c = base + taken[j]!;
          if (this.prefix) sub.freeBlock(this.cidrAddr[c]!, 4);
          else sub.free(this.cidrAddr[c]!);
          this.cidrAddr[c] = -1;
        }
        return this.fail(this.prefix ? 'InsufficientCidrBlocks' : 'InsufficientFreeAddressesInSubnet', si);
      }
      this.cidrAddr[base + k] = a;
      taken[i] = k;
    }
    for (let i = 0; i < n; i++) {
      const kk = taken[i]!;
      this.cidrAssigned[base + kk] = 0;
      const s0 = this.slotOf(dev, kk);
      for (let u = 0; u < this.unit; u++) this.setReady(node, s0 + u);
    }
    const e = this.eniAt(node, dev);
    this.heldIn[si]! += n * this.unit;
    this.ri[e + E_CIDRS]! += n;
    this.ri[e + E_FREE]! += n;
    this.ri[node * this.IS + N_CIDRS]! += n;
    this.ri[node * this.IS + N_FREE]! += n;
    this.ri[node * this.IS + N_TOTAL]! += n * this.unit;
    this.sumTotal += n * this.unit;
    return true;
  }

  /** decreaseDatastorePool → tryUnassignCidrsFromAll [ipamd]: release `over` free positions, ENIs in device order. */
  private decrease(node: number): void {
    let over = this.targets ? this.over(node) : this.prefix ? Math.max(this.ri[node * this.IS + N_FREE]! - this.warm, 0) : 0;
    for (let dev = 0; dev < this.E && over > 0; dev++) {
      const e = this.eniAt(node, dev);
      if (this.ri[e + E_CIDRS]! <= 0) continue;
      for (let k = 0; k < this.P && over > 0; k++) {
        const c = node * this.C + dev * this.P + k;
        if (this.cidrAddr[c]! < 0 || !this.positionFree(node, dev, k)) continue;
        this.releasePosition(node, dev, k);
        over--;
      }
    }
  }

  /**
   * getDeletableENI [datastore]: the first ENI by device index that is not primary, ≥ 1 min old, has no address
   * in cooldown and no pod, and is not needed for WARM_IP / MINIMUM_IP / WARM_PREFIX. 0 when none. O(E).
   */
  private deletableEni(node: number, now: number): number {
    for (let dev = 1; dev < this.E; dev++) {
      if (this.eniFreeAt(node, dev) <= now) return dev;
    }
    return 0;
  }

  /** When ENI `dev` becomes deletable (its age, its cooldown), or Infinity when it is not a candidate. O(1). */
  private eniFreeAt(node: number, dev: number): number {
    const e = this.eniAt(node, dev);
    const have = this.ri[e + E_CIDRS]!;
    if (have < 0 || this.ri[e + E_ASSIGNED]! > 0) return Infinity;
    const size = have * this.unit;
    if (this.warmIp !== 0) {
      const target = this.prefix ? Math.ceil(this.warmIp / PREFIX_SIZE) * PREFIX_SIZE : this.warmIp;
      if (this.ri[node * this.IS + N_TOTAL]! - this.ri[node * this.IS + N_ASSIGNED]! - size < target) return Infinity;
    }
    if (this.minIp !== 0) {
      const target = this.prefix ? Math.ceil(this.minIp / PREFIX_SIZE) * PREFIX_SIZE : this.minIp;
      if (this.ri[node * this.IS + N_TOTAL]! - size < target) return Infinity;
    }
    if (this.prefix && this.warm !== 0 && this.ri[node * this.IS + N_FREE]! - this.ri[e + E_FREE]! < this.warm) return Infinity;
    const old = this.rf[this.eniTimes(node, dev) + F_CREATED]! + MIN_ENI_LIFE_MS;
    const cool = this.ri[e + E_COOLING]! > 0 ? this.rf[this.eniTimes(node, dev) + F_LAST_RELEASE]! + this.cooldown : NEG;
    return Math.max(old, cool);
  }

  /**
   * Schedules the node's next tick: at its first phase time strictly after now and not before the soonest time a
   * tick would act; none when no tick would. An earlier need moves a scheduled tick forward. O(1), O(E) when an
   * empty ENI might be freed.
   */
  private arm(node: number): void {
    const now = this.clock.now;
    if (this.rf[node * this.FS + this.TB + T_TICK]! >= 0 && this.rf[node * this.FS + this.TB + T_TICK_AT]! - now <= LOOP_MS) return; // already at the next phase time
    const pool = this.ri[node * this.IS + N_POOL]!;
    if (pool < 0) return;
    let at = Infinity;
    if (this.isLow(node, pool)) {
      const custom = this.custom ? 1 : 0;
      const room = this.ri[node * this.IS + N_ENIS]! < this.maxEniOf[pool]! || this.ri[node * this.IS + N_CIDRS]! < (this.ri[node * this.IS + N_ENIS]! - custom) * this.perEniOf[pool]!;
      if (room) at = Math.max(now, this.rf[node * this.FS + this.TB + T_LAST_INSUFFICIENT]! + BACKOFF_MS);
    } else if (this.isHigh(node)) at = Math.max(now, this.rf[node * this.FS + this.TB + T_LAST_DECREASE]! + DECREASE_MS);
    if (this.ri[node * this.IS + N_EMPTY]! > 0 && this.shouldRemoveEnis(node, pool, this.ri[node * this.IS + N_TOTAL]! - this.ri[node * this.IS + N_ASSIGNED]!)) {
      for (let dev = 1; dev < this.E; dev++) at = Math.min(at, this.eniFreeAt(node, dev));
    }
    if (at === Infinity) return;
    const j = this.rf[node * this.FS + this.TB + T_JOIN]!;
    const from = Math.max(at, now + 1);
    const next = j + Math.ceil((from - j) / LOOP_MS) * LOOP_MS;
    if (this.rf[node * this.FS + this.TB + T_TICK]! >= 0) {
      if (this.rf[node * this.FS + this.TB + T_TICK_AT]! <= next) return;
      this.clock.cancel(this.rf[node * this.FS + this.TB + T_TICK]!);
    }
    this.rf[node * this.FS + this.TB + T_TICK_AT] = next;
    this.rf[node * this.FS + this.TB + T_TICK] = this.clock.schedule(next - now, this.tickKind, node);
  }

  // --- ENIs and slot positions ----------------------------------------------------------------------------

  private openEni(node: number, dev: number, primary: number): void {
    const e = this.eniAt(node, dev);
    this.ri[e + E_CIDRS] = 0;
    this.ri[e + E_ASSIGNED] = 0;
    this.ri[e + E_FREE] = 0;
    this.ri[e + E_COOLING] = 0;
    this.ri[e + E_PRIMARY] = primary;
    this.rf[this.eniTimes(node, dev) + F_CREATED] = this.clock.now;
    this.rf[this.eniTimes(node, dev) + F_LAST_RELEASE] = NEG;
    this.ri[node * this.IS + N_ENIS]!++;
    if (dev > 0) this.ri[node * this.IS + N_EMPTY]!++;
  }

  /** Frees an ENI with no pod and no cooling address: its slot positions and its primary (not device 0's). */
  private closeEni(node: number, dev: number): void {
    const e = this.eniAt(node, dev);
    for (let k = 0; k < this.P; k++) if (this.cidrAddr[node * this.C + dev * this.P + k]! >= 0) this.releasePosition(node, dev, k);
    if (dev > 0) {
      const si = this.ns[(node << 2) + S_ENI_SUB]!;
      this.subnets[si]!.free(this.ri[e + E_PRIMARY]!);
      this.heldIn[si]!--;
      this.ri[node * this.IS + N_EMPTY]!--;
    }
    this.ri[e + E_CIDRS] = -1;
    this.ri[e + E_PRIMARY] = -1;
    this.ri[node * this.IS + N_ENIS]!--;
  }

  /** Returns one unassigned slot position (an address, or a prefix whose addresses may be cooling) to the subnet. */
  private releasePosition(node: number, dev: number, k: number): void {
    const e = this.eniAt(node, dev);
    const c = node * this.C + dev * this.P + k;
    const si = dev === 0 ? this.ns[(node << 2) + S_SUB]! : this.ns[(node << 2) + S_ENI_SUB]!;
    const s0 = this.slotOf(dev, k);
    for (let u = 0; u < this.unit; u++) {
      const s = s0 + u;
      if (this.coolAt[node * this.SLOTS + s]! >= 0) {
        this.unlinkCooling(node, s);
        this.ri[e + E_COOLING]!--;
      } else this.clearReady(node, s);
    }
    if (this.prefix) this.subnets[si]!.freeBlock(this.cidrAddr[c]!, 4);
    else this.subnets[si]!.free(this.cidrAddr[c]!);
    this.cidrAddr[c] = -1;
    this.cidrAssigned[c] = 0;
    this.heldIn[si]! -= this.unit;
    this.ri[e + E_CIDRS]!--;
    this.ri[e + E_FREE]!--;
    this.ri[node * this.IS + N_CIDRS]!--;
    this.ri[node * this.IS + N_FREE]!--;
    this.ri[node * this.IS + N_TOTAL]! -= this.unit;
    this.sumTotal -= this.unit;
  }

  /** Everything the node holds goes back (leave, or a custom-networking node whose init failed). */
  private release(node: number): void {
    if (this.rf[node * this.FS + this.TB + T_TICK]! >= 0) this.clock.cancel(this.rf[node * this.FS + this.TB + T_TICK]!);
    if (this.rf[node * this.FS + this.TB + T_COOL_TIMER]! >= 0) this.clock.cancel(this.rf[node * this.FS + this.TB + T_COOL_TIMER]!);
    this.rf[node * this.FS + this.TB + T_TICK] = -1;
    this.rf[node * this.FS + this.TB + T_TICK_AT] = Infinity;
    this.rf[node * this.FS + this.TB + T_COOL_TIMER] = -1;
    for (let dev = this.E - 1; dev >= 0; dev--) if (this.ri[this.eniAt(node, dev) + E_CIDRS]! >= 0) this.closeEni(node, dev);
    this.heldIn[this.ns[(node << 2) + S_SUB]!]!--;
    this.nodes.give(node);
    this.ri[node * this.IS + N_POOL] = -1;
    this.ns[(node << 2) + S_SUB] = -1;
    this.ns[(node << 2) + S_ENI_SUB] = -1;
  }

  /** No address of the position is assigned (its addresses are ready or cooling). */
  private positionFree(node: number, dev: number, k: number): boolean {
    if (this.prefix) return this.cidrAssigned[node * this.C + dev * this.P + k] === 0;
    const s = this.slotOf(dev, k);
    return this.isReady(node, s) || this.coolAt[node * this.SLOTS + s]! >= 0;
  }

  /** The first address slot of ENI `dev`'s position `k` in its node. */
  private slotOf(dev: number, k: number): number {
    return (dev * this.P + k) << this.ushift;
  }

  /** The node-pool index of a joined node; throws (a simulation bug) otherwise. O(1). */
  private joined(node: number, what: string): number {
    const pool = node < this.ri.length / this.IS ? this.ri[node * this.IS + N_POOL]! : -1;
    if (pool < 0) throw internalError(`${this.mode} ${what}: node ${node} has not joined`);
    return pool;
  }

  // --- pods -----------------------------------------------------------------------------------------------

  private assign(node: number, s: number): void {
    this.clearReady(node, s);
    const c = s >> this.ushift;
    const dev = (c / this.P) | 0;
    const e = this.eniAt(node, dev);
    // Secondary IPs: a position is its one address, free until assigned (no per-position count needed).
    if (!this.prefix || this.cidrAssigned[node * this.C + c]!++ === 0) {
      this.ri[node * this.IS + N_FREE]!--;
      this.ri[e + E_FREE]!--;
    }
    if (this.ri[e + E_ASSIGNED]!++ === 0 && dev > 0) this.ri[node * this.IS + N_EMPTY]!--;
    this.ri[node * this.IS + N_ASSIGNED]!++;
    this.sumAssigned++;
  }

  private unassign(node: number, s: number): void {
    const c = s >> this.ushift;
    const dev = (c / this.P) | 0;
    const e = this.eniAt(node, dev);
    if (!this.prefix || --this.cidrAssigned[node * this.C + c]! === 0) {
      this.ri[node * this.IS + N_FREE]!++;
      this.ri[e + E_FREE]!++;
    }
    if (--this.ri[e + E_ASSIGNED]! === 0 && dev > 0) this.ri[node * this.IS + N_EMPTY]!++;
    this.ri[node * this.IS + N_ASSIGNED]!--;
    this.sumAssigned--;
  }

  private startCooling(node: number, s: number): void {
    const g = node * this.SLOTS + s;
    const dev = ((s >> this.ushift) / this.P) | 0;
    const e = this.eniAt(node, dev);
    const now = this.clock.now;
    this.coolAt[g] = now;
    this.ri[e + E_COOLING]!++;
    this.rf[this.eniTimes(node, dev) + F_LAST_RELEASE] = now;
    const tail = this.ri[node * this.IS + N_COOL_TAIL]!;
    this.coolPrev[g] = tail;
    this.coolNext[g] = -1;
    if (tail >= 0) this.coolNext[tail] = g;
    else {
      this.ri[node * this.IS + N_COOL_HEAD] = g;
      this.rf[node * this.FS + this.TB + T_COOL_HEAD_AT] = now;
    }
    this.ri[node * this.IS + N_COOL_TAIL] = g;
  }

  private unlinkCooling(node: number, s: number): void {
    const g = node * this.SLOTS + s;
    const p = this.coolPrev[g]!;
    const n = this.coolNext[g]!;
    if (p >= 0) this.coolNext[p] = n;
    else {
      this.ri[node * this.IS + N_COOL_HEAD] = n;
      this.rf[node * this.FS + this.TB + T_COOL_HEAD_AT] = n >= 0 ? this.coolAt[n]! : Infinity;
    }
    if (n >= 0) this.coolPrev[n] = p;
    else this.ri[node * this.IS + N_COOL_TAIL] = p;
    this.coolAt[g] = -1;
    this.coolNext[g] = -1;
    this.coolPrev[g] = -1;
  }

  /** Addresses whose cooldown has ended become ready, in release order. O(1) per address. */
  private drain(node: number): void {
    const limit = this.clock.now - this.cooldown;
    const base = node * this.SLOTS;
    for (let g = this.ri[node * this.IS + N_COOL_HEAD]!; g >= 0 && this.coolAt[g]! <= limit; g = this.ri[node * this.IS + N_COOL_HEAD]!) {
      const s = g - base;
      this.unlinkCooling(node, s);
      this.ri[this.eniAt(node, ((s >> this.ushift) / this.P) | 0) + E_COOLING]!--;
      this.setReady(node, s);
    }
  }

  /** A cooldown ended on a node with waiting pods. */
  private cooled(node: number): void {
    this.rf[node * this.FS + this.TB + T_COOL_TIMER] = -1;
    if (this.ri[node * this.IS + N_POOL]! < 0) return;
    this.drain(node);
    this.serveWaiting(node);
    this.armCool(node);
    this.arm(node);
  }

  /** Wakes the node when its oldest cooling address becomes usable, while pods wait. */
  private armCool(node: number): void {
    if (this.rf[node * this.FS + this.TB + T_COOL_TIMER]! >= 0 || this.ri[node * this.IS + N_WAITING] === 0) return;
    const g = this.ri[node * this.IS + N_COOL_HEAD]!;
    if (g < 0) return;
    const at = this.coolAt[g]! + this.cooldown;
    this.rf[node * this.FS + this.TB + T_COOL_TIMER] = this.clock.schedule(Math.max(0, at - this.clock.now), this.coolKind, node);
  }

  private serveWaiting(node: number): void {
    while (this.ri[node * this.IS + N_WAITING]! > 0) {
      const s = this.lowestReady(node);
      if (s < 0) return;
      const w = this.ri[node * this.IS + N_WAIT_HEAD]!;
      this.unlink(w, node);
      this.assign(node, s);
      this.host.granted(w, node, s);
    }
  }

  // --- ready bitset ----------------------------------------------------------------------------------------

  private setReady(node: number, s: number): void {
    const wi = s >>> 5;
    const base = node * this.IS + N_FIELDS;
    this.ri[base + this.SW + wi]! |= 1 << (s & 31);
    this.ri[base + (wi >>> 5)]! |= 1 << (wi & 31);
  }

  private clearReady(node: number, s: number): void {
    const wi = s >>> 5;
    const base = node * this.IS + N_FIELDS;
    const i = base + this.SW + wi;
    const w = this.ri[i]! & ~(1 << (s & 31));
    this.ri[i] = w;
    if (w === 0) this.ri[base + (wi >>> 5)]! &= ~(1 << (wi & 31));
  }

  private isReady(node: number, s: number): boolean {
    return (this.ri[node * this.IS + N_FIELDS + this.SW + (s >>> 5)]! & (1 << (s & 31))) !== 0;
  }

  /** The lowest ready slot, or -1. O(SW). */
  private lowestReady(node: number): number {
    const base = node * this.IS + N_FIELDS;
    for (let i = 0; i < this.SW; i++) {
      const sw = this.ri[base + i]!;
      if (sw !== 0) {
        const wi = (i << 5) + (31 - Math.clz32(sw & -sw));
        const w = this.ri[base + this.SW + wi]!;
        return (wi << 5) + (31 - Math.clz32(w & -w));
      }
    }
    return -1;
  }

  // --- wait queue ------------------------------------------------------------------------------------------

  private enqueue(pod: number, node: number): void {
    if (pod >= this.wNode.length) {
      this.wNext = growI32(this.wNext, pod + 1, -1);
      this.wPrev = growI32(this.wPrev, pod + 1, -1);
      this.wNode = growI32(this.wNode, pod + 1, -1);
    }
    if (this.wNode[pod] !== -1) throw internalError(`${this.mode}: pod ${pod} is already waiting on node ${this.wNode[pod]}`);
    const tail = this.ns[(node << 2) + S_WAIT_TAIL]!;
    this.wNode[pod] = node;
    this.wPrev[pod] = tail;
    this.wNext[pod] = -1;
    if (tail >= 0) this.wNext[tail] = pod;
    else this.ri[node * this.IS + N_WAIT_HEAD] = pod;
    this.ns[(node << 2) + S_WAIT_TAIL] = pod;
    this.ri[node * this.IS + N_WAITING]!++;
    this.sumWaiting++;
  }

  private unlink(pod: number, node: number): void {
    const p = this.wPrev[pod]!;
    const n = this.wNext[pod]!;
    if (p >= 0) this.wNext[p] = n;
    else this.ri[node * this.IS + N_WAIT_HEAD] = n;
    if (n >= 0) this.wPrev[n] = p;
    else this.ns[(node << 2) + S_WAIT_TAIL] = p;
    this.wNode[pod] = -1;
    this.wPrev[pod] = -1;
    this.wNext[pod] = -1;
    this.ri[node * this.IS + N_WAITING]!--;
    this.sumWaiting--;
  }

  // --- failures and gauges ---------------------------------------------------------------------------------

  private fail(code: string, si: number): false {
    this.failCode = code;
    this.failSub = si;
    return false;
  }

  /** Records a refused EC2 request once per refusal streak of the node. */
  private recordRefusal(node: number, n: number, eni: boolean): void {
    if (this.ns[(node << 2) + S_REFUSING] === 1) return;
    this.ns[(node << 2) + S_REFUSING] = 1;
    const si = this.failSub;
    const sub = this.subnets[si]!;
    const free = freeOf(sub);
    const what = this.prefix ? `${n} /28 prefix${n === 1 ? '' : 'es'}` : `${n} address${n === 1 ? '' : 'es'}`;
    const blocks = this.prefix ? `, ${(free - sub.fragmentation(4)) / PREFIX_SIZE} in free aligned /28s` : '';
    const asked = eni ? `a new ENI with ${what}` : 'more addresses on its ENIs';
    const backoff = eni ? `; no growth for ${BACKOFF_MS / 1000} s` : '';
    this.host.record(
      'ip-request-refused',
      this.isNodeSubnet[si] === 1 ? NODE_SUBNET_FULL : POD_SUBNET_FULL,
      node,
      `${this.failCode}: subnet ${sub.cidr.text} has ${free} free addresses${blocks}; node ${node} asked for ${asked}${backoff}`,
    );
  }

  /** Prefix mode: free pod-space addresses in no whole free aligned /28, as a fraction of free; 0 for single addresses. */
  private fragmentation(): number {
    if (!this.prefix) return 0;
    let free = 0;
    let stranded = 0;
    for (const s of this.podSpace) {
      free += freeOf(s);
      stranded += s.fragmentation(4);
    }
    return free === 0 ? 0 : stranded / free;
  }

  /** Grows the node records to `len` nodes (new nodes not joined, their ENIs not attached). */
  private records(len: number): void {
    const had = this.ri.length / this.IS;
    const buf = new ArrayBuffer(len * this.IS * 4);
    new Int32Array(buf).set(this.ri);
    this.ri = new Int32Array(buf);
    this.rf = new Float64Array(buf);
    for (let i = had; i < len; i++) {
      this.ri[i * this.IS + N_POOL] = -1;
      for (let d = 0; d < this.E; d++) this.ri[this.eniAt(i, d) + E_CIDRS] = -1;
    }
    this.ns = growI32(this.ns, len << 2, 0);
  }

  /** Index in `ri` of ENI `dev`'s Int32 fields. */
  private eniAt(node: number, dev: number): number {
    return node * this.IS + this.EB + dev * E_STRIDE;
  }

  /** Index in `rf` of ENI `dev`'s times. */
  private eniTimes(node: number, dev: number): number {
    return node * this.FS + this.TB + T_FIELDS + dev * F_STRIDE;
  }

  private ensure(node: number): void {
    this.nodes.ensure(node);
    const had = this.ri.length / this.IS;
    if (node < had) return;
    let len = had;
    while (len <= node) len *= 2;
    this.records(len);
    this.cidrAddr = growI32(this.cidrAddr, len * this.C, -1);
    this.cidrAssigned = growI32(this.cidrAssigned, len * this.C, 0);
    this.coolAt = growF64(this.coolAt, len * this.SLOTS, -1);
    this.coolNext = growI32(this.coolNext, len * this.SLOTS, -1);
    this.coolPrev = growI32(this.coolPrev, len * this.SLOTS, -1);
  }
}
