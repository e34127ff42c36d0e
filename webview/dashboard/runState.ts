// Everything the dashboard knows about one run, rebuilt from its events. The
// host may send an event twice (restored from disk and live at once), so
// applying is idempotent: batches by their place in the run (epoch and
// batch), epochs by number. A run resumed by another process is one run: its
// runStarted says where it continues, and what came after that point (work a
// crash lost) is forgotten.

import type {
  BatchEndEvent,
  EpochEndEvent,
  EvaluationEvent,
  LogEvent,
  RunFinishedEvent,
  RunRecord,
  RunStartedEvent,
  RunStatus,
  TrainerEvent,
} from '../../src/shared/events';
import { Series } from './series';

const MAX_LOGS = 50;

export class RunState {
  record: RunRecord | undefined;
  started: RunStartedEvent | undefined;
  finished: RunFinishedEvent | undefined;
  evaluation: EvaluationEvent | undefined;
  lastBatch: BatchEndEvent | undefined;
  lastEpoch: EpochEndEvent | undefined;
  checkpoints = 0;
  /** Warnings and errors, newest last. */
  logs: LogEvent[] = [];
  /** Per-batch series by metric name ('loss', 'acc', ...); x is the fractional epoch. */
  readonly batch = new Map<string, Series>();
  /** Per-epoch train series by metric name; x is the epoch number (1-based). */
  readonly epochTrain = new Map<string, Series>();
  /** Per-epoch validation series by metric name without the 'val_' prefix. */
  readonly epochVal = new Map<string, Series>();
  /** How the dashboard names the run among those shown (name and start time, see runLabel.ts); the name until set. */
  label = '';
  /** Bumped by every change, so views redraw only what changed. */
  version = 0;
  /** x of the newest batch point: batches at or before it are duplicates. */
  private lastBatchX = 0;
  private lastEpochNumber = -1;
  private smoothing = 0;
  /** Time of the first runStarted seen (a resume sends another one later). */
  private firstStarted: number | undefined;

  constructor(readonly id: string) {}

  get name(): string {
    return this.record?.name ?? this.started?.spec.name ?? this.id;
  }

  /** When the run first started (ISO): run.json's creation time, else its first runStarted. */
  get startedAt(): string | undefined {
    if (this.record?.createdAt) return this.record.createdAt;
    return this.firstStarted !== undefined ? new Date(this.firstStarted).toISOString() : undefined;
  }

  get status(): RunStatus {
    if (this.finished) return this.finished.status;
    if (this.record && this.record.status !== 'running') return this.record.status;
    return 'running';
  }

  get epochs(): number | undefined {
    return this.lastEpoch?.epochs ?? this.started?.epochs ?? this.record?.epochs;
  }

  /** Metric names in first-seen order, 'loss' first. */
  metricNames(): string[] {
    const names = new Set<string>(['loss']);
    for (const map of [this.batch, this.epochTrain, this.epochVal]) for (const name of map.keys()) names.add(name);
    return [...names].filter((name) => this.hasData(name));
  }

  private hasData(name: string): boolean {
    return [this.batch, this.epochTrain, this.epochVal].some((map) => (map.get(name)?.length ?? 0) > 0);
  }

  setSmoothing(weight: number): void {
    this.smoothing = weight;
    for (const series of this.batch.values()) series.setSmoothing(weight);
  }

  setRecord(record: RunRecord): void {
    this.record = record;
    this.version++;
  }

  /** Applies one event; returns false when it was a duplicate or not for this run. */
  apply(event: TrainerEvent): boolean {
    if (event.runId !== this.id) return false;
    const changed = this.applyTyped(event);
    if (changed) this.version++;
    return changed;
  }

  private applyTyped(event: TrainerEvent): boolean {
    switch (event.type) {
      case 'runStarted':
        return this.onStarted(event);
      case 'batchEnd':
        return this.onBatch(event);
      case 'epochEnd':
        return this.onEpoch(event);
      case 'checkpointSaved':
        this.checkpoints++;
        return true;
      case 'evaluation':
        this.evaluation = event;
        return true;
      case 'runFinished':
        this.finished = event;
        return true;
      case 'log':
        if (event.level === 'info' || this.logs.some((l) => l.time === event.time && l.message === event.message)) return false;
        this.logs.push(event);
        if (this.logs.length > MAX_LOGS) this.logs.shift();
        return true;
    }
  }

  private onStarted(event: RunStartedEvent): boolean {
    if (this.started && this.started.time === event.time) return false;
    this.firstStarted ??= event.time;
    // A resumed run continues at its checkpoint (mid-epoch since initialBatch; older trainers restarted the epoch).
    const keepEpochs = event.initialEpoch;
    const keepX = batchX(keepEpochs, (event.initialBatch ?? 0) - 1, event.batchesPerEpoch);
    for (const series of this.batch.values()) series.truncateAfter(keepX);
    for (const map of [this.epochTrain, this.epochVal]) for (const series of map.values()) series.truncateAfter(keepEpochs);
    this.lastBatchX = Math.min(this.lastBatchX, keepX);
    this.lastEpochNumber = Math.min(this.lastEpochNumber, keepEpochs - 1);
    if (this.lastBatch && batchX(this.lastBatch.epoch, this.lastBatch.batch, this.lastBatch.batchesPerEpoch) > keepX) this.lastBatch = undefined;
    if (this.lastEpoch && this.lastEpoch.epoch >= keepEpochs) this.lastEpoch = undefined;
    this.started = event;
    this.finished = undefined;
    this.evaluation = undefined;
    return true;
  }

  private onBatch(event: BatchEndEvent): boolean {
    const x = batchX(event.epoch, event.batch, event.batchesPerEpoch);
    if (x <= this.lastBatchX) return false;
    this.lastBatchX = x;
    this.lastBatch = event;
    this.series(this.batch, 'loss').push(x, event.loss);
    // for-in, not Object.entries: no array per event when 100,000 are replayed.
    for (const name in event.metrics) {
      if (name !== 'loss') this.series(this.batch, name).push(x, event.metrics[name]);
    }
    return true;
  }

  private onEpoch(event: EpochEndEvent): boolean {
    if (event.epoch <= this.lastEpochNumber) return false;
    this.lastEpochNumber = event.epoch;
    this.lastEpoch = event;
    const x = event.epoch + 1;
    for (const [name, value] of Object.entries(event.metrics)) {
      if (name.startsWith('val_')) this.series(this.epochVal, name.slice(4)).push(x, value);
      else this.series(this.epochTrain, name).push(x, value);
    }
    return true;
  }

  private series(map: Map<string, Series>, name: string): Series {
    let series = map.get(name);
    if (!series) {
      series = new Series();
      if (map === this.batch) series.setSmoothing(this.smoothing);
      map.set(name, series);
    }
    return series;
  }
}

/** Where a batch's point goes on the chart: the fractional epoch at its end. */
function batchX(epoch: number, batch: number, batchesPerEpoch: number): number {
  return epoch + (batch + 1) / Math.max(1, batchesPerEpoch);
}
