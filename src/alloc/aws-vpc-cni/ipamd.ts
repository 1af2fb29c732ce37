/**
 * ipamd, the Amazon VPC CNI's address manager, for both modes: secondary IPs (one address per ENI slot) and prefix
 * delegation (one /28 per ENI slot): when to grow and shrink a node's pool, and which address a pod gets. Sources:
 * aws/amazon-vpc-cni-k8s pkg/ipamd/ipamd.go [ipamd], pkg/ipamd/datastore/data_store.go [datastore]. EC2's side
 * (ENIs, slot positions, subnets) is ./enis.ts; the per-node state ./node-records.ts.
 *
 * ipamd's node init grows the pool at once (handlePreScaling); after that its loop runs every 5 s from the node's
 * start (StartNodeIPPoolManager), one decision per tick:
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
 * Pods: a pod takes the lowest ready slot of its node in (ENI device index, slot position, address) order. A
 * released address cools for ipCooldownPeriod before any pod gets it again, still counted as available
 * [datastore]; pods that find no ready address wait (PENDING) in a per-node FIFO (WaitingPods, ../waiting.ts;
 * their count is the node's pods minus its assigned addresses) and are granted when an address cools down or the
 * loop attaches more. A pod's handle is its address slot in its node.
 *
 * Costs: podAdd O(summary words) + O(K), podRelease O(1), both allocation-free and reading one record line for
 * an m5.large (two with prefixes); re-arming O(1), O(E × cooling) when an empty ENI might be freed; a tick
 * O(E × P × U + cooling) at worst (attach, release, free); nodeJoin/nodeLeave O(C × U + cooling); gauges
 * O(subnets) plus the fragmentation scan (prefix mode, O(size/32)); recount O(node ids × C × U).
 */
