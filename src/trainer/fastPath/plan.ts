// Decides from the built (or resumed) model whether the fast path can train
// it exactly as trainOnBatch would: a chain of the built-in layers whose
// gradients are derived by hand in ./native, a softmax output with
// cross-entropy, Adam or SGD, accuracy. Anything else is `unsupported`, with
// the reason, and trains through trainOnBatch as before.
import type { LayersModel } from '@tensorflow/tfjs';
import { isModuleModel, type TrainingSpec } from '../../shared/spec';

export type LayerWeight = LayersModel['trainableWeights'][number];
export type HiddenActivation = 'linear' | 'relu' | 'sigmoid' | 'tanh';
export type Pair = [number, number];

export interface DenseStage {
  kind: 'dense';
  units: number;
  activation: HiddenActivation | 'softmax';
  kernel: LayerWeight;
  bias?: LayerWeight;
}

export interface Conv2dStage {
  kind: 'conv2d';
  strides: Pair;
  padding: 'valid' | 'same';
  activation: HiddenActivation;
  kernel: LayerWeight;
  bias?: LayerWeight;
  /** Per-sample input shape [h, w, c]. */
  inputShape: number[];
}

export interface MaxPoolStage {
  kind: 'maxPool';
  poolSize: Pair;
  strides: Pair;
  padding: 'valid' | 'same';
  channels: number;
}

export interface DropoutStage {
  kind: 'dropout';
  rate: number;
  /** Per-sample shape of what it drops from. */
  shape: number[];
}

/** Flatten and Reshape: only the per-sample shape changes. */
export interface ReshapeStage {
  kind: 'reshape';
  inputShape: number[];
  outputShape: number[];
}

export type Stage = DenseStage | Conv2dStage | MaxPoolStage | DropoutStage | ReshapeStage;

export type OptimizerPlan = { type: 'adam'; learningRate: number; beta1: number; beta2: number; epsilon: number } | { type: 'sgd'; learningRate: number };

export interface FastPlan {
  stages: Stage[];
  /** Per-sample input shape. */
  inputShape: number[];
  /** Sparse: labels are class indices; categorical: one-hot rows. */
  labels: 'sparse' | 'categorical';
  numClasses: number;
  optimizer: OptimizerPlan;
  /** What trainOnBatch returns, in order: 'loss' and maybe 'acc'. */
  metricsNames: string[];
  /** The model's trainable weights in its optimizer's slot order. */
  weights: LayerWeight[];
}

export type PlanResult = FastPlan | { unsupported: string };

type Config = Record<string, unknown>;

class Unsupported extends Error {}

function fail(reason: string): never {
  throw new Unsupported(reason);
}

export function planFastPath(model: LayersModel, spec: TrainingSpec): PlanResult {
  try {
    return plan(model, spec);
  } catch (error) {
    if (error instanceof Unsupported) return { unsupported: error.message };
    throw error;
  }
}

function plan(model: LayersModel, spec: TrainingSpec): FastPlan {
  if (isModuleModel(spec.model)) fail('the model comes from a module');
  if (model.getClassName() !== 'Sequential' || model.inputs.length !== 1 || model.outputs.length !== 1) fail('the model is not a plain layer stack');
  const inputShape = perSample(model.inputs[0].shape);
  const labels = lossLabels(model);
  const stages: Stage[] = [];
  let shape = inputShape;
  model.layers.forEach((layer, index) => {
    const outputShape = perSample(layer.outputShape as (number | null)[]);
    const last = index === model.layers.length - 1;
    stages.push(stage(layer.getClassName(), layer.getConfig(), shape, outputShape, last, layer.trainableWeights));
    shape = outputShape;
  });
  if (model.weights.length !== model.trainableWeights.length) fail('some weights are frozen');
  const output = stages.at(-1);
  if (output?.kind !== 'dense' || output.activation !== 'softmax') fail('the last layer is not a softmax dense layer');
  const weights = model.trainableWeights;
  const used = stages.flatMap((s) => ('kernel' in s ? [s.kernel, ...(s.bias ? [s.bias] : [])] : []));
  if (used.length !== weights.length || used.some((w) => !weights.includes(w))) fail('the layers do not own exactly the trainable weights');
  return { stages, inputShape, labels, numClasses: output.units, optimizer: optimizerPlan(model), metricsNames: metricsNames(model), weights };
}

function perSample(shape: (number | null)[]): number[] {
  const rest = shape.slice(1);
  if (rest.some((d) => d === null || d <= 0)) fail('a layer has an unknown dimension');
  return rest as number[];
}

