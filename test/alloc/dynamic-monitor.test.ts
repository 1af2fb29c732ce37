/**
 * The pool monitor's rule (src/alloc/dynamic/monitor.ts) against CNS's own unit-test tables, ported from
 * Azure/azure-container-networking cns/ipampool/monitor_test.go (v1) and cns/ipampool/v2/math_test.go (v2).
 * CNS's thresholds are percentages of the batch; here they are fractions (50 % → 0.5). CNS marks further
 * releases on every reconcile without waiting for the control plane; cnisim keeps one round trip in flight, so
 * a table's end state is reached by applying `step` until it has nothing to do (`settle`).
 */
import { describe, expect, it } from 'vitest';
import { dynamicParams } from '../../src/alloc/dynamic/info.js';
import { heldFor, Scaler, scalerOf } from '../../src/alloc/dynamic/monitor.js';

interface V1 { batch: number; request: number; release: number; max: number; exhausted?: boolean }

function v1(t: V1): Scaler {
  const p = dynamicParams.parse({ batchSize: t.batch, minFreeFraction: t.request / 100, maxFreeFraction: t.release / 100, maxIPCount: t.max });
  return scalerOf(p, 250, t.exhausted ?? false);
}

/** Applies the rule until it has nothing to do; the final request and the addresses released on the way. */
function settle(s: Scaler, requested: number, assigned: number): { requested: number; released: number } {
  let released = 0;
  for (let i = 0; i < 1000; i++) {
    const d = s.step(requested, assigned, 0);
    if (d === 0) break;
    if (d < 0) released -= d;
    requested += d;
  }
  return { requested, released };
}

describe('v1 [cns monitor_test.go]', () => {
  it.each([
    // TestPoolSizeIncrease
    ['typ', { batch: 10, request: 50, release: 150, max: 30 }, 10, 8, 20],
    ['odd batch', { batch: 3, request: 50, release: 150, max: 30 }, 10, 10, 12],
    // exhausted: batch 1, maxFree 2: 2 free of 10 → one address goes back
    ['subnet exhausted', { batch: 10, request: 50, release: 150, max: 30, exhausted: true }, 10, 8, 9],
    // TestPoolIncreasePastNodeLimit: 16 + 16 capped at the node limit
    ['past node limit', { batch: 16, request: 50, release: 150, max: 30 }, 16, 9, 30],
    // TestPoolIncreaseBatchSizeGreaterThanMaxPodIPCount: batch 50 clamped to max 30
    ['batch above max', { batch: 50, request: 50, release: 150, max: 30 }, 16, 16, 30],
  ] as const)('TestPoolSizeIncrease %s: %o, %i held, %i assigned → requests %i', (_name, t, allocated, assigned, want) => {
    expect(allocated + v1(t).step(allocated, assigned, 0)).toBe(want);
  });

  it.each([
    // TestPoolDecrease
    ['typ', { batch: 10, request: 50, release: 150, max: 30 }, 20, 5, 10, 10],
    ['odd batch', { batch: 3, request: 50, release: 150, max: 30 }, 21, 15, 18, 3],
    ['exhausted', { batch: 10, request: 50, release: 150, max: 30, exhausted: true }, 20, 15, 16, 4],
    // TestDecreaseAfterNodeLimitReached: from the cap (30) to the lower multiple of 16
    ['after node limit', { batch: 16, request: 50, release: 150, max: 30 }, 30, 5, 16, 14],
    // TestPoolSizeDecreaseToReallyLow: two batches, one per step (its release 100 % is what CNS's clampScaler
    // raises to request + 100 % = 130 %; cnisim refuses the lower value instead of raising it)
    ['to really low', { batch: 10, request: 30, release: 130, max: 30 }, 30, 3, 10, 20],
    // TestPoolDecreaseBatchSizeGreaterThanMaxPodIPCount: batch 31 clamped to 30; 29 free < maxFree 45 keeps all
    ['batch above max', { batch: 31, request: 50, release: 150, max: 30 }, 30, 1, 30, 0],
  ] as const)('TestPoolDecrease %s: %o, %i held, %i assigned → %i, %i released', (_name, t, allocated, assigned, want, released) => {
    expect(settle(v1(t), allocated, assigned)).toEqual({ requested: want, released });
  });

  it('TestDecreaseAndIncreaseToSameCount: 10 held, 7 assigned → 20; all released → 10; 7 again → 20', () => {
    const s = v1({ batch: 10, request: 50, release: 150, max: 30 });
    expect(10 + s.step(10, 7, 0)).toBe(20);
    expect(20 + s.step(20, 0, 0)).toBe(10);
    expect(10 + s.step(10, 7, 0)).toBe(20);
  });

  it('the 17 → 32 and 37 → 32 of issue 13 (a node leaving batch 1, a release)', () => {
    const s = v1({ batch: 16, request: 50, release: 150, max: 250 });
    expect(17 + s.step(17, 12, 0)).toBe(32); // 5 free < 8
    expect(37 + s.step(37, 5, 0)).toBe(32); // 32 free ≥ 24: down to the lower multiple
    expect(32 + s.step(32, 5, 0)).toBe(16); // 27 free ≥ 24: one batch
  });

  it('TestCalculateIPs: minFree and maxFree round half up', () => {
    const free = (batch: number, request: number, release: number) => {
      const s = v1({ batch, request, release, max: 250 });
      return [s.minFree, s.maxFree];
    };
    expect(free(16, 50, 150)).toEqual([8, 24]);
    expect(free(16, 100, 200)).toEqual([16, 32]);
    expect(free(3, 50, 150)).toEqual([2, 5]);
    expect(free(1, 50, 150)).toEqual([1, 2]);
  });

  it('waiting pods hold nothing: only assigned pods count; with minFree 0 v1 never grows', () => {
    const s = v1({ batch: 16, request: 50, release: 150, max: 250 });
    expect(s.step(16, 16, 40)).toBe(16); // one batch, however many wait
    const zero = v1({ batch: 16, request: 0, release: 100, max: 250 });
    expect(zero.step(16, 16, 40)).toBe(0);
  });
});

