import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { LayerSpec, OptimizerSpec, TrainingSpec } from '../../../../src/shared/spec';
import { loadSpec } from '../../../../src/core/spec';
import { buildModel } from '../../../../src/trainer/model';
import { planFastPath, type FastPlan } from '../../../../src/trainer/fastPath/plan';
import { REPO_ROOT } from '../../../helpers/repoRoot';

const examples = join(REPO_ROOT, 'examples/mnist');
const info = { sampleShape: [28, 28], numClasses: 10, baseDir: examples };

before(async () => {
  await tf.setBackend('cpu');
});

function spec(layers: LayerSpec[], optimizer: OptimizerSpec | 'adam' = 'adam', loss: TrainingSpec['compile']['loss'] = 'sparseCategoricalCrossentropy'): TrainingSpec {
  return { name: 't', data: { type: 'mnist' }, model: { layers }, compile: { optimizer, loss, metrics: ['accuracy'] }, fit: { epochs: 1 } };
}

async function plan(s: TrainingSpec): Promise<ReturnType<typeof planFastPath>> {
  const model = await buildModel(tf, s, info);
  try {
    return planFastPath(model, s);
  } finally {
    model.dispose();
  }
}

function covered(result: ReturnType<typeof planFastPath>): FastPlan {
  if ('unsupported' in result) throw new Error(`not covered: ${result.unsupported}`);
  return result;
}

test('both MNIST examples are covered: their stages, weights in the optimizer order, Adam settings and metrics', async () => {
  const mlp = covered(await plan(await loadSpec(join(examples, 'mnist.train.json'))));
  assert.deepEqual(mlp.stages.map((s) => s.kind), ['reshape', 'dense', 'dropout', 'dense']);
  assert.deepEqual(mlp.weights.map((w) => w.shape), [[784, 128], [128], [128, 10], [10]]);
  assert.deepEqual(mlp.optimizer, { type: 'adam', learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 });
  assert.deepEqual([mlp.labels, mlp.numClasses, mlp.metricsNames], ['sparse', 10, ['loss', 'acc']]);
  const cnn = covered(await plan(await loadSpec(join(examples, 'mnist-cnn.train.json'))));
  assert.deepEqual(cnn.stages.map((s) => s.kind), ['reshape', 'conv2d', 'maxPool', 'conv2d', 'maxPool', 'reshape', 'dense', 'dense']);
  assert.deepEqual(cnn.stages[4], { kind: 'maxPool', poolSize: [2, 2], strides: [2, 2], padding: 'valid', channels: 32 });
});

test('a model reloaded from a checkpoint (as a resumed run has it) is covered like the one built from the spec', async () => {
  const s = await loadSpec(join(examples, 'mnist.train.json'));
  const built = await buildModel(tf, s, info);
  let artifacts: tf.io.ModelArtifacts | undefined;
  await built.save(tf.io.withSaveHandler(async (a) => ((artifacts = a), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })), { includeOptimizer: true });
  const reloaded = await tf.loadLayersModel(tf.io.fromMemory(artifacts as tf.io.ModelArtifacts));
  const result = covered(planFastPath(reloaded, s));
  assert.deepEqual(result.stages.map((stage) => stage.kind), ['reshape', 'dense', 'dropout', 'dense']);
  assert.equal(result.labels, 'sparse');
  built.dispose();
  reloaded.dispose();
});

test('SGD and one-hot labels with categorical cross-entropy are covered', async () => {
  const layers: LayerSpec[] = [{ type: 'flatten' }, { type: 'dense', units: 10, activation: 'softmax' }];
  assert.deepEqual(covered(await plan(spec(layers, { type: 'sgd', learningRate: 0.1 }))).optimizer, { type: 'sgd', learningRate: 0.1 });
  assert.equal(covered(await plan(spec(layers, 'adam', 'categoricalCrossentropy'))).labels, 'categorical');
});

test('models the fast path does not cover keep trainOnBatch, with the reason', async () => {
  const softmax: LayerSpec = { type: 'dense', units: 10, activation: 'softmax' };
  const cases: [TrainingSpec, RegExp][] = [
    [spec([{ type: 'flatten' }, { type: 'batchNormalization' }, softmax]), /BatchNormalization/],
    [spec([{ type: 'flatten' }, { type: 'dense', units: 10, activation: 'relu' }]), /softmax/],
    [spec([{ type: 'flatten' }, { type: 'dense', units: 10, activation: 'softmax' }, softmax]), /softmax before the last layer/],
    [spec([{ type: 'flatten' }, { type: 'dense', units: 32, activation: 'elu' }, softmax]), /activation elu/],
    [spec([{ type: 'flatten' }, { type: 'dropout', rate: 0.5, seed: 3 }, softmax]), /dropout/],
    [spec([{ type: 'flatten' }, softmax], { type: 'rmsprop' }), /RMSProp/],
    [spec([{ type: 'flatten' }, softmax], 'adam', 'meanSquaredError'), /loss is meanSquaredError/],
    [spec([{ type: 'flatten' }, { ...softmax, kernelRegularizer: { l2: 0.01 } }]), /kernelRegularizer/],
    [spec([{ type: 'dense', units: 10, activation: 'softmax' }]), /more than one dimension/],
    [spec([{ type: 'reshape', targetShape: [28, 28, 1] }, { type: 'averagePooling2d' }, { type: 'flatten' }, softmax]), /AveragePooling2D/],
  ];
  for (const [s, reason] of cases) {
    const result = await plan(s);
    assert.ok('unsupported' in result && reason.test(result.unsupported), `${JSON.stringify(s.model)}: ${JSON.stringify(result)}`);
  }
  const moduleSpec: TrainingSpec = { ...spec([]), model: { module: 'model.ts' } };
  const model = await buildModel(tf, spec([{ type: 'flatten' }, softmax]), info);
  assert.match((planFastPath(model, moduleSpec) as { unsupported: string }).unsupported, /module/, "a user's module model keeps trainOnBatch");
  model.dispose();
});
