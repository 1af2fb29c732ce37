/**
 * calico through the allocator API: the worked examples of Calico's IPAM (default pool, dense nodes, block
 * limit, small blocks, scale-down, node ceiling), the autoAssign order (own, claim, reclaim, borrow), the free
 * order of a block, and a random sequence checked against the invariants with a short leak grace.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BLOCK_LIMIT, calicoInfo } from '../../src/alloc/calico/info.js';
import { Engine } from '../../src/engine/index.js';
import { MAX_PODS, OK, PENDING, POD_CIDR_FULL, causeOf, type Allocator } from '../../src/alloc/types.js';
import { build, clusterSpec, gaugesOf, recountOf, type TestHost } from './helpers.js';
import { formatIp4 } from '../../src/net/index.js';

function calico(opts: { podCidr?: string; maxPods?: number; nodeSubnet?: string; params?: Record<string, unknown> } = {}) {
  const engine = new Engine();
  const spec = clusterSpec({
    podCidr: opts.podCidr ?? '192.168.0.0/16',
    pools: [{ maxPods: opts.maxPods ?? 110, nodeSubnet: opts.nodeSubnet ?? '10.0.0.0/20' }],
  });
  const b = build('calico', spec, { clock: engine, params: opts.params });
  return { ...b, engine };
}

/**
 * Adds pods to `node` until one gets no address or `max` are in: the handles, and the cause of the refusal or of
 * the failure that left the last pod waiting (0 when none). A waiting pod is deleted again.
 */
function fill(a: Allocator, host: TestHost, node: number, firstPod: number, max = 100_000): { handles: number[]; cause: number } {
  const handles: number[] = [];
  for (let i = 0; i < max; i++) {
    const h = a.podAdd(firstPod + i, node);
    if (h === PENDING) {
      a.podRelease(firstPod + i, node, PENDING);
      return { handles, cause: host.events.at(-1)!.cause };
    }
    if (h < 0) return { handles, cause: causeOf(h) };
    handles.push(h);
  }
  return { handles, cause: 0 };
}

describe('calico: the default pool [calico-startup]', () => {
  it('192.168.0.0/16 with /26 blocks: 1,024 blocks of 64; node 1,025 cannot get a tunnel address with strict affinity, borrows one without', () => {
    for (const strict of [true, false]) {
      const { alloc } = calico({ params: { strictAffinity: strict } });
      expect(gaugesOf(alloc).podIpsCapacity).toBe(65_536);
      for (let n = 0; n < 1024; n++) expect(alloc.nodeJoin(n, 0)).toBe(OK);
      // Each node claimed one block for its tunnel address.
      expect(gaugesOf(alloc).podIpsReserved).toBe(65_536);
      expect(alloc.nodeJoin(1024, 0)).toBe(strict ? POD_CIDR_FULL : OK);
      expect(gaugesOf(alloc)).toEqual(recountOf(alloc));
    }
  });
});

