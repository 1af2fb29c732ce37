/**
 * cnisim as a library: load a scenario, simulate it, get the rows the CSV files hold.
 *
 *   import { loadScenario, simulate } from 'cnisim';
 *   const result = await simulate(loadScenario('scenarios/aks-modes.yaml'));
 */
export { simulate, type SimulateOptions, type SimulationResult } from './sim/run.js';
export type { TimeseriesRow, SummaryRow, EventRow } from './sim/metrics.js';
export { loadScenario, parseScenario, validateScenario, type Scenario } from './scenario/index.js';
export { MODE_INFOS, MODE_NAMES } from './alloc/registry.js';
export { CnisimError, type Problem } from './errors.js';
export { resultFiles, toCsv, TIMESERIES_COLUMNS, SUMMARY_COLUMNS, EVENT_COLUMNS } from './report/csv.js';
