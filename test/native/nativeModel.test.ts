// A model trained on native TensorFlow, used as a user uses it: reloaded with
// plain tf.loadLayersModel, evaluated and asked for predictions through the
// CLI, and served by the prediction server, all on the native backend.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Tensor } from '@tensorflow/tfjs';
import { loadBackend, type LoadedBackend } from '../../src/core/backend';
import type { EvaluationEvent, RunStartedEvent } from '../../src/shared/events';
import { jsonEvents, repoRoot, runCli, tempWorkspace } from '../helpers/cli';
import { argmax, exampleSpec, mnistTestSamples, useNativeTensorFlow } from '../helpers/native';

const samples = mnistTestSamples(20);
let native: LoadedBackend;
let ws = '';
let runId = '';
let modelDir = '';
let trainedAccuracy = 0;
/** The reloaded model's outputs for `samples`, computed in this process on native TensorFlow. */
let expected: number[][] = [];

before(async () => {
  const nativeDir = await useNativeTensorFlow();
  native = await loadBackend('tensorflow', { searchDirs: [nativeDir] });
  ws = tempWorkspace('ms-native-model-');
  const spec = exampleSpec(ws, 'mnist.train.json', { train: 6000, test: 1000 }, 1);
  const trained = await runCli(['train', spec, '--json', '--backend', 'tensorflow'], ws);
  assert.equal(trained.code, 0, trained.stderr);
  const events = jsonEvents(trained.stdout);
  runId = (events[0] as RunStartedEvent).runId;
  trainedAccuracy = (events.find((e) => e.type === 'evaluation') as EvaluationEvent).metrics.acc;
  modelDir = join(ws, '.model-studio', 'runs', runId, 'model');
});

test('plain tf.loadLayersModel of tfjs-node reads the saved model and classifies test digits', async () => {
  const { tf, info } = native;
  assert.equal(info.name, 'tensorflow');
  assert.equal(tf.getBackend(), 'tensorflow');
  const model = await tf.loadLayersModel(`file://${join(modelDir, 'model.json')}`);
  assert.deepEqual(model.inputs[0].shape, [null, 28, 28]);
  const input = tf.tensor3d(samples.images);
  const output = model.predict(input) as Tensor;
  expected = (await output.array()) as number[][];
  tf.dispose([input, output]);
  model.dispose();
  const correct = expected.filter((p, i) => argmax(p) === samples.labels[i]).length;
  assert.ok(correct >= 16, `${correct} of 20 test digits classified correctly`);
});

test('model-studio evaluate on native TensorFlow reproduces the test accuracy of training', async () => {
  const result = await runCli(['evaluate', runId, '--json', '--backend', 'tensorflow'], ws);
  assert.equal(result.code, 0, result.stderr);
  const evaluation = JSON.parse(result.stdout) as { metrics: { acc: number }; samples: number };
  assert.equal(evaluation.samples, 1000);
  assert.ok(Math.abs(evaluation.metrics.acc - trainedAccuracy) < 1e-6, `evaluate ${evaluation.metrics.acc}, training ${trainedAccuracy}`);
});

function assertClose(actual: number[][], wanted: number[][], what: string): void {
  assert.equal(actual.length, wanted.length);
  const worst = Math.max(...actual.flatMap((row, i) => row.map((v, j) => Math.abs(v - wanted[i][j]))));
  assert.ok(worst < 1e-5, `${what} differs from the reloaded model by up to ${worst}`);
}

test('model-studio predict on native TensorFlow gives the reloaded model\'s probabilities and classes', async () => {
  const input = join(ws, 'instances.json');
  writeFileSync(input, JSON.stringify({ instances: samples.images }));
  const result = await runCli(['predict', runId, '--input', input, '--backend', 'tensorflow'], ws);
  assert.equal(result.code, 0, result.stderr);
  const out = JSON.parse(result.stdout) as { predictions: number[][]; classes: number[] };
  assertClose(out.predictions, expected, 'predict');
  assert.deepEqual(out.classes, expected.map(argmax));
});

let server: ChildProcess | undefined;
after(() => server?.kill('SIGKILL'));

/** Starts the serving container's entry (dist/serve.js) and resolves with its port and the backend line it logged. */
function startServer(args: string[]): Promise<{ port: number; line: string }> {
  const child = spawn(process.execPath, [join(repoRoot, 'dist', 'serve.js'), ...args], { stdio: ['ignore', 'ignore', 'pipe'], env: process.env });
  server = child;
  return new Promise((resolve, reject) => {
    let stderr = '';
    const timer = setTimeout(() => reject(new Error(`the server did not start in 60 s:\n${stderr}`)), 60_000);
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const ready = /^Serving .* on http:\/\/127\.0\.0\.1:(\d+) .*$/m.exec(stderr);
      if (ready) {
        clearTimeout(timer);
        resolve({ port: Number(ready[1]), line: ready[0] });
      }
    });
    child.on('exit', (code) => reject(new Error(`the server exited (${code}):\n${stderr}`)));
  });
}

test('the prediction server answers on native TensorFlow with the reloaded model\'s probabilities', async () => {
  const { port, line } = await startServer(['--model-uri', modelDir, '--host', '127.0.0.1', '--port', '0', '--backend', 'tensorflow']);
  assert.match(line, /TF\.js tensorflow on .*TensorFlow 2\.\d+/, line);
  const health = await fetch(`http://127.0.0.1:${port}/health`);
  assert.equal(health.status, 200);
  const response = await fetch(`http://127.0.0.1:${port}/predict`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ instances: samples.images }),
  });
  assert.equal(response.status, 200);
  const body = (await response.json()) as { predictions: number[][] };
  assertClose(body.predictions, expected, 'serving');

  const exited = new Promise<number | null>((resolve) => server?.on('exit', (code) => resolve(code)));
  server?.kill('SIGTERM');
  assert.equal(await exited, 0, 'SIGTERM stops the server cleanly');
  server = undefined;
});
