/** RunSpaces: pools shared by key, one use per VNet subnet, private scoped pools. */
import { describe, expect, it } from 'vitest';
import { RunSpaces } from '../../src/alloc/spaces.js';
import { AZURE_SUBNET } from '../../src/alloc/platform/reserves.js';
import { NO_RESERVE } from '../../src/pool/index.js';
import { CnisimError } from '../../src/errors.js';
import { parseCidr4, parseCidr6 } from '../../src/net/index.js';
import { build, clusterSpec, NO_CLOCK } from './helpers.js';

const c = parseCidr4;

describe('RunSpaces', () => {
  it('gives the same pool for the same subnet, so clusters share it', () => {
    const s = new RunSpaces();
    const a = s.subnet(c('10.1.0.0/24'), AZURE_SUBNET);
    expect(s.subnet(c('10.1.0.0/24'), AZURE_SUBNET)).toBe(a);
    expect(s.blocks(c('10.2.0.0/20'), 28, AZURE_SUBNET)).toBe(s.blocks(c('10.2.0.0/20'), 28, AZURE_SUBNET));
    expect(s.all().map((u) => u.kind)).toEqual(['subnet', 'blocks']);
  });

  it('keeps scoped block pools private to their scope', () => {
    const s = new RunSpaces();
    const a = s.blocks(c('10.244.0.0/16'), 24, NO_RESERVE, 'a');
    const b = s.blocks(c('10.244.0.0/16'), 24, NO_RESERVE, 'b');
    expect(a).not.toBe(b);
    expect(s.blocks6(parseCidr6('fd12:3456:789a::/64'), 80, 'a')).not.toBe(s.blocks6(parseCidr6('fd12:3456:789a::/64'), 80, 'b'));
  });

  it('refuses one subnet as an address pool and as a block pool, naming both uses', () => {
    const s = new RunSpaces();
    s.subnet(c('10.2.0.0/20'), AZURE_SUBNET);
    let err: unknown;
    try {
      s.blocks(c('10.2.0.0/20'), 28, AZURE_SUBNET);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CnisimError);
    expect((err as CnisimError).code).toBe('input');
    expect((err as CnisimError).message).toMatch(/10\.2\.0\.0\/20 is used both .*address pool.* and .*\/28 blocks/);
  });

  it('refuses overlapping VNet subnets', () => {
    const s = new RunSpaces();
    s.subnet(c('10.2.0.0/20'), AZURE_SUBNET);
    expect(() => s.subnet(c('10.2.4.0/24'), AZURE_SUBNET)).toThrow(/overlaps subnet 10\.2\.0\.0\/20/);
  });

  it('refuses static-block and dynamic on one pod subnet', () => {
    const spaces = new RunSpaces();
    build('static-block', clusterSpec({ name: 'a', pools: [{ maxPods: 30, nodeSubnet: '10.1.0.0/24', podSubnet: '10.2.0.0/20' }] }), { spaces });
    expect(() => build('dynamic', clusterSpec({ name: 'b', pools: [{ maxPods: 30, nodeSubnet: '10.3.0.0/24', podSubnet: '10.2.0.0/20' }] }), { spaces, clock: NO_CLOCK }))
      .toThrow(/10\.2\.0\.0\/20 is used both/);
  });

  it('lets two static-block clusters share one pod subnet', () => {
    const spaces = new RunSpaces();
    const a = build('static-block', clusterSpec({ name: 'a', pools: [{ maxPods: 15, nodeSubnet: '10.1.0.0/24', podSubnet: '10.2.0.0/26' }] }), { spaces });
    const b = build('static-block', clusterSpec({ name: 'b', pools: [{ maxPods: 15, nodeSubnet: '10.3.0.0/24', podSubnet: '10.2.0.0/26' }] }), { spaces });
    // Two usable /28 blocks in the /26, shared.
    expect(a.alloc.nodeJoin(0, 0)).toBe(0);
    expect(b.alloc.nodeJoin(0, 0)).toBe(0);
    expect(a.alloc.nodeJoin(1, 0)).not.toBe(0);
    expect(b.alloc.nodeJoin(1, 0)).not.toBe(0);
  });
});
