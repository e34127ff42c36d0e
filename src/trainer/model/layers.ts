// Keras-style layer specs -> TF.js layers.
import type { layers as tfLayers } from '@tensorflow/tfjs';
import type { Tf } from '../../core/backend/types';
import type { LayerSpec, RegularizerSpec } from '../../shared/spec';
import { createInitializer, layerSeed } from './initializers';

type Layer = tfLayers.Layer;
type Regularizer = ReturnType<Tf['regularizers']['l1l2']>;

function regularizer(tf: Tf, spec: RegularizerSpec | undefined): Regularizer | undefined {
  return spec ? tf.regularizers.l1l2({ l1: spec.l1 ?? 0, l2: spec.l2 ?? 0 }) : undefined;
}

/**
 * Builds one layer. `inputShape` is set on the first layer only; `seed`
 * (from fit.seed) seeds its initializers.
 */
export function createLayer(tf: Tf, spec: LayerSpec, index: number, inputShape: number[] | undefined, seed: number | undefined): Layer {
  const common = { ...(spec.name !== undefined && { name: spec.name }), ...(inputShape && { inputShape }) };
  const kernelSeed = layerSeed(seed, index);
  switch (spec.type) {
    case 'dense':
      return tf.layers.dense({
        ...common,
        units: spec.units,
        activation: spec.activation,
        useBias: spec.useBias,
        kernelInitializer: createInitializer(tf, spec.kernelInitializer, kernelSeed),
        kernelRegularizer: regularizer(tf, spec.kernelRegularizer),
      });
    case 'flatten':
      return tf.layers.flatten(common);
    case 'dropout':
      // No seed from fit.seed here: a seeded TF.js dropout draws the same mask
      // every batch. Training seeds each step instead (../dropoutSeed.ts).
      return tf.layers.dropout({ ...common, rate: spec.rate, ...(spec.seed !== undefined && { seed: spec.seed }) });
    case 'conv2d':
      return tf.layers.conv2d({
        ...common,
        filters: spec.filters,
        kernelSize: spec.kernelSize,
        strides: spec.strides,
        padding: spec.padding,
        activation: spec.activation,
        useBias: spec.useBias,
        kernelInitializer: createInitializer(tf, spec.kernelInitializer, kernelSeed),
        kernelRegularizer: regularizer(tf, spec.kernelRegularizer),
      });
    case 'depthwiseConv2d':
      return tf.layers.depthwiseConv2d({
        ...common,
        kernelSize: spec.kernelSize,
        depthMultiplier: spec.depthMultiplier,
        strides: spec.strides,
        padding: spec.padding,
        activation: spec.activation,
        useBias: spec.useBias,
        depthwiseInitializer: createInitializer(tf, 'glorotUniform', kernelSeed),
      });
    case 'maxPooling2d':
      return tf.layers.maxPooling2d({ ...common, poolSize: spec.poolSize ?? 2, strides: spec.strides, padding: spec.padding });
    case 'averagePooling2d':
      return tf.layers.averagePooling2d({ ...common, poolSize: spec.poolSize ?? 2, strides: spec.strides, padding: spec.padding });
    case 'globalAveragePooling2d':
      return tf.layers.globalAveragePooling2d(common);
    case 'globalMaxPooling2d':
      return tf.layers.globalMaxPooling2d(common);
    case 'batchNormalization':
      return tf.layers.batchNormalization({ ...common, momentum: spec.momentum, epsilon: spec.epsilon });
    case 'reshape':
      return tf.layers.reshape({ ...common, targetShape: spec.targetShape });
    case 'activation':
      return tf.layers.activation({ ...common, activation: spec.activation });
  }
}
