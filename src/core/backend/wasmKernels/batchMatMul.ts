// BatchMatMul for the wasm backend, around its own. That one hands a product
// to XNNPACK only when neither operand is transposed; with a transpose it runs
// a plain loop about ten times slower (7 ms against 0.7 ms for the MNIST MLP's
// 784x32x128 weight gradient). The backward pass of every dense layer takes
// two transposed products, so this kernel transposes the operand first (a
// cheap copy) and asks for the untransposed product.
import type { BatchMatMulAttrs, KernelConfig, KernelFunc, Tensor, TensorInfo } from '@tensorflow/tfjs';
import type { Tf } from '../types';
import { asTensor } from './geometry';

/** Marks the wrapper, so installing twice does not wrap it again. */
const WRAPPED = Symbol('modelStudioBatchMatMul');

export function isWrappedBatchMatMul(config: KernelConfig | undefined): boolean {
  return config !== undefined && WRAPPED in config;
}

export function batchMatMulKernel(tf: Tf, original: KernelConfig): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const attrs = args.attrs as unknown as BatchMatMulAttrs;
    if (!attrs.transposeA && !attrs.transposeB) return original.kernelFunc(args);
    const made: Tensor[] = [];
    const swapLastTwo = (info: TensorInfo | undefined, name: string): TensorInfo => {
      const t = asTensor(tf, info, name);
      const perm = t.shape.map((_, i) => i);
      [perm[perm.length - 2], perm[perm.length - 1]] = [perm[perm.length - 1], perm[perm.length - 2]];
      const swapped = tf.transpose(t, perm);
      made.push(swapped);
      return swapped;
    };
    try {
      const a = attrs.transposeA ? swapLastTwo(args.inputs.a, 'a') : args.inputs.a;
      const b = attrs.transposeB ? swapLastTwo(args.inputs.b, 'b') : args.inputs.b;
      return original.kernelFunc({ ...args, inputs: { a, b }, attrs: { ...args.attrs, transposeA: false, transposeB: false } });
    } finally {
      tf.dispose(made);
    }
  };
  return { ...original, kernelFunc, [WRAPPED]: true } as KernelConfig;
}
