// Picks how the training loop trains each batch: the native fast path when
// the backend is tfjs-node and the planner covers the model, trainOnBatch
// otherwise. The fast path is an optimisation, never a behaviour change: if
// anything is missing or fails while it is set up, training goes through
// trainOnBatch with one log line saying why.
import { availableParallelism } from 'node:os';
import type { LayersModel } from '@tensorflow/tfjs';
import type { Tf } from '../../core/backend/types';
import type { TrainingSpec } from '../../shared/spec';
import { errorMessage } from '../../shared/errors';
import { product } from '../batches';
import { NativeTrainer, TrainOnBatchTrainer, type BatchTrainer, type DataShapes } from './batchTrainer';
import { readTrainingState } from './modelState';
import { findBinding } from './native/binding';
import { choosePoolKernels } from './native/poolKernels';
import { NativeStepper } from './native/stepper';
import { planFastPath, type FastPlan } from './plan';

export type { BatchTrainer, DataShapes } from './batchTrainer';

/** Set to 0 to train every model through trainOnBatch (benchmarks, diagnosis). */
export const FAST_PATH_ENV = 'MODEL_STUDIO_FAST_PATH';

/** `seed`: the run's seed, from which each step's dropout masks are derived. */
export async function createBatchTrainer(tf: Tf, model: LayersModel, spec: TrainingSpec, shapes: DataShapes, seed: number, log: (message: string) => void): Promise<BatchTrainer> {
  const fallback = new TrainOnBatchTrainer(tf, model, shapes, seed);
  if (process.env[FAST_PATH_ENV] === '0' || tf.getBackend() !== 'tensorflow') return fallback;
  const because = (reason: string): BatchTrainer => {
    log(`Training through trainOnBatch, not the native fast path: ${reason}`);
    return fallback;
  };
  const plan = planFastPath(model, spec);
  if ('unsupported' in plan) return because(`it does not cover this model (${plan.unsupported})`);
  if (product(shapes.sampleShape) !== size(plan.inputShape) || product(shapes.labelShape) !== (plan.labels === 'sparse' ? 1 : plan.numClasses)) {
    return because("the data's shapes do not fit the model");
  }
  const binding = findBinding(tf);
  if ('unavailable' in binding) return because(binding.unavailable);
  let stepper: NativeStepper | undefined;
  try {
    stepper = new NativeStepper(binding, plan, await readTrainingState(model, plan), { poolKernels: choosePoolKernels(binding, availableParallelism()), seed });
    const grads = stepper.gradientValues(...zeroBatch(plan));
    grads.forEach((grad, i) => {
      if (grad.length !== size(plan.weights[i].shape as number[]) || !grad.every(Number.isFinite)) throw new Error(`a check step gave a wrong gradient for ${plan.weights[i].name}`);
    });
  } catch (error) {
    stepper?.dispose();
    return because(`setting it up failed (${errorMessage(error).split('\n')[0]})`);
  }
  return new NativeTrainer(tf, model, plan, stepper);
}

/** Two all-zero samples of class 0: enough to run every op of a step once. */
function zeroBatch(plan: FastPlan): [Float32Array, Float32Array, number] {
  const labels = new Float32Array(plan.labels === 'sparse' ? 2 : 2 * plan.numClasses);
  if (plan.labels === 'categorical') labels[0] = labels[plan.numClasses] = 1;
  return [new Float32Array(2 * size(plan.inputShape)), labels, 2];
}

function size(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