describe('calico: dense nodes [calico-ipam, calico-tunnel]', () => {
  it('110 pods + the tunnel address take 2 blocks (17 idle); without a tunnel address 18 idle', () => {
    for (const tunnelAddress of [true, false]) {
      const { alloc, host } = calico({ params: { tunnelAddress } });
      expect(alloc.nodeJoin(0, 0)).toBe(OK);
      const { handles, cause } = fill(alloc, host, 0, 0);
      expect(cause).toBe(MAX_PODS);
      expect(handles.length).toBe(110);
      const g = gaugesOf(alloc);
      expect(g.podIpsReserved).toBe(128);
      expect(g.podIpsReserved - g.podIpsUsed - (tunnelAddress ? 1 : 0)).toBe(tunnelAddress ? 17 : 18);
    }
  });

  it('strict affinity: 512 full nodes fill the pool; node 513 is refused (no block for its tunnel address)', () => {
    const { alloc, host } = calico({ params: { strictAffinity: true } });
    for (let n = 0; n < 512; n++) {
      expect(alloc.nodeJoin(n, 0)).toBe(OK);
      expect(fill(alloc, host, n, n * 110).handles.length).toBe(110);
    }
    expect(gaugesOf(alloc).podIpsReserved).toBe(65_536);
    expect(alloc.nodeJoin(512, 0)).toBe(POD_CIDR_FULL);
  });

  it('strict affinity without a tunnel address: node 513 joins, its first pod is refused (pod-cidr-full)', () => {
    const { alloc, host } = calico({ params: { strictAffinity: true, tunnelAddress: false } });
    for (let n = 0; n < 512; n++) {
      expect(alloc.nodeJoin(n, 0)).toBe(OK);
      fill(alloc, host, n, n * 110);
    }
    expect(alloc.nodeJoin(512, 0)).toBe(OK);
    expect(alloc.podAdd(999_999, 512)).toBe(PENDING); // it waits on its node, as kubelet retries it
    expect(host.events.at(-1)).toMatchObject({ event: 'address-refused', cause: POD_CIDR_FULL, node: 512 });
    expect(gaugesOf(alloc).podsWaitingIp).toBe(1);
  });

  it('without strict affinity node 513 on borrows the 512 × 17 = 8,704 idle addresses of the second blocks', () => {
    const { alloc, host } = calico();
    for (let n = 0; n < 512; n++) {
      expect(alloc.nodeJoin(n, 0)).toBe(OK);
      fill(alloc, host, n, n * 110);
    }
    let borrowed = 0;
    let pod = 1_000_000;
    let refusedAt = -1;
    for (let n = 512; n < 600 && refusedAt < 0; n++) {
      const r = alloc.nodeJoin(n, 0);
      if (r !== OK) {
        refusedAt = n;
        expect(r).toBe(POD_CIDR_FULL);
        break;
      }
      borrowed++; // its tunnel address
      const f = fill(alloc, host, n, pod);
      pod += f.handles.length;
      borrowed += f.handles.length;
      if (f.cause === POD_CIDR_FULL) refusedAt = n;
      else expect(f.cause).toBe(MAX_PODS);
    }
    expect(borrowed).toBe(8704);
    const g = gaugesOf(alloc);
    expect(g.podIpsUsed + 512 + (refusedAt - 512 + 1)).toBe(65_536);
    expect(g).toEqual(recountOf(alloc));
  });
});

describe('calico: the block limit [calico-ipam, calico-ipamconfig]', () => {
  it.each([
    [26, 1280],
    [28, 320],
    [32, 20],
  ])('blockSize %i: 20 blocks hold %i addresses; the 21st block is refused with block-limit though the pool has free blocks', (blockSize, addresses) => {
    const { alloc, host } = calico({ maxPods: 5000, params: { blockSize } });
    expect(alloc.nodeJoin(0, 0)).toBe(OK);
    const { handles, cause } = fill(alloc, host, 0, 0);
    expect(cause).toBe(BLOCK_LIMIT);
    expect(handles.length).toBe(addresses - 1); // the tunnel address holds one
    const g = gaugesOf(alloc);
    expect(g.podIpsReserved).toBe(addresses);
    expect(g.podIpsCapacity - g.podIpsReserved).toBeGreaterThan(0);
  });

  it('a smaller maxBlocksPerHost (with strict affinity) stops the node sooner', () => {
    const { alloc, host } = calico({ maxPods: 5000, params: { strictAffinity: true, maxBlocksPerHost: 3 } });
    alloc.nodeJoin(0, 0);
    expect(fill(alloc, host, 0, 0)).toMatchObject({ cause: BLOCK_LIMIT });
    expect(gaugesOf(alloc).podIpsUsed).toBe(3 * 64 - 1);
  });

  it('maxBlocksPerHost > 0 needs strictAffinity: true, as Calico\'s SetIPAMConfig demands', () => {
    const r = calicoInfo.params.safeParse({ maxBlocksPerHost: 5 });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.message).toMatch(/strictAffinity: true/);
    expect(calicoInfo.params.safeParse({ blockSize: 19 }).success).toBe(false);
    expect(calicoInfo.params.safeParse({ blockSize: 33 }).success).toBe(false);
  });
});

describe('calico: small blocks [calico-ipam]', () => {
  it('blockSize 28: 110 pods + the tunnel address take 7 blocks', () => {
    const { alloc, host } = calico({ params: { blockSize: 28 } });
    alloc.nodeJoin(0, 0);
    expect(fill(alloc, host, 0, 0).handles.length).toBe(110);
    expect(gaugesOf(alloc).podIpsReserved).toBe(7 * 16);
  });
});

