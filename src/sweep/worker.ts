/** The tinypool worker of `cnisim sweep`: runs one task (see task.ts) per call. */
import { runTask, type SweepTask, type TaskResult } from './task.js';

export default function work(task: SweepTask): Promise<TaskResult> {
  return runTask(task);
}
