// What every data loader returns: plain typed arrays, no TF.js. The trainer
// turns them into tensors in one copy each (no per-element callbacks).

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

export interface Dataset {
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
  train: Split;
  test?: Split;
}

export interface LoadContext {
  /** Folder the spec file is in; relative data paths resolve against it. */
  baseDir: string;
  /** Reports long work such as a download: done and total in bytes or items. */
  onProgress?: (message: string, done: number, total?: number) => void;
  signal?: AbortSignal;
}
