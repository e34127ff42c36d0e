// Data loading for the trainer: one small loader per data type, all returning
// plain typed arrays (see types.ts). Relative paths resolve against the spec's
// folder; every missing or malformed file is a one-line UserError.
import { UserError } from '../../shared/errors';
import type { DataSpec } from '../../shared/spec';
import { loadCsv } from './csv';
import { loadCsvStreamed, streamsCsv } from './csvStream';
import { loadIdx } from './idx';
import { loadImageFolder } from './imageFolder';
import { loadMnist } from './mnist';
import { loadNpy, loadNpz } from './npz';
import { applySubset, subsetLimits } from './subset';
import type { Dataset, LoadContext, TrainingData } from './types';

export type { DataShape, Dataset, LoadContext, RowBlock, Split, StreamedDataset, StreamedSplit, TrainingData } from './types';
export { isStreamed } from './types';
export { KERAS_MNIST_SHA256, KERAS_MNIST_URL, MNIST_SOURCE_ENV } from './mnist';

export async function loadDataset(spec: DataSpec, ctx: LoadContext): Promise<Dataset> {
  const limits = subsetLimits(spec.subset);
  ctx.signal?.throwIfAborted();
  const data = await loadByType(spec, ctx, limits);
  ctx.signal?.throwIfAborted();
  return applySubset(data, limits);
}

/** The data to train on: loaded whole, or (a big or `streaming` CSV) read in passes. */
export async function loadTrainingData(spec: DataSpec, ctx: LoadContext): Promise<TrainingData> {
  if (spec.type !== 'csv' || !streamsCsv(spec, ctx)) return loadDataset(spec, ctx);
  const limits = subsetLimits(spec.subset);
  ctx.signal?.throwIfAborted();
  const data = await loadCsvStreamed(spec, ctx, limits);
  ctx.signal?.throwIfAborted();
  return data;
}

async function loadByType(spec: DataSpec, ctx: LoadContext, limits: ReturnType<typeof subsetLimits>): Promise<Dataset> {
  switch (spec.type) {
    case 'mnist':
      return loadMnist(spec, ctx, limits);
    case 'idx':
      return loadIdx(spec, ctx, limits);
    case 'csv':
      return loadCsv(spec, ctx, limits);
    case 'npz':
      return loadNpz(spec, ctx, limits);
    case 'npy':
      return loadNpy(spec, ctx, limits);
    case 'imageFolder':
      return loadImageFolder(spec, ctx, limits);
    default: {
      const unknown: { type?: unknown } = spec;
      throw new UserError(`Unknown data type '${String(unknown.type)}'; use mnist, idx, csv, npz, npy or imageFolder`);
    }
  }
}
