// The model side of serving: checks a predict request's body, packs its
// instances, runs them through the dynamic batcher and shapes the answer.
// The HTTP server and the local Vertex sandbox both call this.
import type { LayersModel, Tensor } from '@tensorflow/tfjs';
import type { Tf } from '../core/backend/types';
import { Batcher } from './batcher';
import { PredictError } from './errors';
import { inputSpec, packInstances, type InputSpec } from './instances';

export interface PredictorOptions {
  /** Most instances per model call; default 64. */
  maxBatchSize?: number;
  /** Extra wait to gather a batch, in ms; default 0 (the current event-loop turn). */
  batchWindowMs?: number;
}

/** One prediction per instance: the model's output for it (for a classifier, the class probabilities). */
export type Prediction = number | number[] | Prediction[];

export interface PredictResponse {
  predictions: Prediction[];
}

export interface Predictor {
  readonly input: InputSpec;
  /** Shape of one prediction (the model's output shape without the batch dimension). */
  readonly outputShape: number[];
  readonly stats: Batcher['stats'];
  /** Validates `body` ({instances, parameters?}) and predicts; throws PredictError (400) on bad input. */
  predict(body: unknown): Promise<PredictResponse>;
  dispose(): void;
}

export function createPredictor(tf: Tf, model: LayersModel, options: PredictorOptions = {}): Predictor {
  if (model.inputs.length !== 1 || model.outputs.length !== 1) {
    throw new Error(`Serving supports models with one input and one output; this one has ${model.inputs.length} and ${model.outputs.length}`);
  }
  const input = inputSpec(model.inputs[0].name, model.inputs[0].shape);
  const outputShape = model.outputs[0].shape.slice(1).map((d) => d ?? 1);
  const outputSize = outputShape.reduce((a, b) => a * b, 1);
  const dtype = model.inputs[0].dtype === 'int32' ? 'int32' : 'float32';

  const run = async (values: Float32Array, count: number): Promise<Float32Array> => {
    const output = tf.tidy(() => model.predict(tf.tensor(values, [count, ...input.shape], dtype)) as Tensor);
    try {
      return (await output.data()) as Float32Array;
    } finally {
      output.dispose();
    }
  };
  const batcher = new Batcher(run, input.size, outputSize, {
    maxBatchSize: options.maxBatchSize ?? 64,
    windowMs: options.batchWindowMs ?? 0,
  });

  return {
    input,
    outputShape,
    stats: batcher.stats,
    async predict(body: unknown): Promise<PredictResponse> {
      const instances = checkBody(body);
      const values = packInstances(instances, input);
      const output = await batcher.submit(values, instances.length);
      const predictions: Prediction[] = [];
      for (let i = 0; i < instances.length; i++) {
        predictions.push(shape(output.subarray(i * outputSize, (i + 1) * outputSize), outputShape));
      }
      return { predictions };
    },
    dispose: () => model.dispose(),
  };
}

function checkBody(body: unknown): unknown[] {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new PredictError(400, 'The request body must be a JSON object: {"instances": [...], "parameters": {...}}');
  }
  const { instances, parameters } = body as { instances?: unknown; parameters?: unknown };
  if (instances === undefined) throw new PredictError(400, 'The request has no "instances": send {"instances": [<instance>, ...]}');
  if (!Array.isArray(instances)) throw new PredictError(400, '"instances" must be a list, one entry per instance');
  if (instances.length === 0) throw new PredictError(400, '"instances" is empty: send at least one instance');
  if (parameters !== undefined && (parameters === null || typeof parameters !== 'object' || Array.isArray(parameters))) {
    throw new PredictError(400, '"parameters" must be a JSON object when given');
  }
  return instances;
}

/** One instance's output as a number, a list, or nested lists for higher ranks. */
function shape(values: Float32Array, dims: readonly number[]): Prediction {
  if (dims.length === 0) return values[0];
  if (dims.length === 1) return Array.from(values);
  const stride = values.length / dims[0];
  const out: Prediction[] = [];
  for (let i = 0; i < dims[0]; i++) out.push(shape(values.subarray(i * stride, (i + 1) * stride), dims.slice(1)));
  return out;
}
