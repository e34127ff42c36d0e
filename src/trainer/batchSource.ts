// Where the trainer's batches come from. A BatchSource gives the batches of
// an epoch from any batch on, in an order fixed by the run's seed and the
// epoch, so a resumed process continues exactly where the checkpoint was. Data
// in memory is permuted whole (shuffle.ts); streamed data passes through a
// seeded shuffle buffer, and a resume replays the epoch's stream up to its
// batch without training on it. Validation data is evaluated the same way.
import type { LayersModel } from '@tensorflow/tfjs';
import type { Tf } from '../core/backend/types';
import type { Metrics } from '../shared/events';
import type { FitSpec } from '../shared/spec';
import { BatchMaker, batchTensors, identityOrder, product } from './batches';
import { evaluateInChunks } from './evaluate';
import { epochPermutation, epochRandom } from './shuffle';
import { ShuffleBuffer } from './shuffleBuffer';
import { rowChunks } from './data/rowChunks';
import { isStreamed, type DataShape, type Dataset, type StreamedDataset, type StreamedSplit, type TrainingData } from './data/types';

/** One batch: `count` rows in fresh arrays (backends may keep a reference to what they are given). */
export interface BatchRows {
  x: Float32Array;
  y: Float32Array;
  count: number;
}

export interface BatchSource {
  /**
   * The batches of `epoch` from batch `first` on; every call for the same
   * epoch gives the same order. Ends early, without an error, once `signal` is aborted.
   */
  batches(epoch: number, first: number, signal: AbortSignal): AsyncGenerator<BatchRows>;
}

export interface Validation {
  /** The loss and metrics over the validation rows (model.metricsNames); throws the signal's AbortError when stopped. */
  evaluate(model: LayersModel, signal: AbortSignal): Promise<Metrics>;
  dispose(): void;
}

/** What one epoch trains on. */
export interface EpochData {
  source: BatchSource;
  /** Training rows an epoch. */
  trainCount: number;
  validation?: Validation;
}

export interface SourceOptions {
  fit: FitSpec;
  batchSize: number;
  seed: number;
  /** Reports a resume's replay of a streamed epoch up to its batch. */
  onProgress?: (message: string, done: number, total?: number) => void;
}

export function epochData(tf: Tf, data: TrainingData, options: SourceOptions): EpochData {
  return isStreamed(data) ? streamedEpochData(tf, data, options) : memoryEpochData(tf, data, options);
}

function memoryEpochData(tf: Tf, data: Dataset, { fit, batchSize, seed }: SourceOptions): EpochData {
  const maker = new BatchMaker(tf, data.train, data.sampleShape, data.labelShape);
  const shuffle = fit.shuffle ?? true;
  const source = (trainCount: number): BatchSource => ({
    async *batches(epoch, first, signal) {
      const order = shuffle ? epochPermutation(trainCount, seed, epoch) : identityOrder(trainCount);
      for (let start = first * batchSize; start < trainCount && !signal.aborted; start += batchSize) {
        yield maker.rows(order, start, Math.min(start + batchSize, trainCount));
      }
    },
  });
  if (fit.validationData === 'test' && data.test) {
    const test = new BatchMaker(tf, data.test, data.sampleShape, data.labelShape);
    return { source: source(data.train.count), trainCount: data.train.count, validation: tensorValidation(tf, test.range(0, data.test.count)) };
  }
  // Like Keras: the validation split is the last fraction, taken before shuffling.
  const held = fit.validationSplit ? Math.floor(data.train.count * fit.validationSplit) : 0;
  const trainCount = data.train.count - held;
  return { source: source(trainCount), trainCount, validation: held > 0 ? tensorValidation(tf, maker.range(trainCount, data.train.count)) : undefined };
}

function tensorValidation(tf: Tf, [x, y]: ReturnType<BatchMaker['range']>): Validation {
  return {
    evaluate: (model, signal) => evaluateInChunks(model, x, y, signal),
    dispose: () => tf.dispose([x, y]),
  };
}

/**
 * Streamed data: the validation split is the last fraction of the file, as in
 * memory (the first pass counted the rows, and the row index reaches it
 * without reading the rest), or the test file.
 */