function lossLabels(model: LayersModel): 'sparse' | 'categorical' {
  switch (model.loss) {
    case 'sparseCategoricalCrossentropy':
      return 'sparse';
    case 'categoricalCrossentropy':
      return 'categorical';
    default:
      return fail(`the loss is ${typeof model.loss === 'string' ? model.loss : 'not a built-in cross-entropy'}`);
  }
}

function metricsNames(model: LayersModel): string[] {
  const metrics = (model as unknown as { metrics?: unknown }).metrics ?? [];
  const list = Array.isArray(metrics) ? metrics : [metrics];
  if (!list.every((m) => m === 'accuracy' || m === 'acc')) fail('a metric other than accuracy is set');
  const names = model.metricsNames;
  if (!(names.length === 1 || (names.length === 2 && names[1] === 'acc')) || names[0] !== 'loss') fail(`metrics ${names.join(', ')}`);
  return names;
}

function optimizerPlan(model: LayersModel): OptimizerPlan {
  const optimizer = model.optimizer;
  const config = optimizer.getConfig() as Config;
  const number = (key: string): number => {
    const value = config[key];
    return typeof value === 'number' && Number.isFinite(value) ? value : fail(`the optimizer's ${key} is not a number`);
  };
  switch (optimizer.getClassName()) {
    case 'Adam':
      return { type: 'adam', learningRate: number('learningRate'), beta1: number('beta1'), beta2: number('beta2'), epsilon: number('epsilon') };
    case 'SGD':
      return { type: 'sgd', learningRate: number('learningRate') };
    default:
      return fail(`the optimizer is ${optimizer.getClassName()}`);
  }
}

function stage(className: string, config: Config, input: number[], output: number[], last: boolean, weights: LayerWeight[]): Stage {
  noExtras(className, config);
  switch (className) {
    case 'Dense': {
      if (input.length !== 1) fail('a dense layer gets more than one dimension');
      const activation = activationOf(config, last);
      return { kind: 'dense', units: output[0], activation, ...kernelAndBias(config, weights) };
    }
    case 'Conv2D': {
      if (config.dataFormat !== 'channelsLast' || !pair(config.dilationRate).every((d) => d === 1) || input.length !== 3) fail('a conv2d layer is dilated or channels-first');
      const activation = activationOf(config, false);
      if (activation === 'softmax') fail('a conv2d layer has a softmax');
      return { kind: 'conv2d', strides: pair(config.strides), padding: padding(config), activation, inputShape: input, ...kernelAndBias(config, weights) };
    }
    case 'MaxPooling2D':
      if (config.dataFormat !== 'channelsLast' || input.length !== 3) fail('a pooling layer is channels-first');
      return { kind: 'maxPool', poolSize: pair(config.poolSize), strides: pair(config.strides ?? config.poolSize), padding: padding(config), channels: input[2] };
    case 'Dropout': {
      const rate = config.rate;
      if (typeof rate !== 'number' || rate < 0 || rate >= 1 || config.noiseShape != null || config.seed != null) fail('a dropout layer has a seed or noise shape');
      return { kind: 'dropout', rate, shape: input };
    }
    case 'Flatten':
    case 'Reshape':
      return { kind: 'reshape', inputShape: input, outputShape: output };
    default:
      return fail(`a ${className} layer`);
  }
}

/** Regularizers, constraints and frozen layers change the loss or the update. */
function noExtras(className: string, config: Config): void {
  for (const key of ['kernelRegularizer', 'biasRegularizer', 'activityRegularizer', 'kernelConstraint', 'biasConstraint']) {
    if (config[key] != null) fail(`a ${className} layer has a ${key}`);
  }
  if (config.trainable === false) fail(`a ${className} layer is frozen`);
}

function activationOf(config: Config, last: boolean): HiddenActivation | 'softmax' {
  const activation = config.activation ?? 'linear';
  if (activation === 'softmax' && last) return 'softmax';
  if (activation === 'linear' || activation === 'relu' || activation === 'sigmoid' || activation === 'tanh') return activation;
  return fail(`activation ${String(activation)}${activation === 'softmax' ? ' before the last layer' : ''}`);
}

function kernelAndBias(config: Config, weights: LayerWeight[]): { kernel: LayerWeight; bias?: LayerWeight } {
  const useBias = config.useBias !== false;
  if (weights.length !== (useBias ? 2 : 1)) fail('a layer has unexpected weights');
  return useBias ? { kernel: weights[0], bias: weights[1] } : { kernel: weights[0] };
}

function pair(value: unknown): Pair {
  if (typeof value === 'number') return [value, value];
  if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'number')) return [value[0] as number, value[1] as number];
  return fail(`a size is ${JSON.stringify(value)}`);
}

function padding(config: Config): 'valid' | 'same' {
  const value = config.padding ?? 'valid';
  return value === 'valid' || value === 'same' ? value : fail(`padding ${String(value)}`);
}
