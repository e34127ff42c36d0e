// Forward and hand-derived backward passes of the built-in layers, as
// TensorFlow ops. Each layer keeps what its backward needs from the forward
// of the same step. The gradients are the ones TF.js's autodiff takes
// (same kernels: BatchMatMulV2, Conv2DBackprop*, MaxPoolGrad, ReluGrad...);
// test/native/fastPath.test.ts checks them against trainOnBatch.
import type { Conv2dStage, DropoutStage, HiddenActivation, MaxPoolStage, Stage } from '../plan';
import { dropoutSeedPair } from '../../dropoutSeed';
import type { OpAttr } from './binding';
import type { NativeOps, Padding } from './ops';
import type { NativeVariable } from './variables';

export interface NativeLayer {
  /** The training-mode forward pass of a batch of n samples at global step `step` (dropout draws its mask from it). */
  forward(x: number, n: number, step: number): number;
  /**
   * The input's gradient from the output's; weight gradients go into `grads`
   * at their weight index. Undefined when no earlier layer has weights.
   */
  backward(dy: number, n: number, grads: number[]): number | undefined;
}

/** A weight and its index in the plan's (and the optimizer's) order. */
export interface WeightRef {
  variable: NativeVariable;
  index: number;
}

/** The kernels that pool and take the pooling's gradient (see MaxPool and ./poolKernels.ts). */
export type PoolKernels = 'oneDnn' | 'maxPoolGrad' | 'dilation';

export interface LayerOptions {
  poolKernels: PoolKernels;
  /** The run's seed: with the step and the layer it fixes each dropout mask. */
  seed: number;
}

export interface LayerWeights {
  kernel: WeightRef;
  bias?: WeightRef;
}

/**
 * The native layers of a plan's stages; a conv2d followed by a max pooling
 * becomes one layer. `weightsOf` gives a stage's weights.
 */
export function nativeLayers(ops: NativeOps, stages: Stage[], weightsOf: (stage: Stage) => LayerWeights | undefined, options: LayerOptions): NativeLayer[] {
  const layers: NativeLayer[] = [];
  let weightsBefore = false;
  let dropouts = 0;
  for (let i = 0; i < stages.length; i++) {
    const stage = stages[i];
    const next = stages[i + 1];
    const weights = weightsOf(stage);
    if (stage.kind === 'conv2d' && next?.kind === 'maxPool') {
      layers.push(new Conv2d(ops, weights as LayerWeights, stage, weightsBefore, new MaxPool(ops, next, options)));
      i++;
    } else if (stage.kind === 'dropout') {
      // Numbered among the dropout layers, as trainOnBatch numbers them (../../dropoutSeed.ts).
      layers.push(new Dropout(ops, stage.rate, stage.shape, options.seed, dropouts++));
    } else {
      layers.push(nativeLayer(ops, stage, weights, weightsBefore, options));
    }
    weightsBefore ||= weights !== undefined;
  }
  return layers;
}

/** `needsInputGrad`: some earlier layer has weights, so backward must return dx. */
function nativeLayer(ops: NativeOps, stage: Exclude<Stage, DropoutStage>, weights: LayerWeights | undefined, needsInputGrad: boolean, options: LayerOptions): NativeLayer {
  switch (stage.kind) {
    case 'dense':
      // A softmax output's activation is the loss op's.
      return new Dense(ops, weights as LayerWeights, stage.activation === 'softmax' ? 'linear' : stage.activation, needsInputGrad);
    case 'conv2d':
      return new Conv2d(ops, weights as LayerWeights, stage, needsInputGrad);
    case 'maxPool':
      return new MaxPool(ops, stage, options);
    case 'reshape':
      return new Reshape(ops, stage.inputShape, stage.outputShape);
  }
}

function tfPadding(padding: 'valid' | 'same'): Padding {
  return padding === 'same' ? 'SAME' : 'VALID';
}

/** Activation forward and gradient; the gradient needs only the activation's output. */
function activate(ops: NativeOps, activation: HiddenActivation, z: number): number {
  switch (activation) {
    case 'linear':
      return z;
    case 'relu':
      return ops.unary('Relu', z);
    case 'sigmoid':
      return ops.unary('Sigmoid', z);
    case 'tanh':
      return ops.unary('Tanh', z);
  }
}

function activationGrad(ops: NativeOps, activation: HiddenActivation, y: number, dy: number): number {
  switch (activation) {
    case 'linear':
      return dy;
    case 'relu':
      // relu(z) > 0 exactly where z > 0, so the output serves as the features.
      return ops.binary('ReluGrad', dy, y);
    case 'sigmoid':
      return ops.binary('SigmoidGrad', y, dy);
    case 'tanh':
      return ops.binary('TanhGrad', y, dy);
  }
}

