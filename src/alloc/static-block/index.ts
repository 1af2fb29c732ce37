/**
 * Static block allocation ("static-block") [podsubnet-doc; cns vnetblock]: a joining node takes its address
 * from the node subnet and ceil((max-pods + 1) / 16) /28 blocks from the pod subnet (all or nothing:
 * pod-subnet-full), holds them for life, and the first address of its first block is its primary address; its
 * pods take the other addresses (reservePrimaryIp false: all of them, as current Linux CNS does [cns PR 2660]).
 * The node's address and each block count against the VNet's private-address limit [aks-api: "The block, rather
 * than a single IP, counts against the Azure Vnet Private IP limit of 65K"]: a node past it is refused
 * (vnet-ip-limit), so at max-pods 250 (16 blocks) one VNet holds floor(65,536 / 17) = 3,855 nodes. Blocks holding an Azure-reserved address are never handed out (the block pool
 * is built under the Azure subnet reserve policy). No refill, no release while the node lives.
 *
 * A pod's handle is its address offset in the pod subnet.
 * Costs: nodeJoin O(blocks × 16) (fills the node's free-address stack), nodeLeave O(blocks); podAdd /
 * podRelease O(1), allocation-free; gauges O(1); recount O(node ids × blocks).
 */
import { inputError, internalError } from '../../errors.js';
import type { BlockPool } from '../../pool/index.js';
import { AZURE_SUBNET } from '../platform/reserves.js';
import { takeBudget, vnetBudget, VNET_IP_LIMIT } from '../platform/azure-vnet.js';
import { distinct, HeldAddresses, NodeStacks, NodeSubnets, setGauges4 } from '../mechanics.js';
import { NODE_SUBNET_FULL, OK, POD_SUBNET_FULL, type Allocator, type AllocatorContext, type Budget, type Gauges } from '../types.js';
import { staticBlockInfo, type StaticBlockParams } from './info.js';

/** Blocks a node of `maxPods` pods needs: ceil((maxPods + primary) / blockSize) [podsubnet-doc]. */
export function blocksPerNode(maxPods: number, blockSize: number, primaryIp: boolean): number {
  return Math.ceil((maxPods + (primaryIp ? 1 : 0)) / blockSize);
}

class StaticBlockAllocator implements Allocator {
  readonly mode: string;
  private readonly nodes: NodeSubnets;
  private readonly primaryIp: boolean;
  private readonly blockSize: number;
  /** By node-pool index: the pod subnet's block pool, blocks per node, max-pods. */
  private readonly podPoolOf: readonly BlockPool[];
  private readonly podPools: readonly BlockPool[];
  private readonly blocksOf: Int32Array;
  private readonly maxPodsOf: Int32Array;
  private readonly nodeCapacity: number;
  private readonly podCapacity: number;
  /** Per node: the blocks it holds, and its free pod addresses. */
  private readonly blockTable: NodeStacks;
  private readonly held: HeldAddresses;
  private blocksHeld: number;
  /** The VNet's private-address count (node addresses + blocks), shared with the other clusters in it. */
  private readonly vnet: Budget;

  constructor(ctx: AllocatorContext<StaticBlockParams>) {
    const { cluster, spaces, params } = ctx;
    this.mode = staticBlockInfo.name;
    this.nodes = new NodeSubnets(spaces, cluster, AZURE_SUBNET);
    this.primaryIp = params.reservePrimaryIp;
    this.podPoolOf = cluster.pools.map((p, i) => {
      if (p.podSubnet === null) throw inputError(`cluster ${cluster.name}: nodePools[${i}] (${p.name}) has no pod subnet; static-block needs one`);
      if (p.podSubnet.prefix < params.largestPodSubnet) {
        throw inputError(`cluster ${cluster.name}: nodePools[${i}] (${p.name}) pod subnet ${p.podSubnet.text} is larger than /${params.largestPodSubnet}, the largest static-block pod subnet [podsubnet-doc]; use a /${params.largestPodSubnet} or smaller`);
      }
      return spaces.blocks(p.podSubnet, params.blockPrefix, AZURE_SUBNET);
    });
    this.podPools = distinct(this.podPoolOf);
    this.blockSize = 2 ** (32 - params.blockPrefix);
    this.maxPodsOf = Int32Array.from(cluster.pools, (p) => p.maxPods);
    this.blocksOf = Int32Array.from(cluster.pools, (p) => blocksPerNode(p.maxPods, this.blockSize, params.reservePrimaryIp));
    this.nodeCapacity = this.nodes.capacity();
    let cap = 0;
    for (const p of this.podPools) cap += p.capacity * this.blockSize;
    this.podCapacity = cap;
    const maxBlocks = Math.max(1, ...this.blocksOf);
    this.blockTable = new NodeStacks(maxBlocks, 64);
    this.held = new HeldAddresses(maxBlocks * this.blockSize);
    this.blocksHeld = 0;
    this.vnet = vnetBudget(spaces, cluster);
  }

