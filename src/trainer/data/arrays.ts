// Turns decoded x/y arrays (from .npy or .npz) into a Dataset: integer 1-D
// labels are class indices, float 1-D labels are regression targets, 2-D
// labels are one-hot rows or several targets.
import { UserError } from '../../shared/errors';
import { product, toClassIndices, toFloat32 } from './convert';
import type { NpyArray } from './npy';
import { keptCount } from './subset';
import type { Dataset, Split } from './types';

export interface ArrayPair {
  x: NpyArray;
  y: NpyArray;
  /** How the arrays are named in messages, e.g. "data.npz:x_train". */
  xName: string;
  yName: string;
}

interface LabelInfo {
  labelShape: number[];
  numClasses?: number;
}

/** Default scale: bytes are pixels (0..255), anything else is taken as is. */
export function defaultScale(x: NpyArray): number {
  return x.dtype.endsWith('u1') ? 255 : 1;
}

export function arraysToDataset(train: ArrayPair, test: ArrayPair | undefined, scale: number | undefined, limits: { train?: number; test?: number }): Dataset {
  const s = scale ?? defaultScale(train.x);
  if (!(s > 0)) throw new UserError(`data.scale is ${s}; use a positive number (255 for bytes)`);
  const trainPart = convertPair(train, s, limits.train);
  const testPart = test ? convertPair(test, s, limits.test) : undefined;
  if (testPart) {
    if (testPart.sampleShape.join() !== trainPart.sampleShape.join()) {
      throw new UserError(
        `${test?.xName} samples are [${testPart.sampleShape.join(', ')}] but ${train.xName} samples are [${trainPart.sampleShape.join(', ')}]; both splits need the same sample shape`,
      );
    }
    if (testPart.labels.labelShape.join() !== trainPart.labels.labelShape.join()) {
      throw new UserError(`${test?.yName} and ${train.yName} have different label shapes; both splits need the same kind of labels`);
    }
  }
  const numClasses =
    trainPart.labels.numClasses === undefined ? undefined : Math.max(trainPart.labels.numClasses, testPart?.labels.numClasses ?? 0);
  return {
    sampleShape: trainPart.sampleShape,
    labelShape: trainPart.labels.labelShape,
    numClasses,
    kind: trainPart.sampleShape.length >= 2 ? 'image' : 'tabular',
    train: trainPart.split,
    test: testPart?.split,
  };
}

function convertPair(pair: ArrayPair, scale: number, limit: number | undefined): { sampleShape: number[]; labels: LabelInfo; split: Split } {
  const { x, y, xName, yName } = pair;
  if (x.shape.length < 1) throw new UserError(`${xName} is a scalar; it needs one row per sample`);
  if (y.shape.length < 1 || y.shape.length > 2) {
    throw new UserError(`${yName} has shape (${y.shape.join(', ')}); labels need shape (n,) or (n, k)`);
  }
  if (x.shape[0] !== y.shape[0]) {
    throw new UserError(`${xName} has ${x.shape[0]} samples but ${yName} has ${y.shape[0]} labels; they must match`);
  }
  const count = keptCount(x.shape[0], limit);
  const sampleShape = x.shape.length === 1 ? [1] : x.shape.slice(1);
  const xs = toFloat32(x.data, scale, count * product(sampleShape));
  if (y.shape.length === 1 && y.kind !== 'f') {
    const { labels, bad, max } = toClassIndices(y.data, count);
    if (bad >= 0) throw new UserError(`${yName}[${bad}] is ${y.data[bad]}; class labels must be 0 or more`);
    return { sampleShape, labels: { labelShape: [], numClasses: max + 1 }, split: { x: xs, y: labels, count } };
  }
  const k = y.shape.length === 2 ? y.shape[1] : 1;
  const ys = toFloat32(y.data, 1, count * k);
  const numClasses = y.shape.length === 2 && isOneHot(ys, k) ? k : undefined;
  return { sampleShape, labels: { labelShape: [k], numClasses }, split: { x: xs, y: ys, count } };
}

function isOneHot(values: Float32Array, k: number): boolean {
  for (let row = 0; row < values.length; row += k) {
    let sum = 0;
    for (let j = row; j < row + k; j++) {
      const v = values[j];
      if (v !== 0 && v !== 1) return false;
      sum += v;
    }
    if (sum !== 1) return false;
  }
  return true;
}
