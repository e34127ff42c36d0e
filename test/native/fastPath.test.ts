// The native fast path against TF.js's autodiff: the same model from the
// same initial weights trained batch by batch through model.trainOnBatch and
// through the fast path (hand-derived backward, fused Adam) must report the
// same losses and accuracies and end with the same weights and optimizer
// state. Dropout is 0 so both draw no random masks.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { LayersModel, Scalar, Tensor, Variable } from '@tensorflow/tfjs';
import { loadBackend, type LoadedBackend } from '../../src/core/backend';
import { loadDataset } from '../../src/trainer/data';
import type { Dataset } from '../../src/trainer/data/types';
import { buildModel } from '../../src/trainer/model';
import { BatchMaker } from '../../src/trainer/batches';
import { createBatchTrainer, type BatchTrainer } from '../../src/trainer/fastPath';
import { saveCheckpoint } from '../../src/trainer/run/checkpoints';
import { loadModelFromFolder } from '../../src/core/modelFolder';
import { tempWorkspace } from '../helpers/cli';
import { readTrainingState } from '../../src/trainer/fastPath/modelState';
import { findBinding, type NativeBinding } from '../../src/trainer/fastPath/native/binding';
import { nativeLayers, type LayerOptions } from '../../src/trainer/fastPath/native/layers';
import { NativeOps } from '../../src/trainer/fastPath/native/ops';
import { choosePoolKernels, oneDnnPoolingWorks } from '../../src/trainer/fastPath/native/poolKernels';
import { NativeStepper } from '../../src/trainer/fastPath/native/stepper';
import { planFastPath, type FastPlan, type Stage } from '../../src/trainer/fastPath/plan';
import { epochPermutation } from '../../src/trainer/shuffle';
import type { LayerSpec, OptimizerSpec, TrainingSpec } from '../../src/shared/spec';
import { useNativeTensorFlow } from '../helpers/native';

let native: LoadedBackend;
let data: Dataset;

before(async () => {
  native = await loadBackend('tensorflow', { searchDirs: [await useNativeTensorFlow()] });
  data = await loadDataset({ type: 'mnist', subset: { train: 640, test: 10 } }, { baseDir: process.cwd() });
});

const MLP: LayerSpec[] = [
  { type: 'flatten' },
  { type: 'dense', units: 128, activation: 'relu' },
  { type: 'dropout', rate: 0 },
  { type: 'dense', units: 10, activation: 'softmax' },
];

/** Every conv/pooling arrangement the fast path treats differently. */
const CNN: LayerSpec[] = [
  { type: 'reshape', targetShape: [28, 28, 1] },
  // relu conv with the pooling after it (pooled before bias and activation)
  { type: 'conv2d', filters: 8, kernelSize: 3, activation: 'relu' },
  { type: 'maxPooling2d', poolSize: 2 },
  // strided 'same' conv alone, then a pooling of its own
  { type: 'conv2d', filters: 16, kernelSize: 3, strides: 2, padding: 'same', activation: 'tanh' },
  { type: 'dropout', rate: 0 },
  { type: 'maxPooling2d', poolSize: 2, padding: 'same' },
  // sigmoid conv with overlapping pooling windows
  { type: 'conv2d', filters: 8, kernelSize: 2, activation: 'sigmoid' },
  { type: 'maxPooling2d', poolSize: 2, strides: 1 },
  { type: 'flatten' },
  { type: 'dense', units: 16, activation: 'tanh' },
  { type: 'dense', units: 10, activation: 'softmax', useBias: false },
];

function spec(layers: LayerSpec[], optimizer: OptimizerSpec | 'adam' = 'adam'): TrainingSpec {
  return {
    name: 'fast-path',
    data: { type: 'mnist' },
    model: { layers },
    compile: { optimizer, loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] },
    fit: { epochs: 1, batchSize: 32, seed: 7 },
  };
}

async function build(s: TrainingSpec): Promise<LayersModel> {
  return buildModel(native.tf, s, { sampleShape: data.sampleShape, numClasses: 10, baseDir: process.cwd() });
}

