// DepthwiseConv2dNativeBackpropFilter for the wasm backend, which ships none.
// Channel c of the output only sees channel c of the input, so per kernel
// offset the gradient is one batched matMul over channels:
// [C, 1, rows] · [C, rows, multiplier], summed over the batch by the product.
import type { DepthwiseConv2dNativeBackpropFilterAttrs, KernelConfig, Tensor, Tensor4D, TensorInfo } from '@tensorflow/tfjs';
import type { Tf } from '../types';
import { asTensor, inputWindow, paddedInput } from './geometry';

export function depthwiseConv2dBackpropFilterKernel(tf: Tf): KernelConfig {
  return {
    kernelName: 'DepthwiseConv2dNativeBackpropFilter',
    backendName: 'wasm',
    kernelFunc: ({ inputs, attrs }): TensorInfo => {
      const a = attrs as unknown as DepthwiseConv2dNativeBackpropFilterAttrs;
      return tf.tidy(() => {
        const x = asTensor(tf, inputs.x, 'x') as Tensor4D;
        const dy = asTensor(tf, inputs.dy, 'dy') as Tensor4D;
        const info = tf.backend_util.computeConv2DInfo(
          x.shape,
          a.filterShape,
          a.strides,
          a.dilations,
          a.pad,
          a.dimRoundingMode,
          true,
          'channelsLast',
        );
        const channels = info.inChannels;
        const multiplier = info.outChannels / channels;
        const rows = info.batchSize * info.outHeight * info.outWidth;
        const padded = paddedInput(tf, x, info);
        // [rows, C, mult] -> [C, rows, mult]
        const grads = tf.transpose(tf.reshape(dy, [rows, channels, multiplier]), [1, 0, 2]);
        const taps: Tensor[] = [];
        for (let kh = 0; kh < info.filterHeight; kh++) {
          for (let kw = 0; kw < info.filterWidth; kw++) {
            // [N, oH, oW, C] -> [C, 1, rows]
            const window = tf.reshape(tf.transpose(tf.reshape(inputWindow(tf, padded, info, kh, kw), [rows, channels])), [
              channels,
              1,
              rows,
            ]);
            taps.push(tf.reshape(tf.matMul(window, grads), [channels, multiplier]));
          }
        }
        // Small: fh*fw*C*mult values.
        return tf.reshape(tf.stack(taps), a.filterShape);
      });
    },
  };
}
