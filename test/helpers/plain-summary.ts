/**
 * A vitest reporter that ends the run with one plain line, `Tests: N passed, N failed[, N skipped]`, so tools that
 * read a test run's closing line (CI) see the counts without parsing vitest's own coloured summary.
 */
import type { Reporter } from 'vitest/reporters';

interface TaskLike {
  type: string;
  mode?: string;
  result?: { state?: string };
  tasks?: TaskLike[];
}

function count(tasks: readonly TaskLike[], into: { passed: number; failed: number; skipped: number }): void {
  for (const t of tasks) {
    if (t.tasks) count(t.tasks, into);
    if (t.type !== 'test') continue;
    const state = t.result?.state;
    if (state === 'pass') into.passed++;
    else if (state === 'fail') into.failed++;
    else if (t.mode === 'skip' || t.mode === 'todo' || state === 'skip') into.skipped++;
  }
}

export default class PlainSummary implements Reporter {
  onFinished(files: readonly TaskLike[] = [], errors: readonly unknown[] = []): void {
    const c = { passed: 0, failed: 0, skipped: 0 };
    count(files, c);
    const failed = c.failed + (errors.length > 0 && c.failed === 0 ? errors.length : 0);
    process.stdout.write(`\nTests: ${c.passed} passed, ${failed} failed${c.skipped ? `, ${c.skipped} skipped` : ''}\n`);
  }
}
