// Does the spec fit the data? Checked once the data's shapes are known and
// before training: the model's input against the samples, the output and the
// loss against the labels. Each failure is one line naming both sides.
import type { LayersModel } from '@tensorflow/tfjs';
import { UserError } from '../shared/errors';
import { isModuleModel, type LossName, type MetricName, type TrainingSpec } from '../shared/spec';
import { locationSuffix, sourceOf } from '../core/spec/jsonLocation';
import { formatShape, inferLayerShapes } from '../core/spec/layerShapes';

export interface DataFacts {
  /** Shape of one input sample, e.g. [28, 28]. */
  sampleShape: number[];
  /** [] for class indices, [k] for one-hot vectors or k regression targets. */
  labelShape: number[];
  /** Number of classes; undefined for regression data. */
  numClasses?: number;
}

/** Where the output is decided, for messages: the last layer that sets units. */
interface OutputSource {
  /** "model.layers[3].units (line 20, column 7)" or "the model from custom-model.ts". */
  label: string;
  /** How to change the output size: "set model.layers[3].units to 10". */
  fix: (size: number) => string;
}

/** Checks a Keras-style layer list against the data (module models are checked after building). */
export function checkSpecAgainstData(spec: TrainingSpec, data: DataFacts, file = specFile(spec)): void {
  if (isModuleModel(spec.model)) {
    checkLossAgainstLabels(spec.compile.loss, spec.compile.metrics ?? [], data, file);
    return;
  }
  const layers = spec.model.layers;
  const declared = layers[0].inputShape;
  if (declared && !sameShape(declared, data.sampleShape)) {
    const where = locationSuffix(spec, ['model', 'layers', 0, 'inputShape']);
    const fix =
      product(declared) === product(data.sampleShape)
        ? `remove inputShape (it defaults to the data's shape) and start with { "type": "reshape", "targetShape": ${formatShape(declared)} }`
        : "remove inputShape (it defaults to the data's shape) or use a data set with that shape";
    throw new UserError(
      `${file}: the data's samples have shape ${formatShape(data.sampleShape)} but model.layers[0].inputShape${where} is ${formatShape(declared)}; ${fix}`,
    );
  }
  const shapes = inferLayerShapes(spec, layers, data.sampleShape, file);
  const output = shapes[shapes.length - 1];
  const last = lastUnitsLayer(spec);
  const source: OutputSource = last
    ? {
        label: `model.layers[${last}].units${locationSuffix(spec, ['model', 'layers', last, 'units'])}`,
        fix: (size) => `set model.layers[${last}].units to ${size}`,
      }
    : { label: 'the last layer', fix: (size) => `end the model with { "type": "dense", "units": ${size} }` };
  checkLossAgainstLabels(spec.compile.loss, spec.compile.metrics ?? [], data, file);
  checkOutputAgainstLabels(spec.compile.loss, output, data, source, file);
}

/**
 * Checks a built model (from layers or a user module) against the data: the
 * input shape, and the output against the labels for the spec's loss.
 */
export function checkModelAgainstData(model: LayersModel, spec: TrainingSpec, data: DataFacts, file = specFile(spec)): void {
  const origin = isModuleModel(spec.model) ? `the model built by ${spec.model.module}` : 'the model';
  const input = model.inputs[0].shape.slice(1);
  if (!shapeFits(input, data.sampleShape)) {
    const fix = isModuleModel(spec.model)
      ? `give its first layer inputShape: ${formatShape(data.sampleShape)} (info.sampleShape)`
      : 'fix model.layers[0].inputShape';
    throw new UserError(`${file}: ${origin} takes inputs of shape ${formatShape(input)} but the data's samples have shape ${formatShape(data.sampleShape)}; ${fix}`);
  }
  const output = model.outputs[0].shape.slice(1).map((d) => d ?? -1);
  checkLossAgainstLabels(spec.compile.loss, spec.compile.metrics ?? [], data, file);
  checkOutputAgainstLabels(spec.compile.loss, output, data, { label: `the output of ${origin}`, fix: (size) => `make its last layer output ${size} values` }, file);
}

function specFile(spec: TrainingSpec): string {
  return sourceOf(spec)?.file ?? spec.name;
}

