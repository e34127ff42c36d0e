// One training run from request to outcome. Emits every event to `emit` (the
// CLI prints them, the child process forwards them over IPC) and persists
// them in the run folder. A stop (an AbortSignal) is honoured in every phase:
// loading ends with nothing written; training (batch by batch) and validation
// (in chunks) save a checkpoint of exactly where they were, which a resume
// continues from; a stop during the test-set evaluation skips it.
import type { LayersModel } from '@tensorflow/tfjs';
import type { BatchEndEvent, Metrics, RunFinishedEvent, RunOutcome, TrainerEvent } from '../shared/events';
import type { TrainRequest } from '../shared/protocol/trainer';
import type { Tf } from '../core/backend/types';
import { prepareRun, type PreparedRun } from './prepare';
import { RunWriter } from './run/runWriter';
import { checkpointName, pruneCheckpoints, saveCheckpoint, type CheckpointState } from './run/checkpoints';
import { saveModelToFolder } from '../core/modelFolder';
import { evaluateModel } from './evaluate';
import { yieldToEventLoop } from './batches';
import { epochData, type EpochData, type Validation } from './batchSource';
import { EarlyStopping } from './earlyStopping';
import { createBatchTrainer, type BatchTrainer } from './fastPath';
import { errorMessage } from '../shared/errors';
import { DEFAULT_BATCH_SIZE } from '../shared/spec';
import { relative, sep } from 'node:path';

export interface TrainHooks {
  emit(event: TrainerEvent): void;
  /** Aborted when the user asks to stop. */
  stop: AbortSignal;
  log(message: string): void;
  onProgress?(message: string, done: number, total?: number): void;
  nativeSearchDirs?: string[];
}

/** A stop that says why (a sweep's median rule), as the AbortSignal's reason; run.json records the words. */
export class StopReason extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StopReason';
  }
}

function stoppedReason(signal: AbortSignal): string {
  return signal.reason instanceof StopReason ? signal.reason.message : 'Stopped by the user.';
}

/** A stop that came before training began: nothing was written, and a resumed run is as it was. */
export class StoppedBeforeTraining extends Error {
  constructor() {
    super('Stopped before training started: nothing was saved.');
    this.name = 'StoppedBeforeTraining';
  }
}

export async function train(request: TrainRequest, hooks: TrainHooks): Promise<RunFinishedEvent> {
  let run: PreparedRun;
  try {
    run = await prepareRun(request, hooks);
  } catch (error) {
    throw hooks.stop.aborted ? new StoppedBeforeTraining() : error;
  }
  if (hooks.stop.aborted) throw new StoppedBeforeTraining();
  const writer = run.resume
    ? RunWriter.reopen(request.runsDir, run.resume.record, run.epochs)
    : RunWriter.create(request.runsDir, run.spec, run.specPath, run.epochs, run.trial);
  const session = new TrainingSession(run, writer, hooks);
  try {
    return await session.execute();
  } finally {
    writer.close();
  }
}

class TrainingSession {
  private readonly tf: Tf;
  private readonly model: LayersModel;
  private readonly started = Date.now();
  /** Training time of the processes that trained this run before (resumes). */
  private readonly earlierMs: number;
  private readonly batchSize: number;
  private readonly seed: number;
  private readonly earlyStopping: EarlyStopping | undefined;
  private readonly metricNames: string[];
  private perEpoch = 0;
  private epochsCompleted = 0;
  /** Batches trained in the whole run: the global step. */
  private step = 0;
  /** Batches of epoch `epochsCompleted` trained so far. */
  private batchInEpoch = 0;
  /** Per-metric sums (value times batch size) over the batches of the epoch in progress. */
  private epochSums: number[];
  /** When this process started its part of the epoch in progress, and what earlier processes spent on it. */
  private epochPartStart = 0;
  private epochMsBefore = 0;
  /** Progress of the newest checkpoint on disk, so the same state is not saved twice. */
  private savedProgress: string | undefined;
  private finalMetrics: Metrics = {};
  private earlyStopReason: string | undefined;
  /** trainOnBatch, or the native fast path; syncModel() before anything reads the model. */
  private trainer: BatchTrainer | undefined;

