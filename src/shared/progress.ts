// Progress arithmetic shared by the CLI's progress bar, the extension's
// status bar and the dashboard, so all show the same ETA and the same numbers.
import type { BatchEndEvent, Metrics } from './events';

/**
 * Loss and metrics of the epoch so far, as Keras's progress bar shows them:
 * the running average when the trainer sent it, else (runs of older versions)
 * the batch's own values.
 */
export function epochSoFar(event: BatchEndEvent): Metrics {
  return event.epochAverage ?? { loss: event.loss, ...event.metrics };
}

/** Fraction of the current epoch done, 0..1. */
export function epochFraction(event: BatchEndEvent): number {
  return (event.batch + 1) / event.batchesPerEpoch;
}

/**
 * Seconds left for the whole run, from the current epoch's throughput.
 * Validation time is not known ahead and not counted. NaN before any speed is known.
 */
export function etaSeconds(event: BatchEndEvent, epochs: number, batchSize: number): number {
  if (!(event.samplesPerSecond > 0)) return Number.NaN;
  const batchesLeft = event.batchesPerEpoch - (event.batch + 1) + (epochs - event.epoch - 1) * event.batchesPerEpoch;
  return (batchesLeft * batchSize) / event.samplesPerSecond;
}

/** "1:12", "1:02:03"; "--:--" when unknown. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--:--';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
}

export function formatMetrics(metrics: Record<string, number>): string {
  return Object.entries(metrics)
    .map(([name, value]) => `${name} ${value.toFixed(4)}`)
    .join(' · ');
}
