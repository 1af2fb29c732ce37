/**
 * The scenario's timeline on top of the world: deployments (deploy, scale, delete), daemonsets, Poisson churn and
 * hand-set node counts. Lifecycle entries (upgrade, migrate, …) are passed on to the Lifecycle.
 * Costs: a deployment change O(replicas changed); a churn arrival or departure O(1) plus the world's placement.
 */
import type { Stream } from '../rng.js';
import type { WorkloadEvent } from '../scenario/index.js';
import { IntList } from './structs.js';
import { POD_SHIFT, P_SLOT, P_STATE, P_QUEUED } from './tables.js';
import type { World } from './world.js';

interface Deployment {
  readonly gp: number;
  readonly pods: IntList;
}

interface Churn {
  readonly gp: number;
  readonly toMs: number;
  readonly meanGapMs: number;
  readonly lifetimeMs: number;
  readonly arrivals: Stream;
  readonly lifetimes: Stream;
}

export class Workload {
  private readonly world: World;
  private readonly timeline: { readonly cluster: number; readonly event: WorkloadEvent }[];
  private readonly deployments: Deployment[];
  /** Per cluster: deployment name → index. */
  private readonly byName: Map<string, number>[];
  private readonly churns: Churn[];
  private readonly K_WORKLOAD: number;
  private readonly K_CHURN: number;
  private readonly K_DEPART: number;

  constructor(world: World, wrap: (h: (arg: number) => void) => (arg: number) => void) {
    this.world = world;
    this.timeline = [];
    this.deployments = [];
    this.byName = world.scenario.clusters.map(() => new Map<string, number>());
    this.churns = [];
    world.scenario.clusters.forEach((cs, cluster) => {
      for (const event of cs.workload) this.timeline.push({ cluster, event });
    });
    this.K_WORKLOAD = world.engine.define(wrap((i) => this.onWorkload(i)));
    this.K_CHURN = world.engine.define(wrap((i) => this.onArrival(i)));
    // Only churn pods (owner −1, in no deployment list) get a departure event.
    this.K_DEPART = world.engine.define(wrap((p) => world.deleteUnowned(p)));
    // A departure's pod record is a random line of a table of up to tens of MB: read ahead when its bucket opens.
    world.engine.warm(this.K_DEPART, POD_SHIFT, () => world.pods.f);
  }

  /** Schedules every timeline entry at its time. */
  start(): void {
    this.timeline.forEach((t, i) => this.world.engine.postAt(t.event.atMs, this.K_WORKLOAD, i));
  }

  private onWorkload(i: number): void {
    const w = this.world;
    const { cluster: ci, event: e } = this.timeline[i]!;
    const cluster = w.clusters[ci]!;
    const names = this.byName[ci]!;
    switch (e.type) {
      case 'deploy': {
        const pool = w.poolOf(ci, e.pool);
        const index = this.deployments.push({ gp: pool.gp, pods: new IntList(Math.min(e.replicas, 1 << 20) || 16) }) - 1;
        names.set(e.name, index);
        this.scaleTo(index, e.replicas);
        break;
      }
      case 'scale': {
        const index = names.get(e.name);
        if (index !== undefined) this.scaleTo(index, e.replicas);
        break;
      }
      case 'delete': {
        const index = names.get(e.name);
        if (index !== undefined) {
          this.scaleTo(index, 0);
          names.delete(e.name);
        }
        break;
      }
      case 'daemonset': {
        const targets = e.pool === null ? cluster.pools.map((gp) => w.pools[gp]!) : [w.poolOf(ci, e.pool)];
        for (const pool of targets) {
          const ds = pool.daemonsets.length + pool.gp * 1024;
          pool.daemonsets.push(ds);
          // Every ready node once (a snapshot: a placed pod moves its node to the next count).
          const ready: number[] = [];
          for (let b = 0; b <= pool.maxPods; b++) ready.push(...pool.buckets.nodesIn(b));
          for (const n of ready) w.placeDaemonPod(pool, ds, n);
        }
        break;
      }
      case 'churn': {
        const pool = w.poolOf(ci, e.pool);
        const name = `churn/${cluster.spec.name}/${i}`;
        const index = this.churns.push({
          gp: pool.gp, toMs: e.toMs, meanGapMs: 1000 / e.ratePerSecond, lifetimeMs: e.lifetimeMs,
          arrivals: w.rng.stream(`${name}/arrivals`), lifetimes: w.rng.stream(`${name}/lifetimes`),
        }) - 1;
        this.nextArrival(index);
        break;
      }
      case 'nodes': {
        const pool = w.poolOf(ci, e.pool);
        pool.desired = e.count;
        w.reconcile(pool, pool.spec.bootDelayMs);
        break;
      }
      default:
        w.lifecycle.onEvent(ci, e);
    }
    const c = cluster.counters;
    if (c.podsUnschedulable > c.maxUnschedulable) c.maxUnschedulable = c.podsUnschedulable;
  }

  /** Creates or deletes (newest first) pods of deployment `index` until it has `replicas`. */
  private scaleTo(index: number, replicas: number): void {
    const w = this.world;
    const d = this.deployments[index]!;
    const pool = w.pools[d.gp]!;
    const pods = w.pods;
    if (replicas > d.pods.length) pods.reserve(replicas - d.pods.length);
    while (d.pods.length < replicas) {
      const p = pods.alloc(pool.gp, index);
      // alloc may have grown the table: read `f` after it.
      const f = pods.f;
      f[(p << POD_SHIFT) + P_SLOT] = d.pods.push(p);
      f[(p << POD_SHIFT) + P_STATE] = P_QUEUED;
      pool.queue.push(p);
      pool.queued++;
      pool.counters.podsUnschedulable++;
    }
    while (d.pods.length > replicas) w.deletePod(d.pods.items[d.pods.length - 1]!);
    w.drain(pool);
  }

  /** Forgets a deleted pod of deployment `owner` (swap-remove from its list). O(1). */
  dropFromDeployment(p: number, owner: number): void {
    const f = this.world.pods.f;
    const list = this.deployments[owner]!.pods;
    const s = f[(p << POD_SHIFT) + P_SLOT]!;
    const last = list.pop();
    if (last !== p) {
      list.items[s] = last;
      f[(last << POD_SHIFT) + P_SLOT] = s;
    }
  }

  private nextArrival(index: number): void {
    const ch = this.churns[index]!;
    const engine = this.world.engine;
    const gap = ch.arrivals.exponentialRounded(ch.meanGapMs);
    if (engine.now + gap < ch.toMs) engine.post(gap, this.K_CHURN, index);
  }

  private onArrival(index: number): void {
    const w = this.world;
    const ch = this.churns[index]!;
    const p = w.createPod(w.pools[ch.gp]!, -1);
    const life = ch.lifetimes.exponentialRounded(ch.lifetimeMs);
    // A pod that outlives the run needs no departure event (the draw is made either way, for determinism).
    if (w.engine.now + life <= w.scenario.durationMs) w.engine.post(life, this.K_DEPART, p);
    this.nextArrival(index);
  }
}
