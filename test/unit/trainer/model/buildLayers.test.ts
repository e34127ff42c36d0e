import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { LayerSpec, TrainingSpec } from '../../../../src/shared/spec';
import { buildModel } from '../../../../src/trainer/model';
import { loadSpec } from '../../../../src/core/spec';
import { inferLayerShapes } from '../../../../src/core/spec/layerShapes';
import { REPO_ROOT } from '../../../helpers/repoRoot';

const examples = join(REPO_ROOT, 'examples/mnist');
const mnistInfo = { sampleShape: [28, 28], numClasses: 10, baseDir: examples };

before(async () => {
  await tf.setBackend('cpu');
});

function spec(layers: LayerSpec[], extra: Partial<TrainingSpec> = {}): TrainingSpec {
  return {
    name: 't',
    data: { type: 'mnist' },
    model: { layers },
    compile: { optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] },
    fit: { epochs: 1 },
    ...extra,
  };
}

function outputShapes(model: tf.LayersModel): (number | null)[][] {
  return model.layers.map((layer) => layer.outputShape as (number | null)[]);
}

test('the MNIST MLP example builds with the reference shapes and 101,770 parameters', async () => {
  const model = await buildModel(tf, await loadSpec(join(examples, 'mnist.train.json')), mnistInfo);
  assert.deepEqual(outputShapes(model), [[null, 784], [null, 128], [null, 128], [null, 10]]);
  assert.equal(model.countParams(), 101_770);
  assert.deepEqual(model.metricsNames, ['loss', 'acc']);
});

test('the MNIST CNN example builds with its conv and pooling shapes', async () => {
  const model = await buildModel(tf, await loadSpec(join(examples, 'mnist-cnn.train.json')), mnistInfo);
  assert.deepEqual(outputShapes(model), [
    [null, 28, 28, 1],
    [null, 26, 26, 16],
    [null, 13, 13, 16],
    [null, 11, 11, 32],
    [null, 5, 5, 32],
    [null, 800],
    [null, 64],
    [null, 10],
  ]);
  // conv 3*3*1*16+16, conv 3*3*16*32+32, dense 800*64+64, dense 64*10+10
  assert.equal(model.countParams(), 160 + 4_640 + 51_264 + 650);
});

test('the first layer takes the data sample shape when the spec gives none', async () => {
  const model = await buildModel(tf, spec([{ type: 'flatten' }, { type: 'dense', units: 10, activation: 'softmax' }]), { sampleShape: [8, 8], numClasses: 10, baseDir: '.' });
  assert.deepEqual(model.inputs[0].shape, [null, 8, 8]);
});

test('every layer type builds, and TF.js agrees with the shapes the checks compute', async () => {
  const layers: LayerSpec[] = [
    { type: 'reshape', targetShape: [12, 12, 1] },
    { type: 'conv2d', filters: 4, kernelSize: [3, 5], strides: [1, 2], padding: 'valid', activation: 'relu', kernelInitializer: 'heNormal', kernelRegularizer: { l2: 0.001 } },
    { type: 'batchNormalization', momentum: 0.9, epsilon: 0.001 },
    { type: 'depthwiseConv2d', kernelSize: 3, depthMultiplier: 2, padding: 'same', strides: 2 },
    { type: 'averagePooling2d', poolSize: [2, 1], padding: 'same' },
    { type: 'conv2d', filters: 6, kernelSize: 1, useBias: false },
    { type: 'maxPooling2d', poolSize: 1, strides: 1 },
    { type: 'activation', activation: 'tanh' },
    { type: 'globalMaxPooling2d', name: 'gmp' },
    { type: 'reshape', targetShape: [2, 3, 1] },
    { type: 'globalAveragePooling2d' },
    { type: 'dense', units: 5, activation: 'gelu', useBias: false, kernelInitializer: 'orthogonal' },
    { type: 'dropout', rate: 0.5 },
    { type: 'dense', units: 3, activation: 'softmax' },
  ];
  const s = spec(layers);
  const model = await buildModel(tf, s, { sampleShape: [144], numClasses: 3, baseDir: '.' });
  const computed = inferLayerShapes(s, layers, [144], 't');
  assert.deepEqual(
    outputShapes(model).map((shape) => shape.slice(1)),
    computed,
  );
  assert.equal(model.getLayer('gmp').getClassName(), 'GlobalMaxPooling2D');
});

