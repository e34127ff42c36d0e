// Which kernels pool and take the pooling's gradient on this machine (see
// MaxPool in ./layers.ts). oneDNN's pair is reached by name, so it is used
// only where it runs and gives MaxPool's and MaxPoolGrad's exact numbers on
// a batch full of ties (MNIST's blank borders give conv outputs of exactly 0).
import type { NativeBinding } from './binding';
import { ONE_DNN_POOL, ONE_DNN_POOL_GRAD, oneDnnPoolAttrs, type PoolKernels } from './layers';
import { NativeOps } from './ops';

export function choosePoolKernels(b: NativeBinding, cores: number): PoolKernels {
  if (b.isUsingGpuDevice()) return 'maxPoolGrad';
  if (oneDnnPoolingWorks(b)) return 'oneDnn';
  return cores <= 2 ? 'dilation' : 'maxPoolGrad';
}

/** oneDNN's pair against MaxPool and MaxPoolGrad on 2x2 windows (strides 2 and 1) of mostly equal values. */
export function oneDnnPoolingWorks(b: NativeBinding): boolean {
  const ops = new NativeOps(b);
  try {
    const shape = [2, 5, 5, 3];
    const values = Float32Array.from({ length: 150 }, (_, i) => (i % 7 === 0 ? (i % 5) - 2 : 0));
    const x = ops.float(shape, values);
    for (const stride of [2, 1]) {
      const attrs = [ops.type('T', b.TF_FLOAT), ops.ints('ksize', [1, 2, 2, 1]), ops.ints('strides', [1, stride, stride, 1]), ops.string('padding', 'VALID'), ops.string('data_format', 'NHWC')];
      const y = ops.op('MaxPool', attrs, [x]);
      const side = stride === 2 ? 2 : 4;
      const dy = ops.float([2, side, side, 3], Float32Array.from({ length: 2 * side * side * 3 }, (_, i) => i + 1));
      const expected = [ops.read(y), ops.read(ops.op('MaxPoolGrad', attrs, [x, y, dy]))];
      const oneDnn = oneDnnPoolAttrs(ops, attrs);
      const [y2, workspace] = ops.ops(ONE_DNN_POOL, oneDnn, [x], 2);
      const actual = [ops.read(y2), ops.read(ops.op(ONE_DNN_POOL_GRAD, oneDnn, [x, y2, dy, workspace]))];
      if (!expected.every((e, i) => e.length === actual[i].length && e.every((v, j) => v === actual[i][j]))) return false;
    }
    return true;
  } catch {
    // Not built with oneDNN, or the kernels are named differently: the other kernels serve.
    return false;
  } finally {
    ops.dispose();
  }
}