describe('calico: empty blocks lose their affinity after leakGracePeriod, not the last one [calico-kc]', () => {
  it('a node with 3 blocks drops to 0 pods: 15–22.5 min later 2 blocks are released, 1 stays', () => {
    for (const tunnelAddress of [true, false]) {
      const { alloc, host, engine } = calico({ maxPods: 250, params: { tunnelAddress } });
      alloc.nodeJoin(0, 0);
      const { handles } = fill(alloc, host, 0, 0, 130);
      expect(gaugesOf(alloc).podIpsReserved).toBe(3 * 64);
      engine.run(100_000);
      handles.forEach((h, i) => alloc.podRelease(i, 0, h));
      // Checks at multiples of 7.5 min: 450 s marks the empty blocks, 1,350 s releases them.
      engine.run(100_000 + 15 * 60_000 - 1);
      expect(gaugesOf(alloc).podIpsReserved).toBe(3 * 64);
      engine.run(1_349_999);
      expect(gaugesOf(alloc).podIpsReserved).toBe(3 * 64);
      engine.run(1_350_000);
      expect(gaugesOf(alloc).podIpsReserved).toBe(64);
      expect((1_350_000 - 100_000) / 60_000).toBeGreaterThanOrEqual(15);
      expect((1_350_000 - 100_000) / 60_000).toBeLessThanOrEqual(22.5);
      engine.run(10 * 3_600_000);
      expect(gaugesOf(alloc).podIpsReserved).toBe(64); // the node's last block stays
      expect(gaugesOf(alloc)).toEqual(recountOf(alloc));
    }
  });

  it('a check that sees the block in use forgets its mark; a busy spell between two checks does not', () => {
    const { alloc, host, engine } = calico({ maxPods: 250 });
    alloc.nodeJoin(0, 0);
    const { handles } = fill(alloc, host, 0, 0, 70); // tunnel + 63 in block 0, 7 in block 1
    const second = handles.slice(63);
    second.forEach((h, i) => alloc.podRelease(63 + i, 0, h)); // t = 0: block 1 empty
    engine.run(450_000); // check: mark at 450 s
    // Busy from 500 s to 800 s: the check at 900 s does not see it, the mark stays; released at 1,350 s.
    engine.run(500_000);
    let h = alloc.podAdd(500, 0);
    engine.run(800_000);
    alloc.podRelease(500, 0, h);
    engine.run(1_350_000);
    expect(gaugesOf(alloc).podIpsReserved).toBe(64);
    // Again: empty at 1,400 s, marked at 1,800 s, busy from 1,900 s across the check at 2,250 s (which forgets the
    // mark), empty at 2,300 s: marked at 2,700 s, released at 3,600 s (not at 2,700 s).
    h = alloc.podAdd(501, 0); // block 0 is full: a second block again
    expect(gaugesOf(alloc).podIpsReserved).toBe(128);
    engine.run(1_400_000);
    alloc.podRelease(501, 0, h);
    engine.run(1_900_000);
    h = alloc.podAdd(502, 0);
    engine.run(2_300_000);
    alloc.podRelease(502, 0, h);
    engine.run(3_599_999);
    expect(gaugesOf(alloc).podIpsReserved).toBe(128);
    engine.run(3_600_000);
    expect(gaugesOf(alloc).podIpsReserved).toBe(64);
  });
});

describe('calico: the node ceiling of a small pool [calico-ipam]', () => {
  it('a /20 pool holds 64 /26 blocks: node 65 borrows without strict affinity and is refused with it', () => {
    for (const strict of [true, false]) {
      const { alloc } = calico({ podCidr: '10.32.0.0/20', params: { strictAffinity: strict } });
      for (let n = 0; n < 64; n++) expect(alloc.nodeJoin(n, 0)).toBe(OK);
      expect(alloc.nodeJoin(64, 0)).toBe(strict ? POD_CIDR_FULL : OK);
    }
    // Without a tunnel address a node claims its block at its first pod.
    for (const strict of [true, false]) {
      const { alloc, host } = calico({ podCidr: '10.32.0.0/20', params: { strictAffinity: strict, tunnelAddress: false } });
      for (let n = 0; n < 65; n++) expect(alloc.nodeJoin(n, 0)).toBe(OK);
      for (let n = 0; n < 64; n++) expect(alloc.podAdd(n, n)).toBeGreaterThanOrEqual(0);
      const r = alloc.podAdd(64, 64);
      if (strict) expect([r, host.events.at(-1)!.cause]).toEqual([PENDING, POD_CIDR_FULL]);
      else expect(Math.floor(r / 64)).toBeLessThan(64); // an address of another node's block
    }
  });
});