/** The three kernel pairs the stepper pools with; which one a run uses depends on the machine. */
const MAX_POOL_GRAD: LayerOptions = { poolKernels: 'maxPoolGrad', seed: 7 };
const DILATION: LayerOptions = { poolKernels: 'dilation', seed: 7 };
const ONE_DNN: LayerOptions = { poolKernels: 'oneDnn', seed: 7 };

function fastPlan(model: LayersModel, s: TrainingSpec): FastPlan {
  const plan = planFastPath(model, s);
  if ('unsupported' in plan) throw new Error(`the fast path should cover ${s.model}: ${plan.unsupported}`);
  return plan;
}

function nativeBinding(): NativeBinding {
  const binding = findBinding(native.tf);
  if ('unavailable' in binding) throw new Error(binding.unavailable);
  return binding;
}

interface Trained {
  values: number[][];
  weights: Float32Array[];
  optimizer: Float32Array[];
  iterations: number;
}

/** Trains `batches` batches of 32 (the last one 20 short) through the kind of trainer asked for. */
async function trainWith(kind: 'trainOnBatch' | 'native', s: TrainingSpec, batches: number): Promise<Trained> {
  const { tf } = native;
  const model = await build(s);
  const maker = new BatchMaker(tf, data.train, data.sampleShape, data.labelShape);
  if (kind === 'trainOnBatch') process.env.MODEL_STUDIO_FAST_PATH = '0';
  const trainer = await createBatchTrainer(tf, model, s, maker, 7, (line) => assert.fail(line));
  delete process.env.MODEL_STUDIO_FAST_PATH;
  assert.equal(trainer.kind, kind);
  const order = epochPermutation(data.train.count, 1, 0);
  const values: number[][] = [];
  for (let b = 0; b < batches; b++) values.push(await trainer.trainBatch(maker.rows(order, b * 32, b === batches - 1 ? b * 32 + 12 : (b + 1) * 32), b));
  await trainer.syncModel();
  trainer.dispose();
  const saved = await model.optimizer.getWeights();
  const result: Trained = {
    values,
    weights: model.getWeights().map((w) => w.dataSync() as Float32Array),
    optimizer: saved.slice(1).map((w) => w.tensor.dataSync() as Float32Array),
    iterations: saved[0].tensor.dataSync()[0],
  };
  model.dispose();
  return result;
}

