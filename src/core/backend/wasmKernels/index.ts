// Gradient kernels that the wasm backend lacks, so conv nets can train on it,
// and one it has but runs slowly (BatchMatMul with a transposed operand).
// Each is composed of ops the wasm backend runs natively (slice, pad, matMul).
import type { KernelConfig } from '@tensorflow/tfjs';
import type { Tf } from '../types';
import { conv2dBackpropFilterKernel } from './conv2dBackpropFilter';
import { depthwiseConv2dBackpropFilterKernel } from './depthwiseConv2dBackpropFilter';
import { depthwiseConv2dBackpropInputKernel } from './depthwiseConv2dBackpropInput';
import { batchMatMulKernel, isWrappedBatchMatMul } from './batchMatMul';

export function wasmGradientKernels(tf: Tf): KernelConfig[] {
  return [
    conv2dBackpropFilterKernel(tf),
    depthwiseConv2dBackpropFilterKernel(tf),
    depthwiseConv2dBackpropInputKernel(tf),
  ];
}

/**
 * Registers the missing kernels on `tf`'s wasm backend; kernels already
 * present (a later TF.js release, or a second call) are left alone.
 * BatchMatMul is wrapped once. Returns the names it registered.
 */
export function installWasmKernels(tf: Tf): string[] {
  const installed: string[] = [];
  for (const config of wasmGradientKernels(tf)) {
    if (tf.getKernel(config.kernelName, 'wasm') !== undefined) continue;
    tf.registerKernel(config);
    installed.push(config.kernelName);
  }
  const matMul = tf.getKernel('BatchMatMul', 'wasm');
  if (matMul !== undefined && !isWrappedBatchMatMul(matMul)) {
    tf.unregisterKernel('BatchMatMul', 'wasm');
    tf.registerKernel(batchMatMulKernel(tf, matMul));
    installed.push('BatchMatMul');
  }
  return installed;
}