describe('calico: autoAssign order [calico-ipam, calico-claim, calico-block]', () => {
  it('addresses in block order 0, 1, 2, …; a released one goes to the end of the free list', () => {
    const { alloc, host } = calico({ params: { tunnelAddress: false } });
    alloc.nodeJoin(0, 0);
    const hs = fill(alloc, host, 0, 0, 3).handles;
    expect(hs.map((h) => formatIp4(alloc.address(0, h)))).toEqual(['192.168.0.0', '192.168.0.1', '192.168.0.2']);
    alloc.podRelease(0, 0, hs[0]!);
    const next = fill(alloc, host, 0, 10, 62).handles;
    expect(formatIp4(alloc.address(0, next[0]!))).toBe('192.168.0.3');
    expect(formatIp4(alloc.address(0, next[61]!))).toBe('192.168.0.0'); // the released address comes back last
  });

  it('reclaims another node\'s empty block claimed at least 1 min ago', () => {
    // Two /26 blocks; A and B claim one each; A's empties.
    const { alloc, host, engine } = calico({ podCidr: '10.32.0.0/25', params: { strictAffinity: true, tunnelAddress: false } });
    for (let n = 0; n < 3; n++) alloc.nodeJoin(n, 0);
    const a = alloc.podAdd(0, 0);
    alloc.podAdd(1, 1);
    alloc.podRelease(0, 0, a);
    engine.run(55_000);
    expect(alloc.podAdd(2, 2)).toBe(PENDING); // A's block is too young: the pod waits
    engine.run(64_999);
    expect(host.grants).toEqual([]);
    engine.run(65_000); // kubelet's retry, 10 s later: the block is 65 s old
    expect(host.grants.length).toBe(1);
    const c = host.grants[0]!.handle;
    expect(Math.floor(c / 64)).toBe(Math.floor(a / 64)); // node 2 took A's block
    expect(alloc.podAdd(3, 0)).toBe(PENDING); // A now has none and none is free or empty
    expect(host.events.at(-1)!.cause).toBe(POD_CIDR_FULL);
    expect(gaugesOf(alloc)).toEqual(recountOf(alloc));
  });

  it('a deleted node releases its blocks; one still lent to another node\'s pod stays until that pod goes', () => {
    const { alloc, spaces } = calico({ podCidr: '10.32.0.0/26', params: { tunnelAddress: false } });
    alloc.nodeJoin(0, 0);
    alloc.nodeJoin(1, 0);
    const a = alloc.podAdd(0, 0);
    const b = alloc.podAdd(1, 1); // borrowed from node 0's block
    expect(Math.floor(b / 64)).toBe(Math.floor(a / 64));
    alloc.podRelease(0, 0, a);
    alloc.nodeLeave(0);
    expect(gaugesOf(alloc).podIpsReserved).toBe(64); // the block stays, without affinity
    expect(gaugesOf(alloc)).toEqual(recountOf(alloc));
    alloc.podRelease(1, 1, b);
    expect(gaugesOf(alloc).podIpsReserved).toBe(0);
    alloc.nodeLeave(1);
    expect(spaces.totalUsed()).toBe(0);
  });
});

describe('calico: random sequences with a short leak grace keep the invariants', () => {
  it('no address twice, gauges = recount, everything returns', () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.array(fc.tuple(fc.nat(4), fc.nat(1000), fc.integer({ min: 1, max: 20 })), { minLength: 1, maxLength: 80 }),
        (strict, ops) => {
          const { alloc, engine, spaces } = calico({ podCidr: '10.32.0.0/24', maxPods: 40, params: { blockSize: 28, leakGracePeriod: 60, strictAffinity: strict } });
          const live: number[] = [];
          const pods = new Map<number, { node: number; h: number }>();
          const held = new Set<number>();
          let nextNode = 0;
          let nextPod = 0;
          for (const [op, k, n] of ops) {
            if (op === 0 || live.length === 0) {
              const node = nextNode++;
              if (alloc.nodeJoin(node, 0) === OK) live.push(node);
            } else if (op === 1) {
              const node = live[k % live.length]!;
              for (let i = 0; i < n; i++) {
                const h = alloc.podAdd(nextPod, node);
                if (h === PENDING) alloc.podRelease(nextPod, node, PENDING);
                if (h < 0) break;
                const addr = alloc.address(node, h);
                expect(held.has(addr)).toBe(false);
                held.add(addr);
                pods.set(nextPod++, { node, h });
              }
            } else if (op === 2) {
              const ids = [...pods.keys()];
              for (let i = 0; i < n && i < ids.length; i++) {
                const id = ids[(k + i) % ids.length]!;
                const p = pods.get(id);
                if (p === undefined) continue;
                held.delete(alloc.address(p.node, p.h));
                alloc.podRelease(id, p.node, p.h);
                pods.delete(id);
              }
            } else if (op === 3) {
              const node = live.splice(k % live.length, 1)[0]!;
              for (const [id, p] of [...pods]) {
                if (p.node !== node) continue;
                held.delete(alloc.address(p.node, p.h));
                alloc.podRelease(id, node, p.h);
                pods.delete(id);
              }
              alloc.nodeLeave(node);
            } else engine.run(engine.now + n * 7_000);
            expect(gaugesOf(alloc)).toEqual(recountOf(alloc));
            expect(gaugesOf(alloc).podIpsUsed).toBe(pods.size);
          }
          for (const [id, p] of pods) alloc.podRelease(id, p.node, p.h);
          for (const node of live) alloc.nodeLeave(node);
          engine.run(engine.now + 600_000);
          expect(spaces.totalUsed()).toBe(0);
          expect(gaugesOf(alloc).podIpsReserved).toBe(0);
        },
      ),
      { numRuns: 150, seed: 16 },
    );
  });
});

