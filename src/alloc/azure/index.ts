/**
 * Traditional Azure CNI ("azure") [overlay-doc, aks-docs]: a joining node takes 1 + max-pods addresses of its
 * node subnet (its own plus max-pods pre-reserved for its pods) and holds them for life; a pod takes one of its
 * node's pre-reserved addresses. All or nothing: a node that cannot get 1 + max-pods takes none
 * (node-subnet-full). The pod space is the node subnet itself: pod gauges count the pre-reserved addresses.
 *
 * A pod's handle is its address offset in the node subnet.
 * Costs: nodeJoin O(max-pods) (one pool allocation per address), nodeLeave O(max-pods); podAdd / podRelease
 * O(1), allocation-free (a per-node stack of the node's free pre-reserved addresses); gauges O(1);
 * recount O(node ids × max-pods).
 */
import { internalError } from '../../errors.js';
import { growI32, NodeStacks, NodeSubnets } from '../shared.js';
import { MAX_PODS, NODE_SUBNET_FULL, OK, refused, type Allocator, type AllocatorContext, type Gauges } from '../types.js';
import { azureInfo, type AzureParams } from './info.js';

class AzureAllocator implements Allocator {
  readonly mode: string;
  private readonly nodes: NodeSubnets;
  /** By node-pool index. */
  private readonly maxPodsOf: Int32Array;
  private readonly capacity: number;
  /** Per node: its free pre-reserved addresses. */
  private readonly free: NodeStacks;
  /** Per node: pods holding an address. */
  private podsOf: Int32Array;
  /** Pre-reserved addresses held by all nodes (max-pods per node). */
  private reserved: number;
  private pods: number;

  constructor(ctx: AllocatorContext<AzureParams>) {
    this.mode = azureInfo.name;
    this.nodes = new NodeSubnets(ctx.spaces, ctx.cluster);
    this.maxPodsOf = Int32Array.from(ctx.cluster.pools, (p) => p.maxPods);
    this.capacity = this.nodes.capacity();
    this.free = new NodeStacks(Math.max(1, ...this.maxPodsOf), 64);
    this.podsOf = new Int32Array(64);
    this.reserved = 0;
    this.pods = 0;
  }

  nodeJoin(node: number, pool: number): number {
    this.ensure(node);
    if (this.nodes.poolOf[node]! >= 0) throw internalError(`azure: node ${node} joined twice`);
    const maxPods = this.maxPodsOf[pool]!;
    // All or nothing: check the whole need before taking anything.
    if (this.nodes.free(pool) < 1 + maxPods) return NODE_SUBNET_FULL;
    this.nodes.take(node, pool);
    const subnet = this.nodes.subnetOf[pool]!;
    this.free.clear(node);
    for (let i = 0; i < maxPods; i++) this.free.push(node, subnet.allocate());
    this.free.reverse(node); // pods take the lowest pre-reserved address first
    this.podsOf[node] = 0;
    this.reserved += maxPods;
    return OK;
  }

  nodeLeave(node: number): void {
    const pool = this.nodes.poolOfJoined(node, 'azure nodeLeave');
    if (this.podsOf[node] !== 0) throw internalError(`azure: node ${node} left with ${this.podsOf[node]} pods still holding addresses`);
    const subnet = this.nodes.subnetOf[pool]!;
    const n = this.free.size(node);
    for (let i = 0; i < n; i++) subnet.free(this.free.at(node, i));
    this.free.clear(node);
    this.reserved -= this.maxPodsOf[pool]!;
    this.nodes.give(node);
  }

  podAdd(_pod: number, node: number): number {
    const pool = this.nodes.poolOfJoined(node, 'azure podAdd');
    const n = this.podsOf[node]!;
    if (n >= this.maxPodsOf[pool]!) return refused(MAX_PODS);
    this.podsOf[node] = n + 1;
    this.pods++;
    return this.free.pop(node);
  }

  podRelease(_pod: number, node: number, handle: number): void {
    this.free.push(node, handle);
    this.podsOf[node]!--;
    this.pods--;
  }

  gauges(out: Gauges): void {
    out.nodeIpsUsed = this.nodes.count + this.reserved;
    out.nodeIpsCapacity = this.capacity;
    out.podIpsReserved = this.reserved;
    out.podIpsUsed = this.pods;
    out.podIpsCapacity = this.capacity;
    out.fragmentation = this.fragmentation();
    out.podsWaitingIp = 0;
    out.pod6Reserved = 0;
    out.pod6Used = 0;
    out.pod6Capacity = 0;
  }

  recount(out: Gauges): void {
    let reserved = 0;
    let pods = 0;
    for (let node = 0; node < this.podsOf.length; node++) {
      const pool = node < this.nodes.poolOf.length ? this.nodes.poolOf[node]! : -1;
      if (pool < 0) continue;
      const subnet = this.nodes.subnetOf[pool]!;
      const free = this.free.size(node);
      for (let i = 0; i < free; i++) if (subnet.isAllocated(this.free.at(node, i))) reserved++;
      // Pre-reserved addresses not on the free stack are the pods'.
      const held = this.maxPodsOf[pool]! - free;
      pods += held;
      reserved += held;
    }
    const nodes = this.nodes.recount();
    out.nodeIpsUsed = nodes + reserved;
    out.nodeIpsCapacity = this.nodes.capacity();
    out.podIpsReserved = reserved;
    out.podIpsUsed = pods;
    out.podIpsCapacity = this.nodes.capacity();
    out.fragmentation = this.fragmentation();
    out.podsWaitingIp = 0;
    out.pod6Reserved = 0;
    out.pod6Used = 0;
    out.pod6Capacity = 0;
  }

  /** The mode hands out single addresses: every free address is a whole free "block" of one, none stranded. */
  private fragmentation(): number {
    return 0;
  }

  private ensure(node: number): void {
    this.nodes.ensure(node);
    this.free.ensure(node);
    if (node >= this.podsOf.length) this.podsOf = growI32(this.podsOf, node + 1, 0);
  }
}

export function createAzure(ctx: AllocatorContext<AzureParams>): Allocator {
  return new AzureAllocator(ctx);
}