/** y = activation(x·W + b). */
class Dense implements NativeLayer {
  private x = 0;
  private w = 0;
  private y = 0;

  constructor(
    private readonly ops: NativeOps,
    private readonly weights: LayerWeights,
    private readonly activation: HiddenActivation,
    private readonly needsInputGrad: boolean,
  ) {}

  forward(x: number): number {
    const { ops, weights } = this;
    this.x = x;
    this.w = weights.kernel.variable.read();
    let z = ops.matMul(x, this.w);
    if (weights.bias) z = ops.binary('BiasAdd', z, weights.bias.variable.read());
    this.y = activate(ops, this.activation, z);
    return this.y;
  }

  backward(dy: number, _n: number, grads: number[]): number | undefined {
    const { ops, weights } = this;
    const dz = activationGrad(ops, this.activation, this.y, dy);
    grads[weights.kernel.index] = ops.matMul(this.x, dz, true, false);
    if (weights.bias) grads[weights.bias.index] = ops.unary('BiasAddGrad', dz);
    return this.needsInputGrad ? ops.matMul(dz, this.w, false, true) : undefined;
  }
}

/**
 * A conv2d layer, and the max pooling after it when there is one. The pooling
 * then runs before the bias and the activation: a per-channel bias and a
 * non-decreasing activation commute with a max, and the pooling's gradient
 * still goes to the first maximum of each window (for relu, windows with no
 * positive value pass no gradient either way), so outputs and gradients are
 * those of conv -> bias -> activation -> pool, with the bias, the activation
 * and their gradients on the pooled tensor, a quarter of the size for 2x2.
 */
class Conv2d implements NativeLayer {
  private x = 0;
  private k = 0;
  private y = 0;
  private readonly attrs: OpAttr[];
  private readonly filterSizes: number;
  private readonly activation: HiddenActivation;
  private readonly inputShape: number[];

  constructor(
    private readonly ops: NativeOps,
    private readonly weights: LayerWeights,
    stage: Conv2dStage,
    private readonly needsInputGrad: boolean,
    private readonly pool?: MaxPool,
  ) {
    this.attrs = [
      ops.type('T', ops.b.TF_FLOAT),
      ops.ints('strides', [1, stage.strides[0], stage.strides[1], 1]),
      ops.string('padding', tfPadding(stage.padding)),
      ops.string('data_format', 'NHWC'),
      ops.ints('dilations', [1, 1, 1, 1]),
      ops.bool('use_cudnn_on_gpu', true),
    ];
    this.filterSizes = ops.shape(weights.kernel.variable.shape);
    this.activation = stage.activation;
    this.inputShape = stage.inputShape;
  }

  forward(x: number): number {
    const { ops, weights } = this;
    this.x = x;
    this.k = weights.kernel.variable.read();
    let z = ops.op('Conv2D', this.attrs, [x, this.k]);
    if (this.pool) z = this.pool.forward(z);
    if (weights.bias) z = ops.binary('BiasAdd', z, weights.bias.variable.read());
    this.y = activate(ops, this.activation, z);
    return this.y;
  }

  backward(dy: number, n: number, grads: number[]): number | undefined {
    const { ops, weights } = this;
    let dz = activationGrad(ops, this.activation, this.y, dy);
    // The pooling's gradient puts each value in one place, so the bias's sums are the same before it.
    if (weights.bias) grads[weights.bias.index] = ops.unary('BiasAddGrad', dz);
    if (this.pool) dz = this.pool.backward(dz);
    grads[weights.kernel.index] = ops.op('Conv2DBackpropFilter', this.attrs, [this.x, this.filterSizes, dz]);
    if (!this.needsInputGrad) return undefined;
    return ops.op('Conv2DBackpropInput', this.attrs, [ops.shape([n, ...this.inputShape]), this.k, dz]);
  }
}

/**
 * Max pooling. Its gradient goes to the first maximum of each window, which
 * three kernels compute alike (./poolKernels.ts checks it on a tie before a
 * run uses one):
 * - oneDnn: TensorFlow's oneDNN pooling pair, the kernels Keras's graphs run
 *   on x86 CPUs; eager execution does not rewrite MaxPool to them, so they
 *   are named (with their kernel label). Four times faster than the Eigen pair
 *   on two cores.
 * - dilation: Dilation2DBackpropInput (a max-plus "dilation" with a zero
 *   filter is a max pooling) does about half the work of MaxPoolGrad on one
 *   thread; MaxPoolGrad shards over cores. CPUs without oneDNN, two cores or fewer.
 * - maxPoolGrad: elsewhere, and on a GPU (cuDNN).
 */
class MaxPool implements NativeLayer {
  private x = 0;
  private y = 0;
  /** oneDNN's workspace output: its backward takes it as an input. */
  private workspace = 0;
  private readonly attrs: OpAttr[];
  private readonly oneDnnAttrs?: OpAttr[];
  private readonly dilation?: { attrs: OpAttr[]; zeros: number };

