// The native fast path while signals interrupt the trainer's main thread, as
// Node's CPU profiler does (`node --cpu-prof`: one SIGPROF per sampling
// interval). TensorFlow's MatMul kernel (oneDNN's sgemm) corrupted the heap
// when interrupted, and glibc aborted the run within a few dozen batches; the
// fast path's matmuls now go through the kernel TF.js's own matMul uses (see
// NativeOps.matMul).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { cliPath, collect, jsonEvents, killAndWait, tempWorkspace } from '../helpers/cli';
import { onCleanup, tempDir } from '../helpers/cleanup';
import { exampleSpec, useNativeTensorFlow } from '../helpers/native';
import type { RunFinishedEvent } from '../../src/shared/events';

/** Trains `example` for one epoch on native TensorFlow under the CPU profiler sampling every 100 µs. */
async function trainProfiled(example: string, subset: { train: number; test: number }): Promise<void> {
  await useNativeTensorFlow();
  const ws = tempWorkspace('ms-native-signals-');
  const profiles = tempDir('ms-cpu-prof-');
  const spec = exampleSpec(ws, example, subset, 1);
  const args = ['--cpu-prof', '--cpu-prof-interval', '100', '--cpu-prof-dir', profiles, cliPath, 'train', spec, '--json', '--backend', 'tensorflow'];
  const child = spawn(process.execPath, args, { cwd: ws, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0', MODEL_STUDIO_FAST_PATH: '1' } });
  onCleanup(() => killAndWait(child));
  const result = await collect(child);
  assert.equal(result.signal, null, `the trainer died of ${result.signal}: ${result.stderr.trim().split('\n').slice(-2).join(' | ')}`);
  assert.equal(result.code, 0, result.stderr);
  assert.doesNotMatch(result.stderr, /not the native fast path/, 'the fast path trained the run');
  assert.equal((jsonEvents(result.stdout).at(-1) as RunFinishedEvent).status, 'completed');
  assert.equal(readdirSync(profiles).filter((f) => f.endsWith('.cpuprofile')).length, 1, 'the profiler ran and wrote its profile');
}

test('the MNIST MLP trains on the native fast path to completion under the CPU profiler (signals do not corrupt the heap)', async () => {
  await trainProfiled('mnist.train.json', { train: 9600, test: 100 });
});

test('the MNIST CNN trains on the native fast path to completion under the CPU profiler', async () => {
  await trainProfiled('mnist-cnn.train.json', { train: 3200, test: 100 });
});