function streamedEpochData(tf: Tf, data: StreamedDataset, options: SourceOptions): EpochData {
  const { fit } = options;
  const held = fit.validationData === 'test' && data.test ? 0 : fit.validationSplit ? Math.floor(data.train.count * fit.validationSplit) : 0;
  const trainCount = data.train.count - held;
  const source = new StreamedBatches(data, trainCount, options);
  let validation: Validation | undefined;
  if (fit.validationData === 'test' && data.test) validation = streamedValidation(tf, data, data.test, 0, data.test.count);
  else if (held > 0) validation = streamedValidation(tf, data, data.train, trainCount, data.train.count);
  return { source, trainCount, validation };
}

class StreamedBatches implements BatchSource {
  private readonly xSize: number;
  private readonly ySize: number;
  private readonly bufferRows: number;

  constructor(
    private readonly data: StreamedDataset,
    private readonly trainCount: number,
    private readonly options: SourceOptions,
  ) {
    this.xSize = product(data.sampleShape);
    this.ySize = product(data.labelShape);
    this.bufferRows = (options.fit.shuffle ?? true) ? Math.min(data.shuffleBuffer, trainCount) : 0;
  }

  async *batches(epoch: number, first: number, signal: AbortSignal): AsyncGenerator<BatchRows> {
    const { xSize, ySize, trainCount } = this;
    const { batchSize, seed, onProgress } = this.options;
    const buffer = new ShuffleBuffer(this.bufferRows, xSize, ySize, epochRandom(seed, epoch));
    const filler = new BatchFiller(batchSize, xSize, ySize, first * batchSize);
    const catchingUp = `Catching up with batch ${first + 1} of epoch ${epoch + 1}`;
    let read = 0;
    for await (const block of this.data.train.blocks(0, trainCount, signal)) {
      for (let r = 0; r < block.count; r++) buffer.push(block.x, r * xSize, block.y, r * ySize, filler.add);
      read += block.count;
      if (filler.skipping) onProgress?.(catchingUp, read, trainCount);
      yield* untilStopped(filler.take(), signal);
    }
    if (signal.aborted) return;
    buffer.drain(filler.add);
    filler.finish();
    yield* untilStopped(filler.take(), signal);
  }
}

function* untilStopped(batches: BatchRows[], signal: AbortSignal): Generator<BatchRows> {
  for (const batch of batches) {
    if (signal.aborted) return;
    yield batch;
  }
}

/** Gathers the rows a shuffle buffer hands out into batches, after skipping the ones a resume has trained already. */
class BatchFiller {
  private x: Float32Array | undefined;
  private y: Float32Array | undefined;
  private count = 0;
  private ready: BatchRows[] = [];

  constructor(
    private readonly batchSize: number,
    private readonly xSize: number,
    private readonly ySize: number,
    private skip: number,
  ) {}

  get skipping(): boolean {
    return this.skip > 0;
  }

  readonly add = (x: Float32Array, xAt: number, y: Float32Array, yAt: number): void => {
    if (this.skip > 0) {
      this.skip--;
      return;
    }
    const { batchSize, xSize, ySize } = this;
    this.x ??= new Float32Array(batchSize * xSize);
    this.y ??= new Float32Array(batchSize * ySize);
    this.x.set(x.subarray(xAt, xAt + xSize), this.count * xSize);
    this.y.set(y.subarray(yAt, yAt + ySize), this.count * ySize);
    if (++this.count === batchSize) this.finish();
  };

  /** Closes the batch being filled (the last of an epoch may be short). */
  finish(): void {
    if (!this.x || !this.y || this.count === 0) return;
    const { count, xSize, ySize } = this;
    this.ready.push({ x: this.x.subarray(0, count * xSize), y: this.y.subarray(0, count * ySize), count });
    this.x = this.y = undefined;
    this.count = 0;
  }

  take(): BatchRows[] {
    const ready = this.ready;
    this.ready = [];
    return ready;
  }
}

function streamedValidation(tf: Tf, data: DataShape, split: StreamedSplit, from: number, to: number): Validation {
  return {
    async evaluate(model, signal) {
      const names = model.metricsNames;
      const sums = new Array<number>(names.length).fill(0);
      let count = 0;
      for await (const rows of rowChunks(split, product(data.sampleShape), from, to, signal)) {
        const [x, y] = batchTensors(tf, rows, data.sampleShape, data.labelShape);
        try {
          const metrics = await evaluateInChunks(model, x, y, signal);
          names.forEach((name, i) => (sums[i] += metrics[name] * rows.count));
        } finally {
          tf.dispose([x, y]);
        }
        count += rows.count;
      }
      signal.throwIfAborted();
      return Object.fromEntries(names.map((name, i) => [name, sums[i] / Math.max(1, count)]));
    },
    dispose: () => undefined,
  };
}
