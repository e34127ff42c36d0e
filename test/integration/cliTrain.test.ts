// The CLI training real MNIST (a subset) end to end, as a user runs it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { EvaluationEvent, RunFinishedEvent, RunRecord, RunStartedEvent } from '../../src/shared/events';
import { loadModelFromFolder } from '../../src/core/modelFolder';
import { isEvaluation, isRunRecord, isTrainerEvent } from '../../src/shared/protocol/runEvents';
import { jsonEvents, mnistSpec, runCli, tempWorkspace, writeSpec } from '../helpers/cli';

test('train --json on an MNIST subset streams every event, saves a loadable model and evaluates it', async () => {
  const ws = tempWorkspace();
  const spec = writeSpec(ws, mnistSpec());
  const result = await runCli(['train', spec, '--json', '--backend', 'wasm'], ws);
  assert.equal(result.code, 0, result.stderr);

  const events = jsonEvents(result.stdout);
  assert.deepEqual(events.filter((e) => !isTrainerEvent(e)), [], 'every event the trainer prints passes the protocol’s guard');
  const started = events[0] as RunStartedEvent;
  assert.equal(started.type, 'runStarted');
  assert.equal(started.backend.name, 'wasm');
  assert.deepEqual(started.data.sampleShape, [28, 28]);
  const batches = events.filter((e) => e.type === 'batchEnd');
  assert.equal(batches.length, 2 * Math.ceil(2000 / 32), 'one batchEnd per batch on stdout, none coalesced');
  const epochs = events.filter((e) => e.type === 'epochEnd');
  assert.equal(epochs.length, 2);
  const firstLoss = batches[0].type === 'batchEnd' ? batches[0].loss : NaN;
  const lastEpoch = epochs[1].type === 'epochEnd' ? epochs[1].metrics : {};
  assert.ok(lastEpoch.loss < firstLoss / 2, `the loss falls: first batch ${firstLoss}, last epoch ${lastEpoch.loss}`);
  const evaluation = events.find((e) => e.type === 'evaluation') as EvaluationEvent;
  assert.ok(evaluation.metrics.acc > 0.8, `test accuracy ${evaluation.metrics.acc}`);
  assert.equal(evaluation.confusionMatrix?.matrix.flat().reduce((a, b) => a + b, 0), 500);
  const finished = events.at(-1) as RunFinishedEvent;
  assert.equal(finished.status, 'completed');

  const runDir = join(ws, '.model-studio', 'runs', started.runId);
  const record = JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')) as RunRecord;
  assert.ok(isRunRecord(record), 'run.json passes the guard the dashboard uses');
  assert.equal(record.status, 'completed');
  assert.equal(record.epochsCompleted, 2);
  assert.equal(record.backend?.name, 'wasm');
  assert.ok(record.backend?.device);
  const persisted = readFileSync(join(runDir, 'metrics.jsonl'), 'utf8').trim().split('\n');
  assert.equal(persisted.length, events.length, 'metrics.jsonl holds the same events as stdout');
  assert.ok(readdirSync(join(runDir, 'checkpoints')).length >= 1);

  // Plain TF.js reads the saved model and gets the same test accuracy.
  await tf.setBackend('cpu');
  const model = await loadModelFromFolder(tf, join(runDir, 'model'));
  assert.deepEqual(model.inputs[0].shape, [null, 28, 28]);
  const evalRun = await runCli(['evaluate', started.runId, '--json', '--backend', 'wasm'], ws);
  assert.equal(evalRun.code, 0, evalRun.stderr);
  const again: unknown = JSON.parse(evalRun.stdout);
  assert.ok(isEvaluation(again), 'the extension accepts what evaluate --json prints');
  assert.ok(Math.abs(again.metrics.acc - evaluation.metrics.acc) < 1e-6, 'evaluate reproduces the test accuracy');
});

test('runs lists the finished run; predict classifies instances from a file', async () => {
  const ws = tempWorkspace();
  const spec = writeSpec(ws, mnistSpec({ fit: { epochs: 1, batchSize: 64, seed: 3 } }, { train: 1000, test: 100 }));
  const trained = await runCli(['train', spec, '--backend', 'wasm'], ws);
  assert.equal(trained.code, 0, trained.stderr);
  assert.match(trained.stdout, /Epoch 1\/1 · loss/);
  assert.match(trained.stdout, /Test \(100 samples\): loss .* acc/);

  const runs = await runCli(['runs', '--json'], ws);
  const [run] = JSON.parse(runs.stdout) as RunRecord[];
  assert.equal(run.status, 'completed');

  const input = join(ws, 'instances.json');
  const zero = Array.from({ length: 28 }, () => new Array<number>(28).fill(0));
  const { writeFileSync } = await import('node:fs');
  writeFileSync(input, JSON.stringify({ instances: [zero, zero] }));
  const predicted = await runCli(['predict', run.id, '--input', input, '--backend', 'wasm'], ws);
  assert.equal(predicted.code, 0, predicted.stderr);
  const out = JSON.parse(predicted.stdout) as { predictions: number[][]; classes: number[] };
  assert.equal(out.predictions.length, 2);
  assert.equal(out.predictions[0].length, 10);
  assert.ok(Math.abs(out.predictions[0].reduce((a, b) => a + b, 0) - 1) < 1e-4, 'softmax output sums to 1');
  assert.equal(out.classes.length, 2);
  assert.ok(existsSync(join(ws, '.model-studio', 'runs', run.id, 'model', 'model.json')));
});
