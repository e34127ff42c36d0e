// The batch's loss and accuracy from its logits, as TF.js's trainOnBatch
// reports them for a softmax output: cross-entropy of the softmax clipped to
// [ε, 1 - ε] (TF.js's epsilon, 1e-7), and the share of argmax hits. A
// 32x10 read and a few hundred exps here replace a dozen tensor ops.
import type { FastPlan } from './plan';

const EPSILON = Math.fround(1e-7);
const ONE_MINUS_EPSILON = Math.fround(1 - EPSILON);

export function batchMetrics(logits: Float32Array, labels: Float32Array | Int32Array, n: number, plan: Pick<FastPlan, 'labels' | 'numClasses' | 'metricsNames'>): number[] {
  const k = plan.numClasses;
  const probabilities = new Float64Array(k);
  let loss = 0;
  let hits = 0;
  for (let i = 0; i < n; i++) {
    const row = logits.subarray(i * k, (i + 1) * k);
    const predicted = argmax(row);
    softmax(row, probabilities);
    if (plan.labels === 'sparse') {
      const label = labels[i];
      loss -= Math.log(clip(probabilities[label]));
      if (predicted === label) hits++;
    } else {
      const target = labels.subarray(i * k, (i + 1) * k);
      for (let j = 0; j < k; j++) if (target[j] !== 0) loss -= target[j] * Math.log(clip(probabilities[j]));
      if (predicted === argmax(target)) hits++;
    }
  }
  // TF.js reports float32 means.
  const values = [Math.fround(loss / n)];
  if (plan.metricsNames.length > 1) values.push(Math.fround(hits / n));
  return values;
}

/** The first index of the largest value, as tf.argMax picks it. */
function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let j = 1; j < values.length; j++) if (values[j] > values[best]) best = j;
  return best;
}

function softmax(logits: Float32Array, out: Float64Array): void {
  let max = -Infinity;
  for (const v of logits) max = Math.max(max, v);
  let sum = 0;
  for (let j = 0; j < logits.length; j++) sum += out[j] = Math.exp(logits[j] - max);
  for (let j = 0; j < logits.length; j++) out[j] /= sum;
}

function clip(p: number): number {
  return Math.min(ONE_MINUS_EPSILON, Math.max(EPSILON, p));
}
