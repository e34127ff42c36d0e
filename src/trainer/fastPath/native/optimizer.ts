// The optimizer update as one TensorFlow op per weight, with the arithmetic
// of TF.js's optimizers, and its state in the form TF.js keeps it.
import type { OptimizerPlan } from '../plan';
import type { OpAttr } from './binding';
import type { NativeOps } from './ops';
import { NativeVariable } from './variables';

/** Optimizer state as TF.js's getWeights() lists it: iterations, then first moments, then second moments. */
export interface OptimizerState {
  iterations: number;
  /** Adam's first and second moments per weight; empty for SGD or before the first step. */
  slots: Float32Array[];
}

export interface NativeOptimizer {
  apply(weights: NativeVariable[], grads: number[]): void;
  state(): OptimizerState;
  destroy(): void;
}

export function nativeOptimizer(ops: NativeOps, plan: OptimizerPlan, weights: NativeVariable[], state: OptimizerState): NativeOptimizer {
  return plan.type === 'adam' ? new NativeAdam(ops, plan, weights, state) : new NativeSgd(ops, plan.learningRate, state.iterations);
}

class NativeSgd implements NativeOptimizer {
  private readonly attrs: OpAttr[];
  private readonly rate: number;

  constructor(
    private readonly ops: NativeOps,
    learningRate: number,
    private iterations: number,
  ) {
    this.attrs = [ops.type('T', ops.b.TF_FLOAT), ops.bool('use_locking', false)];
    this.rate = ops.scalar(learningRate);
  }

  apply(weights: NativeVariable[], grads: number[]): void {
    weights.forEach((w, i) => this.ops.run('ResourceApplyGradientDescent', this.attrs, [w.handle, this.rate, grads[i]]));
    this.iterations++;
  }

  state(): OptimizerState {
    return { iterations: this.iterations, slots: [] };
  }

  destroy(): void {}
}

/**
 * TF.js: w -= lr * m̂ / (sqrt(v̂) + ε) with m̂ = m / (1 - β1^t), v̂ = v / (1 - β2^t).
 * ResourceApplyAdam puts ε inside the bias correction:
 * w -= lr * sqrt(1 - β2^t) / (1 - β1^t) * m / (sqrt(v) + ε'), the same update when ε' = ε * sqrt(1 - β2^t).
 */
class NativeAdam implements NativeOptimizer {
  private readonly attrs: OpAttr[];
  private readonly constants: number[];
  private readonly m: NativeVariable[];
  private readonly v: NativeVariable[];
  private iterations: number;

  constructor(
    private readonly ops: NativeOps,
    private readonly plan: Extract<OptimizerPlan, { type: 'adam' }>,
    weights: NativeVariable[],
    state: OptimizerState,
  ) {
    this.attrs = [ops.type('T', ops.b.TF_FLOAT), ops.bool('use_locking', false), ops.bool('use_nesterov', false)];
    this.constants = [ops.scalar(plan.learningRate), ops.scalar(plan.beta1), ops.scalar(plan.beta2)];
    const fresh = state.slots.length === 0;
    const slot = (i: number): Float32Array => (fresh ? new Float32Array(size(weights[i % weights.length].shape)) : state.slots[i]);
    this.m = weights.map((w, i) => new NativeVariable(ops, w.shape, slot(i)));
    this.v = weights.map((w, i) => new NativeVariable(ops, w.shape, slot(weights.length + i)));
    this.iterations = state.iterations;
  }

  apply(weights: NativeVariable[], grads: number[]): void {
    const { ops, plan } = this;
    const t = this.iterations + 1;
    const beta2Power = plan.beta2 ** t;
    // Per-step scalars: created for this step, deleted with its tensors.
    const powers = [ops.float([], new Float32Array([plan.beta1 ** t])), ops.float([], new Float32Array([beta2Power]))];
    const epsilon = ops.float([], new Float32Array([plan.epsilon * Math.sqrt(1 - beta2Power)]));
    weights.forEach((w, i) => {
      ops.run('ResourceApplyAdam', this.attrs, [w.handle, this.m[i].handle, this.v[i].handle, ...powers, ...this.constants, epsilon, grads[i]]);
    });
    this.iterations = t;
  }

  state(): OptimizerState {
    return { iterations: this.iterations, slots: [...this.m, ...this.v].map((s) => s.values()) };
  }

  destroy(): void {
    for (const s of [...this.m, ...this.v]) s.destroy();
  }
}

export function size(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
