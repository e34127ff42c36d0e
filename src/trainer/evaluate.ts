// Test-set evaluation: the compiled metrics, and for classifiers a confusion
// matrix and the misclassified examples the model was most sure about. Work
// runs in chunks of a fraction of a second with the event loop let through
// between them, so a stop (or the host going away) takes effect at once.
import type { LayersModel, Tensor } from '@tensorflow/tfjs';
import type { Tf } from '../core/backend/types';
import type { ConfusionMatrix, Evaluation, Metrics, MisclassifiedExample } from '../shared/events';
import type { DataShape, Split, StreamedSplit } from './data/types';
import { batchTensors, product, yieldToEventLoop } from './batches';
import { rowChunks } from './data/rowChunks';

interface EvaluateOptions {
  worstExamples: number;
  signal?: AbortSignal;
}

export async function evaluateModel(tf: Tf, model: LayersModel, data: DataShape, split: Split | StreamedSplit, options: EvaluateOptions): Promise<Evaluation> {
  return 'blocks' in split ? evaluateStreamed(tf, model, data, split, options) : evaluateSplit(tf, model, data, split, options);
}

async function evaluateSplit(tf: Tf, model: LayersModel, data: DataShape, split: Split, options: EvaluateOptions): Promise<Evaluation> {
  const xs = tf.tensor(split.x, [split.count, ...data.sampleShape]);
  const ys = labelTensor(tf, data, split);
  try {
    const metrics = await evaluateInChunks(model, xs, ys, options.signal);
    if (data.numClasses === undefined || data.labelShape.length > 1) {
      return { metrics, samples: split.count };
    }
    const { predicted, confidence } = await classify(tf, model, xs, options.signal);
    const actual = actualClasses(data, split);
    return {
      metrics,
      samples: split.count,
      confusionMatrix: confusion(actual, predicted, data.numClasses, data.classNames),
      misclassified: worst(actual, predicted, confidence, options.worstExamples, data.kind === 'image' ? (index) => imageOf(data, split, index) : undefined),
    };
  } finally {
    xs.dispose();
    ys.dispose();
  }
}

/**
 * A split read from a file in chunks (a streamed CSV: class indices or one
 * regression target a row): the metrics weighted by chunk, the classes
 * gathered for the confusion matrix. Only the per-row results stay in memory.
 */
async function evaluateStreamed(tf: Tf, model: LayersModel, data: DataShape, split: StreamedSplit, options: EvaluateOptions): Promise<Evaluation> {
  const names = model.metricsNames;
  const sums = new Array<number>(names.length).fill(0);
  const classifier = data.numClasses !== undefined && data.labelShape.length === 0;
  const actual = new Int32Array(classifier ? split.count : 0);
  const predicted = new Int32Array(actual.length);
  const confidence = new Float32Array(actual.length);
  let done = 0;
  for await (const rows of rowChunks(split, product(data.sampleShape), 0, split.count, options.signal)) {
    const [xs, ys] = batchTensors(tf, rows, data.sampleShape, data.labelShape);
    try {
      const metrics = await evaluateInChunks(model, xs, ys, options.signal);
      names.forEach((name, i) => (sums[i] += metrics[name] * rows.count));
      if (classifier) {
        const classes = await classify(tf, model, xs, options.signal);
        predicted.set(classes.predicted, done);
        confidence.set(classes.confidence, done);
        for (let i = 0; i < rows.count; i++) actual[done + i] = rows.y[i];
      }
    } finally {
      tf.dispose([xs, ys]);
    }
    done += rows.count;
  }
  options.signal?.throwIfAborted();
  const metrics: Metrics = Object.fromEntries(names.map((name, i) => [name, sums[i] / Math.max(1, done)]));
  if (!classifier || data.numClasses === undefined) return { metrics, samples: done };
  return {
    metrics,
    samples: done,
    confusionMatrix: confusion(actual, predicted, data.numClasses, data.classNames),
    misclassified: worst(actual, predicted, confidence, options.worstExamples),
  };
}

export function labelTensor(tf: Tf, data: DataShape, split: Split): Tensor {
  if (data.labelShape.length === 0) return tf.tensor1d(Float32Array.from(split.y));
  return tf.tensor(split.y, [split.count, ...data.labelShape], 'float32');
}

/**
 * Sizes chunks to take a tenth to half a second: short enough that a stop gets
 * through at once, long enough that the fixed cost of each call stays small.
 */
class ChunkSizer {
  size = 256;

  measured(ms: number): void {
    if (ms < 100) this.size = Math.min(this.size * 2, 4096);
    else if (ms > 500) this.size = Math.max(8, Math.floor(this.size / 2));
  }
}