describe('v2 [cns v2/math_test.go]', () => {
  function v2(batch: number, buffer: number, max = 250): Scaler {
    return scalerOf(dynamicParams.parse({ monitor: 'v2', batchSize: batch, minFreeFraction: buffer, maxFreeFraction: buffer + 1, maxIPCount: max }), 250, false);
  }

  it.each([
    ['base case', 0, 16, 0.5, 16],
    ['1/2 demand', 8, 16, 0.5, 16],
    ['1x demand', 16, 16, 0.5, 32],
    ['2x demand', 32, 16, 0.5, 48],
    ['3x demand', 48, 16, 0.5, 64],
    ['batch of one', 10, 1, 0.5, 11],
    ['zero buffer', 10, 16, 0, 16],
    ['zero buffer batch of one', 13, 1, 0, 13],
  ] as const)('TestCalculateTargetIPCount %s: demand %i, batch %i, buffer %d → %i', (_name, demand, batch, buffer, want) => {
    // From nothing held, the step is the target.
    expect(v2(batch, buffer).step(0, 0, demand)).toBe(want);
  });

  it.each([
    ['base case', 0, 16, 0.5, 100, 16],
    ['clamp to max', 500, 16, 0.5, 250, 250],
  ] as const)('TestCalculateTargetIPCountOrMax %s: demand %i → %i', (_name, demand, batch, buffer, max, want) => {
    expect(v2(batch, buffer, max).step(0, 0, demand)).toBe(want);
  });

  it('caps at 250 whatever maxIPCount says, and releases down to the target', () => {
    expect(v2(16, 0.5, 1000).max).toBe(250);
    expect(v2(16, 0.5).step(48, 8, 0)).toBe(-32); // 8 pods: target 16
  });
});

describe('maxIPCount [cns PR 843]', () => {
  it('defaults to the pool\'s max-pods: a node of max-pods 30 with 30 pods holds 30; 250 lets it hold 48', () => {
    expect(heldFor(30, scalerOf(dynamicParams.parse({}), 30, false))).toBe(30);
    expect(heldFor(30, scalerOf(dynamicParams.parse({ maxIPCount: 250 }), 30, false))).toBe(48);
    expect(heldFor(25, scalerOf(dynamicParams.parse({ monitor: 'v2' }), 110, false))).toBe(48);
  });

  it.each([
    [{ maxIPCount: 0 }, /maxIPCount.*0 is not a per-node address cap/s],
    [{ maxIPCount: 2.5 }, /maxIPCount.*2\.5 is not a per-node address cap/s],
    [{ perNodeCap: 250 }, /perNodeCap was renamed maxIPCount/],
    [{ clusterPodLimit: 65000 }, /clusterPodLimit is gone.*network\.vnetIpLimit/],
    [{ exhaustionPollInterval: 0 }, /exhaustionPollInterval.*too short/s],
    [{ minFreeFraction: 0.5, maxFreeFraction: 1.2 }, /maxFreeFraction must be at least minFreeFraction \+ 1/],
  ])('refuses %o with a message naming the field', (params, message) => {
    const r = dynamicParams.safeParse(params);
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error!.issues.map((i) => [i.path.join('.'), i.message]))).toMatch(message);
  });
});