test('the same fit.seed gives the same initial weights; another seed other weights', async () => {
  const layers: LayerSpec[] = [{ type: 'flatten' }, { type: 'dense', units: 16 }, { type: 'dense', units: 10 }];
  const weights = async (seed: number): Promise<Float32Array> => {
    const model = await buildModel(tf, spec(layers, { fit: { epochs: 1, seed } }), mnistInfo);
    return model.getWeights()[0].dataSync() as Float32Array;
  };
  assert.deepEqual(await weights(7), await weights(7));
  assert.notDeepEqual(await weights(7), await weights(8));
});

test('each optimizer is created with the learning rate the spec gives', async () => {
  for (const type of ['sgd', 'momentum', 'adam', 'adamax', 'adagrad', 'adadelta', 'rmsprop'] as const) {
    const model = await buildModel(tf, spec([{ type: 'flatten' }, { type: 'dense', units: 10 }], { compile: { optimizer: { type, learningRate: 0.0123 }, loss: 'sparseCategoricalCrossentropy' } }), mnistInfo);
    assert.equal((model.optimizer as unknown as { learningRate: number }).learningRate, 0.0123, type);
  }
});

test('a compiled model fits tiny random data and reports loss and acc, also for validation', async () => {
  const model = await buildModel(tf, await loadSpec(join(examples, 'mnist.train.json')), mnistInfo);
  const x = tf.randomUniform([64, 28, 28]);
  const y = tf.tensor1d(Array.from({ length: 64 }, (_, i) => i % 10), 'float32');
  const history = await model.fit(x, y, { epochs: 2, batchSize: 16, validationSplit: 0.25, verbose: 0 });
  assert.deepEqual(Object.keys(history.history).sort(), ['acc', 'loss', 'val_acc', 'val_loss']);
  for (const value of history.history.loss) assert.ok(Number.isFinite(value));
  for (const value of history.history.acc) assert.ok(Number(value) >= 0 && Number(value) <= 1);
  tf.dispose([x, y]);
});

test("'accuracy' with sparse labels is sparse categorical accuracy", async () => {
  const model = await buildModel(tf, spec([{ type: 'dense', units: 3, activation: 'softmax' }]), { sampleShape: [2], numClasses: 3, baseDir: '.' });
  // Zero kernel, bias favouring class 2: every prediction is class 2.
  model.layers[0].setWeights([tf.zeros([2, 3]), tf.tensor1d([0, 0, 5])]);
  const x = tf.randomNormal([4, 2]);
  const [, acc] = model.evaluate(x, tf.tensor1d([2, 2, 0, 1])) as tf.Scalar[];
  assert.equal(acc.dataSync()[0], 0.5);
});

test('binary and regression metrics are reported under their spec names', async () => {
  const binary = await buildModel(
    tf,
    spec([{ type: 'dense', units: 1, activation: 'sigmoid' }], { compile: { optimizer: 'sgd', loss: 'binaryCrossentropy', metrics: ['accuracy', 'precision', 'recall'] } }),
    { sampleShape: [4], numClasses: 2, baseDir: '.' },
  );
  const x = tf.randomNormal([16, 4]);
  const binaryHistory = await binary.fit(x, tf.tensor2d(Array.from({ length: 16 }, (_, i) => i % 2), [16, 1]), { epochs: 1, verbose: 0 });
  assert.deepEqual(Object.keys(binaryHistory.history).sort(), ['acc', 'loss', 'precision', 'recall']);

  const regression = await buildModel(
    tf,
    spec([{ type: 'dense', units: 2 }], { compile: { optimizer: { type: 'adam', learningRate: 0.01 }, loss: 'huberLoss', metrics: ['meanSquaredError', 'meanAbsoluteError'] } }),
    { sampleShape: [4], baseDir: '.' },
  );
  const regressionHistory = await regression.fit(x, tf.randomNormal([16, 2]), { epochs: 1, verbose: 0 });
  assert.deepEqual(Object.keys(regressionHistory.history).sort(), ['loss', 'meanAbsoluteError', 'meanSquaredError']);
});

test('a layer TF.js rejects becomes a one-line user error naming the layer', async () => {
  await assert.rejects(
    buildModel(tf, spec([{ type: 'conv2d', filters: 2, kernelSize: 3 }]), mnistInfo),
    (error: Error) => error.name === 'UserError' && error.message.startsWith('model.layers[0] (conv2d) cannot be built:') && !error.message.includes('\n'),
  );
});
