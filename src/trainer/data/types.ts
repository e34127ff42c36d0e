// What every data loader returns: plain typed arrays, no TF.js. The trainer
// turns them into tensors in one copy each (no per-element callbacks). A CSV
// too big for memory is a StreamedDataset instead: its splits are read from
// the file, a block of rows at a time, on every pass.

export interface Split {
  /** Inputs, row-major, `count * product(sampleShape)` values, already scaled. */
  x: Float32Array;
  /**
   * Labels: class indices for classification (`labelShape` = []), or
   * `count * product(labelShape)` values for one-hot or regression targets.
   */
  y: Int32Array | Float32Array;
  count: number;
}

/** Rows in file order; `x` and `y` may be longer than `count` rows and are reused for the next block. */
export interface RowBlock {
  /** `product(sampleShape)` values a row. */
  x: Float32Array;
  /** One label a row: a class index or a regression target. */
  y: Float32Array;
  count: number;
}

export interface StreamedSplit {
  count: number;
  /**
   * Rows [from, to) in file order, a block at a time (each block valid until
   * the next is asked for). Ends early, without an error, once `signal` is aborted.
   */
  blocks(from: number, to: number, signal?: AbortSignal): AsyncGenerator<RowBlock>;
}

/** What the model and the checks need to know of any data set. */
export interface DataShape {
  /** Shape of one input sample, e.g. [28, 28] for MNIST. */
  sampleShape: number[];
  /** Shape of one label: [] for class indices, [k] for one-hot or k targets. */
  labelShape: number[];
  /** Number of classes for classification data; undefined for regression. */
  numClasses?: number;
  /** Class names when the data has them (CSV strings, image-folder names). */
  classNames?: string[];
  /** 'image' when samples are pictures (the dashboard draws misclassified ones). */
  kind: 'image' | 'tabular';
}

export interface Dataset extends DataShape {
  train: Split;
  test?: Split;
}

export interface StreamedDataset extends DataShape {
  streamed: true;
  train: StreamedSplit;
  test?: StreamedSplit;
  /** Rows the shuffle buffer holds while training. */
  shuffleBuffer: number;
}

export type TrainingData = Dataset | StreamedDataset;

export function isStreamed(data: TrainingData): data is StreamedDataset {
  return 'streamed' in data;
}

export interface LoadContext {
  /** Folder the spec file is in; relative data paths resolve against it. */
  baseDir: string;
  /** Reports long work such as a download: done and total in bytes or items. */
  onProgress?: (message: string, done: number, total?: number) => void;
  /** Says which way the data is read when that was decided for the user. */
  log?: (message: string) => void;
  signal?: AbortSignal;
}
