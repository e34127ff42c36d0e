// A model written as code: Model Studio transpiles this file on the fly
// (no build step) and calls the exported function with its own `tf`
// and facts about the data. Import TF.js types only: at run time `tf` is the
// argument, so the model uses the same TF.js copy (and backend) as the trainer.
import type * as tfjs from '@tensorflow/tfjs';

interface ModelInfo {
  /** Shape of one input sample, [28, 28] for MNIST. */
  sampleShape: number[];
  /** Number of classes, 10 for MNIST. */
  numClasses?: number;
  /** fit.seed from the spec, when set. */
  seed?: number;
}

/** The MNIST MLP plus a second hidden layer, written with the TF.js layers API. */
export function buildModel(tf: typeof tfjs, info: ModelInfo): tfjs.LayersModel {
  // Keras' default initializer, seeded so that runs with fit.seed repeat.
  const seeded = (offset: number) => tf.initializers.glorotUniform(info.seed === undefined ? {} : { seed: info.seed + offset });
  return tf.sequential({
    name: 'mnist_custom',
    layers: [
      tf.layers.flatten({ inputShape: info.sampleShape }),
      tf.layers.dense({ units: 256, activation: 'relu', kernelInitializer: seeded(1) }),
      tf.layers.dropout({ rate: 0.2 }),
      tf.layers.dense({ units: 64, activation: 'relu', kernelInitializer: seeded(2) }),
      tf.layers.dense({ units: info.numClasses ?? 10, activation: 'softmax', kernelInitializer: seeded(3) }),
    ],
  });
  // Not compiled here: the spec's "compile" section applies. A model compiled
  // here keeps its own optimizer, loss and metrics instead.
}
