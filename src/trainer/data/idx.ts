// IDX files (the original MNIST format): magic 00 00 <type> <ndims>, then
// ndims big-endian uint32 sizes, then the values. Only unsigned bytes (0x08),
// which is what image and label files use. Gzipped files are unpacked.
import { UserError } from '../../shared/errors';
import type { IdxDataSpec } from '../../shared/spec';
import { toClassIndices, toFloat32, product } from './convert';
import { gunzipIfNeeded, readDataFile, resolveDataPath } from './files';
import type { SplitLimits } from './subset';
import { keptCount } from './subset';
import type { Dataset, LoadContext, Split } from './types';

export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

const typeNames: Record<number, string> = { 0x09: 'signed byte', 0x0b: 'short', 0x0c: 'int', 0x0d: 'float', 0x0e: 'double' };

export function parseIdx(bytes: Uint8Array, path: string): IdxArray {
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0) {
    throw new UserError(`${path} is not an IDX file (it does not start with 00 00); point the spec at an IDX images or labels file`);
  }
  const type = bytes[2];
  if (type !== 0x08) {
    const name = typeNames[type] ?? `unknown type 0x${type.toString(16)}`;
    throw new UserError(`${path} holds IDX ${name} values; only unsigned bytes (type 0x08) are supported`);
  }
  const ndims = bytes[3];
  const headerSize = 4 + 4 * ndims;
  if (ndims === 0 || bytes.length < headerSize) throw new UserError(`${path}: IDX header is truncated; download the file again`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  for (let i = 0; i < ndims; i++) dims.push(view.getUint32(4 + 4 * i, false));
  const expected = headerSize + product(dims);
  if (bytes.length < expected) {
    throw new UserError(`${path} is truncated: its header promises ${expected} bytes, the file has ${bytes.length}; download it again`);
  }
  return { dims, data: bytes.subarray(headerSize, expected) };
}

export function readIdx(path: string): IdxArray {
  return parseIdx(gunzipIfNeeded(readDataFile(path), path), path);
}

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
