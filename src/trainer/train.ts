// One training run from request to outcome. Emits every event to `emit` (the
// CLI prints them, the child process forwards them over IPC) and persists
// them in the run folder. Training runs batch by batch (trainOnBatch) so a
// stop (an AbortSignal) takes effect after the current batch; a checkpoint
// and the model so far are then saved.
import type { LayersModel, Tensor } from '@tensorflow/tfjs';
import type { BatchEndEvent, Metrics, RunFinishedEvent, RunOutcome, TrainRequest, TrainerEvent } from '../shared/events';
import type { Tf } from '../core/backend/types';
import { prepareRun, type PreparedRun } from './prepare';
import { RunWriter } from './run/runWriter';
import { checkpointName, pruneCheckpoints, saveCheckpoint, type CheckpointState } from './run/checkpoints';
import { saveModelToFolder } from '../core/modelFolder';
import { evaluateModel } from './evaluate';
import { epochPermutation } from './shuffle';
import { BatchMaker, identityOrder, yieldToEventLoop } from './batches';
import { EarlyStopping } from './earlyStopping';
import { createBatchTrainer, type BatchTrainer } from './fastPath';
import { errorMessage } from '../shared/errors';
import { relative } from 'node:path';

export interface TrainHooks {
  emit(event: TrainerEvent): void;
  /** Aborted when the user asks to stop. */
  stop: AbortSignal;
  log(message: string): void;
  onProgress?(message: string, done: number, total?: number): void;
  nativeSearchDirs?: string[];
}

export async function train(request: TrainRequest, hooks: TrainHooks): Promise<RunFinishedEvent> {
  const run = await prepareRun(request, hooks);
  const writer = run.resume
    ? RunWriter.reopen(request.runsDir, run.resume.record, run.epochs)
    : RunWriter.create(request.runsDir, run.spec, run.specPath, run.epochs);
  const session = new TrainingSession(run, writer, hooks);
  try {
    return await session.execute();
  } finally {
    writer.close();
  }
}

/** What one epoch trains on: the kept training rows and the validation tensors. */
interface EpochData {
  batches: BatchMaker;
  /** Training rows are 0..trainCount-1 of the train split. */
  trainCount: number;
  validation?: [Tensor, Tensor];
}

