// Builds each training batch from the samples in JS memory, in the epoch's
// shuffled order: one small copy per batch instead of a shuffled copy of the
// whole data set on the backend (a 188 MB gather that took seconds on wasm
// before the first batch of MNIST).
import type { Tensor } from '@tensorflow/tfjs';
import type { Tf } from '../core/backend/types';
import type { Split } from './data/types';

export class BatchMaker {
  /** Values per sample and per label. */
  readonly xSize: number;
  readonly ySize: number;

  constructor(
    private readonly tf: Tf,
    private readonly split: Split,
    readonly sampleShape: number[],
    readonly labelShape: number[],
  ) {
    this.xSize = product(sampleShape);
    this.ySize = product(labelShape);
  }

  /** Samples order[start..end) as an input and a float32 label tensor. */
  batch(order: Int32Array, start: number, end: number): [Tensor, Tensor] {
    const { x, y, count } = this.rows(order, start, end);
    return [this.tf.tensor(x, [count, ...this.sampleShape]), this.tf.tensor(y, [count, ...this.labelShape], 'float32')];
  }

  /** Samples order[start..end) as fresh arrays (backends may keep a reference to what they are given). */
  rows(order: Int32Array, start: number, end: number): { x: Float32Array; y: Float32Array; count: number } {
    const count = end - start;
    const { xSize, ySize, split } = this;
    const x = new Float32Array(count * xSize);
    const y = new Float32Array(count * ySize);
    for (let i = 0; i < count; i++) {
      const row = order[start + i];
      x.set(split.x.subarray(row * xSize, (row + 1) * xSize), i * xSize);
      y.set(split.y.subarray(row * ySize, (row + 1) * ySize), i * ySize);
    }
    return { x, y, count };
  }

  /** Samples [start, end) in stored order, as tensors (validation data). */
  range(start: number, end: number): [Tensor, Tensor] {
    const n = end - start;
    return [
      this.tf.tensor(this.split.x.slice(start * this.xSize, end * this.xSize), [n, ...this.sampleShape]),
      this.tf.tensor(Float32Array.from(this.split.y.subarray(start * this.ySize, end * this.ySize)), [n, ...this.labelShape], 'float32'),
    ];
  }
}

/** A batch's rows as an input and a float32 label tensor. */
export function batchTensors(tf: Tf, rows: { x: Float32Array; y: Float32Array; count: number }, sampleShape: number[], labelShape: number[]): [Tensor, Tensor] {
  return [tf.tensor(rows.x, [rows.count, ...sampleShape]), tf.tensor(rows.y, [rows.count, ...labelShape], 'float32')];
}

export function product(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

export function identityOrder(count: number): Int32Array {
  const order = new Int32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  return order;
}

/** Lets IPC messages, signals and timers through between batches. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
