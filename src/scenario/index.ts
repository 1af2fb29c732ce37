/**
 * Scenario files: reading (YAML or JSON), the schema with its defaults, and validation at the front door.
 * Everything a run needs comes out of `loadScenario` typed, defaulted and checked; every problem of a bad file is
 * reported at once in one CnisimError('input') whose `problems` carry paths like `nodePools[1].maxPods`.
 */
import { readScenarioFile, parseText } from './read.js';
import { validateScenario } from './validate.js';
import type { Scenario } from './types.js';

export type { Scenario, Network, ClusterScenario, PoolScenario, Autoscaler, WorkloadEvent, WorkloadEventType } from './types.js';
export { validateScenario } from './validate.js';
export { clusterModes, effectiveMode } from './output.js';
export {
  DEFAULT_SAMPLE_EVERY_MS,
  DEFAULT_NODE_SUBNET,
  DEFAULT_POD_CIDR,
  DEFAULT_POD_CIDR6,
  DEFAULT_SERVICE_CIDR,
  DEFAULT_SERVICE_CIDR6,
  DEFAULT_NODE_COUNT,
  DEFAULT_PROVISION_DELAY_MS,
  DEFAULT_SCALE_DOWN_DELAY_MS,
  DEFAULT_BOOT_DELAY_MS,
  DEFAULT_MAX_SURGE,
  DEFAULT_DRAIN_MS,
  DEFAULT_UPGRADE_BOOT_MS,
  migratingTo,
  migrationTargets,
} from './drafts.js';
export { MAX_NODES, MAX_REPLICAS, MAX_DURATION_MS, MAX_SAMPLES, MAX_POOLS, MAX_CLUSTERS, MAX_EVENTS, NAME_MAX } from './schema.js';
export { MAX_FILE_BYTES, MAX_ALIAS_COUNT, MAX_DEPTH } from './read.js';
export { formatProblems, scenarioError } from './problems.js';

/** Reads, parses and validates a scenario file (YAML or JSON). Throws CnisimError('input', …, { file, problems }). */
export function loadScenario(path: string): Scenario {
  return validateScenario(readScenarioFile(path), path);
}

/** Parses and validates scenario text (YAML or JSON); `file` names it in messages and defaults the scenario name. */
export function parseScenario(text: string, file: string): Scenario {
  return validateScenario(parseText(text, file), file);
}