  constructor(
    private readonly run: PreparedRun,
    private readonly writer: RunWriter,
    private readonly hooks: TrainHooks,
  ) {
    this.tf = run.backend.tf;
    this.model = run.model;
    this.metricNames = run.model.metricsNames;
    this.epochSums = this.metricNames.map(() => 0);
    this.batchSize = run.spec.fit.batchSize ?? DEFAULT_BATCH_SIZE;
    this.earlierMs = run.resume?.record.durationMs ?? 0;
    this.seed = run.resume?.state.seed ?? run.spec.fit.seed ?? Math.floor(Math.random() * 2 ** 31);
    this.earlyStopping = run.spec.earlyStopping && new EarlyStopping(run.spec.earlyStopping, run.resume?.state);
  }

  async execute(): Promise<RunFinishedEvent> {
    const data = this.epochData();
    this.perEpoch = this.batchesPerEpoch(data);
    try {
      this.continueFrom(this.run.resume?.state, this.perEpoch);
      this.emitStarted(data);
      this.trainer = await createBatchTrainer(this.tf, this.model, this.run.spec, this.run.data, this.seed, this.hooks.log);
      await this.fitEpochs(data);
      return await this.finish();
    } catch (error) {
      return this.finishFailed(error);
    } finally {
      this.trainer?.dispose();
      data.validation?.dispose();
    }
  }

  /** Where a resumed run goes on: the batch after its checkpoint, with the step count and the epoch's sums carried on. */
  private continueFrom(state: CheckpointState | undefined, batchesPerEpoch: number): void {
    if (!state) return;
    this.epochsCompleted = state.epochsCompleted;
    // Checkpoints of older versions hold no step and restart their epoch at its first batch.
    this.step = state.step ?? state.epochsCompleted * batchesPerEpoch;
    this.batchInEpoch = state.batchInEpoch ?? 0;
    if (this.batchInEpoch > 0 && state.batchesPerEpoch !== batchesPerEpoch) {
      this.hooks.log(`The data now gives ${batchesPerEpoch} batches an epoch, ${state.batchesPerEpoch} when the checkpoint was taken: epoch ${this.epochsCompleted + 1} starts again.`);
      this.step -= this.batchInEpoch;
      this.batchInEpoch = 0;
    }
    if (this.batchInEpoch > 0) {
      this.epochSums = this.metricNames.map((name) => state.epochSums?.[name] ?? 0);
      this.epochMsBefore = state.epochMs ?? 0;
    }
    // The checkpoint it continues from holds this state already.
    this.savedProgress = this.progressKey();
  }

  private emit(event: TrainerEvent): void {
    this.writer.append(event);
    this.hooks.emit(event);
  }

  private epochData(): EpochData {
    return epochData(this.tf, this.run.data, { fit: this.run.spec.fit, batchSize: this.batchSize, seed: this.seed, onProgress: this.hooks.onProgress });
  }

  private batchesPerEpoch(data: EpochData): number {
    return Math.ceil(data.trainCount / this.batchSize);
  }

  private emitStarted(data: EpochData): void {
    const { run, writer } = this;
    writer.update({ backend: run.backend.info, data: run.dataSummary });
    this.emit({
      type: 'runStarted',
      runId: writer.id,
      time: Date.now(),
      spec: run.spec,
      backend: run.backend.info,
      data: run.dataSummary,
      epochs: run.epochs,
      batchSize: this.batchSize,
      batchesPerEpoch: this.batchesPerEpoch(data),
      initialEpoch: this.epochsCompleted,
      initialBatch: this.batchInEpoch,
      initialStep: this.step,
      parameters: this.model.countParams(),
    });
  }

  private async fitEpochs(data: EpochData): Promise<void> {
    for (let epoch = this.epochsCompleted; epoch < this.run.epochs; epoch++) {
      const completed = await this.fitOneEpoch(epoch, data);
      if (!completed || this.earlyStopReason) return;
    }
  }

