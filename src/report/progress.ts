/**
 * A progress bar on a terminal (cli-progress): the fraction done over all modes, the mode running, the time
 * elapsed and the estimated time left (from the rate so far). Silent when not a terminal or with --quiet.
 */
import cliProgress from 'cli-progress';

/** The bar's line: `████░░ 40% | dynamic | 12s elapsed, ETA 18s`. */
export const PROGRESS_FORMAT = ' {bar} {percentage}% | {mode} | {duration_formatted} elapsed, ETA {eta_formatted}';

export class Progress {
  private readonly bar: cliProgress.SingleBar | null;
  private started = false;

  /** `stream`: where the bar is drawn (a terminal; stderr by default). */
  constructor(enabled: boolean, stream: NodeJS.WritableStream = process.stderr) {
    this.bar = enabled
      ? new cliProgress.SingleBar({ format: PROGRESS_FORMAT, etaBuffer: 50, hideCursor: true, clearOnComplete: true, stream }, cliProgress.Presets.shades_classic)
      : null;
  }

  update(fraction: number, mode: string): void {
    if (!this.bar) return;
    if (!this.started) {
      this.bar.start(1000, 0, { mode });
      this.started = true;
    }
    this.bar.update(Math.round(fraction * 1000), { mode });
  }

  stop(): void {
    if (this.bar && this.started) this.bar.stop();
    this.started = false;
  }
}
