/**
 * The cluster autoscaler of each pool that has one: every 10 s it adds the nodes that waiting pods need (after the
 * pool's provisioning delay, up to maxCount), or, when no pod waits, forgets scale-ups that never came and removes
 * nodes idle for the scale-down delay (down to minCount): nodes with no pods but daemonset pods, which, as in
 * cluster-autoscaler, do not keep a node. A tick costs O(nodes holding at most one pod per daemonset of the pool).
 */
import { notePeakUnschedulable } from './measure.js';
import { AUTOSCALER_INTERVAL_MS } from './setup.js';
import type { World } from './world.js';


export class Autoscaler {
  private readonly world: World;
  private readonly K_TICK: number;

  constructor(world: World, wrap: (h: (arg: number) => void) => (arg: number) => void) {
    this.world = world;
    this.K_TICK = world.engine.define(wrap((gp) => this.tick(gp)));
  }

  start(): void {
    for (const pool of this.world.pools) if (pool.spec.autoscaler) this.world.engine.post(AUTOSCALER_INTERVAL_MS, this.K_TICK, pool.gp);
  }

  private tick(gp: number): void {
    const w = this.world;
    const pool = w.pools[gp]!;
    const as = pool.spec.autoscaler!;
    notePeakUnschedulable(w, pool);
    if (pool.enabled && pool.queued > 0) {
      // Scale up by the nodes the waiting pods need (a new node also runs one pod per daemonset), beyond those
      // already booting for the pool (an upgrade's surge nodes replace old ones: they add no room).
      const room = Math.max(1, pool.maxPods - pool.daemonsets.length);
      const need = Math.ceil(pool.queued / room) - (pool.booting - w.lifecycle.surgeBooting(pool));
      if (need > 0 && pool.desired < as.maxCount) {
        // The pool's own nodes (an upgrade's surge and draining nodes are on top of `desired`) plus the need.
        pool.desired = Math.min(as.maxCount, Math.max(pool.desired, pool.active + pool.booting - w.lifecycle.extra(pool) + need));
        w.reconcile(pool, as.provisionDelayMs);
      }
    } else if (pool.enabled) {
      // No pod waits: forget scale-ups that never came (refused nodes), then remove nodes idle long enough.
      if (pool.desired > pool.active + pool.booting) pool.desired = Math.max(as.minCount, pool.active + pool.booting);
      const now = w.engine.now;
      // Idle nodes hold no pods but daemonset pods, so at most one per daemonset of the pool.
      const idle: number[] = [];
      for (let c = 0; c <= Math.min(pool.daemonsets.length, pool.maxPods); c++) {
        for (const n of pool.buckets.nodesIn(c)) if (w.nodes.isIdle(n)) idle.push(n);
      }
      for (const n of idle) {
        if (pool.desired <= as.minCount) break;
        if (pool.buckets.has(n) && w.nodes.isIdle(n) && now - w.nodes.idleSince[n]! >= as.scaleDownDelayMs) {
          pool.desired--;
          w.removeNode(n);
        }
      }
    }
    w.engine.post(AUTOSCALER_INTERVAL_MS, this.K_TICK, gp);
  }
}
