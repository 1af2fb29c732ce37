/**
 * EC2's side of ipamd (IpamdAllocator in ./ipamd.ts decides when): a node's ENIs and their slot positions —
 * secondary addresses or /28 prefixes — taken from the subnets, and what the cluster holds in each subnet.
 * Sources: aws/amazon-vpc-cni-k8s pkg/awsutils/awsutils.go [awsutils] (createENI, AllocIPAddresses), EC2's
 * AssignPrivateIpAddresses (all or nothing).
 *
 * A node joins with its primary ENI (device 0), whose primary address is the node's own, from one of its pool's
 * node subnets (balanced, NodeSubnets.pick). A new ENI takes the lowest free device index [awsutils
 * awsGetFreeDeviceNumber] (ipamd walks a Go map, so upstream the order is unspecified) and its primary address
 * from the pod ENIs' subnet (the node's own, or the pool's pod subnet with custom networking). Subnet addresses
 * and /28 prefixes are taken lowest-first (EC2's choice is not public); a prefix needs a whole free aligned /28.
 * A failed request records EC2's error code (InsufficientFreeAddressesInSubnet, InsufficientCidrBlocks).
 *
 * Costs: attach O(n) subnet allocations, all or nothing; create O(E) + attach; close O(P × U + cooling);
 * leave O(E × P × U + cooling); gauges O(subnets) plus the fragmentation scan (prefix mode, O(size/32)).
 */
import { inputError } from '../../errors.js';
import type { AddressPool } from '../../pool/index.js';
import { AWS_SUBNET } from '../platform/reserves.js';
import { freeOf, NodeSubnets } from '../mechanics.js';
import type { ClusterSpec, Clock, Spaces } from '../types.js';
import { PREFIX_SIZE } from './instances.js';
import { H_CIDRS, H_COOLING, H_EMPTY, H_ENIS, H_FREE, H_TOTAL, NodeRecords, S_ENI_SUB, S_SUB } from './node-records.js';

export class Enis {
  private readonly rec: NodeRecords;
  private readonly clock: Clock;
  private readonly prefix: boolean;
  /** Addresses per slot position (1 or 16). */
  private readonly unit: number;
  readonly nodes: NodeSubnets;
  /** Distinct subnets this cluster draws from; whether each is a node subnet (for the node gauge). */
  readonly subnets: readonly AddressPool[];
  readonly isNodeSubnet: Uint8Array;
  /** By pool, by node-subnet index: index into subnets; by pool: the pod ENIs' subnet (custom) else -1. */
  private readonly nodeSubIdx: Int32Array[];
  private readonly podSubIdx: Int32Array;
  /** Addresses the cluster holds in each subnet. */
  private readonly heldIn: Float64Array;
  readonly nodeCapacity: number;
  readonly podCapacity: number;
  /** Pod-space subnets (prefix mode fragmentation). */
  private readonly podSpace: readonly AddressPool[];
  /** Addresses attached as slots, all nodes together. */
  sumTotal: number;
  /** Why the last subnet request failed (EC2's error code) and on which subnet. */
  private failCode: string;
  private failSub: number;
  /** Positions taken by one attach request (for its rollback). */
  private readonly scratch: Int32Array;

