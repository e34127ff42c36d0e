// Console output for `model-studio train` without --json: on a terminal a
// progress bar per epoch redrawn in place (at most 10 times a second);
// otherwise plain lines, one per epoch.
import type { BatchEndEvent, TrainerEvent } from '../shared/events';
import { epochFraction, epochSoFar, etaSeconds, formatDuration, formatMetrics } from '../shared/progress';

export function progressBar(fraction: number, width: number): string {
  const filled = Math.round(Math.max(0, Math.min(1, fraction)) * width);
  return '█'.repeat(filled) + '░'.repeat(width - filled);
}

export class ConsoleProgress {
  private epochs = 0;
  private batchSize = 32;
  private lastDraw = 0;
  private drawing = false;

  constructor(
    private readonly out: NodeJS.WritableStream,
    private readonly interactive: boolean,
  ) {}

  handle(event: TrainerEvent): void {
    switch (event.type) {
      case 'runStarted':
        this.epochs = event.epochs;
        this.batchSize = event.batchSize;
        this.line(
          `Run ${event.runId} · ${event.backend.name} on ${event.backend.device} · ` +
            `${event.data.train.count} training samples · ${event.parameters.toLocaleString('en-US')} parameters` +
            (event.initialEpoch > 0 || event.initialBatch ? ` · resuming at epoch ${event.initialEpoch + 1}${event.initialBatch ? `, batch ${event.initialBatch + 1}` : ''}` : ''),
        );
        break;
      case 'batchEnd':
        if (this.interactive) this.drawBatch(event);
        break;
      case 'epochEnd':
        this.line(
          `Epoch ${event.epoch + 1}/${event.epochs} · ${formatMetrics(event.metrics)} · ` +
            `${Math.round(event.samplesPerSecond)} samples/s · ${formatDuration(event.durationMs / 1000)}`,
        );
        break;
      case 'evaluation':
        this.line(`Test (${event.samples} samples): ${formatMetrics(event.metrics)}`);
        break;
      case 'runFinished':
        this.line(
          event.status === 'completed'
            ? `Finished in ${formatDuration(event.durationMs / 1000)}${event.reason ? ` · ${event.reason}` : ''}`
            : event.status === 'stopped'
              ? `Run stopped after ${event.epochsCompleted} epochs; continue with \`model-studio train --resume ${event.runId}\``
              : `Run failed: ${event.reason ?? 'see the log above'}`,
        );
        break;
      case 'log':
        if (event.level !== 'info') this.line(`${event.level}: ${event.message}`);
        break;
      case 'checkpointSaved':
        break;
    }
  }

  private drawBatch(event: BatchEndEvent): void {
    const now = Date.now();
    const last = event.batch + 1 === event.batchesPerEpoch;
    if (now - this.lastDraw < 100 && !last) return;
    this.lastDraw = now;
    const fraction = epochFraction(event);
    const eta = etaSeconds(event, this.epochs, this.batchSize);
    this.out.write(
      `\r\x1b[2KEpoch ${event.epoch + 1}/${this.epochs} ${progressBar(fraction, 24)} ${Math.floor(fraction * 100)}% ` +
        `${event.batch + 1}/${event.batchesPerEpoch} · loss ${(epochSoFar(event).loss ?? event.loss).toFixed(4)} · ` +
        `${Math.round(event.samplesPerSecond)} samples/s · ${formatDuration(eta)} left`,
    );
    this.drawing = true;
  }

  private line(text: string): void {
    if (this.drawing) this.out.write('\r\x1b[2K');
    this.drawing = false;
    this.out.write(text + '\n');
  }
}
