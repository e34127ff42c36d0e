// DepthwiseConv2dNativeBackpropFilter for the wasm backend, which ships none.
// dW[kh,kw,c,m] = Σ_{n,oh,ow} x[n, oh*s+kh*d, ow*s+kw*d, c] · dy[n,oh,ow,c,m].
// With every (image, channel) pair as a channel of one image, that is a
// depthwise convolution of the input by dy (output stride d, dilation s),
// summed over the images afterwards: the wasm backend's compiled depthwise
// convolution does the work. TF.js convolutions cannot have both strides and
// dilations above 1; that rare case takes one batched matMul per kernel offset.
import type { DepthwiseConv2dNativeBackpropFilterAttrs, KernelConfig, Tensor, Tensor4D, TensorInfo } from '@tensorflow/tfjs';
import type { Tf } from '../types';
import { asTensor, inputWindow, paddedInput, type ConvInfo } from './geometry';

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
        const padded = paddedInput(tf, x, info);
        const stridesAreOne = info.strideHeight === 1 && info.strideWidth === 1;
        const dilationsAreOne = info.dilationHeight === 1 && info.dilationWidth === 1;
        const grad = stridesAreOne || dilationsAreOne ? byConvolution(tf, padded, dy, info) : byTaps(tf, padded, dy, info);
        return tf.reshape(grad, a.filterShape);
      });
    },
  };
}

function byConvolution(tf: Tf, padded: Tensor4D, dy: Tensor4D, info: ConvInfo): Tensor {
  const [n, height, width, channels] = padded.shape;
  const multiplier = info.outChannels / channels;
  // [N, H', W', C] -> [1, H', W', N*C]
  const input = tf.reshape(tf.transpose(padded, [1, 2, 0, 3]), [1, height, width, n * channels]) as Tensor4D;
  // [N, oH, oW, C*mult] -> [oH, oW, N*C, mult]
  const filter = tf.reshape(tf.transpose(dy, [1, 2, 0, 3]), [
    info.outHeight,
    info.outWidth,
    n * channels,
    multiplier,
  ]) as Tensor4D;
  const perImage = tf.depthwiseConv2d(
    input,
    filter,
    [info.dilationHeight, info.dilationWidth],
    'valid',
    'NHWC',
    [info.strideHeight, info.strideWidth],
  );
  return tf.sum(tf.reshape(perImage, [info.filterHeight, info.filterWidth, n, channels, multiplier]), 2);
}

function byTaps(tf: Tf, padded: Tensor4D, dy: Tensor4D, info: ConvInfo): Tensor {
  const channels = info.inChannels;
  const multiplier = info.outChannels / channels;
  const rows = info.batchSize * info.outHeight * info.outWidth;
  // [rows, C, mult] -> [C, rows, mult]
  const grads = tf.transpose(tf.reshape(dy, [rows, channels, multiplier]), [1, 0, 2]);
  const taps: Tensor[] = [];
  for (let kh = 0; kh < info.filterHeight; kh++) {
    for (let kw = 0; kw < info.filterWidth; kw++) {
      // [N, oH, oW, C] -> [C, 1, rows]
      const window = tf.transpose(tf.reshape(inputWindow(tf, padded, info, kh, kw), [rows, channels]));
      taps.push(tf.matMul(tf.reshape(window, [channels, 1, rows]), grads));
    }
  }
  // Small: fh*fw*C*mult values.
  return tf.stack(taps);
}
