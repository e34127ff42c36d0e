// Weights and optimizer state between the LayersModel (what validation,
// checkpoints, saving and evaluation read) and the fast path's own copy.
// Only public TF.js API: LayerVariable.read/write, Optimizer.get/setWeights,
// whose slot order (iterations, first moments, second moments, by trainable
// weight) is what trainOnBatch builds and what checkpoints store.
import type { LayersModel, Optimizer } from '@tensorflow/tfjs';
import type { Tf } from '../../core/backend/types';
import type { FastPlan } from './plan';
import type { TrainingState } from './native/stepper';

type NamedTensor = Awaited<ReturnType<Optimizer['getWeights']>>[number];

export async function readTrainingState(model: LayersModel, plan: FastPlan): Promise<TrainingState> {
  const weights = plan.weights.map((w) => Float32Array.from(w.read().dataSync() as Float32Array));
  const saved = await model.optimizer.getWeights();
  try {
    const slots = saved.slice(1).map((s) => Float32Array.from(s.tensor.dataSync() as Float32Array));
    const iterations = saved.length > 0 ? (await saved[0].tensor.data())[0] : 0;
    const expected = plan.optimizer.type === 'adam' ? [0, 2 * plan.weights.length] : [0];
    if (!expected.includes(slots.length)) throw new Error(`the optimizer holds ${slots.length} slots for ${plan.weights.length} weights`);
    slots.forEach((slot, i) => {
      if (slot.length !== weights[i % weights.length].length) throw new Error(`optimizer slot ${saved[i + 1].name} does not fit its weight`);
    });
    return { weights, optimizer: { iterations, slots } };
  } finally {
    // getWeights makes a fresh iterations scalar; the slots are the optimizer's own variables.
    saved[0]?.tensor.dispose();
  }
}

export async function writeTrainingState(tf: Tf, model: LayersModel, plan: FastPlan, state: TrainingState): Promise<void> {
  plan.weights.forEach((w, i) => {
    const value = tf.tensor(state.weights[i], w.shape as number[]);
    w.write(value);
    value.dispose();
  });
  const optimizer = model.optimizer;
  const previous = await optimizer.getWeights();
  const names = slotNames(plan, previous);
  const slots: NamedTensor[] = state.optimizer.slots.map((values, i) => ({
    name: names[i],
    tensor: tf.tensor(values, plan.weights[i % plan.weights.length].shape as number[]),
  }));
  const iterations: NamedTensor = { name: 'iter', tensor: tf.scalar(state.optimizer.iterations, 'int32') };
  await optimizer.setWeights([iterations, ...slots]);
  // setWeights made variables of its own from these and dropped the previous ones.
  tf.dispose([iterations.tensor, ...slots.map((s) => s.tensor), ...previous.map((p) => p.tensor)]);
}

/** The names TF.js gives the slots: `<weight>/m`, then `<weight>/v`. */
function slotNames(plan: FastPlan, previous: NamedTensor[]): string[] {
  if (previous.length === 1 + 2 * plan.weights.length) return previous.slice(1).map((p) => p.name);
  return ['m', 'v'].flatMap((slot) => plan.weights.map((w) => `${w.name}/${slot}`));
}
