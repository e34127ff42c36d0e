import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { batchMetrics } from '../../../../src/trainer/fastPath/metrics';

before(async () => {
  await tf.setBackend('cpu');
});

/** What trainOnBatch reports for a softmax output: TF.js's categorical cross-entropy (it clips) and accuracy, batch means. */
function tfjsMetrics(logits: number[][], oneHot: number[][]): number[] {
  return tf.tidy(() => {
    const probabilities = tf.softmax(tf.tensor2d(logits));
    const targets = tf.tensor2d(oneHot);
    const loss = tf.mean(tf.metrics.categoricalCrossentropy(targets, probabilities)).dataSync()[0];
    const accuracy = tf.mean(tf.metrics.categoricalAccuracy(targets, probabilities)).dataSync()[0];
    return [loss, accuracy];
  });
}

const plan = (labels: 'sparse' | 'categorical', k: number) => ({ labels, numClasses: k, metricsNames: ['loss', 'acc'] });

function oneHotRows(labels: number[], k: number): number[][] {
  return labels.map((label) => Array.from({ length: k }, (_, j) => (j === label ? 1 : 0)));
}

test('the batch loss and accuracy from logits are those TF.js reports, for class indices and one-hot labels', () => {
  let seed = 7;
  const random = (): number => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 8 - 4;
  const logits = Array.from({ length: 32 }, () => Array.from({ length: 10 }, random));
  const labels = logits.map((_, i) => (i * 7) % 10);
  const [loss, accuracy] = tfjsMetrics(logits, oneHotRows(labels, 10));
  const flat = Float32Array.from(logits.flat());
  for (const [kind, y] of [['sparse', Float32Array.from(labels)], ['categorical', Float32Array.from(oneHotRows(labels, 10).flat())]] as const) {
    const [ourLoss, ourAccuracy] = batchMetrics(flat, y, 32, plan(kind, 10));
    assert.ok(Math.abs(ourLoss - loss) < 1e-6 * loss, `${kind}: loss ${ourLoss}, TF.js ${loss}`);
    assert.equal(ourAccuracy, accuracy, kind);
  }
});

test('a confidently wrong sample costs what TF.js clips it to (-log 1e-7), not its true cross-entropy', () => {
  const logits = [[60, 0, 0], [0, 0, 5]];
  const labels = [1, 2];
  const [loss, accuracy] = tfjsMetrics(logits, oneHotRows(labels, 3));
  const [ourLoss, ourAccuracy] = batchMetrics(Float32Array.from(logits.flat()), Float32Array.from(labels), 2, plan('sparse', 3));
  assert.ok(loss > 8 && loss < 8.1, `TF.js loss ${loss}`);
  assert.ok(Math.abs(ourLoss - loss) < 1e-5, `loss ${ourLoss}, TF.js ${loss}`);
  assert.equal(ourAccuracy, accuracy);
  assert.equal(accuracy, 0.5);
});

test('ties go to the first class, as tf.argMax picks, and a model without accuracy reports the loss alone', () => {
  const logits = Float32Array.from([1, 1, 0, 0, 2, 2]);
  assert.deepEqual(batchMetrics(logits, Float32Array.from([0, 2]), 2, plan('sparse', 3))[1], 0.5);
  assert.equal(batchMetrics(logits, Float32Array.from([0, 2]), 2, { labels: 'sparse', numClasses: 3, metricsNames: ['loss'] }).length, 1);
});
