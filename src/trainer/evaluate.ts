// Test-set evaluation: the compiled metrics, and for classifiers a confusion
// matrix and the misclassified examples the model was most sure about.
import type { LayersModel, Tensor } from '@tensorflow/tfjs';
import type { Tf } from '../core/backend/types';
import type { ConfusionMatrix, Evaluation, Metrics, MisclassifiedExample } from '../shared/events';
import type { Dataset, Split } from './data/types';

const BATCH = 512;

export async function evaluateModel(
  tf: Tf,
  model: LayersModel,
  data: Dataset,
  split: Split,
  options: { worstExamples: number },
): Promise<Evaluation> {
  const xs = tf.tensor(split.x, [split.count, ...data.sampleShape]);
  const ys = labelTensor(tf, data, split);
  try {
    const metrics = await compiledMetrics(model, xs, ys);
    if (data.numClasses === undefined || data.labelShape.length > 1) {
      return { metrics, samples: split.count };
    }
    const { predicted, confidence } = await classify(tf, model, xs);
    const actual = actualClasses(data, split);
    return {
      metrics,
      samples: split.count,
      confusionMatrix: confusion(actual, predicted, data.numClasses, data.classNames),
      misclassified: worst(data, split, actual, predicted, confidence, options.worstExamples),
    };
  } finally {
    xs.dispose();
    ys.dispose();
  }
}

export function labelTensor(tf: Tf, data: Dataset, split: Split): Tensor {
  if (data.labelShape.length === 0) return tf.tensor1d(Float32Array.from(split.y));
  return tf.tensor(split.y, [split.count, ...data.labelShape], 'float32');
}

async function compiledMetrics(model: LayersModel, xs: Tensor, ys: Tensor): Promise<Metrics> {
  const result = model.evaluate(xs, ys, { batchSize: BATCH });
  const scalars = Array.isArray(result) ? result : [result];
  const values = await Promise.all(scalars.map(async (s) => (await s.data())[0]));
  scalars.forEach((s) => s.dispose());
  const metrics: Metrics = {};
  model.metricsNames.forEach((name, i) => (metrics[name] = values[i]));
  return metrics;
}

async function classify(tf: Tf, model: LayersModel, xs: Tensor): Promise<{ predicted: Int32Array; confidence: Float32Array }> {
  const count = xs.shape[0];
  const predicted = new Int32Array(count);
  const confidence = new Float32Array(count);
  for (let start = 0; start < count; start += BATCH) {
    const size = Math.min(BATCH, count - start);
    const [classes, best] = tf.tidy(() => {
      const probabilities = model.predict(xs.slice(start, size)) as Tensor;
      return [probabilities.argMax(-1), probabilities.max(-1)];
    });
    predicted.set(await classes.data(), start);
    confidence.set(await best.data(), start);
    classes.dispose();
    best.dispose();
  }
  return { predicted, confidence };
}

function actualClasses(data: Dataset, split: Split): Int32Array {
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
  data: Dataset,
  split: Split,
  actual: Int32Array,
  predicted: Int32Array,
  confidence: Float32Array,
  limit: number,
): MisclassifiedExample[] {
  const wrong: number[] = [];
  for (let i = 0; i < actual.length; i++) if (actual[i] !== predicted[i]) wrong.push(i);
  wrong.sort((a, b) => confidence[b] - confidence[a]);
  return wrong.slice(0, limit).map((index) => ({
    index,
    actual: actual[index],
    predicted: predicted[index],
    confidence: confidence[index],
    image: data.kind === 'image' ? imageOf(data, split, index) : undefined,
  }));
}

/** The sample as bytes for the dashboard: [h, w] or [h, w, c] scaled from [0,1]. */
function imageOf(data: Dataset, split: Split, index: number): MisclassifiedExample['image'] {
  const [height, width, channels = 1] = data.sampleShape;
  if (height === undefined || width === undefined) return undefined;
  const size = height * width * channels;
  const bytes = Buffer.alloc(size);
  const row = split.x.subarray(index * size, (index + 1) * size);
  for (let i = 0; i < size; i++) bytes[i] = Math.max(0, Math.min(255, Math.round(row[i] * 255)));
  return { width, height, channels, base64: bytes.toString('base64') };
}
