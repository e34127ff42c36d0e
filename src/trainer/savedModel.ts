// Using a finished run's model: evaluate it on its test split again, or
// predict instances. Shared by the CLI and (through it) the extension.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Tensor } from '@tensorflow/tfjs';
import type { BackendChoice, Evaluation } from '../shared/events';
import { UserError } from '../shared/errors';
import { MODEL_FOLDER, readRun, runDir } from '../core/runStore';
import { loadModelFromFolder, MODEL_JSON } from '../core/modelFolder';
import { loadBackend } from '../core/backend';
import { loadTrainingData } from './data';
import { evaluateModel } from './evaluate';
import { compileModel } from './model';
import { recoverRunFolder } from './run/checkpoints';

async function openRunModel(runsDir: string, runId: string, backendChoice: BackendChoice) {
  const record = await readRun(runsDir, runId);
  // No trainer is writing it: a save that a kill interrupted is finished or undone first.
  if (record.status !== 'running') await recoverRunFolder(runDir(runsDir, runId));
  const backend = await loadBackend(backendChoice);
  const modelDir = join(runDir(runsDir, runId), MODEL_FOLDER);
  if (!existsSync(join(modelDir, MODEL_JSON))) {
    throw new UserError(`Run '${runId}' has no saved model in ${modelDir}: it did not finish an epoch; train it again.`);
  }
  return { record, backend, model: await loadModelFromFolder(backend.tf, modelDir) };
}

export async function evaluateRun(runsDir: string, runId: string, backendChoice: BackendChoice = 'auto'): Promise<Evaluation> {
  const { record, backend, model } = await openRunModel(runsDir, runId, backendChoice);
  // The saved model carries no optimizer; evaluation needs the loss and metrics.
  compileModel(backend.tf, model, record.spec.compile);
  const data = await loadTrainingData(record.spec.data, { baseDir: dirname(record.specPath) });
  if (!data.test) throw new UserError(`The data of run '${runId}' has no test split to evaluate on: add one to the spec's data.`);
  return evaluateModel(backend.tf, model, data, data.test, { worstExamples: 0 });
}

export interface Predictions {
  predictions: number[][];
  /** Predicted class per instance, for classifiers. */
  classes?: number[];
}

/** Instances as a JSON array, or Vertex-style {"instances": [...]}. */
export async function predictFile(runsDir: string, runId: string, inputFile: string, backendChoice: BackendChoice = 'auto'): Promise<Predictions> {
  const instances = parseInstances(await readInputFile(inputFile), inputFile);
  const { record, backend, model } = await openRunModel(runsDir, runId, backendChoice);
  const tf = backend.tf;
  const sampleShape = record.data?.sampleShape ?? model.inputs[0].shape.slice(1).map((d) => d ?? -1);
  let input: Tensor;
  try {
    input = tf.tensor(instances as number[][]).reshape([instances.length, ...sampleShape]);
  } catch {
    throw new UserError(`The instances in ${inputFile} do not fit the model's input shape [${sampleShape.join(', ')}]: give ${instances.length === 1 ? 'the instance' : 'each instance'} that shape (or that many numbers).`);
  }
  const output = model.predict(input) as Tensor;
  const predictions = (await output.array()) as number[][];
  tf.dispose([input, output]);
  const classifier = record.data?.numClasses !== undefined;
  return {
    predictions,
    classes: classifier ? predictions.map((p) => p.indexOf(Math.max(...p))) : undefined,
  };
}

async function readInputFile(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    throw new UserError(`Cannot read the input file ${file}: check the path.`);
  }
}

export function parseInstances(text: string, file: string): unknown[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UserError(`${file} is not valid JSON (${(error as Error).message}): give {"instances": [...]} or a JSON array.`);
  }
  const instances = Array.isArray(value) ? value : (value as { instances?: unknown })?.instances;
  if (!Array.isArray(instances) || instances.length === 0) {
    throw new UserError(`${file} has no instances: give {"instances": [[...], ...]} or a JSON array of instances.`);
  }
  const flat = JSON.stringify(instances);
  if (/[^-0-9.eE+,[\]\s]/.test(flat)) {
    throw new UserError(`${file} has non-numeric values in its instances: every value must be a number.`);
  }
  return instances;
}