  constructor(rec: NodeRecords, clock: Clock, spaces: Spaces, cluster: ClusterSpec, mode: string, prefix: boolean, custom: boolean) {
    this.rec = rec;
    this.clock = clock;
    this.prefix = prefix;
    this.unit = prefix ? PREFIX_SIZE : 1;
    this.nodes = new NodeSubnets(spaces, cluster, AWS_SUBNET);
    const subs: AddressPool[] = [...this.nodes.distinct];
    const nodeSubs = subs.length;
    this.nodeSubIdx = this.nodes.subnetsOf.map((l) => Int32Array.from(l, (s) => subs.indexOf(s)));
    this.podSubIdx = Int32Array.from(cluster.pools, (np, i) => {
      if (!custom) return -1;
      if (np.podSubnet === null) {
        throw inputError(`nodePools[${i}].podSubnet: ${mode} with customNetworking draws pod ENIs from a pod subnet (the ENIConfig subnet); node pool ${np.name} has none: give it a podSubnet, or network.podSubnet`);
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
    this.podSpace = custom ? subs.slice(nodeSubs) : subs.slice(0, nodeSubs);
    this.podCapacity = this.podSpace.reduce((a, s) => a + s.capacity, 0);
    this.sumTotal = 0;
    this.failCode = '';
    this.failSub = -1;
    this.scratch = new Int32Array(rec.P);
  }

  /**
   * A node of `pool` joins: its own address from a node subnet, its record reset, its primary ENI open. False
   * when every node subnet of the pool is full.
   */
  join(node: number, pool: number, custom: boolean): boolean {
    const R = this.rec;
    const nsub = this.nodes.pick(pool, 1);
    if (nsub < 0) return false;
    this.nodes.take(node, pool, nsub, true);
    R.reset(node, pool, this.clock.now);
    const si = this.nodeSubIdx[pool]![nsub]!;
    R.subs[R.s(node, S_SUB)] = si;
    R.subs[R.s(node, S_ENI_SUB)] = custom ? this.podSubIdx[pool]! : si;
    this.heldIn[si]!++;
    this.open(node, 0, this.nodes.addrOf[node]!);
    return true;
  }

  /** Everything the node holds goes back (leave, or a custom-networking node whose init failed). */
  leave(node: number): void {
    const R = this.rec;
    for (let dev = R.E - 1; dev >= 0; dev--) if (R.eniCidrs[node * R.E + dev]! >= 0) this.close(node, dev);
    this.heldIn[R.subs[R.s(node, S_SUB)]!]!--;
    this.nodes.give(node);
    R.leave(node);
    R.subs[R.s(node, S_SUB)] = -1;
    R.subs[R.s(node, S_ENI_SUB)] = -1;
  }

  /** The subnet of ENI `dev` of `node` (device 0: the node's own). */
  subnetOf(node: number, dev: number): number {
    return this.rec.subs[this.rec.s(node, dev === 0 ? S_SUB : S_ENI_SUB)]!;
  }

  /** The address of a pod's slot `handle` on `node`. */
  address(node: number, handle: number): number {
    const R = this.rec;
    const c = handle >> R.ushift;
    const sub = this.subnets[this.subnetOf(node, (c / R.P) | 0)]!;
    return sub.cidr.base + R.cidrAddr[node * R.C + c]! + (handle & (this.unit - 1));
  }

  /** Addresses the cluster holds in its node subnets. O(subnets). */
  nodeUsed(): number {
    let used = 0;
    for (let i = 0; i < this.subnets.length; i++) if (this.isNodeSubnet[i] === 1) used += this.heldIn[i]!;
    return used;
  }

  /** tryAllocateENI [ipamd, awsutils createENI]: a new ENI at the lowest free device index, its primary and n slots, all or nothing. */
  create(node: number, maxEni: number, n: number): boolean {
    const R = this.rec;
    let dev = 1;
    while (dev < maxEni && R.eniCidrs[node * R.E + dev]! >= 0) dev++;
    if (dev >= maxEni) return false;
    const si = R.subs[R.s(node, S_ENI_SUB)]!;
    const sub = this.subnets[si]!;
    if (!this.prefix && freeOf(sub) < 1 + n) return this.fail('InsufficientFreeAddressesInSubnet', si);
    const primary = sub.allocateBlock(0);
    if (primary < 0) return this.fail('InsufficientFreeAddressesInSubnet', si);
    this.heldIn[si]!++;
    this.open(node, dev, primary);
    if (this.attach(node, dev, n)) return true;
    this.close(node, dev); // the ENI could not get its prefixes: nothing is kept
    return false;
  }

  /** Attaches n slot positions (addresses or /28 prefixes, lowest-first) to an attached ENI, all or nothing. */
  attach(node: number, dev: number, n: number): boolean {
    const R = this.rec;
    const si = this.subnetOf(node, dev);
    const sub = this.subnets[si]!;
    if (!this.prefix && freeOf(sub) < n) return this.fail('InsufficientFreeAddressesInSubnet', si);
    const base = node * R.C + dev * R.P;
    const taken = this.scratch;
    let k = 0;
    for (let i = 0; i < n; i++) {
      while (R.cidrAddr[base + k]! >= 0) k++;
      const a = this.prefix ? sub.allocateBlock(4) : sub.allocateBlock(0);
      if (a < 0) {
        for (let j = 0; j < i; j++) {
          const c = base + taken[j]!;
          if (this.prefix) sub.freeBlock(R.cidrAddr[c]!, 4);
          else sub.free(R.cidrAddr[c]!);
          R.cidrAddr[c] = -1;
        }
        return this.fail(this.prefix ? 'InsufficientCidrBlocks' : 'InsufficientFreeAddressesInSubnet', si);
      }
      R.cidrAddr[base + k] = a;
      taken[i] = k;
    }
    for (let i = 0; i < n; i++) {
      const kk = taken[i]!;
      if (this.prefix) R.u8[R.posAssigned(node, dev * R.P + kk)] = 0;
      const s0 = (dev * R.P + kk) << R.ushift;
      for (let u = 0; u < this.unit; u++) R.setReady(node, s0 + u);
    }
    const r = node * R.RS;
    this.heldIn[si]! += n * this.unit;
    R.eniCidrs[node * R.E + dev]! += n;
    R.u16[(r << 1) + H_CIDRS]! += n;
    R.u16[(r << 1) + H_FREE]! += n;
    R.u16[(r << 1) + H_TOTAL]! += n * this.unit;
    this.sumTotal += n * this.unit;
    return true;
  }

  /** Opens ENI `dev` of `node` (now) with its primary address and no slot positions. */
  open(node: number, dev: number, primary: number): void {
    const R = this.rec;
    const e = node * R.E + dev;
    R.eniCidrs[e] = 0;
    R.eniPrimary[e] = primary;
    R.eniCreated[e] = this.clock.now;
    R.u16[R.eniAssigned(node, dev)] = 0;
    R.u16[node * R.RS * 2 + H_ENIS]!++;
    if (dev > 0) R.u16[node * R.RS * 2 + H_EMPTY]!++;
  }

  /** Frees an ENI with no pod: its cooling addresses, its slot positions and its primary (not device 0's). */
  close(node: number, dev: number): void {
    const R = this.rec;
    const e = node * R.E + dev;
    const span = R.P * this.unit;
    if (R.u16[node * R.RS * 2 + H_COOLING]! > 0) R.coolRemove(node, dev * span, (dev + 1) * span);
    for (let k = 0; k < R.P; k++) if (R.cidrAddr[node * R.C + dev * R.P + k]! >= 0) this.releasePosition(node, dev, k);
    if (dev > 0) {
      const si = R.subs[R.s(node, S_ENI_SUB)]!;
      this.subnets[si]!.free(R.eniPrimary[e]!);
      this.heldIn[si]!--;
      R.u16[node * R.RS * 2 + H_EMPTY]!--;
    }
    R.eniCidrs[e] = -1;
    R.eniPrimary[e] = -1;
    R.u16[node * R.RS * 2 + H_ENIS]!--;
  }

  /**
   * Returns one slot position with no assigned address to the subnet (an address, or a /28 whose addresses are
   * ready); the caller has taken its cooling addresses out of the ring.
   */
  releasePosition(node: number, dev: number, k: number): void {
    const R = this.rec;
    const c = node * R.C + dev * R.P + k;
    const si = this.subnetOf(node, dev);
    const s0 = (dev * R.P + k) << R.ushift;
    for (let u = 0; u < this.unit; u++) R.clearReady(node, s0 + u);
    if (this.prefix) {
      this.subnets[si]!.freeBlock(R.cidrAddr[c]!, 4);
      R.u8[R.posAssigned(node, dev * R.P + k)] = 0;
    } else this.subnets[si]!.free(R.cidrAddr[c]!);
    R.cidrAddr[c] = -1;
    const r = node * R.RS;
    this.heldIn[si]! -= this.unit;
    R.eniCidrs[node * R.E + dev]!--;
    R.u16[(r << 1) + H_CIDRS]!--;
    R.u16[(r << 1) + H_FREE]!--;
    R.u16[(r << 1) + H_TOTAL]! -= this.unit;
    this.sumTotal -= this.unit;
  }

  /** Records why a subnet request failed (EC2's error code) and where; false, for `return this.fail(…)`. */
  private fail(code: string, si: number): false {
    this.failCode = code;
    this.failSub = si;
    return false;
  }

  /** Whether the last failure was in a node subnet. */
  failedOnNodeSubnet(): boolean {
    return this.isNodeSubnet[this.failSub] === 1;
  }

  /** The refusal event's detail: EC2's error code, the subnet's free addresses (and aligned /28s), the request. */
  failure(node: number, n: number, eni: boolean, backoffMs: number): string {
    const sub = this.subnets[this.failSub]!;
    const free = freeOf(sub);
    const what = this.prefix ? `${n} /28 prefix${n === 1 ? '' : 'es'}` : `${n} address${n === 1 ? '' : 'es'}`;
    const blocks = this.prefix ? `, ${(free - sub.fragmentation(4)) / PREFIX_SIZE} in free aligned /28s` : '';
    const asked = eni ? `a new ENI with ${what}` : 'more addresses on its ENIs';
    const backoff = eni ? `; no growth for ${backoffMs / 1000} s` : '';
    return `${this.failCode}: subnet ${sub.cidr.text} has ${free} free addresses${blocks}; node ${node} asked for ${asked}${backoff}`;
  }

  /** Prefix mode: free pod-space addresses in no whole free aligned /28, as a fraction of free; 0 for single addresses. */
  fragmentation(): number {
    if (!this.prefix) return 0;
    let free = 0;
    let stranded = 0;
    for (const s of this.podSpace) {
      free += freeOf(s);
      stranded += s.fragmentation(4);
    }
    return free === 0 ? 0 : stranded / free;
  }
}
