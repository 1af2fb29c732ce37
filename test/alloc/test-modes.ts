/**
 * A small mode of the tests' own, built only from the core's public pieces (its folder would hold exactly this):
 * "tiny" — every node pre-takes `perNode` addresses (a per-pool setting) of its node subnet, under a reserve
 * policy of its own, on the kubernetes platform, refusing with a cause of its own. The contract suite and
 * test/alloc/core.test.ts run it; registering it is one registerMode call.
 */
import { z } from 'zod';
import { defineCause, causeDef, OK } from '../../src/alloc/causes.js';
import type { ModeInfo } from '../../src/alloc/info.js';
import { modeEntry } from '../../src/alloc/registry.js';
import { HeldAddresses, NodeSubnets, setGauges4 } from '../../src/alloc/mechanics.js';
import type { Allocator, AllocatorContext, Gauges } from '../../src/alloc/types.js';

const TINY_RESERVE = { name: 'tiny range', head: 2, tail: 3, smallestPrefix: 30 };
export const TINY_FULL = defineCause({ name: 'tiny-full', kind: 'space', color: '#123456', meaning: 'the tiny range ran out' });
const tinyInfo: ModeInfo<{ spare: number }, { perNode: number }> = {
  name: 'tiny',
  platform: 'kubernetes',
  title: 'a test mode',
  summary: 'each node pre-takes perNode addresses',
  rules: ['node: perNode addresses [test]'],
  sources: { test: 'test/alloc/core.test.ts' },
  maxPods: (pool) => ({ default: pool.perNode, min: 1, max: pool.perNode }),
  uses: { podSubnet: false, podCidr: false, dualStack: false },
  params: z.strictObject({ spare: z.number().int().default(0) }),
  poolKeys: { perNode: z.number().int().min(1).max(64) },
  poolParams: z.object({ perNode: z.number().int().default(4) }),
  causes: [causeDef(TINY_FULL)],
  capabilities: { expandPodCidr: false, migratesTo: [] },
};

class Tiny implements Allocator {
  readonly mode = 'tiny';
  private readonly nodes: NodeSubnets;
  private readonly held = new HeldAddresses(64);
  private readonly perNode: number[];
  private reserved = 0;
  constructor(ctx: AllocatorContext<{ spare: number }>) {
    this.nodes = new NodeSubnets(ctx.spaces, ctx.cluster, TINY_RESERVE);
    this.perNode = ctx.cluster.pools.map((p) => (p.params as { perNode: number }).perNode);
  }
  nodeJoin(node: number, pool: number): number {
    this.nodes.ensure(node);
    this.held.ensure(node);
    const k = this.perNode[pool]!;
    const sub = this.nodes.pick(pool, 1 + k);
    if (sub < 0) return TINY_FULL;
    this.nodes.take(node, pool, sub);
    const s = this.nodes.subnetOfNode(node);
    this.held.reset(node);
    for (let i = 0; i < k; i++) this.held.free.push(node, s.allocate());
    this.reserved += k;
    return OK;
  }
  nodeLeave(node: number): void {
    const s = this.nodes.subnetOfNode(node);
    const f = this.held.free;
    for (let i = 0; i < f.size(node); i++) s.free(f.at(node, i));
    this.reserved -= this.perNode[this.nodes.poolOf[node]!]!;
    f.clear(node);
    this.nodes.give(node);
  }
  podAdd(_pod: number, node: number): number {
    return this.held.take(node, this.perNode[this.nodes.poolOf[node]!]!);
  }
  podRelease(_pod: number, node: number, handle: number): void {
    this.held.give(node, handle);
  }
  address(node: number, handle: number): number {
    return this.nodes.subnetOfNode(node).cidr.base + handle;
  }
  gauges(out: Gauges): void {
    setGauges4(out, this.nodes.count, this.nodes.capacity(), this.reserved, this.held.pods, this.nodes.capacity(), 0, 0);
  }
  recount(out: Gauges): void {
    this.gauges(out);
    out.nodeIpsUsed = this.nodes.recount();
  }
}

export const TINY = modeEntry(tinyInfo, (ctx) => new Tiny(ctx), {
  mode: 'tiny',
  needs: () => ({ spaces: [], blockers: [], notes: [] }),
});
