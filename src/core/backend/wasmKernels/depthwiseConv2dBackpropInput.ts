// DepthwiseConv2dNativeBackpropInput for the wasm backend, which ships none.
// The input gradient is a depthwise convolution of dy (spread by the stride
// and padded) with the filter turned 180°, one output channel per
// (channel, multiplier) pair, then summed over the multiplier.
import type { DepthwiseConv2dNativeBackpropInputAttrs, KernelConfig, Tensor4D, TensorInfo } from '@tensorflow/tfjs';
import type { Tf } from '../types';
import { asTensor, padOrCrop, spreadByStride } from './geometry';

export function depthwiseConv2dBackpropInputKernel(tf: Tf): KernelConfig {
  return {
    kernelName: 'DepthwiseConv2dNativeBackpropInput',
    backendName: 'wasm',
    kernelFunc: ({ inputs, attrs }): TensorInfo => {
      const a = attrs as unknown as DepthwiseConv2dNativeBackpropInputAttrs;
      return tf.tidy(() => {
        const dy = asTensor(tf, inputs.dy, 'dy') as Tensor4D;
        const filter = asTensor(tf, inputs.filter, 'filter') as Tensor4D;
        const info = tf.backend_util.computeConv2DInfo(
          a.inputShape,
          filter.shape,
          a.strides,
          a.dilations,
          a.pad,
          a.dimRoundingMode,
          true,
          'channelsLast',
        );
        const { batchSize, inHeight, inWidth, inChannels: channels, filterHeight, filterWidth } = info;
        const multiplier = info.outChannels / channels;
        const reachH = (filterHeight - 1) * info.dilationHeight;
        const reachW = (filterWidth - 1) * info.dilationWidth;
        const spread = spreadByStride(tf, dy, info.strideHeight, info.strideWidth);
        // Pad so that output row i reads spread rows i + top - kh*dilation for every kh.
        const topPad = reachH - info.padInfo.top;
        const leftPad = reachW - info.padInfo.left;
        const padded = padOrCrop(
          tf,
          spread,
          topPad,
          inHeight + reachH - topPad - spread.shape[1],
          leftPad,
          inWidth + reachW - leftPad - spread.shape[2],
        );
        // [fh, fw, C, mult] turned 180° -> [fh, fw, C*mult, 1]
        const flipped = tf.reshape(tf.reverse(filter, [0, 1]), [filterHeight, filterWidth, channels * multiplier, 1]);
        const perPair = tf.depthwiseConv2d(padded, flipped as Tensor4D, 1, 'valid', 'NHWC', [
          info.dilationHeight,
          info.dilationWidth,
        ]);
        if (multiplier === 1) return perPair;
        return tf.sum(tf.reshape(perPair, [batchSize, inHeight, inWidth, channels, multiplier]), 4);
      });
    },
  };
}
