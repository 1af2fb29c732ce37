/**
 * One run of a sweep: a combination's raw scenario under one mode and one seed. Shared by the in-process
 * (serial) path and the worker threads, so both compute exactly the same rows. Cost: one validation and one
 * simulation of one mode.
 */
import { validateScenario } from '../scenario/index.js';
import { simulate } from '../sim/run.js';
import type { SummaryRow } from '../sim/metrics.js';

export interface SweepTask {
  /** Position in the sweep's task list (combination-major, then mode, then seed). */
  readonly index: number;
  readonly file: string;
  /** The combination's raw scenario with `seed` set. */
  readonly raw: unknown;
  readonly mode: string;
}

export interface TaskResult {
  readonly index: number;
  readonly summary: SummaryRow[];
}

export async function runTask(task: SweepTask): Promise<TaskResult> {
  const scenario = validateScenario(task.raw, task.file);
  const result = await simulate(scenario, { modes: [task.mode] });
  return { index: task.index, summary: result.summary.map((r) => ({ ...r })) };
}