function maxDifference(a: Float32Array, b: Float32Array): number {
  assert.equal(a.length, b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

function largest(values: Float32Array): number {
  return values.reduce((max, v) => Math.max(max, Math.abs(v)), 0);
}

/** One-hot labels for categoricalCrossentropy. */
function oneHot(split: Dataset['train']): Dataset['train'] {
  const y = new Float32Array(split.count * 10);
  for (let i = 0; i < split.count; i++) y[i * 10 + split.y[i]] = 1;
  return { ...split, y };
}

test('the hand-derived gradients equal TF.js autodiff of the model loss, layer by layer', async () => {
  const { tf } = native;
  const cases: [string, TrainingSpec, boolean, LayerOptions][] = [
    ['MLP', spec(MLP), false, MAX_POOL_GRAD],
    ['CNN, MaxPoolGrad', spec(CNN), false, MAX_POOL_GRAD],
    ['CNN, Dilation2DBackpropInput', spec(CNN), false, DILATION],
    ['CNN, oneDNN pooling', spec(CNN), false, ONE_DNN],
    ['MLP, one-hot labels', { ...spec(MLP), compile: { ...spec(MLP).compile, loss: 'categoricalCrossentropy' } }, true, MAX_POOL_GRAD],
  ];
  for (const [name, s, categorical, options] of cases) {
    const model = await build(s);
    const plan = fastPlan(model, s);
    const stepper = new NativeStepper(nativeBinding(), plan, await readTrainingState(model, plan), options);
    const split = categorical ? oneHot(data.train) : data.train;
    const maker = new BatchMaker(tf, split, data.sampleShape, categorical ? [10] : []);
    const order = epochPermutation(split.count, 3, 0);
    const { x, y, count } = maker.rows(order, 0, 32);
    const hand = stepper.gradientValues(x, y, count);
    stepper.dispose();
    const [xs, ys] = maker.batch(order, 0, 32);
    // The loss trainOnBatch minimizes: the compiled loss function's batch mean (Sequential keeps it on its inner model).
    const lossFunction = (model as unknown as { model: { lossFunctions: ((yTrue: Tensor, yPred: Tensor) => Tensor)[] } }).model.lossFunctions[0];
    const variables = plan.weights.map((w) => w.read() as Variable);
    const { value, grads } = tf.variableGrads(() => tf.mean(lossFunction(ys, model.apply(xs, { training: true }) as Tensor)) as Scalar, variables);
    variables.forEach((variable, i) => {
      const auto = grads[variable.name].dataSync() as Float32Array;
      const scale = largest(auto);
      assert.ok(scale > 0, `${name}: ${variable.name} has a gradient`);
      const difference = maxDifference(auto, hand[i]) / scale;
      assert.ok(difference < 1e-5, `${name}: the gradient of ${variable.name} differs by ${difference} of its largest value`);
    });
    tf.dispose([xs, ys, value, ...Object.values(grads)]);
    model.dispose();
  }
});

/**
 * Each step from the same weights and Adam state, along 20 steps of trainOnBatch:
 * the same loss and accuracy, and weights and slots that differ by float32
 * round-off only. (Over many steps the two float32 trajectories drift apart,
 * as any two implementations do: Adam divides by each gradient's running size.)
 */
async function assertSameSteps(s: TrainingSpec, steps: number, options = MAX_POOL_GRAD): Promise<void> {
  const { tf } = native;
  const model = await build(s);
  const plan = fastPlan(model, s);
  const binding = nativeBinding();
  const maker = new BatchMaker(tf, data.train, data.sampleShape, data.labelShape);
  const order = epochPermutation(data.train.count, 1, 0);
  const learningRate = plan.optimizer.learningRate;
  for (let step = 0; step < steps; step++) {
    const [start, end] = [step * 32, step === steps - 1 ? step * 32 + 12 : (step + 1) * 32];
    const stepper = new NativeStepper(binding, plan, await readTrainingState(model, plan), options);
    const { x, y, count } = maker.rows(order, start, end);
    const fastValues = stepper.trainBatch(x, y, count, step);
    const fast = stepper.state();
    stepper.dispose();
    const [xs, ys] = maker.batch(order, start, end);
    const values = (await model.trainOnBatch(xs, ys)) as number[];
    tf.dispose([xs, ys]);
    const reference = await readTrainingState(model, plan);
    assert.ok(Math.abs(values[0] - fastValues[0]) < 1e-6 * values[0], `step ${step}: loss ${fastValues[0]}, trainOnBatch ${values[0]}`);
    assert.equal(fastValues[1], values[1], `step ${step}: accuracy`);
    assert.equal(fast.optimizer.iterations, reference.optimizer.iterations);
    for (const [i, w] of reference.weights.entries()) {
      const difference = maxDifference(w, fast.weights[i]);
      assert.ok(difference < 2e-3 * learningRate, `step ${step}: ${plan.weights[i].name} differs by ${difference}`);
    }
    // ResourceApplyAdam forms 1 - β2 in float32: for 0.999 that is 1.3e-5 off, and so is the second moment.
    for (const [i, slot] of reference.optimizer.slots.entries()) {
      const difference = maxDifference(slot, fast.optimizer.slots[i]) / Math.max(largest(slot), 1e-30);
      assert.ok(difference < 5e-5, `step ${step}: optimizer slot ${i} differs by ${difference} of its largest value`);
    }
  }
  model.dispose();
}

test('each Adam step of the MLP gives the loss, accuracy, weights and slots of trainOnBatch', async () => {
  await assertSameSteps(spec(MLP), 20);
});

test('each Adam step of a CNN (valid and same padding, strides, pooling after conv or alone, overlapping pools, tanh and sigmoid) gives what trainOnBatch gives', async () => {
  await assertSameSteps(spec(CNN), 20);
});

test('each Adam step of the CNN with the pooling gradient by Dilation2DBackpropInput gives what trainOnBatch gives', async () => {
  await assertSameSteps(spec(CNN), 20, DILATION);
});

test('each Adam step of the CNN with oneDNN pooling gives what trainOnBatch gives', async () => {
  await assertSameSteps(spec(CNN), 20, ONE_DNN);
});

test("on this CPU build of TensorFlow (built with oneDNN) the fast path pools with oneDNN's kernels", () => {
  const binding = nativeBinding();
  assert.equal(oneDnnPoolingWorks(binding), true);
  assert.equal(choosePoolKernels(binding, 2), 'oneDnn');
});

test('twenty batches through the batch trainer end with the weights, Adam state and iterations of trainOnBatch in the model', async () => {
  const reference = await trainWith('trainOnBatch', spec(MLP), 20);
  const fast = await trainWith('native', spec(MLP), 20);
  reference.values.forEach((values, i) => assert.ok(Math.abs(values[0] - fast.values[i][0]) < 1e-4 * values[0], `batch ${i} loss`));
  assert.equal(fast.iterations, 20);
  assert.equal(fast.iterations, reference.iterations);
  assert.equal(fast.optimizer.length, reference.optimizer.length);
  reference.weights.forEach((w, i) => assert.ok(maxDifference(w, fast.weights[i]) < 2e-5, `weight ${i}`));
  reference.optimizer.forEach((slot, i) => assert.ok(maxDifference(slot, fast.optimizer[i]) < 1e-3 * largest(slot), `optimizer slot ${i}`));
});

test('SGD trains a CNN to the weights of trainOnBatch', async () => {
  const reference = await trainWith('trainOnBatch', spec(CNN, { type: 'sgd', learningRate: 0.1 }), 20);
  const fast = await trainWith('native', spec(CNN, { type: 'sgd', learningRate: 0.1 }), 20);
  assert.equal(fast.iterations, reference.iterations);
  reference.weights.forEach((w, i) => assert.ok(maxDifference(w, fast.weights[i]) < 1e-6, `weight ${i} differs by ${maxDifference(w, fast.weights[i])}`));
});

test('dropout keeps each value with probability 1 - rate, scales it by 1 / (1 - rate), and routes the gradient through the mask', () => {
  const ops = new NativeOps(nativeBinding());
  try {
    const [layer] = nativeLayers(ops, [{ kind: 'dropout', rate: 0.2, shape: [1000] }], () => undefined, MAX_POOL_GRAD);
    const ones = ops.float([32, 1000], new Float32Array(32000).fill(1));
    const first = Float32Array.from(ops.read(layer.forward(ones, 32, 0)));
    const gradient = ops.read(layer.backward(ops.float([32, 1000], new Float32Array(32000).fill(2)), 32, []) as number);
    assert.ok(first.every((v) => v === 0 || v === 1.25), 'kept values are scaled by 1 / 0.8');
    const kept = first.filter((v) => v !== 0).length / first.length;
    assert.ok(Math.abs(kept - 0.8) < 0.01, `kept ${kept}`);
    assert.ok(gradient.every((g, i) => g === 2 * first[i]), 'the gradient is masked and scaled like the values');
  } finally {
    ops.dispose();
  }
});

test("a dropout mask is a function of the run's seed, the step and the layer: the same three draw it again, any other one another mask", () => {
  const ops = new NativeOps(nativeBinding());
  try {
    const stages: Stage[] = [
      { kind: 'dropout', rate: 0.5, shape: [1000] },
      { kind: 'dropout', rate: 0.5, shape: [1000] },
    ];
    const [layer, second] = nativeLayers(ops, stages, () => undefined, MAX_POOL_GRAD);
    const [again] = nativeLayers(ops, stages, () => undefined, MAX_POOL_GRAD);
    const [otherRun] = nativeLayers(ops, stages, () => undefined, { ...MAX_POOL_GRAD, seed: 8 });
    const ones = ops.float([8, 1000], new Float32Array(8000).fill(1));
    const mask = (l: typeof layer, step: number): Float32Array => Float32Array.from(ops.read(l.forward(ones, 8, step)));
    const atStep5 = mask(layer, 5);
    mask(layer, 6);
    assert.deepEqual(mask(layer, 5), atStep5, 'the same layer at the same step, after other steps');
    assert.deepEqual(mask(again, 5), atStep5, 'a new stepper of the same run (a resume) at the same step');
    for (const [what, other] of [
      ['the next step', mask(layer, 6)],
      ['the second dropout layer', mask(second, 5)],
      ['another run seed', mask(otherRun, 5)],
    ] as const) {
      const differ = other.filter((v, i) => v !== atStep5[i]).length;
      // Two independent masks at rate 0.5 differ in half their values (4000 ± 45).
      assert.ok(differ > 3600 && differ < 4400, `${what} draws an unrelated mask (${differ} of 8000 values differ)`);
    }
  } finally {
    ops.dispose();
  }
});

test('a checkpoint of the fast path holds its weights, Adam slots and iterations, and a resumed fast path continues exactly', async () => {
  const { tf } = native;
  const s = spec(MLP);
  const order = epochPermutation(data.train.count, 5, 0);
  const batch = (trainer: BatchTrainer, b: number): Promise<number[]> => trainer.trainBatch(maker.rows(order, b * 32, (b + 1) * 32), b);
  const model = await build(s);
  const maker = new BatchMaker(tf, data.train, data.sampleShape, data.labelShape);
  const first = await createBatchTrainer(tf, model, s, maker, 7, (line) => assert.fail(line));
  for (let b = 0; b < 10; b++) await batch(first, b);
  const dir = tempWorkspace('ms-fast-checkpoint-');
  await first.syncModel();
  await saveCheckpoint(tf, model, dir, 'mid', { epochsCompleted: 0, seed: 5 });
  const uninterrupted: number[][] = [];
  for (let b = 10; b < 15; b++) uninterrupted.push(await batch(first, b));
  first.dispose();
  model.dispose();

  const resumedModel = await loadModelFromFolder(tf, join(dir, 'mid'));
  assert.equal(resumedModel.optimizer.iterations, 10, 'the checkpoint holds the Adam step count');
  const resumed = await createBatchTrainer(tf, resumedModel, s, maker, 7, (line) => assert.fail(line));
  assert.equal(resumed.kind, 'native');
  for (let b = 10; b < 15; b++) {
    const values = await batch(resumed, b);
    assert.ok(Math.abs(values[0] - uninterrupted[b - 10][0]) < 1e-6, `batch ${b}: loss ${values[0]} resumed, ${uninterrupted[b - 10][0]} uninterrupted`);
    assert.equal(values[1], uninterrupted[b - 10][1]);
  }
  resumed.dispose();
  resumedModel.dispose();
});

test('the fast path leaks nothing: TensorFlow handles and TF.js tensors stay level across steps and syncs, and a disposed stepper frees all it made', async () => {
  const { tf } = native;
  const s = spec(CNN);
  const model = await build(s);
  const maker = new BatchMaker(tf, data.train, data.sampleShape, data.labelShape);
  const order = epochPermutation(data.train.count, 2, 0);
  const handles = (): number => (tf.backend() as unknown as { binding: { getNumOfTensors(): number } }).binding.getNumOfTensors();
  const trainer = await createBatchTrainer(tf, model, s, maker, 7, (line) => assert.fail(line));
  await trainer.trainBatch(maker.rows(order, 0, 32), 0);
  await trainer.syncModel();
  const [levelHandles, levelTensors] = [handles(), tf.memory().numTensors];
  for (let round = 1; round <= 3; round++) {
    for (let b = 0; b < 5; b++) await trainer.trainBatch(maker.rows(order, (round * 5 + b) * 32, (round * 5 + b + 1) * 32), round * 5 + b);
    await trainer.syncModel();
    assert.equal(tf.memory().numTensors, levelTensors, `TF.js tensors after sync ${round}`);
    assert.equal(handles(), levelHandles, `TensorFlow handles after sync ${round}`);
  }
  trainer.dispose();

  const before = handles();
  const plan = fastPlan(model, s);
  const stepper = new NativeStepper(nativeBinding(), plan, await readTrainingState(model, plan), DILATION);
  const { x, y, count } = maker.rows(order, 0, 32);
  stepper.trainBatch(x, y, count, 0);
  stepper.state();
  stepper.dispose();
  assert.equal(handles(), before, 'TensorFlow handles after a stepper is disposed');
  model.dispose();
});
