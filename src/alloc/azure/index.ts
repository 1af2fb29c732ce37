/**
 * Traditional Azure CNI ("azure") [overlay-doc, aks-docs]: a joining node takes 1 + max-pods addresses of its
 * node subnet (its own plus max-pods pre-reserved for its pods) and holds them for life; a pod takes one of its
 * node's pre-reserved addresses. All or nothing: a node that cannot get 1 + max-pods takes none
 * (node-subnet-full). The pod space is the node subnet itself: pod gauges count the pre-reserved addresses.
 * All 1 + max-pods count against the VNet's private-address limit [vnet-limits] (a node that would pass it is
 * refused: vnet-ip-limit), so at max-pods 250 one VNet holds floor(65,536 / 251) = 261 nodes.
 *
 * A pod's handle is its address offset in the node subnet.
 * Costs: nodeJoin O(max-pods) (one pool allocation per address), nodeLeave O(max-pods); podAdd / podRelease
 * O(1), allocation-free (a per-node stack of the node's free pre-reserved addresses); gauges O(1);
 * recount O(node ids × max-pods).
 */
import { internalError } from '../../errors.js';
import { AZURE_SUBNET } from '../platform/reserves.js';
import { takeBudget, vnetBudget, VNET_IP_LIMIT } from '../platform/azure-vnet.js';
import { HeldAddresses, NodeSubnets, setGauges4 } from '../mechanics.js';
import { NODE_SUBNET_FULL, OK, type Allocator, type AllocatorContext, type Budget, type Gauges } from '../types.js';
import { azureInfo, type AzureParams } from './info.js';

class AzureAllocator implements Allocator {
  readonly mode: string;
  private readonly nodes: NodeSubnets;
  /** By node-pool index. */
  private readonly maxPodsOf: Int32Array;
  private readonly capacity: number;
  /** Per node: its free pre-reserved addresses and its pods. */
  private readonly held: HeldAddresses;
  /** Pre-reserved addresses held by all nodes (max-pods per node). */
  private reserved: number;
  /** The VNet's private-address count, shared with the other clusters in it. */
  private readonly vnet: Budget;

  constructor(ctx: AllocatorContext<AzureParams>) {
    this.mode = azureInfo.name;
    this.nodes = new NodeSubnets(ctx.spaces, ctx.cluster, AZURE_SUBNET);
    this.maxPodsOf = Int32Array.from(ctx.cluster.pools, (p) => p.maxPods);
    this.capacity = this.nodes.capacity();
    this.held = new HeldAddresses(Math.max(1, ...this.maxPodsOf));
    this.reserved = 0;
    this.vnet = vnetBudget(ctx.spaces, ctx.cluster);
  }

  nodeJoin(node: number, pool: number): number {
    this.ensure(node);
    if (this.nodes.poolOf[node]! >= 0) throw internalError(`azure: node ${node} joined twice`);
    const maxPods = this.maxPodsOf[pool]!;
    // All or nothing: check the whole need before taking anything.
    const sub = this.nodes.pick(pool, 1 + maxPods);
    if (sub < 0) return NODE_SUBNET_FULL;
    if (!takeBudget(this.vnet, 1 + maxPods)) return VNET_IP_LIMIT;
    this.nodes.take(node, pool, sub);
    const subnet = this.nodes.subnetOfNode(node);
    this.held.reset(node);
    for (let i = 0; i < maxPods; i++) this.held.free.push(node, subnet.allocate());
    this.held.free.reverse(node); // pods take the lowest pre-reserved address first
    this.reserved += maxPods;
    return OK;
  }

  nodeLeave(node: number): void {
    const pool = this.nodes.poolOfJoined(node, 'azure nodeLeave');
    this.held.assertEmpty(node, 'azure');
    const subnet = this.nodes.subnetOfNode(node);
    const free = this.held.free;
    const n = free.size(node);
    for (let i = 0; i < n; i++) subnet.free(free.at(node, i));
    free.clear(node);
    this.reserved -= this.maxPodsOf[pool]!;
    this.vnet.used -= 1 + this.maxPodsOf[pool]!;
    this.nodes.give(node);
  }

  podAdd(_pod: number, node: number): number {
    return this.held.take(node, this.maxPodsOf[this.nodes.poolOfJoined(node, 'azure podAdd')]!);
  }

  podRelease(_pod: number, node: number, handle: number): void {
    this.held.give(node, handle);
  }

  address(node: number, handle: number): number {
    return this.nodes.subnetOfNode(node).cidr.base + handle;
  }

  gauges(out: Gauges): void {
    const used = this.nodes.count + this.reserved;
    setGauges4(out, used, this.capacity, this.reserved, this.held.pods, this.capacity, this.fragmentation(), 0, used);
  }

  reservedNow(): number {
    return this.reserved;
  }

  recount(out: Gauges): void {
    let reserved = 0;
    let pods = 0;
    for (let node = 0; node < this.nodes.poolOf.length; node++) {
      const pool = this.nodes.poolOf[node]!;
      if (pool < 0) continue;
      const subnet = this.nodes.subnetOfNode(node);
      const free = this.held.free.size(node);
      for (let i = 0; i < free; i++) if (subnet.isAllocated(this.held.free.at(node, i))) reserved++;
      // Pre-reserved addresses not on the free stack are the pods'.
      const held = this.maxPodsOf[pool]! - free;
      pods += held;
      reserved += held;
    }
    const nodes = this.nodes.recount();
    setGauges4(out, nodes + reserved, this.nodes.capacity(), reserved, pods, this.nodes.capacity(), this.fragmentation(), 0, nodes + reserved);
  }

  /** The mode hands out single addresses: every free address is a whole free "block" of one, none stranded. */
  private fragmentation(): number {
    return 0;
  }

  private ensure(node: number): void {
    this.nodes.ensure(node);
    this.held.ensure(node);
  }
}

export function createAzure(ctx: AllocatorContext<AzureParams>): Allocator {
  return new AzureAllocator(ctx);
}