  constructor(
    private readonly ops: NativeOps,
    stage: MaxPoolStage,
    options: LayerOptions,
  ) {
    const strides = ops.ints('strides', [1, stage.strides[0], stage.strides[1], 1]);
    const padding = ops.string('padding', tfPadding(stage.padding));
    const float = ops.type('T', ops.b.TF_FLOAT);
    this.attrs = [float, ops.ints('ksize', [1, stage.poolSize[0], stage.poolSize[1], 1]), strides, padding, ops.string('data_format', 'NHWC')];
    if (options.poolKernels === 'oneDnn') this.oneDnnAttrs = oneDnnPoolAttrs(ops, this.attrs);
    if (options.poolKernels === 'dilation') {
      const filter = [stage.poolSize[0], stage.poolSize[1], stage.channels];
      this.dilation = { attrs: [float, strides, ops.ints('rates', [1, 1, 1, 1]), padding], zeros: ops.keep(filter, new Float32Array(filter[0] * filter[1] * filter[2])) };
    }
  }

  forward(x: number): number {
    const { ops, oneDnnAttrs } = this;
    this.x = x;
    if (oneDnnAttrs) [this.y, this.workspace] = ops.ops(ONE_DNN_POOL, oneDnnAttrs, [x], 2);
    else this.y = ops.op('MaxPool', this.attrs, [x]);
    return this.y;
  }

  backward(dy: number): number {
    const { ops, dilation, oneDnnAttrs } = this;
    if (oneDnnAttrs) return ops.op(ONE_DNN_POOL_GRAD, oneDnnAttrs, [this.x, this.y, dy, this.workspace]);
    if (dilation) return ops.op('Dilation2DBackpropInput', dilation.attrs, [this.x, dilation.zeros, dy]);
    return ops.op('MaxPoolGrad', this.attrs, [this.x, this.y, dy]);
  }
}

export const ONE_DNN_POOL = '_MklNativeMaxPool';
export const ONE_DNN_POOL_GRAD = '_MklNativeMaxPoolGrad';

/**
 * MaxPool's attributes for the oneDNN pair: its kernels are registered under
 * a label that eager execution matches through the `_kernel` attribute; no
 * workspace (it recomputes the maxima: faster here than keeping indices).
 */
export function oneDnnPoolAttrs(ops: NativeOps, maxPoolAttrs: OpAttr[]): OpAttr[] {
  return [...maxPoolAttrs, ops.string('_kernel', 'MklNameChangeOp'), ops.bool('workspace_enabled', false)];
}

/**
 * As TF.js draws it: keep where floor(uniform + keep) is 1, scaled by 1 / keep.
 * The uniforms come from a stateless op seeded by (run seed, step, layer), so
 * a resumed run draws the masks the uninterrupted run drew at the same steps.
 */
class Dropout implements NativeLayer {
  private mask = 0;
  private readonly randomAttrs: OpAttr[];

  /** `layer`: this layer's place among the model's dropout layers. */
  constructor(
    private readonly ops: NativeOps,
    private readonly rate: number,
    private readonly shape: number[],
    private readonly runSeed: number,
    private readonly layer: number,
  ) {
    this.randomAttrs = [ops.type('dtype', ops.b.TF_FLOAT), ops.type('T', ops.b.TF_INT32), ops.type('Tseed', ops.b.TF_INT32)];
  }

  forward(x: number, n: number, step: number): number {
    if (this.rate === 0) return x;
    const { ops } = this;
    const keep = 1 - this.rate;
    const seed = ops.int([2], Int32Array.from(dropoutSeedPair(this.runSeed, step, this.layer)));
    const uniform = ops.op('StatelessRandomUniform', this.randomAttrs, [ops.shape([n, ...this.shape]), seed]);
    const kept = ops.unary('Floor', ops.binary('AddV2', uniform, ops.scalar(keep)));
    this.mask = ops.binary('Mul', kept, ops.scalar(1 / keep));
    return ops.binary('Mul', x, this.mask);
  }

  backward(dy: number): number {
    return this.rate === 0 ? dy : this.ops.binary('Mul', dy, this.mask);
  }
}

class Reshape implements NativeLayer {
  private readonly forwardShape: number;
  private readonly backwardShape: number;

  constructor(
    private readonly ops: NativeOps,
    inputShape: number[],
    outputShape: number[],
  ) {
    this.forwardShape = ops.shape([-1, ...outputShape]);
    this.backwardShape = ops.shape([-1, ...inputShape]);
  }

  forward(x: number): number {
    return this.ops.reshape(x, this.forwardShape);
  }

  backward(dy: number): number {
    return this.ops.reshape(dy, this.backwardShape);
  }
}
