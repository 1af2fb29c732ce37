/**
 * The pool monitor's rule, once: what a node's monitor asks for next, given what it holds and what its pods need.
 * The allocator (its ticks, its v2 reconciles and its "is there something to do" check) and the planner both call
 * `step`; CNS's own unit-test tables check it (test/alloc/dynamic-monitor.test.ts).
 *
 *   v1 [cns cns/ipampool/monitor.go reconcile, increasePoolSize, decreasePoolSize]:
 *     grow   when requested − assigned < minFree, unless requested is already at max:
 *            requested += batch − requested mod batch, then capped at max (17 → 32 with batch 16);
 *     shrink when free ≥ maxFree: to the lower multiple of the batch (37 → 32; 32 → 16).
 *   v2 [cns cns/ipampool/v2/monitor.go calculateTargetIPCountOrMax]:
 *     target = batch · ceil(buffer + demand / batch), capped at max; the step is target − requested.
 * Pods still waiting for an address hold nothing: v1 counts assigned pods only; v2's demand counts every pod that
 * needs an address. `requested` is what the node holds for pods (its primary not counted), with nothing in flight.
 * O(1), allocation-free.
 */
import { V2_MAX_IPS, type DynamicParams } from './info.js';

/** One scaler (a pool's batch, thresholds and cap, or their batch-1 form under exhaustion). Monomorphic. */
export class Scaler {
  readonly v2: boolean;
  readonly batch: number;
  readonly minFree: number;
  readonly maxFree: number;
  readonly buffer: number;
  readonly max: number;

  constructor(v2: boolean, batch: number, minFree: number, maxFree: number, buffer: number, max: number) {
    this.v2 = v2;
    this.batch = batch;
    this.minFree = minFree;
    this.maxFree = maxFree;
    this.buffer = buffer;
    this.max = max;
  }

  /**
   * The node's next move: > 0 ask for that many more addresses, < 0 release that many of its free ones, 0 nothing.
   * `requested` = free + assigned (nothing in flight, nothing pending release).
   */
  step(requested: number, assigned: number, waiting: number): number {
    const free = requested - assigned;
    if (this.v2) {
      const b = this.batch;
      const target = Math.min(b * Math.ceil(this.buffer + (assigned + waiting) / b), this.max);
      if (target > requested) return target - requested;
      if (target < requested) return -Math.min(requested - target, free);
      return 0;
    }
    if (free < this.minFree) {
      if (requested >= this.max) return 0;
      const b = this.batch;
      return Math.min(requested + b - (requested % b), this.max) - requested;
    }
    if (free >= this.maxFree) {
      const b = this.batch;
      const mod = requested % b;
      return -Math.min(mod !== 0 ? mod : b, free);
    }
    return 0;
  }

  /** What a node holds for pods when it starts: one batch [podsubnet-doc: "a node asks for 16 when it starts"]. */
  first(): number {
    return Math.min(this.batch, this.max);
  }
}

/** The per-node cap of a pool of `maxPods` under `p` [cns: MaxIPCount, the node limit (PR 843); v2 ≤ 250]. */
export function maxIpsOf(p: DynamicParams, maxPods: number): number {
  const max = p.maxIPCount === 'max-pods' ? maxPods : p.maxIPCount;
  return p.monitor === 'v2' ? Math.min(max, V2_MAX_IPS) : max;
}

/** round half up, as CNS's CalculateMinFreeIPs / CalculateMaxFreeIPs: int64(x + .5). */
function roundHalfUp(x: number): number {
  return Math.floor(x + 0.5);
}

/**
 * The scaler of a pool of `maxPods` under `p`, normal or under subnet exhaustion [cns clampScaler: batch ≤ max;
 * exhausted: batch 1, minFree 1, maxFree 2 (v1), buffer 1 (v2)].
 */
export function scalerOf(p: DynamicParams, maxPods: number, exhausted: boolean): Scaler {
  const max = maxIpsOf(p, maxPods);
  const v2 = p.monitor === 'v2';
  if (exhausted) return new Scaler(v2, 1, 1, 2, 1, max);
  const batch = Math.min(p.batchSize, max);
  return new Scaler(v2, batch, roundHalfUp(batch * p.minFreeFraction), roundHalfUp(batch * p.maxFreeFraction), p.minFreeFraction, max);
}

/**
 * Pod addresses a node settles on, at most, while it runs `pods` pods from a fresh start (its primary not counted):
 * the scaler's steps applied until it has nothing to do, each with every address it holds given to a pod. O(steps).
 */
export function heldFor(pods: number, s: Scaler): number {
  let held = s.first();
  let peak = held;
  for (let i = 0; i < 100_000; i++) {
    const assigned = Math.min(pods, held);
    const d = s.step(held, assigned, pods - assigned);
    if (d === 0) break;
    held += d;
    if (held > peak) peak = held;
  }
  return peak;
}