class TrainingSession {
  private readonly tf: Tf;
  private readonly model: LayersModel;
  private readonly started = Date.now();
  private readonly batchSize: number;
  private readonly seed: number;
  private readonly earlyStopping: EarlyStopping | undefined;
  private epochsCompleted: number;
  private step = 0;
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
    this.batchSize = run.spec.fit.batchSize ?? 32;
    this.epochsCompleted = run.resume?.state.epochsCompleted ?? 0;
    this.seed = run.resume?.state.seed ?? run.spec.fit.seed ?? Math.floor(Math.random() * 2 ** 31);
    this.earlyStopping = run.spec.earlyStopping && new EarlyStopping(run.spec.earlyStopping, run.resume?.state);
  }

  async execute(): Promise<RunFinishedEvent> {
    const data = this.epochData();
    try {
      this.emitStarted(data);
      this.trainer = await createBatchTrainer(this.tf, this.model, this.run.spec, data.batches, this.hooks.log);
      await this.fitEpochs(data);
      return await this.finish();
    } catch (error) {
      return this.finishFailed(error);
    } finally {
      this.trainer?.dispose();
      if (data.validation) this.tf.dispose(data.validation);
    }
  }

  private emit(event: TrainerEvent): void {
    this.writer.append(event);
    this.hooks.emit(event);
  }

  private epochData(): EpochData {
    const { data, spec } = this.run;
    const batches = new BatchMaker(this.tf, data.train, data.sampleShape, data.labelShape);
    if (spec.fit.validationData === 'test' && data.test) {
      const test = new BatchMaker(this.tf, data.test, data.sampleShape, data.labelShape);
      return { batches, trainCount: data.train.count, validation: test.range(0, data.test.count) };
    }
    // Like Keras: the validation split is the last fraction, taken before shuffling.
    const held = spec.fit.validationSplit ? Math.floor(data.train.count * spec.fit.validationSplit) : 0;
    const trainCount = data.train.count - held;
    return { batches, trainCount, validation: held > 0 ? batches.range(trainCount, data.train.count) : undefined };
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
      parameters: this.model.countParams(),
    });
  }

  private async fitEpochs(data: EpochData): Promise<void> {
    for (let epoch = this.epochsCompleted; epoch < this.run.epochs; epoch++) {
      const completed = await this.fitOneEpoch(epoch, data);
      if (!completed || this.earlyStopReason) return;
    }
  }

  /** Trains one epoch batch by batch; false when the user stopped it. */
  private async fitOneEpoch(epoch: number, data: EpochData): Promise<boolean> {
    const shuffle = this.run.spec.fit.shuffle ?? true;
    const order = shuffle ? epochPermutation(data.trainCount, this.seed, epoch) : identityOrder(data.trainCount);
    const batchesPerEpoch = this.batchesPerEpoch(data);
    const names = this.model.metricsNames;
    const sums = new Array<number>(names.length).fill(0);
    const epochStart = Date.now();
    let lastYield = epochStart;
    for (let batch = 0; batch < batchesPerEpoch; batch++) {
      if (Date.now() - lastYield > 20) {
        await yieldToEventLoop();
        lastYield = Date.now();
      }
      if (this.hooks.stop.aborted) return false;
      const start = batch * this.batchSize;
      const end = Math.min(start + this.batchSize, data.trainCount);
      const values = await this.trainer!.trainBatch(order, start, end);
      values.forEach((v, i) => (sums[i] += v * (end - start)));
      this.step++;
      const event = this.batchEvent(epoch, batch, batchesPerEpoch, names, values, end, epochStart);
      this.emit(event);
      if (!Number.isFinite(event.loss)) throw new TrainingFailure(nonFiniteLossMessage(event.loss, epoch, batch));
    }
    const logs: Metrics = {};
    names.forEach((name, i) => (logs[name] = sums[i] / data.trainCount));
    if (data.validation) Object.assign(logs, await this.validate(data.validation));
    await this.epochEnded(epoch, logs, Date.now() - epochStart, data.trainCount);
    return true;
  }

  private async validate([x, y]: [Tensor, Tensor]): Promise<Metrics> {
    await this.trainer?.syncModel();
    const result = this.model.evaluate(x, y, { batchSize: 512 });
    const scalars = Array.isArray(result) ? result : [result];
    const metrics: Metrics = {};
    for (const [i, scalar] of scalars.entries()) {
      metrics[`val_${this.model.metricsNames[i]}`] = (await scalar.data())[0];
      scalar.dispose();
    }
    return metrics;
  }

  private batchEvent(
    epoch: number,
    batch: number,
    batchesPerEpoch: number,
    names: string[],
    values: number[],
    samplesDone: number,
    epochStart: number,
  ): BatchEndEvent {
    const metrics: Metrics = {};
    names.forEach((name, i) => (metrics[name] = values[i]));
    const { loss = Number.NaN, ...rest } = metrics;
    const seconds = Math.max(1e-3, (Date.now() - epochStart) / 1000);
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
      samplesPerSecond: samplesDone / seconds,
    };
  }

  private async epochEnded(epoch: number, logs: Metrics, durationMs: number, samples: number): Promise<void> {
    this.epochsCompleted = epoch + 1;
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
    if (this.epochsCompleted % every === 0 || last) await this.checkpoint(checkpointName(this.epochsCompleted));
    this.writer.update({ epochsCompleted: this.epochsCompleted, finalMetrics: this.finalMetrics });
  }

  private async checkpoint(name: string): Promise<void> {
    await this.trainer?.syncModel();
    const state: CheckpointState = { epochsCompleted: this.epochsCompleted, seed: this.seed, ...this.earlyStopping?.state() };
    const dir = await saveCheckpoint(this.tf, this.model, this.writer.checkpointsDir, name, state);
    await pruneCheckpoints(this.writer.checkpointsDir, this.run.spec.checkpoints?.keep ?? 2);
    const path = relative(this.writer.dir, dir);
    this.writer.update({ lastCheckpoint: path });
    this.emit({ type: 'checkpointSaved', runId: this.writer.id, time: Date.now(), epoch: this.epochsCompleted, path });
  }

  private async finish(): Promise<RunFinishedEvent> {
    await this.trainer?.syncModel();
    const stopped = this.hooks.stop.aborted && this.epochsCompleted < this.run.epochs && !this.earlyStopReason;
    if (stopped) {
      // Mid-epoch weights: resume restarts this epoch from them.
      await this.checkpoint(checkpointName(this.epochsCompleted, this.step));
      await saveModelToFolder(this.tf, this.model, this.writer.modelDir);
      return this.finished('stopped', 'Stopped by the user.');
    }
    await saveModelToFolder(this.tf, this.model, this.writer.modelDir);
    const testMetrics = await this.evaluate();
    return this.finished('completed', this.earlyStopReason, testMetrics);
  }

  private async evaluate(): Promise<Metrics | undefined> {
    const { data, spec } = this.run;
    if (!data.test || spec.evaluate?.enabled === false) return undefined;
    const result = await evaluateModel(this.tf, this.model, data, data.test, {
      worstExamples: spec.evaluate?.worstExamples ?? 16,
    });
    this.emit({ type: 'evaluation', runId: this.writer.id, time: Date.now(), ...result });
    return result.metrics;
  }

  private finishFailed(error: unknown): RunFinishedEvent {
    if (!(error instanceof TrainingFailure)) this.hooks.log(error instanceof Error ? (error.stack ?? error.message) : String(error));
    return this.finished('failed', errorMessage(error));
  }

  private finished(status: RunOutcome, reason?: string, testMetrics?: Metrics): RunFinishedEvent {
    const durationMs = Date.now() - this.started;
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