describe('calico: the planner [calico-ipam]', () => {
  it('520 nodes at 110 pods: 2 /26 blocks each (1,040 blocks) need a /15; the default /16 holds 512 such nodes', async () => {
    const { planModes } = await import('../../src/plan/plan.js');
    const [p] = planModes({ modes: ['calico'], nodes: 520 });
    const pod = p!.spaces.find((s) => s.space === 'pod-cidr')!;
    expect(pod.needed).toBe(1040 * 64);
    expect(pod.prefix).toBe(15);
    expect(pod.wasted).toBe(520 * 17);
    expect(planModes({ modes: ['calico'], nodes: 512 })[0]!.spaces.find((s) => s.space === 'pod-cidr')!.prefix).toBe(16);
    expect(p!.notes.join()).toMatch(/borrows single addresses/);
  });

  it('max-pods beyond the block limit is a blocker: /32 blocks stop a node at 19 pods', async () => {
    const { planModes } = await import('../../src/plan/plan.js');
    const [p] = planModes({ modes: ['calico'], nodes: 3, params: { calico: calicoInfo.params.parse({ blockSize: 32 }) } });
    expect(p!.blockers.join()).toMatch(/111 \/32 blocks per node, above the block limit of 20.*stops at 19 pods/);
  });
});

describe('calico: dual stack, IPv6 /122 blocks [calico-ippool, calico-ipam]', () => {
  function dual(params: Record<string, unknown> = {}, maxPods = 110) {
    const engine = new Engine();
    const spec = clusterSpec({ podCidr: '192.168.0.0/16', podCidr6: 'fd12:3456:789a::/64', pools: [{ maxPods, nodeSubnet: '10.0.0.0/20' }] });
    return { ...build('calico', spec, { clock: engine, params }), engine };
  }

  it('110 pods take 2 IPv4 blocks (with the tunnel address) and 2 IPv6 /122 blocks; the /64 holds 2^58 blocks', () => {
    const { alloc, host } = dual();
    alloc.nodeJoin(0, 0);
    expect(fill(alloc, host, 0, 0).handles.length).toBe(110);
    const g = gaugesOf(alloc);
    expect([g.podIpsReserved, g.pod6Reserved, g.pod6Used]).toEqual([128, 128, 110]);
    expect(g.pod6Capacity).toBe(2 ** 64);
    expect(g).toEqual(recountOf(alloc));
  });

  it('an emptied IPv6 block goes after the grace like an IPv4 one; the node keeps one of each', () => {
    const { alloc, host, engine, spaces } = dual({ tunnelAddress: false }, 250);
    alloc.nodeJoin(0, 0);
    const { handles } = fill(alloc, host, 0, 0, 130);
    expect(gaugesOf(alloc).pod6Reserved).toBe(3 * 64);
    handles.forEach((h, i) => alloc.podRelease(i, 0, h));
    engine.run(22.5 * 60_000);
    const g = gaugesOf(alloc);
    expect([g.podIpsReserved, g.pod6Reserved]).toEqual([64, 64]);
    expect(g).toEqual(recountOf(alloc));
    alloc.nodeLeave(0);
    expect(spaces.totalUsed()).toBe(0);
  });

  it('blockSize6 128: the 21st IPv6 block is refused (block-limit) and the request fails whole, its IPv4 address returned', () => {
    const { alloc, host } = dual({ blockSize6: 128 });
    alloc.nodeJoin(0, 0);
    const f = fill(alloc, host, 0, 0);
    expect(f.handles.length).toBe(20);
    expect(f.cause).toBe(BLOCK_LIMIT);
    const g = gaugesOf(alloc);
    expect([g.podIpsUsed, g.pod6Used, g.pod6Reserved]).toEqual([20, 20, 20]);
    expect(g).toEqual(recountOf(alloc));
  });
});
