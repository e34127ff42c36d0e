// .npz (numpy.savez / savez_compressed) and .npy data sets. Member names
// default to Keras' x_train, y_train, x_test, y_test.
import { UserError } from '../../shared/errors';
import type { NpyDataSpec, NpzDataSpec } from '../../shared/spec';
import type { ArrayPair } from './arrays';
import { arraysToDataset } from './arrays';
import { readDataFile, resolveDataPath } from '../../core/dataFiles';
import type { NpyArray } from './npy';
import { parseNpy } from './npy';
import type { SplitLimits } from './subset';
import type { Dataset, LoadContext } from './types';
import { openZip } from './zip';

export function readNpz(path: string, keys: NpzDataSpec['keys'] = {}): { train: ArrayPair; test?: ArrayPair } {
  const zip = openZip(readDataFile(path), path);
  const names = zip.names.map((n) => n.replace(/\.npy$/, ''));
  const member = (key: string): NpyArray => {
    const entry = zip.names.includes(`${key}.npy`) ? `${key}.npy` : key;
    if (!zip.names.includes(entry)) {
      throw new UserError(`${path} has no array '${key}' (it has: ${names.join(', ')}); set data.keys to the names it uses`);
    }
    return parseNpy(zip.read(entry), `${path}:${key}`);
  };
  const pair = (xKey: string, yKey: string): ArrayPair => ({
    x: member(xKey),
    y: member(yKey),
    xName: `${path}:${xKey}`,
    yName: `${path}:${yKey}`,
  });
  const xTest = keys.xTest ?? 'x_test';
  const yTest = keys.yTest ?? 'y_test';
  const hasTest = names.includes(xTest) && names.includes(yTest);
  return { train: pair(keys.xTrain ?? 'x_train', keys.yTrain ?? 'y_train'), test: hasTest ? pair(xTest, yTest) : undefined };
}

export function loadNpz(spec: NpzDataSpec, ctx: LoadContext, limits: SplitLimits): Dataset {
  const { train, test } = readNpz(resolveDataPath(ctx.baseDir, spec.path), spec.keys);
  return arraysToDataset(train, test, spec.scale, limits);
}

export function readNpyFile(path: string): NpyArray {
  return parseNpy(readDataFile(path), path);
}

export function loadNpy(spec: NpyDataSpec, ctx: LoadContext, limits: SplitLimits): Dataset {
  const pair = (files: NpyDataSpec['train']): ArrayPair => {
    const xName = resolveDataPath(ctx.baseDir, files.x);
    const yName = resolveDataPath(ctx.baseDir, files.y);
    return { x: readNpyFile(xName), y: readNpyFile(yName), xName, yName };
  };
  return arraysToDataset(pair(spec.train), spec.test && pair(spec.test), spec.scale, limits);
}
