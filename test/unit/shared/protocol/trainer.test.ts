// The trainer <-> host protocol and the event guards that metrics.jsonl, the
// CLI's evaluate output and the dashboard share.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BatchEndEvent, Evaluation, TrainerEvent } from '../../../../src/shared/events';
import { isHostToTrainerMessage, isTrainerToHostMessage, isTrainRequest, type TrainRequest } from '../../../../src/shared/protocol/trainer';
import { isEvaluation, isRunRecord, isTrainerEvent, MAX_EXAMPLES } from '../../../../src/shared/protocol/runEvents';
import { confusion } from '../../../../src/trainer/evaluate';
import { syntheticRun } from '../../../../webview/harness/syntheticRun';

const run = syntheticRun({ runId: 'mnist-mlp-20261127-093000-1a2b', batchesPerEpoch: 20, epochs: 2, seed: 5, exampleImage: () => ({ index: 3, base64: Buffer.alloc(784, 7).toString('base64') }) });
const batch = run.events.find((e): e is BatchEndEvent => e.type === 'batchEnd') as BatchEndEvent;

/** A copy of `value` with one field changed (undefined: removed). */
function changed(value: object, field: string, to: unknown): Record<string, unknown> {
  const fields = Object.entries(value).filter(([name]) => name !== field);
  return Object.fromEntries(to === undefined ? fields : [...fields, [field, to]]);
}

test('the host’s train and stop messages pass, as TrainingManager and Train With… build them', () => {
  const request: TrainRequest = { specPath: '/ws/mnist.train.json', runsDir: '/ws/.model-studio/runs', backend: 'wasm' };
  assert.ok(isHostToTrainerMessage({ type: 'train', request }));
  assert.ok(isHostToTrainerMessage({ type: 'train', request: { ...request, epochs: 99_999, backend: 'auto', resume: 'mnist-mlp-20261127-093000-1a2b' } }));
  assert.ok(isHostToTrainerMessage({ type: 'train', request: { ...request, batchSize: 64, learningRate: 0.0005 } }));
  assert.ok(isHostToTrainerMessage({ type: 'stop' }));
  // A sweep's trial, and the median rule's stop with its reason.
  const trial = { sweepId: 'mnist-mlp-sweep-20261202-104512-3fa2', trialId: '3', parameters: { 'compile.optimizer.learningRate': 0.0012, 'model.layers[1].activation': 'elu' } };
  assert.ok(isHostToTrainerMessage({ type: 'train', request: { ...request, trial } }));
  assert.ok(isHostToTrainerMessage({ type: 'stop', reason: 'Pruned by the median rule: val_acc 0.1 after epoch 1 is below the median 0.9 of 2 completed trials.' }));
  assert.ok(isRunRecord({ ...run.record, trial }));
});

test('a malformed trial or stop reason is rejected', () => {
  const request = { specPath: '/ws/a.train.json', runsDir: '/ws/runs' };
  const trial = { sweepId: 's', trialId: '1', parameters: { 'fit.batchSize': 32 } };
  for (const bad of [changed(trial, 'trialId', undefined), changed(trial, 'parameters', { 'fit.batchSize': [32] }), changed(trial, 'parameters', { 'fit.batchSize': { n: 1 } }), 'trial 1']) {
    assert.equal(isTrainRequest({ ...request, trial: bad }), false, JSON.stringify(bad));
    assert.equal(isRunRecord({ ...run.record, trial: bad }), false);
  }
  assert.equal(isHostToTrainerMessage({ type: 'stop', reason: 42 }), false);
  assert.equal(isHostToTrainerMessage({ type: 'stop', reason: 'x'.repeat(100_000) }), false);
});

test('a train request with a missing, mistyped or out-of-range field is rejected', () => {
  const request = { specPath: '/ws/a.train.json', runsDir: '/ws/runs' };
  const bad = [
    changed(request, 'specPath', undefined),
    changed(request, 'specPath', 42),
    changed(request, 'specPath', ''),
    changed(request, 'runsDir', 'x'.repeat(5000)),
    { ...request, epochs: 0 },
    { ...request, epochs: 2.5 },
    { ...request, epochs: Number.NaN },
    { ...request, epochs: '5' },
    { ...request, backend: 'tpu' },
    { ...request, resume: '../../other' },
    { ...request, batchSize: 0 },
    { ...request, batchSize: 6.4 },
    { ...request, learningRate: 0 },
    { ...request, learningRate: -0.001 },
    { ...request, learningRate: Number.POSITIVE_INFINITY },
    { ...request, learningRate: '0.001' },
  ];
  for (const each of bad) {
    assert.equal(isTrainRequest(each), false, JSON.stringify(each).slice(0, 100));
    assert.equal(isHostToTrainerMessage({ type: 'train', request: each }), false);
  }
  for (const each of [{ type: 'train' }, { type: 'stop!' }, { type: 'train', request: null }, null, 'stop']) assert.equal(isHostToTrainerMessage(each), false, JSON.stringify(each));
});

