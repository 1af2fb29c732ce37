/**
 * What the world asks of its controllers, as interfaces: the world (world.ts) calls these and imports no
 * controller; the controllers (lifecycle.ts, workload.ts, autoscaler.ts, check.ts) import the world and implement
 * them; assemble.ts wires the two. So the dependencies run one way: controllers → world → hooks.
 */
import type { WorkloadEvent } from '../scenario/index.js';
import type { PoolState } from './setup.js';

/** Wraps an event handler (the --check invariant checks run after each). */
export type Wrap = (h: (arg: number) => void) => (arg: number) => void;

/** Upgrades, migrations, pod CIDR expansion and pools added or removed (lifecycle.ts). */
export interface LifecycleHooks {
  /** Nodes the pool may have above its desired count (an upgrade's surge and draining nodes). */
  extra(pool: PoolState): number;
  /** Booting surge nodes of the pool's upgrade. */
  surgeBooting(pool: PoolState): number;
  onEvent(ci: number, e: WorkloadEvent): void;
  nodeJoined(pool: PoolState, node: number): void;
  nodeRemoved(pool: PoolState, node: number, gen: number): void;
  nodeRefused(pool: PoolState, surgeNode: boolean): void;
  retry(pool: PoolState): void;
}

/** The timeline's deployments, daemonsets and churn (workload.ts). */
export interface WorkloadHooks {
  start(): void;
  /** Whether the owner's pods use the host network (no pod address). */
  hostNetwork(owner: number): boolean;
  dropFromDeployment(p: number, owner: number): void;
}

export interface AutoscalerHooks {
  start(): void;
}

export interface Controllers {
  readonly lifecycle: LifecycleHooks;
  readonly workload: WorkloadHooks;
  readonly autoscaler: AutoscalerHooks;
}
