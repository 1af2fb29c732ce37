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
import { internalError } from '../../errors.js';
import type { AddressPool } from '../../pool/index.js';
import { AWS_SUBNET } from '../platform/reserves.js';
import { freeOf, growF64, growI32, NodeSubnets, setGauges4 } from '../shared.js';
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
  // --- per node
  private subOf: Int32Array; // index into subnets of the node's subnet
  private eniSubOf: Int32Array; // index into subnets of its pod ENIs' subnet
  private total: Int32Array; // addresses attached as slots (IPs, or 16 × prefixes)
  private assigned: Int32Array;
  private podsOf: Int32Array; // assigned + waiting
  private enis: Int32Array;
  private cidrs: Int32Array; // slot positions filled (IPs or prefixes)
  private freeCidrs: Int32Array; // positions with no assigned address (free IPs / free prefixes)
  private emptyEnis: Int32Array; // non-primary ENIs with no assigned address
  private refusing: Int32Array;
  private coolHead: Int32Array;
  private coolTail: Int32Array;
  private waitHead: Int32Array;
  private waitTail: Int32Array;
  private waitingOf: Int32Array;
  private joinAt: Float64Array;
  private tickOf: Float64Array;
  private tickAt: Float64Array;
  private coolTimerOf: Float64Array;
  private lastDecrease: Float64Array;
  private lastInsufficient: Float64Array;
  // --- per ENI
  private eniCidrs: Int32Array; // -1: not attached
  private eniAssigned: Int32Array;
  private eniFree: Int32Array; // positions with no assigned address
  private eniCooling: Int32Array;
  private eniPrimary: Int32Array;
  private eniCreated: Float64Array;
  private eniLastRelease: Float64Array;
  // --- per slot position
  private cidrAddr: Int32Array; // offset in the ENI's subnet, -1: empty
  private cidrAssigned: Int32Array;
  // --- per address slot
  private coolAt: Float64Array; // release time while cooling, else -1
  private coolNext: Int32Array;
  private coolPrev: Int32Array;
  private ready: Int32Array;
  private summary: Int32Array;
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
        throw internalError(`${cfg.mode}: node pool ${np.name} (${i}) has no podSubnet; custom networking draws pod ENIs from one`);
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
    this.subOf = new Int32Array(n).fill(-1);
    this.eniSubOf = new Int32Array(n).fill(-1);
    this.total = new Int32Array(n);
    this.assigned = new Int32Array(n);
    this.podsOf = new Int32Array(n);
    this.enis = new Int32Array(n);
    this.cidrs = new Int32Array(n);
    this.freeCidrs = new Int32Array(n);
    this.emptyEnis = new Int32Array(n);
    this.refusing = new Int32Array(n);
    this.coolHead = new Int32Array(n).fill(-1);
    this.coolTail = new Int32Array(n).fill(-1);
    this.waitHead = new Int32Array(n).fill(-1);
    this.waitTail = new Int32Array(n).fill(-1);
    this.waitingOf = new Int32Array(n);
    this.joinAt = new Float64Array(n);
    this.tickOf = new Float64Array(n).fill(-1);
    this.tickAt = new Float64Array(n).fill(Infinity);
    this.coolTimerOf = new Float64Array(n).fill(-1);
    this.lastDecrease = new Float64Array(n).fill(NEG);
    this.lastInsufficient = new Float64Array(n).fill(NEG);
    this.eniCidrs = new Int32Array(n * this.E).fill(-1);
    this.eniAssigned = new Int32Array(n * this.E);
    this.eniFree = new Int32Array(n * this.E);
    this.eniCooling = new Int32Array(n * this.E);
    this.eniPrimary = new Int32Array(n * this.E).fill(-1);
    this.eniCreated = new Float64Array(n * this.E);
    this.eniLastRelease = new Float64Array(n * this.E).fill(NEG);
    this.cidrAddr = new Int32Array(n * this.C).fill(-1);
    this.cidrAssigned = new Int32Array(n * this.C);
    this.coolAt = new Float64Array(n * this.SLOTS).fill(-1);
    this.coolNext = new Int32Array(n * this.SLOTS).fill(-1);
    this.coolPrev = new Int32Array(n * this.SLOTS).fill(-1);
    this.ready = new Int32Array(n * this.W);
    this.summary = new Int32Array(n * this.SW);
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
    const si = this.nodeSubIdx[pool]![nsub]!;
    this.subOf[node] = si;
    this.eniSubOf[node] = this.custom ? this.podSubIdx[pool]! : si;
    this.heldIn[si]!++;
    this.total[node] = 0;
    this.assigned[node] = 0;
    this.podsOf[node] = 0;
    this.enis[node] = 0;
    this.cidrs[node] = 0;
    this.freeCidrs[node] = 0;
    this.emptyEnis[node] = 0;
    this.refusing[node] = 0;
    this.coolHead[node] = -1;
    this.coolTail[node] = -1;
    this.waitHead[node] = -1;
    this.waitTail[node] = -1;
    this.waitingOf[node] = 0;
    this.joinAt[node] = this.clock.now;
    this.tickOf[node] = -1;
    this.tickAt[node] = Infinity;
    this.coolTimerOf[node] = -1;
    this.lastDecrease[node] = NEG;
    this.lastInsufficient[node] = NEG;
    this.openEni(node, 0, this.nodes.addrOf[node]!);
    // Node init grows the pool at once (handlePreScaling); custom networking fails init while the pool is empty.
    this.increase(node, pool, this.custom);
    if (this.custom && this.cidrs[node] === 0) {
      this.release(node);
      return POD_SUBNET_FULL;
    }
    this.arm(node);
    return OK;
  }

  nodeLeave(node: number): void {
    this.nodes.poolOfJoined(node, `${this.mode} nodeLeave`);
    if (this.podsOf[node] !== 0) throw internalError(`${this.mode}: node ${node} left with ${this.assigned[node]} pods holding addresses and ${this.waitingOf[node]} waiting`);
    this.release(node);
  }

  podAdd(pod: number, node: number): number {
    const pool = this.nodes.poolOfJoined(node, `${this.mode} podAdd`);
    if (this.podsOf[node]! >= this.maxPodsOf[pool]!) return refused(MAX_PODS);
    this.podsOf[node]!++;
    if (this.coolHead[node]! >= 0) this.drain(node);
    if (this.waitingOf[node]! > 0) this.serveWaiting(node);
    if (this.waitingOf[node] === 0) {
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
    this.nodes.poolOfJoined(node, `${this.mode} podRelease`);
    this.podsOf[node]!--;
    if (handle === PENDING) {
      if (this.wNode[pod] !== node) throw internalError(`${this.mode}: pod ${pod} is not waiting on node ${node}`);
      this.unlink(pod, node);
      return;
    }
    this.unassign(node, handle);
    if (this.cooldown > 0) {
      this.startCooling(node, handle);
      if (this.waitingOf[node]! > 0) this.armCool(node);
    } else {
      this.setReady(node, handle);
      if (this.waitingOf[node]! > 0) this.serveWaiting(node);
    }
    this.arm(node);
  }

  address(node: number, handle: number): number {
    this.nodes.poolOfJoined(node, `${this.mode} address`);
    const c = handle >> this.ushift;
    const dev = (c / this.P) | 0;
    const sub = this.subnets[dev === 0 ? this.subOf[node]! : this.eniSubOf[node]!]!;
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
    for (let node = 0; node < this.subOf.length; node++) {
      if (node >= this.nodes.poolOf.length || this.nodes.poolOf[node]! < 0) continue;
      for (let dev = 0; dev < this.E; dev++) {
        const e = node * this.E + dev;
        if (this.eniCidrs[e]! < 0) continue;
        const si = dev === 0 ? this.subOf[node]! : this.eniSubOf[node]!;
        const sub = this.subnets[si]!;
        const onNode = this.isNodeSubnet[si] === 1;
        if (sub.isAllocated(this.eniPrimary[e]!) && onNode) nodeUsed++;
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
      for (let w = this.waitHead[node]!; w >= 0; w = this.wNext[w]!) waiting++;
    }
    setGauges4(out, nodeUsed, this.nodes.capacity(), reserved, used, this.podSpace.reduce((a, s) => a + s.capacity, 0), this.fragmentation(), waiting);
  }

  // --- the ipamd loop -------------------------------------------------------------------------------------

  /** One pass of updateIPPoolIfRequired [ipamd]. */
  private tick(node: number): void {
    this.tickOf[node] = -1;
    this.tickAt[node] = Infinity;
    const pool = this.nodes.poolOf[node]!;
    if (pool < 0) return; // cancelled at nodeLeave; kept as a guard
    const now = this.clock.now;
    if (this.coolHead[node]! >= 0) this.drain(node);
    const availBefore = this.total[node]! - this.assigned[node]!;
    let decreased = false;
    if (this.isLow(node, pool)) this.increase(node, pool, false);
    else if (this.isHigh(node) && now - this.lastDecrease[node]! >= DECREASE_MS) {
      this.decrease(node);
      decreased = true;
    }
    if (this.shouldRemoveEnis(node, pool, availBefore)) {
      const dev = this.deletableEni(node, now);
      if (dev > 0) this.closeEni(node, dev);
    }
    if (decreased) this.lastDecrease[node] = now;
    if (this.waitingOf[node]! > 0) {
      this.serveWaiting(node);
      this.armCool(node);
    }
    this.arm(node);
  }

  /** isDatastorePoolTooLow [ipamd]. O(1). */
  private isLow(node: number, pool: number): boolean {
    const total = this.total[node]!;
    if (total >= this.maxPodsOf[pool]!) return false;
    if (this.targets) return this.short(node) > 0;
    const avail = total - this.assigned[node]!;
    const per = this.prefix ? PREFIX_SIZE : this.perEniOf[pool]!;
    return avail < per * this.warm || (this.warm === 0 && avail === 0);
  }

  /** datastoreTargetState's short: addresses (prefix mode: prefixes) below WARM_IP / MINIMUM_IP [ipamd]. */
  private short(node: number): number {
    const total = this.total[node]!;
    const avail = total - this.assigned[node]!;
    const s = Math.max(this.warmIp - avail, 0, this.minIp - total);
    return this.prefix ? Math.ceil(s / PREFIX_SIZE) : s;
  }

  /** datastoreTargetState's over: addresses (prefix mode: prefixes) above the targets [ipamd]. */
  private over(node: number): number {
    const total = this.total[node]!;
    const assigned = this.assigned[node]!;
    if (!this.prefix) return Math.max(Math.min(Math.max(total - assigned - this.warmIp, 0), total - this.minIp), 0);
    const prefixes = this.cidrs[node]!;
    const forWarm = Math.ceil((assigned + this.warmIp) / PREFIX_SIZE);
    const forMin = Math.ceil(this.minIp / PREFIX_SIZE);
    const o = Math.max(Math.min(this.freeCidrs[node]!, prefixes - forWarm), 0);
    return Math.max(Math.min(o, prefixes - forMin), 0);
  }

  /** isDatastorePoolTooHigh [ipamd]: only with targets, or free prefixes above WARM_PREFIX_TARGET. O(1). */
  private isHigh(node: number): boolean {
    if (this.targets) return this.over(node) > 0;
    return this.prefix && this.freeCidrs[node]! > this.warm;
  }

  /** shouldRemoveExtraENIs [ipamd] on the tick's starting stats. O(1). */
  private shouldRemoveEnis(node: number, pool: number, avail: number): boolean {
    if (this.targets) return true;
    const perEni = this.perEniOf[pool]! * this.unit;
    if (avail >= (this.warm + 1) * perEni) return true;
    return this.prefix && this.emptyEnis[node]! > 0; // CheckFreeableENIexists
  }

  /** increaseDatastorePool [ipamd]: fill an ENI, else attach one; a failed ENI creation backs off 120 s. */
  private increase(node: number, pool: number, quiet: boolean): void {
    const now = this.clock.now;
    if (now - this.lastInsufficient[node]! < BACKOFF_MS) return;
    const r = this.tryAssign(node, pool);
    if (r > 0) {
      this.refusing[node] = 0;
      return;
    }
    if (this.enis[node]! < this.maxEniOf[pool]!) {
      const per = this.perEniOf[pool]!;
      const n = this.prefix ? Math.min(this.prefixesNeeded(node), per) : this.targets ? Math.min(this.short(node), per) : per;
      if (n <= 0) return;
      if (this.createEni(node, pool, n)) this.refusing[node] = 0;
      else {
        this.lastInsufficient[node] = now;
        if (!quiet) this.recordRefusal(node, n, true);
      }
    } else if (r < 0 && !quiet) this.recordRefusal(node, 0, false);
  }

  /** getPrefixesNeeded [ipamd]: at least one; targets take precedence over WARM_PREFIX_TARGET. */
  private prefixesNeeded(node: number): number {
    if (this.targets) return Math.max(1, this.short(node));
    return Math.max(1, this.warm - this.freeCidrs[node]!);
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
      const have = this.eniCidrs[node * this.E + dev]!;
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
    while (dev < this.maxEniOf[pool]! && this.eniCidrs[node * this.E + dev]! >= 0) dev++;
    if (dev >= this.maxEniOf[pool]!) return false;
    const si = this.eniSubOf[node]!;
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
    const si = dev === 0 ? this.subOf[node]! : this.eniSubOf[node]!;
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
    const e = node * this.E + dev;
    this.heldIn[si]! += n * this.unit;
    this.eniCidrs[e]! += n;
    this.eniFree[e]! += n;
    this.cidrs[node]! += n;
    this.freeCidrs[node]! += n;
    this.total[node]! += n * this.unit;
    this.sumTotal += n * this.unit;
    return true;
  }

  /** decreaseDatastorePool → tryUnassignCidrsFromAll [ipamd]: release `over` free positions, ENIs in device order. */
  private decrease(node: number): void {
    let over = this.targets ? this.over(node) : this.prefix ? Math.max(this.freeCidrs[node]! - this.warm, 0) : 0;
    for (let dev = 0; dev < this.E && over > 0; dev++) {
      const e = node * this.E + dev;
      if (this.eniCidrs[e]! <= 0) continue;
      for (let k = 0; k < this.P && over > 0; k++) {
        const c = node * this.C + dev * this.P + k;
        if (this.cidrAddr[c]! < 0 || this.cidrAssigned[c]! > 0) continue;
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
    const e = node * this.E + dev;
    const have = this.eniCidrs[e]!;
    if (have < 0 || this.eniAssigned[e]! > 0) return Infinity;
    const size = have * this.unit;
    if (this.warmIp !== 0) {
      const target = this.prefix ? Math.ceil(this.warmIp / PREFIX_SIZE) * PREFIX_SIZE : this.warmIp;
      if (this.total[node]! - this.assigned[node]! - size < target) return Infinity;
    }
    if (this.minIp !== 0) {
      const target = this.prefix ? Math.ceil(this.minIp / PREFIX_SIZE) * PREFIX_SIZE : this.minIp;
      if (this.total[node]! - size < target) return Infinity;
    }
    if (this.prefix && this.warm !== 0 && this.freeCidrs[node]! - this.eniFree[e]! < this.warm) return Infinity;
    const old = this.eniCreated[e]! + MIN_ENI_LIFE_MS;
    const cool = this.eniCooling[e]! > 0 ? this.eniLastRelease[e]! + this.cooldown : NEG;
    return Math.max(old, cool);
  }

  /**
   * Schedules the node's next tick: at its first phase time strictly after now and not before the soonest time a
   * tick would act; none when no tick would. An earlier need moves a scheduled tick forward. O(1), O(E) when an
   * empty ENI might be freed.
   */
  private arm(node: number): void {
    const now = this.clock.now;
    if (this.tickOf[node]! >= 0 && this.tickAt[node]! - now <= LOOP_MS) return; // already at the next phase time
    const pool = this.nodes.poolOf[node]!;
    if (pool < 0) return;
    let at = Infinity;
    if (this.isLow(node, pool)) {
      const custom = this.custom ? 1 : 0;
      const room = this.enis[node]! < this.maxEniOf[pool]! || this.cidrs[node]! < (this.enis[node]! - custom) * this.perEniOf[pool]!;
      if (room) at = Math.max(now, this.lastInsufficient[node]! + BACKOFF_MS);
    } else if (this.isHigh(node)) at = Math.max(now, this.lastDecrease[node]! + DECREASE_MS);
    if (this.emptyEnis[node]! > 0 && this.shouldRemoveEnis(node, pool, this.total[node]! - this.assigned[node]!)) {
      for (let dev = 1; dev < this.E; dev++) at = Math.min(at, this.eniFreeAt(node, dev));
    }
    if (at === Infinity) return;
    const j = this.joinAt[node]!;
    const from = Math.max(at, now + 1);
    const next = j + Math.ceil((from - j) / LOOP_MS) * LOOP_MS;
    if (this.tickOf[node]! >= 0) {
      if (this.tickAt[node]! <= next) return;
      this.clock.cancel(this.tickOf[node]!);
    }
    this.tickAt[node] = next;
    this.tickOf[node] = this.clock.schedule(next - now, this.tickKind, node);
  }

  // --- ENIs and slot positions ----------------------------------------------------------------------------

  private openEni(node: number, dev: number, primary: number): void {
    const e = node * this.E + dev;
    this.eniCidrs[e] = 0;
    this.eniAssigned[e] = 0;
    this.eniFree[e] = 0;
    this.eniCooling[e] = 0;
    this.eniPrimary[e] = primary;
    this.eniCreated[e] = this.clock.now;
    this.eniLastRelease[e] = NEG;
    this.enis[node]!++;
    if (dev > 0) this.emptyEnis[node]!++;
  }

  /** Frees an ENI with no pod and no cooling address: its slot positions and its primary (not device 0's). */
  private closeEni(node: number, dev: number): void {
    const e = node * this.E + dev;
    for (let k = 0; k < this.P; k++) if (this.cidrAddr[node * this.C + dev * this.P + k]! >= 0) this.releasePosition(node, dev, k);
    if (dev > 0) {
      const si = this.eniSubOf[node]!;
      this.subnets[si]!.free(this.eniPrimary[e]!);
      this.heldIn[si]!--;
      this.emptyEnis[node]!--;
    }
    this.eniCidrs[e] = -1;
    this.eniPrimary[e] = -1;
    this.enis[node]!--;
  }

  /** Returns one unassigned slot position (an address, or a prefix whose addresses may be cooling) to the subnet. */
  private releasePosition(node: number, dev: number, k: number): void {
    const e = node * this.E + dev;
    const c = node * this.C + dev * this.P + k;
    const si = dev === 0 ? this.subOf[node]! : this.eniSubOf[node]!;
    const s0 = this.slotOf(dev, k);
    for (let u = 0; u < this.unit; u++) {
      const s = s0 + u;
      if (this.coolAt[node * this.SLOTS + s]! >= 0) {
        this.unlinkCooling(node, s);
        this.eniCooling[e]!--;
      } else this.clearReady(node, s);
    }
    if (this.prefix) this.subnets[si]!.freeBlock(this.cidrAddr[c]!, 4);
    else this.subnets[si]!.free(this.cidrAddr[c]!);
    this.cidrAddr[c] = -1;
    this.cidrAssigned[c] = 0;
    this.heldIn[si]! -= this.unit;
    this.eniCidrs[e]!--;
    this.eniFree[e]!--;
    this.cidrs[node]!--;
    this.freeCidrs[node]!--;
    this.total[node]! -= this.unit;
    this.sumTotal -= this.unit;
  }

  /** Everything the node holds goes back (leave, or a custom-networking node whose init failed). */
  private release(node: number): void {
    if (this.tickOf[node]! >= 0) this.clock.cancel(this.tickOf[node]!);
    if (this.coolTimerOf[node]! >= 0) this.clock.cancel(this.coolTimerOf[node]!);
    this.tickOf[node] = -1;
    this.tickAt[node] = Infinity;
    this.coolTimerOf[node] = -1;
    for (let dev = this.E - 1; dev >= 0; dev--) if (this.eniCidrs[node * this.E + dev]! >= 0) this.closeEni(node, dev);
    this.heldIn[this.subOf[node]!]!--;
    this.nodes.give(node);
    this.subOf[node] = -1;
    this.eniSubOf[node] = -1;
  }

  /** The first address slot of ENI `dev`'s position `k` in its node. */
  private slotOf(dev: number, k: number): number {
    return (dev * this.P + k) << this.ushift;
  }

  // --- pods -----------------------------------------------------------------------------------------------

  private assign(node: number, s: number): void {
    this.clearReady(node, s);
    const c = s >> this.ushift;
    const dev = (c / this.P) | 0;
    const e = node * this.E + dev;
    const ci = node * this.C + c;
    if (this.cidrAssigned[ci]!++ === 0) {
      this.freeCidrs[node]!--;
      this.eniFree[e]!--;
    }
    if (this.eniAssigned[e]!++ === 0 && dev > 0) this.emptyEnis[node]!--;
    this.assigned[node]!++;
    this.sumAssigned++;
  }

  private unassign(node: number, s: number): void {
    const c = s >> this.ushift;
    const dev = (c / this.P) | 0;
    const e = node * this.E + dev;
    const ci = node * this.C + c;
    if (--this.cidrAssigned[ci]! === 0) {
      this.freeCidrs[node]!++;
      this.eniFree[e]!++;
    }
    if (--this.eniAssigned[e]! === 0 && dev > 0) this.emptyEnis[node]!++;
    this.assigned[node]!--;
    this.sumAssigned--;
  }

  private startCooling(node: number, s: number): void {
    const g = node * this.SLOTS + s;
    const e = node * this.E + (((s >> this.ushift) / this.P) | 0);
    const now = this.clock.now;
    this.coolAt[g] = now;
    this.eniCooling[e]!++;
    this.eniLastRelease[e] = now;
    const tail = this.coolTail[node]!;
    this.coolPrev[g] = tail;
    this.coolNext[g] = -1;
    if (tail >= 0) this.coolNext[tail] = g;
    else this.coolHead[node] = g;
    this.coolTail[node] = g;
  }

  private unlinkCooling(node: number, s: number): void {
    const g = node * this.SLOTS + s;
    const p = this.coolPrev[g]!;
    const n = this.coolNext[g]!;
    if (p >= 0) this.coolNext[p] = n;
    else this.coolHead[node] = n;
    if (n >= 0) this.coolPrev[n] = p;
    else this.coolTail[node] = p;
    this.coolAt[g] = -1;
    this.coolNext[g] = -1;
    this.coolPrev[g] = -1;
  }

  /** Addresses whose cooldown has ended become ready, in release order. O(1) per address. */
  private drain(node: number): void {
    const limit = this.clock.now - this.cooldown;
    const base = node * this.SLOTS;
    for (let g = this.coolHead[node]!; g >= 0 && this.coolAt[g]! <= limit; g = this.coolHead[node]!) {
      const s = g - base;
      this.unlinkCooling(node, s);
      this.eniCooling[node * this.E + (((s >> this.ushift) / this.P) | 0)]!--;
      this.setReady(node, s);
    }
  }

  /** A cooldown ended on a node with waiting pods. */
  private cooled(node: number): void {
    this.coolTimerOf[node] = -1;
    if (this.nodes.poolOf[node]! < 0) return;
    this.drain(node);
    this.serveWaiting(node);
    this.armCool(node);
    this.arm(node);
  }

  /** Wakes the node when its oldest cooling address becomes usable, while pods wait. */
  private armCool(node: number): void {
    if (this.coolTimerOf[node]! >= 0 || this.waitingOf[node] === 0) return;
    const g = this.coolHead[node]!;
    if (g < 0) return;
    const at = this.coolAt[g]! + this.cooldown;
    this.coolTimerOf[node] = this.clock.schedule(Math.max(0, at - this.clock.now), this.coolKind, node);
  }

  private serveWaiting(node: number): void {
    while (this.waitingOf[node]! > 0) {
      const s = this.lowestReady(node);
      if (s < 0) return;
      const w = this.waitHead[node]!;
      this.unlink(w, node);
      this.assign(node, s);
      this.host.granted(w, node, s);
    }
  }

  // --- ready bitset ----------------------------------------------------------------------------------------

  private setReady(node: number, s: number): void {
    const wi = s >>> 5;
    this.ready[node * this.W + wi]! |= 1 << (s & 31);
    this.summary[node * this.SW + (wi >>> 5)]! |= 1 << (wi & 31);
  }

  private clearReady(node: number, s: number): void {
    const wi = s >>> 5;
    const i = node * this.W + wi;
    const w = this.ready[i]! & ~(1 << (s & 31));
    this.ready[i] = w;
    if (w === 0) this.summary[node * this.SW + (wi >>> 5)]! &= ~(1 << (wi & 31));
  }

  private isReady(node: number, s: number): boolean {
    return (this.ready[node * this.W + (s >>> 5)]! & (1 << (s & 31))) !== 0;
  }

  /** The lowest ready slot, or -1. O(SW). */
  private lowestReady(node: number): number {
    const sb = node * this.SW;
    for (let i = 0; i < this.SW; i++) {
      const sw = this.summary[sb + i]!;
      if (sw !== 0) {
        const wi = (i << 5) + (31 - Math.clz32(sw & -sw));
        const w = this.ready[node * this.W + wi]!;
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
    const tail = this.waitTail[node]!;
    this.wNode[pod] = node;
    this.wPrev[pod] = tail;
    this.wNext[pod] = -1;
    if (tail >= 0) this.wNext[tail] = pod;
    else this.waitHead[node] = pod;
    this.waitTail[node] = pod;
    this.waitingOf[node]!++;
    this.sumWaiting++;
  }

  private unlink(pod: number, node: number): void {
    const p = this.wPrev[pod]!;
    const n = this.wNext[pod]!;
    if (p >= 0) this.wNext[p] = n;
    else this.waitHead[node] = n;
    if (n >= 0) this.wPrev[n] = p;
    else this.waitTail[node] = p;
    this.wNode[pod] = -1;
    this.wPrev[pod] = -1;
    this.wNext[pod] = -1;
    this.waitingOf[node]!--;
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
    if (this.refusing[node] === 1) return;
    this.refusing[node] = 1;
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

  private ensure(node: number): void {
    this.nodes.ensure(node);
    if (node < this.subOf.length) return;
    const n = node + 1;
    this.subOf = growI32(this.subOf, n, -1);
    const len = this.subOf.length;
    this.eniSubOf = growI32(this.eniSubOf, n, -1);
    this.total = growI32(this.total, n, 0);
    this.assigned = growI32(this.assigned, n, 0);
    this.podsOf = growI32(this.podsOf, n, 0);
    this.enis = growI32(this.enis, n, 0);
    this.cidrs = growI32(this.cidrs, n, 0);
    this.freeCidrs = growI32(this.freeCidrs, n, 0);
    this.emptyEnis = growI32(this.emptyEnis, n, 0);
    this.refusing = growI32(this.refusing, n, 0);
    this.coolHead = growI32(this.coolHead, n, -1);
    this.coolTail = growI32(this.coolTail, n, -1);
    this.waitHead = growI32(this.waitHead, n, -1);
    this.waitTail = growI32(this.waitTail, n, -1);
    this.waitingOf = growI32(this.waitingOf, n, 0);
    this.joinAt = growF64(this.joinAt, n, 0);
    this.tickOf = growF64(this.tickOf, n, -1);
    this.tickAt = growF64(this.tickAt, n, Infinity);
    this.coolTimerOf = growF64(this.coolTimerOf, n, -1);
    this.lastDecrease = growF64(this.lastDecrease, n, NEG);
    this.lastInsufficient = growF64(this.lastInsufficient, n, NEG);
    const e = len * this.E;
    this.eniCidrs = growI32(this.eniCidrs, e, -1);
    this.eniAssigned = growI32(this.eniAssigned, e, 0);
    this.eniFree = growI32(this.eniFree, e, 0);
    this.eniCooling = growI32(this.eniCooling, e, 0);
    this.eniPrimary = growI32(this.eniPrimary, e, -1);
    this.eniCreated = growF64(this.eniCreated, e, 0);
    this.eniLastRelease = growF64(this.eniLastRelease, e, NEG);
    this.cidrAddr = growI32(this.cidrAddr, len * this.C, -1);
    this.cidrAssigned = growI32(this.cidrAssigned, len * this.C, 0);
    this.coolAt = growF64(this.coolAt, len * this.SLOTS, -1);
    this.coolNext = growI32(this.coolNext, len * this.SLOTS, -1);
    this.coolPrev = growI32(this.coolPrev, len * this.SLOTS, -1);
    this.ready = growI32(this.ready, len * this.W, 0);
    this.summary = growI32(this.summary, len * this.SW, 0);
  }
}