  /** Trains one epoch batch by batch (from the batch a resume continues at); false when the user stopped it. */
  private async fitOneEpoch(epoch: number, data: EpochData): Promise<boolean> {
    const batchesPerEpoch = this.batchesPerEpoch(data);
    const firstSample = this.batchInEpoch * this.batchSize;
    this.epochPartStart = Date.now();
    let lastYield = this.epochPartStart;
    let batch = this.batchInEpoch;
    let end = firstSample;
    // Seeded by run and epoch: a resumed process gets the same order and continues in it.
    for await (const rows of data.source.batches(epoch, batch, this.hooks.stop)) {
      if (Date.now() - lastYield > 20) {
        await yieldToEventLoop();
        lastYield = Date.now();
      }
      if (this.hooks.stop.aborted) return false;
      const start = end;
      end += rows.count;
      // The step before this batch, with the run's seed, fixes its dropout masks: a resume draws the same.
      const values = await this.trainer!.trainBatch(rows, this.step);
      values.forEach((v, i) => (this.epochSums[i] += v * (end - start)));
      this.step++;
      this.batchInEpoch = batch + 1;
      const event = this.batchEvent(epoch, batch, batchesPerEpoch, values, end - firstSample, end);
      this.emit(event);
      if (!Number.isFinite(event.loss)) throw new TrainingFailure(nonFiniteLossMessage(event.loss, epoch, batch));
      batch++;
    }
    if (this.hooks.stop.aborted) return false;
    if (batch !== batchesPerEpoch) throw new Error(`Epoch ${epoch + 1} gave ${batch} batches, not ${batchesPerEpoch}.`);
    const logs: Metrics = {};
    this.metricNames.forEach((name, i) => (logs[name] = this.epochSums[i] / data.trainCount));
    if (data.validation) {
      const validation = await this.validate(data.validation);
      // Stopped while validating: the checkpoint holds every batch of the epoch; a resume validates and ends it.
      if (!validation) return false;
      Object.assign(logs, validation);
    }
    await this.epochEnded(epoch, logs, this.epochMs(), data.trainCount);
    return true;
  }

  /** Validation metrics (val_*), evaluated in chunks so a stop gets through; undefined when stopped. */
  private async validate(validation: Validation): Promise<Metrics | undefined> {
    await this.trainer?.syncModel();
    let values: Metrics;
    try {
      values = await validation.evaluate(this.model, this.hooks.stop);
    } catch (error) {
      if (this.hooks.stop.aborted) return undefined;
      throw error;
    }
    const metrics: Metrics = {};
    for (const [name, value] of Object.entries(values)) metrics[`val_${name}`] = value;
    return metrics;
  }

  private epochMs(): number {
    return this.epochMsBefore + (Date.now() - this.epochPartStart);
  }

  private trainingMs(): number {
    return this.earlierMs + (Date.now() - this.started);
  }

  /** `samplesInEpoch`: samples of this epoch trained so far, by every process (the divisor of the running average). */
  private batchEvent(epoch: number, batch: number, batchesPerEpoch: number, values: number[], samplesThisProcess: number, samplesInEpoch: number): BatchEndEvent {
    const metrics: Metrics = {};
    const epochAverage: Metrics = {};
    this.metricNames.forEach((name, i) => {
      metrics[name] = values[i];
      epochAverage[name] = this.epochSums[i] / Math.max(1, samplesInEpoch);
    });
    const { loss = Number.NaN, ...rest } = metrics;
    const seconds = Math.max(1e-3, (Date.now() - this.epochPartStart) / 1000);
    return {
      type: 'batchEnd',
      runId: this.writer.id,
      time: Date.now(),
      epoch,
      batch,
      batchesPerEpoch,
      step: this.step,
      loss,
      metrics: rest,
      epochAverage,
      samplesPerSecond: samplesThisProcess / seconds,
    };
  }

  private async epochEnded(epoch: number, logs: Metrics, durationMs: number, samples: number): Promise<void> {
    this.epochsCompleted = epoch + 1;
    this.batchInEpoch = 0;
    this.epochSums = this.metricNames.map(() => 0);
    this.epochMsBefore = 0;
    this.finalMetrics = { ...logs };
    this.emit({
      type: 'epochEnd',
      runId: this.writer.id,
      time: Date.now(),
      epoch,
      epochs: this.run.epochs,
      metrics: this.finalMetrics,
      durationMs,
      samplesPerSecond: samples / Math.max(1e-3, durationMs / 1000),
    });
    this.earlyStopReason = this.earlyStopping?.update(epoch, logs);
    const every = this.run.spec.checkpoints?.everyEpochs ?? 1;
    const last = this.epochsCompleted === this.run.epochs || this.earlyStopReason !== undefined;
    if (this.epochsCompleted % every === 0 || last) await this.checkpoint();
    this.writer.update({ epochsCompleted: this.epochsCompleted, finalMetrics: this.finalMetrics, durationMs: this.trainingMs() });
  }

  private progressKey(): string {
    return `${this.epochsCompleted}/${this.batchInEpoch}/${this.step}`;
  }

