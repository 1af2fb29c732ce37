/** Puts a world together with its controllers and, for --check, its checker: the one place that knows all of them. */
import type { Scenario } from '../scenario/index.js';
import { Autoscaler } from './autoscaler.js';
import { checkerFor } from './check.js';
import { Lifecycle } from './lifecycle.js';
import { Workload } from './workload.js';
import { World } from './world.js';

export interface WorldOptions {
  /** Verify the allocator contract after every event (slow). */
  readonly check?: boolean;
}

export function createWorld(scenario: Scenario, mode: string, opts: WorldOptions = {}): World {
  return new World(scenario, mode, {
    controllers: (w, wrap) => ({ lifecycle: new Lifecycle(w, wrap), workload: new Workload(w, wrap), autoscaler: new Autoscaler(w, wrap) }),
    checker: opts.check ? checkerFor : null,
  });
}
