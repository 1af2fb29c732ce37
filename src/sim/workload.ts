/**
 * The scenario's timeline on top of the world: deployments (deploy, scale, delete), daemonsets, Poisson churn and
 * hand-set node counts. Lifecycle entries (upgrade, migrate, …) are passed on to the Lifecycle.
 * Deployments and daemonsets marked hostNetwork keep a flag per owner (`hostNetwork(owner)`, O(1)): the world places
 * their pods and counts them against max-pods but never asks the allocator for their address.
 * Costs: a deployment change O(replicas changed); a churn arrival or departure O(1) plus the world's placement.
 */
import type { Stream } from '../rng.js';
import type { WorkloadEvent } from '../scenario/index.js';
import { IntList } from './structs.js';
import { notePeakUnschedulable } from './measure.js';
import { daemonsetOwner, isDaemonsetOwner, OWNER_CHURN, POD_SHIFT, P_OWNER, P_QUEUED, P_RUNNING, P_SLOT, P_STATE, P_WAITING } from './tables.js';
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
  /** Per cluster: daemonset name → its ids, one per pool it runs on (a pod of id ds has owner −2 − ds). */
  private readonly daemonsetsByName: Map<string, { readonly gp: number; readonly ds: number }[]>[];
  /** The next daemonset id (ids are never reused, so a deleted daemonset's pods cannot be mistaken for a new one's). */
  private nextDaemonset: number;
  /** Per deployment index: 1 when its pods use the host network. */
  private hostDeploy: Uint8Array;
  /** Per daemonset id: 1 when its pods use the host network. */
  private hostDaemon: Uint8Array;
  private readonly churns: Churn[];
  private readonly K_WORKLOAD: number;
  private readonly K_CHURN: number;
  private readonly K_DEPART: number;

  constructor(world: World, wrap: (h: (arg: number) => void) => (arg: number) => void) {
    this.world = world;
    this.timeline = [];
    this.deployments = [];
    this.byName = world.scenario.clusters.map(() => new Map<string, number>());
    this.daemonsetsByName = world.scenario.clusters.map(() => new Map<string, { gp: number; ds: number }[]>());
    this.nextDaemonset = 0;
    this.hostDeploy = new Uint8Array(16);
    this.hostDaemon = new Uint8Array(16);
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
        this.hostDeploy = setFlag(this.hostDeploy, index, e.hostNetwork === true);
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
        const ds = this.daemonsetsByName[ci]!.get(e.name);
        if (ds !== undefined) {
          this.deleteDaemonset(ds);
          this.daemonsetsByName[ci]!.delete(e.name);
        }
        break;
      }
      case 'daemonset': {
        const targets = e.pool === null ? cluster.pools.map((gp) => w.pools[gp]!) : [w.poolOf(ci, e.pool)];
        const ids: { gp: number; ds: number }[] = [];
        this.daemonsetsByName[ci]!.set(e.name, ids);
        for (const pool of targets) {
          const ds = this.nextDaemonset++;
          ids.push({ gp: pool.gp, ds });
          this.hostDaemon = setFlag(this.hostDaemon, ds, e.hostNetwork === true);
          pool.daemonsets.push(ds);
          // Every ready node once (a snapshot: a placed pod moves its node to the next count).
          const ready: number[] = [];
          for (let b = 0; b <= pool.maxPods; b++) for (const n of pool.buckets.nodesIn(b)) ready.push(n);
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
    for (const gp of cluster.pools) notePeakUnschedulable(w, w.pools[gp]!);
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
      pool.own.podsUnschedulable++;
    }
    if (d.pods.length > replicas) for (const p of this.victims(d.pods, d.pods.length - replicas)) w.deletePod(p);
    w.drain(pool);
  }

  /**
   * The `k` pods a scale-down deletes, as the ReplicaSet controller ranks them: pods not yet on a node first, then
   * pods still waiting for their address, then running ones; newest first within each. O(replicas).
   */
  private victims(list: IntList, k: number): number[] {
    const f = this.world.pods.f;
    const out: number[] = [];
    for (const want of [P_QUEUED, P_WAITING, P_RUNNING]) {
      for (let i = list.length - 1; i >= 0 && out.length < k; i--) {
        const p = list.items[i]!;
        if (f[(p << POD_SHIFT) + P_STATE] === want) out.push(p);
      }
    }
    return out;
  }

  /**
   * Deletes a daemonset: nodes that join from now on get none of its pods, and its pods (all bound: a daemonset's pod
   * is never queued) are deleted, found by one pass over the pod table: O(pod ids), once per deleted daemonset.
   */
  private deleteDaemonset(ids: readonly { readonly gp: number; readonly ds: number }[]): void {
    const w = this.world;
    const owners = new Set<number>();
    for (const { gp, ds } of ids) {
      const list = w.pools[gp]!.daemonsets;
      list.splice(list.indexOf(ds), 1);
      owners.add(daemonsetOwner(ds));
    }
    const pods = w.pods;
    for (let p = 0; p < pods.top; p++) {
      const b = p << POD_SHIFT;
      const st = pods.f[b + P_STATE];
      if ((st === P_RUNNING || st === P_WAITING) && owners.has(pods.f[b + P_OWNER]!)) w.deleteUnowned(p);
    }
  }

  /** Whether pods of `owner` (a pod record's P_OWNER: a deployment, a daemonset or churn) use the host network. O(1). */
  hostNetwork(owner: number): boolean {
    if (owner >= 0) return this.hostDeploy[owner] === 1;
    // daemonsetOwner(ds) = −2 − ds, so ds = daemonsetOwner(owner) as well.
    return isDaemonsetOwner(owner) && this.hostDaemon[daemonsetOwner(owner)] === 1;
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
    const p = w.createPod(w.pools[ch.gp]!, OWNER_CHURN);
    const life = ch.lifetimes.exponentialRounded(ch.lifetimeMs);
    // A pod that outlives the run needs no departure event (the draw is made either way, for determinism).
    if (w.engine.now + life <= w.scenario.durationMs) w.engine.post(life, this.K_DEPART, p);
    this.nextArrival(index);
  }
}

/** Sets flags[i] (growing the array by doubling); returns the array, which may be a new one. */
function setFlag(flags: Uint8Array, i: number, on: boolean): Uint8Array {
  let out = flags;
  if (i >= out.length) {
    out = new Uint8Array(Math.max(i + 1, out.length * 2));
    out.set(flags);
  }
  out[i] = on ? 1 : 0;
  return out;
}