function product(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

function shapeFits(model: readonly (number | null)[], data: readonly number[]): boolean {
  return model.length === data.length && model.every((d, i) => d === null || d === data[i]);
}

function lastUnitsLayer(spec: TrainingSpec): number | undefined {
  if (isModuleModel(spec.model)) return undefined;
  for (let i = spec.model.layers.length - 1; i >= 0; i--) {
    const layer = spec.model.layers[i];
    if (layer.type === 'dense') return i;
    if (layer.type !== 'dropout' && layer.type !== 'activation' && layer.type !== 'batchNormalization') return undefined;
  }
  return undefined;
}

const classLosses: LossName[] = ['sparseCategoricalCrossentropy', 'categoricalCrossentropy', 'binaryCrossentropy'];

function labelsDescription(data: DataFacts): string {
  if (data.numClasses === undefined) return `numeric targets of shape ${formatShape(data.labelShape)} (regression)`;
  if (data.labelShape.length === 0) return `class indices 0..${data.numClasses - 1}`;
  return `one-hot vectors of length ${data.labelShape[0]}`;
}

/** The loss and metrics must suit the kind of labels. */
function checkLossAgainstLabels(loss: LossName, metrics: MetricName[], data: DataFacts, file: string): void {
  const fail = (message: string): never => {
    throw new UserError(`${file}: compile.loss is ${loss} but the labels are ${labelsDescription(data)}; ${message}`);
  };
  const classes = data.numClasses;
  const indices = classes !== undefined && data.labelShape.length === 0;
  const oneHot = classes !== undefined && data.labelShape.length === 1 && data.labelShape[0] > 1;
  if (classes === undefined && classLosses.includes(loss)) fail('use meanSquaredError (or meanAbsoluteError) for regression');
  if (loss === 'categoricalCrossentropy' && indices) fail('use sparseCategoricalCrossentropy, which takes class indices (or one-hot encode the labels)');
  if (loss === 'sparseCategoricalCrossentropy' && oneHot) fail('use categoricalCrossentropy, which takes one-hot labels');
  if (loss === 'binaryCrossentropy' && indices && classes > 2) {
    fail(`binaryCrossentropy is for two classes; use sparseCategoricalCrossentropy with ${classes} output units`);
  }
  if (!classLosses.includes(loss) && classes !== undefined) {
    fail(indices ? 'use sparseCategoricalCrossentropy for classification' : 'use categoricalCrossentropy for classification');
  }
  const metricFail = (message: string): never => {
    throw new UserError(`${file}: ${message}`);
  };
  if (classes === undefined && metrics.includes('accuracy')) {
    metricFail('compile.metrics has accuracy but the labels are numeric targets (regression); use meanAbsoluteError or meanSquaredError');
  }
  const binary = loss === 'binaryCrossentropy';
  for (const metric of metrics) {
    if ((metric === 'precision' || metric === 'recall') && !binary) {
      metricFail(`compile.metrics has ${metric}, which TF.js computes for binary outputs only, but the loss is ${loss}; remove it or use binaryCrossentropy with one sigmoid unit`);
    }
  }
}

/** The model's output per sample must match what the loss compares it with. */
function checkOutputAgainstLabels(loss: LossName, output: readonly number[], data: DataFacts, source: OutputSource, file: string): void {
  const fail = (message: string): never => {
    throw new UserError(`${file}: ${message}`);
  };
  if (output.length !== 1) {
    fail(`${source.label} gives ${formatShape(output)} per sample but ${loss} compares one vector per sample with the labels; add { "type": "flatten" } before the last dense layer`);
  }
  const size = output[0];
  switch (loss) {
    case 'sparseCategoricalCrossentropy': {
      const classes = data.numClasses ?? 0;
      if (size !== classes) fail(`${source.label} gives ${size} outputs but the data has ${classes} classes; ${source.fix(classes)}`);
      break;
    }
    case 'categoricalCrossentropy': {
      const classes = data.labelShape[0] ?? 0;
      if (size !== classes) fail(`${source.label} gives ${size} outputs but the labels are one-hot vectors of length ${classes}; ${source.fix(classes)}`);
      break;
    }
    case 'binaryCrossentropy': {
      const wanted = data.labelShape.length === 0 ? 1 : data.labelShape[0];
      if (size !== wanted) fail(`${source.label} gives ${size} outputs but binaryCrossentropy on these labels needs ${wanted}; ${source.fix(wanted)}`);
      break;
    }
    default: {
      const wanted = data.labelShape.length === 0 ? 1 : product(data.labelShape);
      if (size !== wanted) fail(`${source.label} gives ${size} outputs but the targets have ${wanted} value(s) per sample; ${source.fix(wanted)}`);
    }
  }
}
