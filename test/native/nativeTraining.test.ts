// The examples train on native TensorFlow (the real @tensorflow/tfjs-node)
// through the CLI as a user runs it: to their accuracy, and through a stop in
// the middle of an epoch and a resume.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { SINGLE_THREAD_MAX_CORES } from '../../src/core/backend/threads';
import type { EvaluationEvent, RunFinishedEvent, RunRecord, RunStartedEvent } from '../../src/shared/events';
import { collect, jsonEvents, runCli, startCli, tempWorkspace, waitForEvent } from '../helpers/cli';
import { exampleSpec, useNativeTensorFlow } from '../helpers/native';

let nativeDir = '';
before(async () => {
  nativeDir = await useNativeTensorFlow();
});

function readRecord(workspace: string, runId: string): RunRecord {
  return JSON.parse(readFileSync(join(workspace, '.model-studio', 'runs', runId, 'run.json'), 'utf8')) as RunRecord;
}

/** Trains an example with --backend tensorflow and checks that native TensorFlow ran it to `minAccuracy`. */
async function trainsToAccuracy(example: string, subset: { train: number; test: number }, epochs: number, minAccuracy: number): Promise<void> {
  const ws = tempWorkspace('ms-native-');
  const spec = exampleSpec(ws, example, subset, epochs);
  const result = await runCli(['train', spec, '--json', '--backend', 'tensorflow'], ws);
  assert.equal(result.code, 0, result.stderr);
  const events = jsonEvents(result.stdout);
  const started = events[0] as RunStartedEvent;
  assert.equal(started.backend.name, 'tensorflow');
  assert.ok(started.backend.loadedFrom?.startsWith(nativeDir), `loaded from ${started.backend.loadedFrom}`);
  assert.equal(events.filter((e) => e.type === 'epochEnd').length, epochs);
  const evaluation = events.find((e) => e.type === 'evaluation') as EvaluationEvent;
  assert.ok(evaluation.metrics.acc >= minAccuracy, `test accuracy ${evaluation.metrics.acc} on ${subset.test} images (want >= ${minAccuracy})`);
  assert.equal((events.at(-1) as RunFinishedEvent).status, 'completed');

  const record = readRecord(ws, started.runId);
  assert.equal(record.status, 'completed');
  assert.equal(record.backend?.name, 'tensorflow');
  // Both examples' layers are small: on two cores TensorFlow runs each op on one thread (src/core/backend/threads.ts).
  const threads = availableParallelism() <= SINGLE_THREAD_MAX_CORES ? ', 1 intra-op thread' : '';
  assert.match(record.backend?.device ?? '', new RegExp(`\\(\\d+ cores?\\), TensorFlow 2\\.\\d+\\.\\d+${threads}$`), 'the device names the CPU, the TensorFlow library and its threads');
  assert.equal(record.testMetrics?.acc, evaluation.metrics.acc);
}

test('the MNIST MLP example trains on native TensorFlow to test accuracy >= 0.9', async () => {
  await trainsToAccuracy('mnist.train.json', { train: 12000, test: 2000 }, 3, 0.9);
});

test('the MNIST CNN example trains on native TensorFlow (conv gradients included) to test accuracy >= 0.9', async () => {
  await trainsToAccuracy('mnist-cnn.train.json', { train: 10000, test: 1000 }, 1, 0.9);
});

test('a native run stopped in the middle of an epoch keeps a checkpoint and resumes on native TensorFlow to completion', async () => {
  const ws = tempWorkspace('ms-native-');
  const spec = exampleSpec(ws, 'mnist.train.json', { train: 24000, test: 1000 }, 2, 7);
  const child = startCli(['train', spec, '--json', '--backend', 'tensorflow'], ws);
  const done = collect(child);
  const started = (await waitForEvent(child, (e) => e.type === 'runStarted')) as RunStartedEvent;
  const perEpoch = started.batchesPerEpoch;
  // Past the first epoch's checkpoint and well inside the second epoch.
  await waitForEvent(child, (e) => e.type === 'batchEnd' && e.step >= perEpoch + 30, 120_000);
  const stopAt = Date.now();
  child.kill('SIGINT');
  const stopped = await done;
  assert.ok(Date.now() - stopAt < 5000, `stopped in ${Date.now() - stopAt} ms`);
  assert.equal(stopped.code, 0, stopped.stderr);
  const stoppedEvents = jsonEvents(stopped.stdout);
  assert.equal((stoppedEvents.at(-1) as RunFinishedEvent).status, 'stopped');
  const lastStep = stoppedEvents.filter((e) => e.type === 'batchEnd').at(-1);
  assert.ok(lastStep?.type === 'batchEnd' && lastStep.epoch === 1 && lastStep.batch < perEpoch - 1, 'stopped inside the second epoch');
  const record = readRecord(ws, started.runId);
  assert.equal(record.status, 'stopped');
  assert.equal(record.epochsCompleted, 1);
  assert.match(record.lastCheckpoint ?? '', /checkpoints\/epoch-0001-step-\d+/);

  const resumed = await runCli(['train', '--resume', started.runId, '--json', '--backend', 'tensorflow'], ws);
  assert.equal(resumed.code, 0, resumed.stderr);
  const events = jsonEvents(resumed.stdout);
  const restart = events[0] as RunStartedEvent;
  assert.equal(restart.runId, started.runId, 'resume continues the same run');
  assert.equal(restart.backend.name, 'tensorflow');
  assert.equal(restart.initialEpoch, 1, 'the interrupted second epoch is trained again from its checkpoint');
  assert.deepEqual(events.filter((e) => e.type === 'epochEnd').map((e) => (e.type === 'epochEnd' ? e.epoch : -1)), [1]);
  const evaluation = events.find((e) => e.type === 'evaluation') as EvaluationEvent;
  assert.ok(evaluation.metrics.acc >= 0.85, `test accuracy after resuming ${evaluation.metrics.acc}`);
  const after = readRecord(ws, started.runId);
  assert.equal(after.status, 'completed');
  assert.equal(after.epochsCompleted, 2);
});
