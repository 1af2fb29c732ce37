/** A progress bar on a terminal (cli-progress); silent when not a terminal or with --quiet. */
import cliProgress from 'cli-progress';

export class Progress {
  private readonly bar: cliProgress.SingleBar | null;
  private started = false;

  constructor(enabled: boolean) {
    this.bar = enabled
      ? new cliProgress.SingleBar({ format: ' {bar} {percentage}% | {mode}', hideCursor: true, clearOnComplete: true, stream: process.stderr }, cliProgress.Presets.shades_classic)
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