  nodeJoin(node: number, pool: number): number {
    this.ensure(node);
    if (this.nodes.poolOf[node]! >= 0) throw internalError(`static-block: node ${node} joined twice`);
    const sub = this.nodes.pick(pool, 1);
    if (sub < 0) return NODE_SUBNET_FULL;
    const pp = this.podPoolOf[pool]!;
    const k = this.blocksOf[pool]!;
    // All or nothing: check the whole need before taking anything.
    if (pp.capacity - pp.used < k) return POD_SUBNET_FULL;
    if (!takeBudget(this.vnet, 1 + k)) return VNET_IP_LIMIT;
    this.nodes.take(node, pool, sub);
    this.blockTable.clear(node);
    this.held.reset(node);
    const free = this.held.free;
    const bs = this.blockSize;
    for (let j = 0; j < k; j++) this.blockTable.push(node, pp.allocate());
    // Push from the last address down so that pods pop the lowest first; skip the primary (first of the first block).
    const first = this.primaryIp ? 1 : 0;
    for (let j = k - 1; j >= 0; j--) {
      const base = this.blockTable.at(node, j) * bs;
      for (let s = bs - 1; s >= (j === 0 ? first : 0); s--) free.push(node, base + s);
    }
    this.blocksHeld += k;
    return OK;
  }

  nodeLeave(node: number): void {
    const pool = this.nodes.poolOfJoined(node, 'static-block nodeLeave');
    this.held.assertEmpty(node, 'static-block');
    const pp = this.podPoolOf[pool]!;
    const k = this.blockTable.size(node);
    for (let j = 0; j < k; j++) pp.free(this.blockTable.at(node, j));
    this.blockTable.clear(node);
    this.held.reset(node);
    this.blocksHeld -= k;
    this.vnet.used -= 1 + k;
    this.nodes.give(node);
  }

  podAdd(_pod: number, node: number): number {
    return this.held.take(node, this.maxPodsOf[this.nodes.poolOfJoined(node, 'static-block podAdd')]!);
  }

  podRelease(_pod: number, node: number, handle: number): void {
    this.held.give(node, handle);
  }

  address(node: number, handle: number): number {
    return this.podPoolOf[this.nodes.poolOfJoined(node, 'static-block address')]!.cidr.base + handle;
  }

  gauges(out: Gauges): void {
    // Blocks are handed out whole: every free address of the pool lies in a whole free block (fragmentation 0).
    setGauges4(out, this.nodes.count, this.nodeCapacity, this.blocksHeld * this.blockSize, this.held.pods, this.podCapacity, 0, 0, this.nodes.count + this.blocksHeld);
  }

  reservedNow(): number {
    return this.blocksHeld * this.blockSize;
  }

  recount(out: Gauges): void {
    let blocks = 0;
    let pods = 0;
    for (let node = 0; node < this.nodes.poolOf.length; node++) {
      const pool = this.nodes.poolOf[node]!;
      if (pool < 0) continue;
      const pp = this.podPoolOf[pool]!;
      const k = this.blockTable.size(node);
      for (let j = 0; j < k; j++) if (pp.isAllocated(this.blockTable.at(node, j))) blocks++;
      // Addresses of the node's blocks that are neither the primary nor free belong to pods.
      pods += k * this.blockSize - (this.primaryIp ? 1 : 0) - this.held.free.size(node);
    }
    let cap = 0;
    for (const p of this.podPools) cap += p.capacity * this.blockSize;
    const nodes = this.nodes.recount();
    setGauges4(out, nodes, this.nodes.capacity(), blocks * this.blockSize, pods, cap, 0, 0, nodes + blocks);
  }

  private ensure(node: number): void {
    this.nodes.ensure(node);
    this.blockTable.ensure(node);
    this.held.ensure(node);
  }
}

export function createStaticBlock(ctx: AllocatorContext<StaticBlockParams>): Allocator {
  return new StaticBlockAllocator(ctx);
}
