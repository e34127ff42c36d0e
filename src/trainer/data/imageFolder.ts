// Image folders: one sub-folder per class (names sorted = class indices),
// PNG and JPEG files inside. Samples interleave the classes (one of each in
// turn) so that `subset` keeps a balanced sample instead of the first class.
import { readdirSync } from 'node:fs';
import { extname, join } from 'node:path';
import { UserError } from '../../shared/errors';
import type { ImageFolderDataSpec } from '../../shared/spec';
import { fileError, readDataFile, resolveDataPath } from '../../core/dataFiles';
import { decodeImage, resizeInto } from './image';
import type { SplitLimits } from './subset';
import { keptCount } from './subset';
import type { Dataset, LoadContext, Split } from './types';

const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg']);

interface Listing {
  classNames: string[];
  /** [file, class index] in interleaved order. */
  files: Array<[string, number]>;
}

export function listImageFolder(root: string, classNames?: string[]): Listing {
  let entries;
  try {
    entries = readdirSync(root, { withFileTypes: true });
  } catch (error) {
    throw fileError(root, error);
  }
  // Hidden folders (.git, .ipynb_checkpoints) are not classes.
  const found = entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name).sort();
  const names = classNames ?? found;
  if (names.length === 0) throw new UserError(`${root} has no class sub-folders; put each class's images in its own sub-folder`);
  const unknown = found.filter((n) => !names.includes(n));
  if (unknown.length > 0) {
    throw new UserError(`${root} has class folders the training folder lacks (${unknown.join(', ')}); use the same class folders in both`);
  }
  const perClass = names.map((name) => {
    let files: string[];
    try {
      files = readdirSync(join(root, name));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' && classNames) return [];
      throw fileError(join(root, name), error);
    }
    return files.filter((f) => IMAGE_EXTENSIONS.has(extname(f).toLowerCase())).sort().map((f) => join(root, name, f));
  });
  const empty = names.filter((_, i) => perClass[i].length === 0);
  if (!classNames && empty.length > 0) {
    throw new UserError(`${root}: class folder(s) ${empty.join(', ')} hold no .png or .jpg files; add images or remove the folder`);
  }
  if (perClass.every((f) => f.length === 0)) throw new UserError(`${root} holds no .png or .jpg files; add images to its class folders`);
  const files: Array<[string, number]> = [];
  const longest = Math.max(...perClass.map((f) => f.length));
  for (let i = 0; i < longest; i++) {
    perClass.forEach((list, c) => {
      if (i < list.length) files.push([list[i], c]);
    });
  }
  return { classNames: names, files };
}

function loadSplit(listing: Listing, spec: ImageFolderDataSpec, channels: 1 | 3, limit: number | undefined, ctx: LoadContext): Split {
  const [height, width] = spec.imageSize;
  const count = keptCount(listing.files.length, limit);
  const sampleSize = height * width * channels;
  const x = new Float32Array(count * sampleSize);
  const y = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const [file, label] = listing.files[i];
    if (i % 100 === 0) {
      ctx.signal?.throwIfAborted();
      ctx.onProgress?.('Decoding images', i, count);
    }
    resizeInto(decodeImage(readDataFile(file), file), height, width, channels, x, i * sampleSize);
    y[i] = label;
  }
  return { x, y, count };
}

export function loadImageFolder(spec: ImageFolderDataSpec, ctx: LoadContext, limits: SplitLimits): Dataset {
  const size = spec.imageSize;
  if (!Array.isArray(size) || size.length !== 2 || !size.every((d) => Number.isInteger(d) && d > 0 && d <= 4096)) {
    throw new UserError(`data.imageSize is ${JSON.stringify(size)}; use [height, width] in pixels, e.g. [64, 64]`);
  }
  const channels = spec.channels ?? 3;
  if (channels !== 1 && channels !== 3) throw new UserError(`data.channels is ${String(channels)}; use 1 (grey) or 3 (RGB)`);
  const train = listImageFolder(resolveDataPath(ctx.baseDir, spec.train));
  const test = spec.test ? listImageFolder(resolveDataPath(ctx.baseDir, spec.test), train.classNames) : undefined;
  return {
    sampleShape: [size[0], size[1], channels],
    labelShape: [],
    numClasses: train.classNames.length,
    classNames: train.classNames,
    kind: 'image',
    train: loadSplit(train, spec, channels, limits.train, ctx),
    test: test && loadSplit(test, spec, channels, limits.test, ctx),
  };
}