import { internalError } from '../../errors.js';
import { setGauges4 } from '../mechanics.js';
import {
  MAX_PODS, NODE_SUBNET_FULL, OK, PENDING, POD_SUBNET_FULL, refused,
  type Allocator, type AllocatorContext, type AllocatorHost, type Clock, type Gauges,
} from '../types.js';
import { WaitingPods } from '../waiting.js';
import { Enis } from './enis.js';
import type { AwsPoolParams } from './info.js';
import { PREFIX_SIZE } from './instances.js';
import {
  F_COOL_AT, H_ASSIGNED, H_CIDRS, H_COOLING, H_EMPTY, H_ENIS, H_FREE, H_PODS, H_POOL1, H_TOTAL, NodeRecords,
  S_REFUSING, T_COOL_TIMER, T_JOIN, T_LAST_DECREASE, T_LAST_INSUFFICIENT, T_TICK, T_TICK_AT,
} from './node-records.js';

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
  /** Addresses per slot position (1 or 16). */
  private readonly unit: number;
  /** By node-pool index: max-pods, ENIs ipamd may attach, slot positions per ENI (IPv4 − 1). */
  private readonly maxPodsOf: Int32Array;
  private readonly maxEniOf: Int32Array;
  private readonly perEniOf: Int32Array;
  private readonly rec: NodeRecords;
  /** EC2's side: ENIs, slot positions, subnets. */
  private readonly enis: Enis;
  private readonly waiting: WaitingPods;
  private sumAssigned: number;

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
    const limits = cluster.pools.map((p) => p.params as AwsPoolParams);
    this.maxPodsOf = Int32Array.from(cluster.pools, (p) => p.maxPods);
    this.maxEniOf = Int32Array.from(limits, (l) => (cfg.maxEni >= 1 && cfg.maxEni < l.enis ? cfg.maxEni : l.enis));
    this.perEniOf = Int32Array.from(limits, (l) => l.ipv4PerEni - 1);
    this.rec = new NodeRecords(Math.max(1, ...this.maxEniOf), Math.max(1, ...this.perEniOf), cfg.prefix);
    this.enis = new Enis(this.rec, this.clock, spaces, cluster, cfg.mode, cfg.prefix, cfg.customNetworking);
    this.waiting = new WaitingPods();
    this.sumAssigned = 0;
  }

  // --- the Allocator interface ---------------------------------------------------------------------------

  nodeJoin(node: number, pool: number): number {
    const R = this.rec;
    R.ensure(node);
    this.enis.nodes.ensure(node);
    this.waiting.ensureNode(node);
    if (this.enis.nodes.poolOf[node]! >= 0) throw internalError(`${this.mode}: node ${node} joined twice`);
    if (!this.enis.join(node, pool, this.custom)) return NODE_SUBNET_FULL;
    // Node init grows the pool at once (handlePreScaling); custom networking fails init while the pool is empty.
    this.increase(node, pool, this.custom);
    if (this.custom && R.u16[node * R.RS * 2 + H_CIDRS] === 0) {
      this.release(node);
      return POD_SUBNET_FULL;
    }
    this.arm(node);
    return OK;
  }

  nodeLeave(node: number): void {
    this.joined(node, 'nodeLeave');
    const R = this.rec;
    const r = node * R.RS;
    if (R.i[r + H_PODS] !== 0) throw internalError(`${this.mode}: node ${node} left with ${R.u16[(r << 1) + H_ASSIGNED]} pods holding addresses and ${R.i[r + H_PODS]! - R.u16[(r << 1) + H_ASSIGNED]!} waiting`);
    this.release(node);
  }

  podAdd(pod: number, node: number): number {
    const R = this.rec;
    const hi = R.i;
    const hu = R.u16;
    const r = node * R.RS;
    const q = r << 1;
    const pool = node < R.length ? R.u16[(r << 1) + H_POOL1]! - 1 : -1;
    if (pool < 0) this.joined(node, 'podAdd');
    const pods = hi[r + H_PODS]!;
    if (pods >= this.maxPodsOf[pool]!) return refused(MAX_PODS);
    const cooledAt = R.f[(r >> 1) + F_COOL_AT]!; // Infinity: none cooling (no clock read)
    if (cooledAt !== Infinity && cooledAt <= this.clock.now - this.cooldown) this.drain(node);
    if (pods > hu[q + H_ASSIGNED]!) this.serveWaiting(node); // pods already waiting go first
    hi[r + H_PODS] = pods + 1;
    if (pods === hu[q + H_ASSIGNED]) {
      const s = R.lowestReady(node);
      if (s >= 0) {
        this.assign(node, s);
        this.arm(node);
        return s;
      }
    }
    this.waiting.push(node, pod);
    this.armCool(node);
    this.arm(node);
    return PENDING;
  }

  podRelease(pod: number, node: number, handle: number): void {
    const R = this.rec;
    const hi = R.i;
    const hu = R.u16;
    const r = node * R.RS;
    const q = r << 1;
    if ((node < R.length ? R.u16[(r << 1) + H_POOL1]! - 1 : -1) < 0) this.joined(node, 'podRelease');
    hi[r + H_PODS]!--;
    if (handle === PENDING) {
      this.waiting.remove(node, pod);
      return;
    }
    this.unassign(node, handle);
    if (this.cooldown > 0) {
      R.coolPush(node, handle, this.clock.now);
      if (hi[r + H_PODS]! > hu[q + H_ASSIGNED]!) this.armCool(node);
    } else {
      R.setReady(node, handle);
      if (hi[r + H_PODS]! > hu[q + H_ASSIGNED]!) this.serveWaiting(node);
    }
    this.arm(node);
  }

  address(node: number, handle: number): number {
    this.joined(node, 'address');
    return this.enis.address(node, handle);
  }

  gauges(out: Gauges): void {
    const E = this.enis;
    setGauges4(out, E.nodeUsed(), E.nodeCapacity, E.sumTotal, this.sumAssigned, E.podCapacity, E.fragmentation(), this.waiting.total);
  }

  recount(out: Gauges): void {
    const R = this.rec;
    let nodeUsed = 0;
    let reserved = 0;
    let used = 0;
    let waiting = 0;
    const U = this.unit;
    for (let node = 0; node < R.length; node++) {
      if (R.poolOf(node) < 0) continue;
      R.markCooling(node);
      let usedOnNode = 0;
      for (let dev = 0; dev < R.E; dev++) {
        const e = node * R.E + dev;
        if (R.eniCidrs[e]! < 0) continue;
        const si = this.enis.subnetOf(node, dev);
        const sub = this.enis.subnets[si]!;
        const onNode = this.enis.isNodeSubnet[si] === 1;
        if (sub.isAllocated(R.eniPrimary[e]!) && onNode) nodeUsed++;
        for (let k = 0; k < R.P; k++) {
          const a = R.cidrAddr[node * R.C + dev * R.P + k]!;
          if (a < 0) continue;
          let held = 0;
          for (let j = 0; j < U; j++) if (sub.isAllocated(a + j)) held++;
          reserved += held;
          if (onNode) nodeUsed += held;
          for (let j = 0; j < U; j++) {
            const s = (dev * R.P + k) * U + j;
            if (!R.isReady(node, s) && !R.marked(s)) usedOnNode++;
          }
        }
      }
      used += usedOnNode;
      waiting += R.i[node * R.RS + H_PODS]! - usedOnNode;
    }
    setGauges4(out, nodeUsed, this.enis.nodes.capacity(), reserved, used, this.enis.podCapacity, this.enis.fragmentation(), waiting);
  }

  // --- the ipamd loop -------------------------------------------------------------------------------------

  /** One pass of updateIPPoolIfRequired [ipamd]. */
  private tick(node: number): void {
    const R = this.rec;
    const hi = R.i;
    const hu = R.u16;
    const r = node * R.RS;
    const q = r << 1;
    R.times[R.t(node, T_TICK)] = -1;
    R.times[R.t(node, T_TICK_AT)] = Infinity;
    const pool = R.u16[(r << 1) + H_POOL1]! - 1;
    if (pool < 0) return; // cancelled at nodeLeave; kept as a guard
    const now = this.clock.now;
    if (hu[q + H_COOLING]! > 0) this.drain(node);
    const availBefore = hu[q + H_TOTAL]! - hu[q + H_ASSIGNED]!;
    let decreased = false;
    if (this.isLow(node, pool)) this.increase(node, pool, false);
    else if (this.isHigh(node) && now - R.times[R.t(node, T_LAST_DECREASE)]! >= DECREASE_MS) {
      this.decrease(node);
      decreased = true;
    }
    if (this.shouldRemoveEnis(node, pool, availBefore)) {
      const dev = this.deletableEni(node, now);
      if (dev > 0) this.enis.close(node, dev);
    }
    if (decreased) R.times[R.t(node, T_LAST_DECREASE)] = now;
    if (hi[r + H_PODS]! > hu[q + H_ASSIGNED]!) {
      this.serveWaiting(node);
      this.armCool(node);
    }
    this.arm(node);
  }

  /** isDatastorePoolTooLow [ipamd]. O(1). */
  private isLow(node: number, pool: number): boolean {
    const hu = this.rec.u16;
    const r = node * this.rec.RS;
    const q = r << 1;
    const total = hu[q + H_TOTAL]!;
    if (total >= this.maxPodsOf[pool]!) return false;
    if (this.targets) return this.short(node) > 0;
    const avail = total - hu[q + H_ASSIGNED]!;
    const per = this.prefix ? PREFIX_SIZE : this.perEniOf[pool]!;
    return avail < per * this.warm || (this.warm === 0 && avail === 0);
  }

  /** datastoreTargetState's short: addresses (prefix mode: prefixes) below WARM_IP / MINIMUM_IP [ipamd]. */
  private short(node: number): number {
    const hu = this.rec.u16;
    const r = node * this.rec.RS;
    const q = r << 1;
    const total = hu[q + H_TOTAL]!;
    const avail = total - hu[q + H_ASSIGNED]!;
    const s = Math.max(this.warmIp - avail, 0, this.minIp - total);
    return this.prefix ? Math.ceil(s / PREFIX_SIZE) : s;
  }

  /** datastoreTargetState's over: addresses (prefix mode: prefixes) above the targets [ipamd]. */
  private over(node: number): number {
    const hu = this.rec.u16;
    const r = node * this.rec.RS;
    const q = r << 1;
    const total = hu[q + H_TOTAL]!;
    const assigned = hu[q + H_ASSIGNED]!;
    if (!this.prefix) return Math.max(Math.min(Math.max(total - assigned - this.warmIp, 0), total - this.minIp), 0);
    const prefixes = hu[q + H_CIDRS]!;
    const forWarm = Math.ceil((assigned + this.warmIp) / PREFIX_SIZE);
    const forMin = Math.ceil(this.minIp / PREFIX_SIZE);
    const o = Math.max(Math.min(hu[q + H_FREE]!, prefixes - forWarm), 0);
    return Math.max(Math.min(o, prefixes - forMin), 0);
  }

  /** isDatastorePoolTooHigh [ipamd]: only with targets, or free prefixes above WARM_PREFIX_TARGET. O(1). */
  private isHigh(node: number): boolean {
    if (this.targets) return this.over(node) > 0;
    return this.prefix && this.rec.u16[node * this.rec.RS * 2 + H_FREE]! > this.warm;
  }

  /** shouldRemoveExtraENIs [ipamd] on the tick's starting stats. O(1). */
  private shouldRemoveEnis(node: number, pool: number, avail: number): boolean {
    if (this.targets) return true;
    const perEni = this.perEniOf[pool]! * this.unit;
    if (avail >= (this.warm + 1) * perEni) return true;
    return this.prefix && this.rec.u16[node * this.rec.RS * 2 + H_EMPTY]! > 0; // CheckFreeableENIexists
  }

  /** increaseDatastorePool [ipamd]: fill an ENI, else attach one; a failed ENI creation backs off 120 s. */
  private increase(node: number, pool: number, quiet: boolean): void {
    const R = this.rec;
    const now = this.clock.now;
    if (now - R.times[R.t(node, T_LAST_INSUFFICIENT)]! < BACKOFF_MS) return;
    const r = this.tryAssign(node, pool);
    if (r > 0) {
      R.subs[R.s(node, S_REFUSING)] = 0;
      return;
    }
    if (R.u16[node * R.RS * 2 + H_ENIS]! < this.maxEniOf[pool]!) {
      const per = this.perEniOf[pool]!;
      const n = this.prefix ? Math.min(this.prefixesNeeded(node), per) : this.targets ? Math.min(this.short(node), per) : per;
      if (n <= 0) return;
      if (this.enis.create(node, this.maxEniOf[pool]!, n)) R.subs[R.s(node, S_REFUSING)] = 0;
      else {
        R.times[R.t(node, T_LAST_INSUFFICIENT)] = now;
        if (!quiet) this.recordRefusal(node, n, true);
      }
    } else if (r < 0 && !quiet) this.recordRefusal(node, 0, false);
  }

  /** getPrefixesNeeded [ipamd]: at least one; targets take precedence over WARM_PREFIX_TARGET. */
  private prefixesNeeded(node: number): number {
    if (this.targets) return Math.max(1, this.short(node));
    return Math.max(1, this.warm - this.rec.u16[node * this.rec.RS * 2 + H_FREE]!);
  }

  /**
   * tryAssignIPs / tryAssignPrefixes [ipamd]: the first ENI (device order) with free slots gets min(free slots,
   * wanted), all or nothing, else one; an ENI whose subnet cannot serve even one is skipped (subnet discovery on).
   * 1: added; 0: no ENI had room; -1: every ENI with room failed.
   */
  private tryAssign(node: number, pool: number): number {
    const R = this.rec;
    const per = this.perEniOf[pool]!;
    const want = this.prefix ? this.prefixesNeeded(node) : this.targets ? this.short(node) : per;
    if (want <= 0) return 0;
    let failed = false;
    for (let dev = this.custom ? 1 : 0; dev < R.E; dev++) {
      const have = R.eniCidrs[node * R.E + dev]!;
      if (have < 0 || have >= per) continue;
      const n = Math.min(per - have, want);
      if (this.enis.attach(node, dev, n) || (n > 1 && this.enis.attach(node, dev, 1))) return 1;
      failed = true;
    }
    return failed ? -1 : 0;
  }

  /** decreaseDatastorePool → tryUnassignCidrsFromAll [ipamd]: release `over` free positions, ENIs in device order. */
  private decrease(node: number): void {
    const R = this.rec;
    const r = node * R.RS;
    let over = this.targets ? this.over(node) : this.prefix ? Math.max(R.u16[(r << 1) + H_FREE]! - this.warm, 0) : 0;
    if (!this.prefix) R.markCooling(node);
    for (let dev = 0; dev < R.E && over > 0; dev++) {
      if (R.eniCidrs[node * R.E + dev]! <= 0) continue;
      for (let k = 0; k < R.P && over > 0; k++) {
        if (R.cidrAddr[node * R.C + dev * R.P + k]! < 0 || !this.positionFree(node, dev, k)) continue;
        const s0 = this.slotOf(dev, k);
        if (R.u16[(r << 1) + H_COOLING]! > 0) R.coolRemove(node, s0, s0 + this.unit);
        this.enis.releasePosition(node, dev, k);
        over--;
      }
    }
  }

  /**
   * getDeletableENI [datastore]: the first ENI by device index that is not primary, ≥ 1 min old, has no address
   * in cooldown and no pod, and is not needed for WARM_IP / MINIMUM_IP / WARM_PREFIX. 0 when none. O(E × cooling).
   */
  private deletableEni(node: number, now: number): number {
    for (let dev = 1; dev < this.rec.E; dev++) {
      if (this.eniFreeAt(node, dev) <= now) return dev;
    }
    return 0;
  }

  /** When ENI `dev` becomes deletable (its age, its cooldown), or Infinity when it is not a candidate. O(cooling). */
  private eniFreeAt(node: number, dev: number): number {
    const R = this.rec;
    const hu = R.u16;
    const r = node * R.RS;
    const q = r << 1;
    const have = R.eniCidrs[node * R.E + dev]!;
    if (have < 0 || R.u16[R.eniAssigned(node, dev)]! > 0) return Infinity;
    const size = have * this.unit;
    if (this.warmIp !== 0) {
      const target = this.prefix ? Math.ceil(this.warmIp / PREFIX_SIZE) * PREFIX_SIZE : this.warmIp;
      if (hu[q + H_TOTAL]! - hu[q + H_ASSIGNED]! - size < target) return Infinity;
    }
    if (this.minIp !== 0) {
      const target = this.prefix ? Math.ceil(this.minIp / PREFIX_SIZE) * PREFIX_SIZE : this.minIp;
      if (hu[q + H_TOTAL]! - size < target) return Infinity;
    }
    // No address of the ENI is assigned: all its positions are free.
    if (this.prefix && this.warm !== 0 && hu[q + H_FREE]! - have < this.warm) return Infinity;
    const old = R.eniCreated[node * R.E + dev]! + MIN_ENI_LIFE_MS;
    if (hu[q + H_COOLING] === 0) return old;
    const span = R.P * this.unit;
    const last = R.lastCooling(node, dev * span, (dev + 1) * span);
    return Math.max(old, last === NEG ? NEG : last + this.cooldown);
  }

  /**
   * Schedules the node's next tick: at its first phase time strictly after now and not before the soonest time a
   * tick would act; none when no tick would. An earlier need moves a scheduled tick forward. O(1) on the node's
   * record, O(E × cooling) when an empty ENI might be freed; the timers are read only when a tick is due.
   */
  private arm(node: number): void {
    const R = this.rec;
    const hu = R.u16;
    const r = node * R.RS;
    const q = r << 1;
    const pool = R.u16[(r << 1) + H_POOL1]! - 1;
    if (pool < 0) return;
    let at = Infinity;
    if (this.isLow(node, pool)) {
      const enis = hu[q + H_ENIS]!;
      const room = enis < this.maxEniOf[pool]! || hu[q + H_CIDRS]! < (enis - (this.custom ? 1 : 0)) * this.perEniOf[pool]!;
      if (room) at = R.times[R.t(node, T_LAST_INSUFFICIENT)]! + BACKOFF_MS;
    } else if (this.isHigh(node)) at = R.times[R.t(node, T_LAST_DECREASE)]! + DECREASE_MS;
    if (hu[q + H_EMPTY]! > 0 && this.shouldRemoveEnis(node, pool, hu[q + H_TOTAL]! - hu[q + H_ASSIGNED]!)) {
      for (let dev = 1; dev < R.E; dev++) at = Math.min(at, this.eniFreeAt(node, dev));
    }
    if (at === Infinity) return;
    const now = this.clock.now;
    at = Math.max(at, now);
    const tick = R.t(node, T_TICK);
    const tickAt = R.t(node, T_TICK_AT);
    if (R.times[tick]! >= 0 && R.times[tickAt]! - now <= LOOP_MS) return; // already at the next phase time
    const j = R.times[R.t(node, T_JOIN)]!;
    const from = Math.max(at, now + 1);
    const next = j + Math.ceil((from - j) / LOOP_MS) * LOOP_MS;
    if (R.times[tick]! >= 0) {
      if (R.times[tickAt]! <= next) return;
      this.clock.cancel(R.times[tick]!);
    }
    R.times[tickAt] = next;
    R.times[tick] = this.clock.schedule(next - now, this.tickKind, node);
  }

  // --- nodes ----------------------------------------------------------------------------------------------

  /** Everything the node holds goes back (leave, or a custom-networking node whose init failed); its timers stop. */
  private release(node: number): void {
    const R = this.rec;
    const tick = R.t(node, T_TICK);
    const cool = R.t(node, T_COOL_TIMER);
    if (R.times[tick]! >= 0) this.clock.cancel(R.times[tick]!);
    if (R.times[cool]! >= 0) this.clock.cancel(R.times[cool]!);
    R.times[tick] = -1;
    R.times[R.t(node, T_TICK_AT)] = Infinity;
    R.times[cool] = -1;
    this.enis.leave(node);
  }

  /** No address of the position is assigned (its addresses are ready or cooling; secondary IPs: after markCooling). */
  private positionFree(node: number, dev: number, k: number): boolean {
    const R = this.rec;
    if (this.prefix) return R.u8[R.posAssigned(node, dev * R.P + k)] === 0;
    const s = this.slotOf(dev, k);
    return R.isReady(node, s) || R.marked(s);
  }

  /** The first address slot of ENI `dev`'s position `k` in its node. */
  private slotOf(dev: number, k: number): number {
    return (dev * this.rec.P + k) << this.rec.ushift;
  }

  /** The node-pool index of a joined node; throws (a simulation bug) otherwise. O(1). */
  private joined(node: number, what: string): number {
    const R = this.rec;
    const pool = R.poolOf(node);
    if (pool < 0) throw internalError(`${this.mode} ${what}: node ${node} has not joined`);
    return pool;
  }

  // --- pods -----------------------------------------------------------------------------------------------

  private assign(node: number, s: number): void {
    const R = this.rec;
    const hu = R.u16;
    const r = node * R.RS;
    const q = r << 1;
    R.clearReady(node, s);
    const c = s >> R.ushift;
    const dev = (c / R.P) | 0;
    // Secondary IPs: a position is its one address, free until assigned (no per-position count needed).
    if (!this.prefix || R.u8[R.posAssigned(node, c)]!++ === 0) hu[q + H_FREE]!--;
    if (R.u16[R.eniAssigned(node, dev)]!++ === 0 && dev > 0) hu[q + H_EMPTY]!--;
    hu[q + H_ASSIGNED]!++;
    this.sumAssigned++;
  }

  private unassign(node: number, s: number): void {
    const R = this.rec;
    const hu = R.u16;
    const r = node * R.RS;
    const q = r << 1;
    const c = s >> R.ushift;
    const dev = (c / R.P) | 0;
    if (!this.prefix || --R.u8[R.posAssigned(node, c)]! === 0) hu[q + H_FREE]!++;
    if (--R.u16[R.eniAssigned(node, dev)]! === 0 && dev > 0) hu[q + H_EMPTY]!++;
    hu[q + H_ASSIGNED]!--;
    this.sumAssigned--;
  }

  /** Addresses whose cooldown has ended become ready, in release order. O(1) per address. */
  private drain(node: number): void {
    const R = this.rec;
    const limit = this.clock.now - this.cooldown;
    while (R.coolHeadAt(node) <= limit) R.setReady(node, R.coolPop(node));
  }

  /** A cooldown ended on a node with waiting pods. */
  private cooled(node: number): void {
    const R = this.rec;
    R.times[R.t(node, T_COOL_TIMER)] = -1;
    if (R.poolOf(node) < 0) return;
    this.drain(node);
    this.serveWaiting(node);
    this.armCool(node);
    this.arm(node);
  }

  /** Wakes the node when its oldest cooling address becomes usable, while pods wait. */
  private armCool(node: number): void {
    const R = this.rec;
    const r = node * R.RS;
    if (R.i[r + H_PODS] === R.u16[(r << 1) + H_ASSIGNED]) return;
    const timer = R.t(node, T_COOL_TIMER);
    if (R.times[timer]! >= 0) return;
    const head = R.coolHeadAt(node);
    if (head === Infinity) return;
    R.times[timer] = this.clock.schedule(Math.max(0, head + this.cooldown - this.clock.now), this.coolKind, node);
  }

  /** Gives ready addresses to the node's waiting pods, longest-waiting first. */
  private serveWaiting(node: number): void {
    const R = this.rec;
    const r = node * R.RS;
    while (R.i[r + H_PODS]! > R.u16[(r << 1) + H_ASSIGNED]!) {
      const s = R.lowestReady(node);
      if (s < 0) return;
      const w = this.waiting.first(node);
      this.waiting.remove(node, w);
      this.assign(node, s);
      this.host.granted(w, node, s);
    }
  }

  // --- failures and gauges ---------------------------------------------------------------------------------

  /** Records a refused EC2 request once per refusal streak of the node. */
  private recordRefusal(node: number, n: number, eni: boolean): void {
    const R = this.rec;
    if (R.subs[R.s(node, S_REFUSING)] === 1) return;
    R.subs[R.s(node, S_REFUSING)] = 1;
    const cause = this.enis.failedOnNodeSubnet() ? NODE_SUBNET_FULL : POD_SUBNET_FULL;
    this.host.record('ip-request-refused', cause, node, this.enis.failure(node, n, eni, BACKOFF_MS));
  }

}
