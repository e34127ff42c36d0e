// Conv2DBackpropFilter for the wasm backend, which ships none.
// dW[kh,kw,ci,co] = Σ_{n,oh,ow} x[n, oh*s+kh, ow*s+kw, ci] · dy[n,oh,ow,co] is
// itself a convolution: of the input seen as [ci, H, W, batch] with dy seen as
// a [outH, outW, batch, co] filter (dilated by the stride), so the wasm
// backend's compiled Conv2D does the work, batch sum included.
import type { Conv2DBackpropFilterAttrs, KernelConfig, Tensor4D, TensorInfo } from '@tensorflow/tfjs';
import type { Tf } from '../types';
import { asTensor, paddedInput } from './geometry';

export function conv2dBackpropFilterKernel(tf: Tf): KernelConfig {
  return {
    kernelName: 'Conv2DBackpropFilter',
    backendName: 'wasm',
    kernelFunc: ({ inputs, attrs }): TensorInfo => {
      const a = attrs as unknown as Conv2DBackpropFilterAttrs;
      return tf.tidy(() => {
        let x = asTensor(tf, inputs.x, 'x') as Tensor4D;
        let dy = asTensor(tf, inputs.dy, 'dy') as Tensor4D;
        if (a.dataFormat === 'NCHW') {
          x = tf.transpose(x, [0, 2, 3, 1]);
          dy = tf.transpose(dy, [0, 2, 3, 1]);
        }
        const info = tf.backend_util.computeConv2DInfo(
          x.shape,
          a.filterShape,
          a.strides,
          1,
          a.pad,
          a.dimRoundingMode,
          false,
          'channelsLast',
        );
        // [N, H', W', ci] -> [ci, H', W', N], with H' exactly what the windows span.
        const input = tf.transpose(paddedInput(tf, x, info), [3, 1, 2, 0]);
        // [N, oH, oW, co] -> [oH, oW, N, co]
        const filter = tf.transpose(dy, [1, 2, 0, 3]);
        const grad = tf.conv2d(input, filter, 1, 'valid', 'NHWC', [info.strideHeight, info.strideWidth]);
        // [ci, fh, fw, co] -> [fh, fw, ci, co]
        return tf.transpose(grad, [1, 2, 0, 3]);
      });
    },
  };
}