test('every event of a realistic run passes, and so does its run.json', () => {
  const types = new Set(run.events.map((e) => e.type));
  assert.deepEqual([...types].sort(), ['batchEnd', 'checkpointSaved', 'epochEnd', 'evaluation', 'runFinished', 'runStarted']);
  for (const event of run.events) assert.ok(isTrainerToHostMessage(event), `${event.type} passes`);
  assert.ok(isTrainerEvent({ type: 'log', runId: batch.runId, time: 5, level: 'warning', message: 'the validation split is empty' }));
  assert.ok(isRunRecord(run.record));
  assert.ok(isRunRecord({ ...run.record, status: 'crashed', reason: 'The trainer process ended without finishing the run.' }));
});

test('a batch carries its epoch’s running averages, or none (runs of older versions); anything else is rejected', () => {
  assert.ok(batch.epochAverage, 'the synthetic run sends them, as the trainer does');
  assert.ok(isTrainerEvent(changed(batch, 'epochAverage', undefined)));
  assert.ok(isTrainerEvent(changed(batch, 'epochAverage', { loss: 0.5, acc: 0.8 })));
  for (const bad of [0.5, 'loss 0.5', [0.5], { loss: '0.5' }]) assert.equal(isTrainerEvent(changed(batch, 'epochAverage', bad)), false, JSON.stringify(bad));
});

test('a diverged metric arrives as null (JSON’s NaN) and is accepted; anything else non-numeric is not', () => {
  const diverged: unknown = JSON.parse(JSON.stringify({ ...batch, loss: Number.NaN, metrics: { acc: Number.NaN } }));
  assert.ok(isTrainerEvent(diverged));
  assert.equal(isTrainerEvent({ ...batch, loss: '0.3' }), false);
  assert.equal(isTrainerEvent({ ...batch, metrics: { acc: 'high' } }), false);
});

test('events with a missing, mistyped, out-of-range or oversized field are rejected', () => {
  const started = run.events[0];
  const finished = run.events.at(-1) as TrainerEvent;
  const bad: unknown[] = [
    changed(batch, 'step', undefined),
    changed(batch, 'step', 'one'),
    changed(batch, 'step', 0),
    changed(batch, 'epoch', -1),
    changed(batch, 'batch', 1.5),
    changed(batch, 'samplesPerSecond', Number.NaN),
    changed(batch, 'time', Infinity),
    changed(batch, 'runId', '../../etc'),
    changed(batch, 'metrics', Object.fromEntries(Array.from({ length: 201 }, (_, i) => [`m${i}`, 0]))),
    changed(started, 'backend', { name: 'quantum', device: 'x', version: '1' }),
    changed(started, 'data', {}),
    changed(started, 'spec', { name: 'no sections' }),
    changed(finished, 'status', 'exploded'),
    changed(finished, 'reason', 'x'.repeat(70_000)),
    { type: 'log', runId: batch.runId, time: 1, level: 'debug', message: 'x' },
    { type: 'surprise', runId: batch.runId, time: 1 },
    { type: 'error', message: 'boom' },
    { type: 'error', message: 'boom', userError: 'yes' },
  ];
  for (const each of bad) assert.equal(isTrainerToHostMessage(each), false, JSON.stringify(each).slice(0, 120));
  assert.ok(isTrainerToHostMessage({ type: 'error', message: 'mnist.train.json: "epochs" must be at least 1', userError: true }));
});

test('an evaluation as the trainer computes it passes; a broken confusion matrix or example does not', () => {
  const actual = Int32Array.from([0, 1, 2, 2, 1]);
  const predicted = Int32Array.from([0, 1, 2, 1, 1]);
  const evaluation: Evaluation = {
    metrics: { loss: 0.21, acc: 0.8 },
    samples: 5,
    confusionMatrix: confusion(actual, predicted, 3),
    misclassified: [{ index: 3, actual: 2, predicted: 1, confidence: 0.61, image: { width: 2, height: 2, channels: 1, base64: Buffer.from([0, 64, 128, 255]).toString('base64') } }],
  };
  assert.ok(isEvaluation(evaluation));
  assert.ok(isEvaluation({ metrics: { loss: 0.2 }, samples: 10 }), 'a regression model: metrics only');
  assert.ok(isEvaluation(JSON.parse(JSON.stringify(evaluation))), 'as `model-studio evaluate --json` prints it');
  const example = evaluation.misclassified?.[0];
  const bad: unknown[] = [
    changed(evaluation, 'samples', -1),
    changed(evaluation, 'metrics', undefined),
    changed(evaluation, 'confusionMatrix', { labels: ['0', '1', '2'], matrix: [[1, 0, 0], [0, 2, 0]] }),
    changed(evaluation, 'confusionMatrix', { labels: ['0', '1'], matrix: [[1, 0], [0, -2]] }),
    changed(evaluation, 'misclassified', [changed(example ?? {}, 'confidence', Number.NaN)]),
    changed(evaluation, 'misclassified', [changed(example ?? {}, 'image', { width: 2, height: 2, channels: 1, base64: 'AAAA' })]),
    changed(evaluation, 'misclassified', Array.from({ length: MAX_EXAMPLES + 1 }, () => ({ index: 0, actual: 0, predicted: 1, confidence: 0.5 }))),
    { samples: 5 },
  ];
  for (const each of bad) assert.equal(isEvaluation(each), false, JSON.stringify(each).slice(0, 120));
});
