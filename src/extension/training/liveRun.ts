// What the UI knows about a run in flight, folded from its trainer events.
// The status bar and the tree read this snapshot; pure, so tests feed it
// events directly.
import type { BackendInfo, Metrics, RunFinishedEvent, TrainerEvent } from '../../shared/events';
import { epochFraction, epochSoFar, etaSeconds } from '../../shared/progress';

export type LivePhase = 'queued' | 'starting' | 'training' | 'evaluating' | 'finished';

export interface LiveRun {
  /** The spec's name ("mnist-mlp"), known before the trainer starts. */
  name: string;
  specPath: string;
  phase: LivePhase;
  /** Set by the trainer's first event. */
  runId?: string;
  stopping: boolean;
  /** 1-based position in the queue while queued. */
  queuePosition?: number;
  epochs?: number;
  batchSize?: number;
  batchesPerEpoch?: number;
  /** 0-based epoch in progress. */
  epoch?: number;
  /** 0..1 of the epoch in progress. */
  epochProgress?: number;
  /** Loss averaged over the epoch so far (Keras's progress bar), or the last epoch's once it ended. */
  loss?: number;
  /** Metrics (without loss) averaged over the epoch so far. */
  batchMetrics?: Metrics;
  /** Train and validation metrics of the last finished epoch. */
  epochMetrics?: Metrics;
  samplesPerSecond?: number;
  /** Seconds left for the whole run; NaN while unknown. */
  etaSeconds?: number;
  backend?: BackendInfo;
  testMetrics?: Metrics;
  finished?: RunFinishedEvent;
  /** Milliseconds since the epoch when the trainer started this run. */
  startedAt?: number;
}

export function queuedRun(name: string, specPath: string, queuePosition?: number): LiveRun {
  return { name, specPath, phase: queuePosition ? 'queued' : 'starting', queuePosition, stopping: false };
}

/** The snapshot after one more event; never mutates `run`. */
export function applyEvent(run: LiveRun, event: TrainerEvent): LiveRun {
  const next: LiveRun = { ...run, runId: run.runId ?? event.runId, queuePosition: undefined };
  switch (event.type) {
    case 'runStarted':
      return {
        ...next,
        name: event.spec.name || run.name,
        phase: 'training',
        epochs: event.epochs,
        batchSize: event.batchSize,
        batchesPerEpoch: event.batchesPerEpoch,
        epoch: event.initialEpoch,
        // A resumed run may continue mid-epoch.
        epochProgress: (event.initialBatch ?? 0) / Math.max(1, event.batchesPerEpoch),
        backend: event.backend,
        startedAt: event.time,
        etaSeconds: Number.NaN,
      };
    case 'batchEnd': {
      const { loss, ...metrics } = epochSoFar(event);
      return {
        ...next,
        phase: 'training',
        epoch: event.epoch,
        batchesPerEpoch: event.batchesPerEpoch,
        epochProgress: epochFraction(event),
        loss: loss ?? event.loss,
        batchMetrics: metrics,
        samplesPerSecond: event.samplesPerSecond,
        etaSeconds: etaSeconds(event, run.epochs ?? event.epoch + 1, run.batchSize ?? 32),
      };
    }
    case 'epochEnd': {
      const last = event.epoch + 1 >= event.epochs;
      return {
        ...next,
        phase: last ? 'evaluating' : 'training',
        epochs: event.epochs,
        epoch: last ? event.epoch : event.epoch + 1,
        epochProgress: last ? 1 : 0,
        epochMetrics: event.metrics,
        loss: event.metrics.loss ?? run.loss,
        samplesPerSecond: event.samplesPerSecond,
      };
    }
    case 'evaluation':
      return { ...next, testMetrics: event.metrics };
    case 'runFinished':
      return { ...next, phase: 'finished', finished: event, testMetrics: event.testMetrics ?? run.testMetrics };
    default:
      return next;
  }
}