  /** Saves where training is; run.json names it before older ones are pruned, so a resume always finds it. */
  private async checkpoint(): Promise<void> {
    if (this.savedProgress === this.progressKey()) return;
    await this.trainer?.syncModel();
    const midEpoch = this.batchInEpoch > 0;
    const state: CheckpointState = {
      epochsCompleted: this.epochsCompleted,
      seed: this.seed,
      ...this.earlyStopping?.state(),
      step: this.step,
      batchInEpoch: this.batchInEpoch,
      batchesPerEpoch: this.perEpoch,
      epochSums: midEpoch ? Object.fromEntries(this.metricNames.map((name, i) => [name, this.epochSums[i]])) : undefined,
      epochMs: midEpoch ? this.epochMs() : undefined,
    };
    const name = checkpointName(this.epochsCompleted, this.step);
    const dir = await saveCheckpoint(this.tf, this.model, this.writer.checkpointsDir, name, state);
    this.savedProgress = this.progressKey();
    // '/' on every platform: run.json is read wherever the run folder travels.
    const path = relative(this.writer.dir, dir).split(sep).join('/');
    this.writer.update({ lastCheckpoint: path, durationMs: this.trainingMs() });
    await pruneCheckpoints(this.writer.checkpointsDir, this.run.spec.checkpoints?.keep ?? 2, [name]);
    this.emit({ type: 'checkpointSaved', runId: this.writer.id, time: Date.now(), epoch: this.epochsCompleted, path });
  }

  private async finish(): Promise<RunFinishedEvent> {
    await this.trainer?.syncModel();
    const trained = this.epochsCompleted >= this.run.epochs || this.earlyStopReason !== undefined;
    if (!trained) {
      // Stopped: the checkpoint holds the weights and where in the epoch they are, for a resume.
      await this.checkpoint();
      await saveModelToFolder(this.tf, this.model, this.writer.modelDir);
      return this.finished('stopped', stoppedReason(this.hooks.stop));
    }
    await saveModelToFolder(this.tf, this.model, this.writer.modelDir);
    const testMetrics = this.hooks.stop.aborted ? undefined : await this.evaluate();
    if (this.hooks.stop.aborted && testMetrics === undefined && this.wantsEvaluation()) {
      const skipped = `Stopped before the test-set evaluation: evaluate the model with \`model-studio evaluate ${this.writer.id}\` or Evaluate Model.`;
      return this.finished('completed', [this.earlyStopReason, skipped].filter(Boolean).join(' '));
    }
    return this.finished('completed', this.earlyStopReason, testMetrics);
  }

  private wantsEvaluation(): boolean {
    return this.run.data.test !== undefined && this.run.spec.evaluate?.enabled !== false;
  }

  /** The test-set evaluation; undefined when there is none or the user stopped it. */
  private async evaluate(): Promise<Metrics | undefined> {
    const { data, spec } = this.run;
    if (!data.test || !this.wantsEvaluation()) return undefined;
    let result;
    try {
      result = await evaluateModel(this.tf, this.model, data, data.test, { worstExamples: spec.evaluate?.worstExamples ?? 16, signal: this.hooks.stop });
    } catch (error) {
      if (this.hooks.stop.aborted) return undefined;
      throw error;
    }
    this.emit({ type: 'evaluation', runId: this.writer.id, time: Date.now(), ...result });
    return result.metrics;
  }

  private finishFailed(error: unknown): RunFinishedEvent {
    if (!(error instanceof TrainingFailure)) this.hooks.log(error instanceof Error ? (error.stack ?? error.message) : String(error));
    return this.finished('failed', errorMessage(error));
  }

  private finished(status: RunOutcome, reason?: string, testMetrics?: Metrics): RunFinishedEvent {
    const durationMs = this.trainingMs();
    this.writer.update({
      status,
      reason,
      endedAt: new Date().toISOString(),
      epochsCompleted: this.epochsCompleted,
      finalMetrics: this.finalMetrics,
      testMetrics,
      durationMs,
    });
    const event: RunFinishedEvent = {
      type: 'runFinished',
      runId: this.writer.id,
      time: Date.now(),
      status,
      reason,
      epochsCompleted: this.epochsCompleted,
      finalMetrics: this.finalMetrics,
      testMetrics,
      durationMs,
    };
    this.emit(event);
    return event;
  }
}

/** A run that failed for a reason already put in words (a NaN loss). */
class TrainingFailure extends Error {}

export function nonFiniteLossMessage(loss: number, epoch: number, batch: number): string {
  return (
    `The loss became ${loss} at epoch ${epoch + 1}, batch ${batch + 1}: lower the learning rate, ` +
    `check that inputs are scaled and free of NaN, and that the loss fits the model's output (e.g. softmax with cross-entropy).`
  );
}
