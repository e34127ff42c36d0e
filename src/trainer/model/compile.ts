// compile: optimizer, loss and metrics from the spec, named the way TF.js
// reports them ('accuracy' -> 'acc', sparse accuracy for sparse labels).
import type { LayersModel, Optimizer, Tensor } from '@tensorflow/tfjs';
import type { Tf } from '../../core/backend/types';
import type { CompileSpec, LossName, MetricName, OptimizerName, OptimizerSpec } from '../../shared/spec';

type MetricFn = (yTrue: Tensor, yPred: Tensor) => Tensor;

/** Default learning rates; TF.js requires one for sgd, momentum, adagrad and rmsprop. */
export const defaultLearningRates: Record<OptimizerName, number> = {
  sgd: 0.01,
  momentum: 0.01,
  adam: 0.001,
  adamax: 0.002,
  adagrad: 0.01,
  adadelta: 1,
  rmsprop: 0.001,
};

export function createOptimizer(tf: Tf, spec: OptimizerName | OptimizerSpec): Optimizer {
  const { type, learningRate, momentum } = typeof spec === 'string' ? { type: spec, learningRate: undefined, momentum: undefined } : spec;
  const rate = learningRate ?? defaultLearningRates[type];
  switch (type) {
    case 'sgd':
      return tf.train.sgd(rate);
    case 'momentum':
      return tf.train.momentum(rate, momentum ?? 0.9);
    case 'adam':
      return tf.train.adam(rate);
    case 'adamax':
      return tf.train.adamax(rate);
    case 'adagrad':
      return tf.train.adagrad(rate);
    case 'adadelta':
      return tf.train.adadelta(rate);
    case 'rmsprop':
      return tf.train.rmsprop(rate, 0.9, momentum ?? 0);
  }
}

function named(fn: MetricFn, name: string): MetricFn {
  // TF.js names a metric after its function; set it so minified bundles report the same name.
  Object.defineProperty(fn, 'name', { value: name });
  return fn;
}

function loss(tf: Tf, name: LossName): string | MetricFn {
  // TF.js layers has no huber loss by name; the core op fits (yTrue, yPred).
  if (name === 'huberLoss') return named((yTrue, yPred) => tf.losses.huberLoss(yTrue, yPred), 'huberLoss');
  return name;
}

function metric(tf: Tf, name: MetricName): string | MetricFn {
  switch (name) {
    // The string lets TF.js pick binary, categorical or sparse accuracy from
    // the loss and output shape, and report it as 'acc'.
    case 'accuracy':
      return 'accuracy';
    case 'precision':
      return named((a, b) => tf.metrics.precision(a, b), 'precision');
    case 'recall':
      return named((a, b) => tf.metrics.recall(a, b), 'recall');
    case 'meanSquaredError':
      return named((a, b) => tf.metrics.meanSquaredError(a, b), 'meanSquaredError');
    case 'meanAbsoluteError':
      return named((a, b) => tf.metrics.meanAbsoluteError(a, b), 'meanAbsoluteError');
  }
}

export function compileModel(tf: Tf, model: LayersModel, spec: CompileSpec): void {
  model.compile({
    optimizer: createOptimizer(tf, spec.optimizer),
    loss: loss(tf, spec.loss),
    metrics: (spec.metrics ?? []).map((m) => metric(tf, m)),
  });
}

export function isCompiled(model: LayersModel): boolean {
  // `optimizer` is set by compile() and undefined before.
  return (model as { optimizer?: unknown }).optimizer != null;
}
