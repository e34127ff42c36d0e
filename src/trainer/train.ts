// One training run from request to outcome. Emits every event to `emit` (the
// CLI prints them, the child process forwards them over IPC) and persists
// them in the run folder. Stop is an AbortSignal: training ends after the
// current batch, a checkpoint and the model so far are saved.
import type { LayersModel, Logs, Tensor } from '@tensorflow/tfjs';
import type { BatchEndEvent, Metrics, RunFinishedEvent, RunOutcome, TrainRequest, TrainerEvent } from '../shared/events';
import type { Tf } from './backend/types';
import { prepareRun, type PreparedRun } from './prepare';
import { RunWriter } from './run/runWriter';
import { checkpointName, pruneCheckpoints, saveCheckpoint, type CheckpointState } from './run/checkpoints';
import { saveModelToFolder } from '../core/modelFolder';
import { evaluateModel, labelTensor } from './evaluate';
import { epochPermutation } from './shuffle';
import { EarlyStopping } from './earlyStopping';
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

interface Tensors {
  x: Tensor;
  y: Tensor;
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
  private failure: string | undefined;
  private earlyStopReason: string | undefined;

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
    const tensors = this.makeTensors();
    try {
      this.emitStarted(tensors);
      await this.fitEpochs(tensors);
      return await this.finish();
    } catch (error) {
      this.failure = errorMessage(error);
      return this.finishFailed(error);
    } finally {
      this.tf.dispose([tensors.x, tensors.y, ...(tensors.validation ?? [])]);
    }
  }

  private emit(event: TrainerEvent): void {
    this.writer.append(event);
    this.hooks.emit(event);
  }

  private makeTensors(): Tensors {
    const { tf } = this;
    const { data, spec } = this.run;
    const all = { x: tf.tensor(data.train.x, [data.train.count, ...data.sampleShape]), y: labelTensor(tf, data, data.train) };
    // The tensor holds the inputs now; the JS copy would cost 188 MB more on MNIST.
    data.train = { ...data.train, x: new Float32Array(0) };
    if (spec.fit.validationData === 'test' && data.test) {
      const test = data.test;
      return { ...all, validation: [tf.tensor(test.x, [test.count, ...data.sampleShape]), labelTensor(tf, data, test)] };
    }
    const held = spec.fit.validationSplit ? Math.floor(data.train.count * spec.fit.validationSplit) : 0;
    if (held === 0) return all;
    // Like Keras: the validation split is the last fraction, taken before shuffling.
    const kept = data.train.count - held;
    const split = {
      x: all.x.slice(0, kept),
      y: all.y.slice(0, kept),
      validation: [all.x.slice(kept), all.y.slice(kept)] as [Tensor, Tensor],
    };
    tf.dispose([all.x, all.y]);
    return split;
  }

  private batchesPerEpoch(tensors: Tensors): number {
    return Math.ceil(tensors.x.shape[0] / this.batchSize);
  }

  private emitStarted(tensors: Tensors): void {
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
      batchesPerEpoch: this.batchesPerEpoch(tensors),
      initialEpoch: this.epochsCompleted,
      parameters: this.model.countParams(),
    });
  }

  private async fitEpochs(tensors: Tensors): Promise<void> {
    const shuffle = this.run.spec.fit.shuffle ?? true;
    for (let epoch = this.epochsCompleted; epoch < this.run.epochs; epoch++) {
      const [x, y] = shuffle ? this.shuffled(tensors, epoch) : [tensors.x, tensors.y];
      try {
        const completed = await this.fitOneEpoch(epoch, x, y, tensors);
        if (!completed) return;
      } finally {
        if (shuffle) this.tf.dispose([x, y]);
      }
      if (this.earlyStopReason) return;
    }
  }

  private shuffled(tensors: Tensors, epoch: number): [Tensor, Tensor] {
    const order = this.tf.tensor1d(epochPermutation(tensors.x.shape[0], this.seed, epoch), 'int32');
    try {
      return [this.tf.gather(tensors.x, order), this.tf.gather(tensors.y, order)];
    } finally {
      order.dispose();
    }
  }

  /** Trains one epoch; false when it ended early (stop or a bad loss). */
  private async fitOneEpoch(epoch: number, x: Tensor, y: Tensor, tensors: Tensors): Promise<boolean> {
    const batchesPerEpoch = this.batchesPerEpoch(tensors);
    const epochStart = Date.now();
    let batchesDone = 0;
    let samplesDone = 0;
    await this.model.fit(x, y, {
      epochs: epoch + 1,
      initialEpoch: epoch,
      batchSize: this.batchSize,
      shuffle: false,
      validationData: tensors.validation,
      verbose: 0,
      callbacks: {
        onBatchEnd: async (batch: number, logs?: Logs) => {
          batchesDone = batch + 1;
          samplesDone += logs?.size ?? this.batchSize;
          this.step++;
          const event = this.batchEvent(epoch, batch, batchesPerEpoch, logs, samplesDone, epochStart);
          this.emit(event);
          if (!Number.isFinite(event.loss)) {
            this.failure = nonFiniteLossMessage(event.loss, epoch, batch);
            this.model.stopTraining = true;
          } else if (this.hooks.stop.aborted) {
            this.model.stopTraining = true;
          }
        },
        onEpochEnd: async (_epoch: number, logs?: Logs) => {
          // TF.js calls this even after a mid-epoch stop; only a whole epoch counts.
          if (batchesDone < batchesPerEpoch) return;
          await this.epochEnded(epoch, logs ?? {}, Date.now() - epochStart, samplesDone);
        },
      },
    });
    if (this.failure) throw new TrainingFailure(this.failure);
    return batchesDone === batchesPerEpoch && !this.hooks.stop.aborted;
  }

  private batchEvent(
    epoch: number,
    batch: number,
    batchesPerEpoch: number,
    logs: Logs | undefined,
    samplesDone: number,
    epochStart: number,
  ): BatchEndEvent {
    const { loss = Number.NaN, batch: _b, size: _s, ...metrics } = logs ?? {};
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
      metrics,
      samplesPerSecond: samplesDone / seconds,
    };
  }

  private async epochEnded(epoch: number, logs: Logs, durationMs: number, samples: number): Promise<void> {
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
    const state: CheckpointState = { epochsCompleted: this.epochsCompleted, seed: this.seed, ...this.earlyStopping?.state() };
    const dir = await saveCheckpoint(this.tf, this.model, this.writer.checkpointsDir, name, state);
    await pruneCheckpoints(this.writer.checkpointsDir, this.run.spec.checkpoints?.keep ?? 2);
    const path = relative(this.writer.dir, dir);
    this.writer.update({ lastCheckpoint: path });
    this.emit({ type: 'checkpointSaved', runId: this.writer.id, time: Date.now(), epoch: this.epochsCompleted, path });
  }

  private async finish(): Promise<RunFinishedEvent> {
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
    return this.finished('failed', this.failure);
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
