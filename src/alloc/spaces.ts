/**
 * The address spaces of one run, shared by key: asking twice for the same subnet (same CIDR, same use) gives
 * the same pool, so several node pools or clusters can draw from one subnet. Scoped block pools (an overlay
 * pod CIDR, private to its cluster) are keyed by scope as well and never shared across scopes.
 *
 * A provider network's range (every unscoped request) may be used in one way only: a subnet asked for as a flat
 * address pool and as a block pool (static-block and dynamic on one pod subnet), or as block pools of two sizes,
 * or two different VNet ranges that overlap, are refused with an input error naming both uses.
 *
 * Costs: every call is a Map lookup plus, on the first request of a range, a scan of the unscoped uses
 * (O(uses)) and the pool's construction. Called while building allocators, never in the hot path.
 */
import { inputError } from '../errors.js';
import { overlaps, type Cidr4, type Cidr6 } from '../net/index.js';
import { AddressPool, BlockPool, BlockPool6, type ReservePolicy } from '../pool/index.js';
import type { Budget, Spaces } from './types.js';

/** One pool held by a run, for gauges, recounts and end-of-run checks. */
export type SpaceUse =
  | { readonly kind: 'subnet'; readonly key: string; readonly cidr: Cidr4; readonly reserve: ReservePolicy; readonly scope: null; readonly pool: AddressPool }
  | { readonly kind: 'blocks'; readonly key: string; readonly cidr: Cidr4; readonly blockPrefix: number; readonly reserve: ReservePolicy; readonly scope: string | null; readonly pool: BlockPool }
  | { readonly kind: 'blocks6'; readonly key: string; readonly cidr: Cidr6; readonly blockPrefix: number; readonly scope: string | null; readonly pool: BlockPool6 };

function describe(u: SpaceUse): string {
  if (u.kind === 'subnet') return `${u.cidr.text} as an address pool (single addresses, ${u.reserve.name})`;
  if (u.kind === 'blocks') return `${u.cidr.text} as a pool of /${u.blockPrefix} blocks (${u.reserve.name})`;
  return `${u.cidr.text} as a pool of /${u.blockPrefix} blocks`;
}

export class RunSpaces implements Spaces {
  private readonly byKey: Map<string, SpaceUse>;
  /** Unscoped IPv4 uses: VNet ranges, checked against each other. */
  private readonly vnet: SpaceUse[];
  private readonly uses: SpaceUse[];
  private readonly budgets: Map<string, Budget>;

  constructor() {
    this.byKey = new Map();
    this.vnet = [];
    this.uses = [];
    this.budgets = new Map();
  }

  subnet(cidr: Cidr4, reserve: ReservePolicy): AddressPool {
    const key = `subnet ${cidr.text} ${reserve.name}`;
    const had = this.byKey.get(key);
    if (had !== undefined) return had.pool as AddressPool;
    const use: SpaceUse = { kind: 'subnet', key, cidr, reserve, scope: null, pool: new AddressPool(cidr, reserve) };
    this.checkVnet(use);
    this.add(use);
    return use.pool;
  }

  blocks(cidr: Cidr4, blockPrefix: number, reserve: ReservePolicy, scope?: string): BlockPool {
    const s = scope ?? null;
    const key = `blocks ${cidr.text} /${blockPrefix} ${reserve.name}${s === null ? '' : ` scope ${s}`}`;
    const had = this.byKey.get(key);
    if (had !== undefined) return had.pool as BlockPool;
    const use: SpaceUse = { kind: 'blocks', key, cidr, blockPrefix, reserve, scope: s, pool: new BlockPool(cidr, blockPrefix, reserve) };
    if (s === null) this.checkVnet(use);
    this.add(use);
    return use.pool;
  }

  blocks6(cidr: Cidr6, blockPrefix: number, scope?: string): BlockPool6 {
    const s = scope ?? null;
    const key = `blocks6 ${cidr.text} /${blockPrefix}${s === null ? '' : ` scope ${s}`}`;
    const had = this.byKey.get(key);
    if (had !== undefined) return had.pool as BlockPool6;
    const use: SpaceUse = { kind: 'blocks6', key, cidr, blockPrefix, scope: s, pool: new BlockPool6(cidr, blockPrefix) };
    this.add(use);
    return use.pool;
  }

  budget(key: string, limit: number): Budget {
    let b = this.budgets.get(key);
    if (b === undefined) {
      b = { key, limit, used: 0 };
      this.budgets.set(key, b);
    }
    return b;
  }

  /** Every shared budget of the run, in the order first asked for. */
  allBudgets(): readonly Budget[] {
    return [...this.budgets.values()];
  }

  /** Every pool of the run, in the order first asked for. */
  all(): readonly SpaceUse[] {
    return this.uses;
  }

  /** Addresses (IPv4) or blocks handed out across every pool; 0 once everything has been given back. */
  totalUsed(): number {
    let n = 0;
    for (const u of this.uses) n += u.pool.used;
    return n;
  }

  private add(use: SpaceUse): void {
    this.byKey.set(use.key, use);
    this.uses.push(use);
  }

  /** A VNet range may back one pool only, and VNet ranges may not overlap (a second pool would hand out its addresses twice). */
  private checkVnet(use: SpaceUse): void {
    for (const other of this.vnet) {
      if (other.cidr.family !== 4 || use.cidr.family !== 4) continue;
      if (other.cidr.text === use.cidr.text) {
        throw inputError(
          `subnet ${use.cidr.text} is used both ${describe(other)} and ${describe(use)}: one subnet serves one allocation mode ` +
            `(static-block and dynamic may not share a pod subnet, and a node subnet may not be a static-block pod subnet); give each use its own subnet`,
        );
      }
      if (overlaps(other.cidr, use.cidr)) {
        throw inputError(`subnet ${use.cidr.text} (${describe(use)}) overlaps subnet ${other.cidr.text} (${describe(other)}): VNet subnets may not overlap; make them disjoint`);
      }
    }
    this.vnet.push(use);
  }
}