/**
 * The compiled loss and metrics over all of xs/ys (what model.evaluate gives),
 * chunk by chunk with the event loop let through in between; throws the
 * signal's AbortError when it is aborted.
 */
export async function evaluateInChunks(model: LayersModel, xs: Tensor, ys: Tensor, signal?: AbortSignal): Promise<Metrics> {
  const count = xs.shape[0];
  const names = model.metricsNames;
  const sums = new Array<number>(names.length).fill(0);
  const sizer = new ChunkSizer();
  for (let start = 0; start < count; ) {
    signal?.throwIfAborted();
    const size = Math.min(sizer.size, count - start);
    const began = Date.now();
    const x = xs.slice(start, size);
    const y = ys.slice(start, size);
    const result = model.evaluate(x, y, { batchSize: size });
    const scalars = Array.isArray(result) ? result : [result];
    const values = await Promise.all(scalars.map(async (s) => (await s.data())[0]));
    for (const tensor of [x, y, ...scalars]) tensor.dispose();
    // Each value is a mean over the chunk: weigh it by the chunk's size.
    values.forEach((value, i) => (sums[i] += value * size));
    start += size;
    sizer.measured(Date.now() - began);
    await yieldToEventLoop();
  }
  const metrics: Metrics = {};
  names.forEach((name, i) => (metrics[name] = sums[i] / Math.max(1, count)));
  return metrics;
}

async function classify(tf: Tf, model: LayersModel, xs: Tensor, signal?: AbortSignal): Promise<{ predicted: Int32Array; confidence: Float32Array }> {
  const count = xs.shape[0];
  const predicted = new Int32Array(count);
  const confidence = new Float32Array(count);
  const sizer = new ChunkSizer();
  for (let start = 0; start < count; ) {
    signal?.throwIfAborted();
    const size = Math.min(sizer.size, count - start);
    const began = Date.now();
    const [classes, best] = tf.tidy(() => {
      const probabilities = model.predict(xs.slice(start, size), { batchSize: size }) as Tensor;
      return [probabilities.argMax(-1), probabilities.max(-1)];
    });
    predicted.set(await classes.data(), start);
    confidence.set(await best.data(), start);
    classes.dispose();
    best.dispose();
    start += size;
    sizer.measured(Date.now() - began);
    await yieldToEventLoop();
  }
  return { predicted, confidence };
}

function actualClasses(data: DataShape, split: Split): Int32Array {
  if (data.labelShape.length === 0) return Int32Array.from(split.y);
  // One-hot labels: the index of the largest value in each row.
  const k = data.labelShape[0];
  const out = new Int32Array(split.count);
  for (let i = 0; i < split.count; i++) {
    let best = 0;
    for (let j = 1; j < k; j++) if (split.y[i * k + j] > split.y[i * k + best]) best = j;
    out[i] = best;
  }
  return out;
}

export function confusion(actual: Int32Array, predicted: Int32Array, numClasses: number, names?: string[]): ConfusionMatrix {
  const matrix = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  for (let i = 0; i < actual.length; i++) matrix[actual[i]][predicted[i]]++;
  const labels = names ?? Array.from({ length: numClasses }, (_, i) => String(i));
  return { labels, matrix };
}

function worst(
  actual: Int32Array,
  predicted: Int32Array,
  confidence: Float32Array,
  limit: number,
  imageAt?: (index: number) => MisclassifiedExample['image'],
): MisclassifiedExample[] {
  const wrong: number[] = [];
  for (let i = 0; i < actual.length; i++) if (actual[i] !== predicted[i]) wrong.push(i);
  wrong.sort((a, b) => confidence[b] - confidence[a]);
  return wrong.slice(0, limit).map((index) => ({
    index,
    actual: actual[index],
    predicted: predicted[index],
    confidence: confidence[index],
    image: imageAt?.(index),
  }));
}

/** The sample as bytes for the dashboard: [h, w] or [h, w, c] scaled from [0,1]. */
function imageOf(data: DataShape, split: Split, index: number): MisclassifiedExample['image'] {
  const [height, width, channels = 1] = data.sampleShape;
  if (height === undefined || width === undefined) return undefined;
  const size = height * width * channels;
  const bytes = Buffer.alloc(size);
  const row = split.x.subarray(index * size, (index + 1) * size);
  for (let i = 0; i < size; i++) bytes[i] = Math.max(0, Math.min(255, Math.round(row[i] * 255)));
  return { width, height, channels, base64: bytes.toString('base64') };
}
