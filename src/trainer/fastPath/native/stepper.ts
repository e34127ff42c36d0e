// One training step of a planned model on native TensorFlow: forward,
// softmax cross-entropy (loss and its gradient in one op), the hand-derived
// backward pass and the optimizer update: 28 TensorFlow ops for the MNIST
// MLP, where trainOnBatch runs some 160 (and 200 TF.js operations). Weights and
// optimizer slots live in TensorFlow resource variables for the run; the
// model and its optimizer get them back through state().
import type { FastPlan, Stage } from '../plan';
import type { NativeBinding } from './binding';
import { nativeLayers, type LayerOptions, type LayerWeights, type NativeLayer } from './layers';
import { nativeOptimizer, type NativeOptimizer, type OptimizerState } from './optimizer';
import { NativeOps } from './ops';
import { NativeVariable } from './variables';
import { batchMetrics } from '../metrics';

export interface TrainingState {
  weights: Float32Array[];
  optimizer: OptimizerState;
}

export class NativeStepper {
  private readonly ops: NativeOps;
  private readonly weights: NativeVariable[];
  private readonly layers: NativeLayer[];
  private readonly optimizer: NativeOptimizer;

  constructor(
    binding: NativeBinding,
    private readonly plan: FastPlan,
    initial: TrainingState,
    options: LayerOptions,
  ) {
    const ops = (this.ops = new NativeOps(binding));
    this.weights = plan.weights.map((w, i) => new NativeVariable(ops, w.shape as number[], initial.weights[i]));
    const ref = (w: FastPlan['weights'][number]): { variable: NativeVariable; index: number } => {
      const index = plan.weights.indexOf(w);
      return { variable: this.weights[index], index };
    };
    const weightsOf = (stage: Stage): LayerWeights | undefined => ('kernel' in stage ? { kernel: ref(stage.kernel), bias: stage.bias && ref(stage.bias) } : undefined);
    this.layers = nativeLayers(ops, plan.stages, weightsOf, options);
    this.optimizer = nativeOptimizer(ops, plan.optimizer, this.weights, initial.optimizer);
  }

  /**
   * Trains on n samples: `x` row-major per the plan's input shape, `labels`
   * class indices (sparse) or one-hot rows. Returns what trainOnBatch
   * returns: the loss, then accuracy when the model reports it. `step`, the
   * run's batches before this one, fixes the dropout masks.
   */
  trainBatch(x: Float32Array, labels: Float32Array | Int32Array, n: number, step: number): number[] {
    const { ops } = this;
    try {
      const { logits, grads } = this.gradients(x, labels, n, step);
      const values = batchMetrics(ops.read(logits), labels, n, this.plan);
      // Reads of the weights must be gone before the in-place update, or TensorFlow copies each weight first.
      ops.release(grads);
      this.optimizer.apply(this.weights, grads);
      return values;
    } finally {
      ops.release();
    }
  }

  /** The gradients of one batch's mean loss by weight, with no update (the setup check, tests). */
  gradientValues(x: Float32Array, labels: Float32Array | Int32Array, n: number, step = 0): Float32Array[] {
    try {
      const { grads } = this.gradients(x, labels, n, step);
      return grads.map((grad) => this.ops.read(grad));
    } finally {
      this.ops.release();
    }
  }

  private gradients(x: Float32Array, labels: Float32Array | Int32Array, n: number, step: number): { logits: number; grads: number[] } {
    const { ops, plan } = this;
    let h = ops.float([n, ...plan.inputShape], x);
    for (const layer of this.layers) h = layer.forward(h, n, step);
    const logits = h;
    const sparse = plan.labels === 'sparse';
    const target = sparse ? ops.int([n], labels instanceof Int32Array ? labels : Int32Array.from(labels)) : ops.float([n, plan.numClasses], labels as Float32Array);
    const lossAttrs = [ops.type('T', ops.b.TF_FLOAT), ...(sparse ? [ops.type('Tlabels', ops.b.TF_INT32)] : [])];
    const [, backprop] = ops.ops(sparse ? 'SparseSoftmaxCrossEntropyWithLogits' : 'SoftmaxCrossEntropyWithLogits', lossAttrs, [logits, target], 2);
    // The loss is the batch mean, so each sample's gradient is scaled by 1/n.
    let dy: number | undefined = ops.binary('Mul', backprop, ops.scalar(1 / n));
    const grads: number[] = [];
    for (let i = this.layers.length - 1; i >= 0 && dy !== undefined; i--) dy = this.layers[i].backward(dy, n, grads);
    return { logits, grads };
  }

  state(): TrainingState {
    return { weights: this.weights.map((w) => w.values()), optimizer: this.optimizer.state() };
  }

  dispose(): void {
    this.ops.dispose();
    this.optimizer.destroy();
    for (const w of this.weights) w.destroy();
  }
}
