// `subset` keeps the first N samples of a split. Loaders get the limits up
// front so they convert only what is kept; applySubset trims whatever a
// loader returned with views (subarray), never a copy.
import { UserError } from '../../shared/errors';
import type { SubsetSpec } from '../../shared/spec';
import type { Dataset, Split } from './types';

export interface SplitLimits {
  train?: number;
  test?: number;
}

export function subsetLimits(subset: SubsetSpec | undefined): SplitLimits {
  const limits: SplitLimits = {};
  for (const key of ['train', 'test'] as const) {
    const n = subset?.[key];
    if (n === undefined) continue;
    if (!Number.isInteger(n) || n < 1) {
      throw new UserError(`data.subset.${key} is ${n}; use a whole number of samples, 1 or more`);
    }
    limits[key] = n;
  }
  return limits;
}

/** How many of `count` samples to keep. */
export function keptCount(count: number, limit: number | undefined): number {
  return limit === undefined ? count : Math.min(count, limit);
}

export function trimSplit(split: Split, limit: number | undefined, sampleSize: number, labelSize: number): Split {
  const count = keptCount(split.count, limit);
  if (count === split.count) return split;
  return { x: split.x.subarray(0, count * sampleSize), y: split.y.subarray(0, count * labelSize), count };
}

export function applySubset(data: Dataset, limits: SplitLimits): Dataset {
  const sampleSize = data.sampleShape.reduce((a, b) => a * b, 1);
  const labelSize = data.labelShape.reduce((a, b) => a * b, 1);
  return {
    ...data,
    train: trimSplit(data.train, limits.train, sampleSize, labelSize),
    test: data.test && trimSplit(data.test, limits.test, sampleSize, labelSize),
  };
}
