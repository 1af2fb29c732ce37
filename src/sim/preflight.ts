/**
 * What `run` would refuse, found before anything runs (and by `validate`): every cluster's allocator is built once
 * per mode of the run against the run's shared spaces, so a mode's own limits (a pod range smaller than a node's
 * range, kube-controller-manager's IPv6 mask rule, a subnet two modes may not share…) are reported as problems of
 * the scenario file, with its name, like every other rule. Cost: one allocator construction per cluster and mode
 * (pools are allocated, nothing is simulated).
 */
import { createAllocator } from '../alloc/registry.js';
import { RunSpaces } from '../alloc/spaces.js';
import type { AllocatorHost } from '../alloc/types.js';
import { CnisimError, type Problem } from '../errors.js';
import { scenarioError, type Scenario } from '../scenario/index.js';
import { clusterSpecOf } from './setup.js';

/** A host for allocators that are built and never run: timers are defined but never fire. */
function dryHost(): AllocatorHost {
  let kinds = 0;
  return {
    clock: { now: 0, define: () => kinds++, schedule: () => -1, cancel: () => false },
    granted: () => {},
    record: () => {},
  };
}

/** Throws the scenario's input error listing every cluster and mode whose allocator refuses its settings. */
export function preflight(s: Scenario, modes: readonly string[] = s.modes): void {
  const problems: Problem[] = [];
  for (const mode of modes) {
    const spaces = new RunSpaces();
    s.clusters.forEach((cs, ci) => {
      try {
        const { mode: m, spec } = clusterSpecOf(cs, mode, s.parameters);
        createAllocator(m, { host: dryHost(), spaces, cluster: spec, params: s.parameters[m] });
      } catch (e) {
        if (!(e instanceof CnisimError) || e.code !== 'input') throw e;
        problems.push({ path: s.clusters.length > 1 ? `clusters[${ci}]` : 'nodePools', message: `under ${mode}: ${e.message}` });
      }
    });
  }
  if (problems.length > 0) throw scenarioError(s.file, problems);
}
