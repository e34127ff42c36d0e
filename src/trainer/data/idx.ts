// IDX data sets (the original MNIST format): an images file and a labels
// file per split, converted to the trainer's float arrays.
import { UserError } from '../../shared/errors';
import type { IdxDataSpec } from '../../shared/spec';
import { readIdx } from '../../core/idx';
import { resolveDataPath } from '../../core/dataFiles';
import { toClassIndices, toFloat32, product } from './convert';
import type { SplitLimits } from './subset';
import { keptCount } from './subset';
import type { Dataset, LoadContext, Split } from './types';

export interface IdxPair {
  sampleShape: number[];
  split: Split;
  maxLabel: number;
}

/** Reads an images/labels pair, converting only the first `limit` samples. */
export function loadIdxPair(imagesPath: string, labelsPath: string, scale: number, limit?: number): IdxPair {
  const images = readIdx(imagesPath);
  const labels = readIdx(labelsPath);
  if (labels.dims.length !== 1) {
    throw new UserError(`${labelsPath} has shape [${labels.dims.join(', ')}], labels need one dimension; is it an images file?`);
  }
  if (images.dims.length < 2) {
    throw new UserError(`${imagesPath} has shape [${images.dims.join(', ')}], images need at least two dimensions; is it a labels file?`);
  }
  if (images.dims[0] !== labels.dims[0]) {
    throw new UserError(
      `${imagesPath} has ${images.dims[0]} images but ${labelsPath} has ${labels.dims[0]} labels; use the labels file that belongs to these images`,
    );
  }
  const count = keptCount(images.dims[0], limit);
  const sampleShape = images.dims.slice(1);
  const x = toFloat32(images.data, scale, count * product(sampleShape));
  const { labels: y, bad, max } = toClassIndices(labels.data, count);
  if (bad >= 0) throw new UserError(`${labelsPath}: label ${bad} is not a class index`);
  return { sampleShape, split: { x, y, count }, maxLabel: max };
}

export function loadIdx(spec: IdxDataSpec, ctx: LoadContext, limits: SplitLimits): Dataset {
  const scale = spec.scale ?? 255;
  if (!(scale > 0)) throw new UserError(`data.scale is ${scale}; use a positive number (255 for bytes)`);
  const pair = (files: IdxDataSpec['train'], limit?: number): IdxPair =>
    loadIdxPair(resolveDataPath(ctx.baseDir, files.images), resolveDataPath(ctx.baseDir, files.labels), scale, limit);
  const train = pair(spec.train, limits.train);
  const test = spec.test ? pair(spec.test, limits.test) : undefined;
  if (test && test.sampleShape.join() !== train.sampleShape.join()) {
    throw new UserError(
      `Test images are [${test.sampleShape.join(', ')}] but training images are [${train.sampleShape.join(', ')}]; use files of the same size`,
    );
  }
  return {
    sampleShape: train.sampleShape,
    labelShape: [],
    numClasses: Math.max(train.maxLabel, test?.maxLabel ?? -1) + 1,
    kind: train.sampleShape.length >= 2 ? 'image' : 'tabular',
    train: train.split,
    test: test?.split,
  };
}
