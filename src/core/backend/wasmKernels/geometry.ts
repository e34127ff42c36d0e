// Shared geometry for the convolution gradients composed of wasm ops. The
// wasm backend's slice, pad, transpose, matMul and convolutions run in
// compiled code; its concat and stack run in JavaScript and are slow on large
// tensors, so the kernels here avoid them on anything but small results.
import type { Tensor, Tensor4D, TensorInfo, backend_util } from '@tensorflow/tfjs';
import type { Tf } from '../types';

export type ConvInfo = backend_util.Conv2DInfo;

/** Kernel inputs arrive as tensors from ops, but the contract is TensorInfo. */
export function asTensor(tf: Tf, info: TensorInfo | undefined, name: string): Tensor {
  if (info === undefined) throw new Error(`kernel input '${name}' is missing`);
  return info instanceof tf.Tensor ? info : tf.engine().makeTensorFromTensorInfo(info);
}

/**
 * Adds rows/columns of zeros at the edges of an NHWC tensor, or removes them
 * where an amount is negative.
 */
export function padOrCrop(tf: Tf, x: Tensor4D, top: number, bottom: number, left: number, right: number): Tensor4D {
  let out = x;
  if (top > 0 || bottom > 0 || left > 0 || right > 0) {
    out = tf.pad(out, [
      [0, 0],
      [Math.max(top, 0), Math.max(bottom, 0)],
      [Math.max(left, 0), Math.max(right, 0)],
      [0, 0],
    ]);
  }
  if (top < 0 || bottom < 0 || left < 0 || right < 0) {
    const [n, h, w, c] = out.shape;
    const cutTop = Math.max(-top, 0);
    const cutLeft = Math.max(-left, 0);
    out = tf.slice(
      out,
      [0, cutTop, cutLeft, 0],
      [n, h - cutTop - Math.max(-bottom, 0), w - cutLeft - Math.max(-right, 0), c],
    );
  }
  return out;
}

/**
 * Rows (or columns) of padded input from the first to the last position any
 * kernel offset reads.
 */
export function windowExtent(filter: number, dilation: number, out: number, stride: number): number {
  return (filter - 1) * dilation + (out - 1) * stride + 1;
}

/** The input padded (or cropped) to exactly the rows and columns the convolution reads. */
export function paddedInput(tf: Tf, x: Tensor4D, info: ConvInfo): Tensor4D {
  const { top, left } = info.padInfo;
  const height = windowExtent(info.filterHeight, info.dilationHeight, info.outHeight, info.strideHeight);
  const width = windowExtent(info.filterWidth, info.dilationWidth, info.outWidth, info.strideWidth);
  return padOrCrop(tf, x, top, height - top - info.inHeight, left, width - left - info.inWidth);
}

/**
 * The input window of kernel offset (kh, kw), [batch, outH, outW, C], from an
 * input already through paddedInput: what that filter tap multiplied.
 */
export function inputWindow(tf: Tf, padded: Tensor4D, info: ConvInfo, kh: number, kw: number): Tensor4D {
  const { batchSize, outHeight, outWidth, strideHeight, strideWidth } = info;
  const channels = padded.shape[3];
  const top = kh * info.dilationHeight;
  const left = kw * info.dilationWidth;
  if (strideHeight === 1 && strideWidth === 1) {
    return tf.slice(padded, [0, top, left, 0], [batchSize, outHeight, outWidth, channels]);
  }
  return tf.stridedSlice(
    padded,
    [0, top, left, 0],
    [batchSize, top + (outHeight - 1) * strideHeight + 1, left + (outWidth - 1) * strideWidth + 1, channels],
    [1, strideHeight, strideWidth, 1],
  ) as Tensor4D;
}

/** [N, oh, ow, C] -> [N, oh*sh, ow*sw, C], each value followed by stride-1 zeros. */
export function spreadByStride(tf: Tf, t: Tensor4D, strideHeight: number, strideWidth: number): Tensor4D {
  if (strideHeight === 1 && strideWidth === 1) return t;
  const [n, h, w, c] = t.shape;
  const six = tf.reshape(t, [n, h, 1, w, 1, c]);
  const spread = tf.pad(six, [
    [0, 0],
    [0, 0],
    [0, strideHeight - 1],
    [0, 0],
    [0, strideWidth - 1],
    [0, 0],
  ]);
  return tf.reshape(spread, [n, h * strideHeight, w * strideWidth, c]) as Tensor4D;
}
