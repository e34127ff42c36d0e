import { test } from 'node:test';
import { parseSpec } from '../../../src/core/spec';
import { checkSpecAgainstData } from '../../../src/trainer/dataChecks';
import type { LayerSpec, LayersModelSpec, TrainingSpec } from '../../../src/shared/spec';
import { baseSpec, userErrorOf } from '../core/spec/helpers';

const mnist = { sampleShape: [28, 28], labelShape: [], numClasses: 10 };
const mlpLayers = (baseSpec().model as LayersModelSpec).layers;

function withLayers(layers: LayerSpec[], edit: Partial<TrainingSpec['compile']> = {}): TrainingSpec {
  const spec = baseSpec();
  return { ...spec, model: { layers }, compile: { ...spec.compile, ...edit } };
}

/** Parsed from text, so that messages can point at lines. */
function parsed(spec: TrainingSpec): TrainingSpec {
  return parseSpec(JSON.stringify(spec, null, 2), 'data.train.json');
}

test('the reference MLP fits MNIST', () => {
  checkSpecAgainstData(parsed(baseSpec()), mnist);
});

test('an inputShape that differs from the data shows both shapes and suggests a reshape', () => {
  const spec = withLayers([{ type: 'dense', units: 10, activation: 'softmax', inputShape: [784] }]);
  userErrorOf(
    () => checkSpecAgainstData(parsed(spec), mnist),
    'data.train.json',
    "the data's samples have shape [28, 28]",
    'model.layers[0].inputShape (line',
    'is [784]',
    '"reshape", "targetShape": [784]',
  );
  userErrorOf(() => checkSpecAgainstData(withLayers([{ type: 'flatten', inputShape: [32, 32, 3] }]), mnist), '[28, 28]', '[32, 32, 3]');
});

test('a conv layer on 2-D samples asks for a reshape to [h, w, 1]', () => {
  const spec = withLayers([{ type: 'conv2d', filters: 8, kernelSize: 3 }, { type: 'flatten' }, { type: 'dense', units: 10 }]);
  userErrorOf(() => checkSpecAgainstData(parsed(spec), mnist), 'model.layers[0] (conv2d)', 'needs samples of shape [height, width, channels] but gets [28, 28]', '"targetShape": [28, 28, 1]');
});

test('a reshape that changes the number of values shows both sizes', () => {
  const spec = withLayers([{ type: 'reshape', targetShape: [28, 28, 3] }, { type: 'flatten' }, { type: 'dense', units: 10 }]);
  userErrorOf(() => checkSpecAgainstData(spec, mnist), 'model.layers[0] (reshape)', 'cannot reshape [28, 28] (784 values) to [28, 28, 3] (2352 values)');
});

test('too much pooling for the image size is caught before TF.js sees it', () => {
  const pool: LayerSpec = { type: 'maxPooling2d', poolSize: 2 };
  const spec = withLayers([{ type: 'reshape', targetShape: [28, 28, 1] }, pool, pool, pool, pool, pool, { type: 'flatten' }, { type: 'dense', units: 10 }]);
  userErrorOf(() => checkSpecAgainstData(spec, mnist), 'model.layers[5] (maxPooling2d)', 'gets 1x1 images', '"padding": "same"');
});

test('a flatten on samples that are already flat is called out (TF.js rejects it)', () => {
  const spec = withLayers([{ type: 'flatten' }, { type: 'flatten' }, { type: 'dense', units: 10 }]);
  userErrorOf(() => checkSpecAgainstData(spec, mnist), 'model.layers[1] (flatten)', 'gets [784], which is already flat; remove this layer');
});

test('an output layer whose units differ from the number of classes names both', () => {
  const spec = withLayers([{ type: 'flatten' }, { type: 'dense', units: 12, activation: 'softmax' }]);
  userErrorOf(() => checkSpecAgainstData(parsed(spec), mnist), 'model.layers[1].units (line', 'gives 12 outputs but the data has 10 classes', 'set model.layers[1].units to 10');
});

test('a model without flatten outputs a matrix per sample and is told to flatten', () => {
  const spec = withLayers([{ type: 'dense', units: 10, activation: 'softmax' }]);
  userErrorOf(() => checkSpecAgainstData(spec, mnist), 'gives [28, 10] per sample', 'add { "type": "flatten" }');
});

test('categorical cross-entropy on integer labels suggests the sparse loss', () => {
  const spec = withLayers(mlpLayers, { loss: 'categoricalCrossentropy' });
  userErrorOf(() => checkSpecAgainstData(spec, mnist), 'compile.loss is categoricalCrossentropy but the labels are class indices 0..9', 'use sparseCategoricalCrossentropy');
});

test('sparse cross-entropy on one-hot labels suggests categorical cross-entropy', () => {
  userErrorOf(
    () => checkSpecAgainstData(baseSpec(), { sampleShape: [28, 28], labelShape: [10], numClasses: 10 }),
    'sparseCategoricalCrossentropy but the labels are one-hot vectors of length 10',
    'use categoricalCrossentropy',
  );
});

test('classification losses on regression targets, and regression losses on classes', () => {
  const regression = { sampleShape: [4], labelShape: [], numClasses: undefined };
  const spec = withLayers([{ type: 'dense', units: 1 }], { metrics: [] });
  userErrorOf(() => checkSpecAgainstData(spec, regression), 'numeric targets', 'use meanSquaredError');
  userErrorOf(() => checkSpecAgainstData(withLayers([{ type: 'dense', units: 1 }], { loss: 'meanSquaredError' }), regression), 'accuracy', 'regression', 'meanAbsoluteError');
  const onMnist = withLayers([{ type: 'flatten' }, { type: 'dense', units: 10 }], { loss: 'meanSquaredError', metrics: [] });
  userErrorOf(() => checkSpecAgainstData(onMnist, mnist), 'meanSquaredError', 'class indices', 'use sparseCategoricalCrossentropy');
});

test('binary cross-entropy needs two classes and one output', () => {
  const binary = { sampleShape: [4], labelShape: [], numClasses: 2 };
  checkSpecAgainstData(withLayers([{ type: 'dense', units: 1, activation: 'sigmoid' }], { loss: 'binaryCrossentropy', metrics: ['accuracy', 'precision', 'recall'] }), binary);
  userErrorOf(() => checkSpecAgainstData(withLayers([{ type: 'dense', units: 2 }], { loss: 'binaryCrossentropy' }), binary), 'gives 2 outputs', 'needs 1');
  userErrorOf(() => checkSpecAgainstData(withLayers([{ type: 'flatten' }, { type: 'dense', units: 1 }], { loss: 'binaryCrossentropy' }), mnist), 'binaryCrossentropy is for two classes');
});

test('precision and recall are binary in TF.js', () => {
  const spec = withLayers(mlpLayers, { metrics: ['accuracy', 'precision'] });
  userErrorOf(() => checkSpecAgainstData(spec, mnist), 'compile.metrics has precision', 'binary outputs only');
});

test('the CNN shapes work out on MNIST', () => {
  const spec = withLayers([
    { type: 'reshape', targetShape: [28, 28, 1] },
    { type: 'conv2d', filters: 8, kernelSize: 3, activation: 'relu' },
    { type: 'maxPooling2d', poolSize: 2 },
    { type: 'conv2d', filters: 16, kernelSize: [3, 3], padding: 'same', strides: 1 },
    { type: 'batchNormalization' },
    { type: 'globalAveragePooling2d' },
    { type: 'dense', units: 10, activation: 'softmax' },
  ]);
  checkSpecAgainstData(spec, mnist);
});
