// Backend auto-selection with the real @tensorflow/tfjs-node present: it wins
// over WebAssembly, computes on TensorFlow, and the run record says honestly
// where the math ran.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpus } from 'node:os';
import { INTRA_OP_THREADS_ENV, loadBackend, resolvePackageDir } from '../../src/core/backend';
import { cpuDescription } from '../../src/core/backend/device';
import { NATIVE_DIR_ENV } from '../../src/core/backend/searchDirs';
import type { RunStartedEvent } from '../../src/shared/events';
import { cliPath, collect, jsonEvents, mnistSpec, repoRoot, runCli, tempWorkspace, writeSpec } from '../helpers/cli';
import { TENSORFLOW_VERSION } from '../../scripts/native/prepareNative.mjs';
import { useNativeTensorFlow } from '../helpers/native';

let nativeDir = '';
before(async () => {
  nativeDir = await useNativeTensorFlow();
});

test('auto loads the real tfjs-node from the native folder, computes on TensorFlow and names the CPU and library', async () => {
  const { tf, info } = await loadBackend('auto', { searchDirs: [tempWorkspace('ms-native-empty-'), nativeDir] });
  assert.equal(info.name, 'tensorflow');
  assert.equal(tf.getBackend(), 'tensorflow');
  assert.ok(info.loadedFrom?.startsWith(nativeDir), `loaded from ${info.loadedFrom}`);
  // This machine has no CUDA GPU: the device is the CPU with all its cores, and the TensorFlow library's own
  // version; with no model to size, TensorFlow keeps its own threads.
  assert.equal(info.device, `${cpuDescription()}, TensorFlow ${TENSORFLOW_VERSION}`);
  assert.equal(process.env[INTRA_OP_THREADS_ENV], undefined);
  assert.match(info.device, new RegExp(`\\(${cpus().length} cores?\\)`));
  const product = tf.matMul(tf.tensor2d([[1, 2]]), tf.tensor2d([[3], [4]]));
  assert.deepEqual(await product.data(), new Float32Array([11]));
  const binding = (tf.backend() as unknown as { binding?: { TF_Version?: string } }).binding;
  assert.equal(binding?.TF_Version, TENSORFLOW_VERSION, "the kernels run in the wheel's TensorFlow");
});

test('model-studio train with the default backend picks native TensorFlow when the native folder is set, and WebAssembly without it', async () => {
  const ws = tempWorkspace('ms-native-auto-');
  const spec = writeSpec(ws, mnistSpec({ fit: { epochs: 1, batchSize: 64, seed: 1 } }, { train: 640, test: 100 }));
  const withNative = await runCli(['train', spec, '--json'], ws);
  assert.equal(withNative.code, 0, withNative.stderr);
  const started = jsonEvents(withNative.stdout)[0] as RunStartedEvent;
  assert.equal(started.backend.name, 'tensorflow');
  assert.ok(started.backend.loadedFrom?.startsWith(nativeDir), `loaded from ${started.backend.loadedFrom}`);

  const env: NodeJS.ProcessEnv = { ...process.env, FORCE_COLOR: '0' };
  delete env[NATIVE_DIR_ENV];
  const child = spawn(process.execPath, [cliPath, 'train', spec, '--json'], { cwd: ws, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const without = await collect(child);
  assert.equal(without.code, 0, without.stderr);
  const fallback = (jsonEvents(without.stdout)[0] as RunStartedEvent).backend;
  // Model Studio's own optional dependency wins where it installed (a machine that could download libtensorflow).
  const ownCopy = resolvePackageDir('@tensorflow/tfjs-node', repoRoot);
  if (ownCopy === undefined) assert.equal(fallback.name, 'wasm');
  else assert.equal(fallback.loadedFrom, ownCopy);
});

/** CPU seconds of each thread of this process so far, by thread id, from /proc. */
const THREAD_CPU = `
  const { readdirSync, readFileSync } = require('node:fs');
  const threadCpu = () => Object.fromEntries(readdirSync('/proc/self/task').map((id) => {
    const fields = readFileSync('/proc/self/task/' + id + '/stat', 'utf8').split(') ')[1].split(' ');
    return [id, (Number(fields[11]) + Number(fields[12])) / 100];
  }));`;

test('with one intra-op thread TensorFlow computes each op on the calling thread alone', { skip: process.platform !== 'linux' && 'reads /proc' }, async () => {
  // A child with the setting given explicitly, so the check holds on machines of any size.
  const script = `${THREAD_CPU}
    const { loadBackend } = require(${JSON.stringify(require.resolve('../../src/core/backend'))});
    loadBackend('tensorflow', { searchDirs: [${JSON.stringify(nativeDir)}] }).then(({ tf, info }) => {
      const a = tf.randomNormal([32, 28, 28, 16]);
      const k = tf.randomNormal([3, 3, 16, 64]);
      tf.conv2d(a, k, 1, 'same').dispose();
      const before = threadCpu();
      for (let i = 0; i < 60; i++) {
        const y = tf.conv2d(a, k, 1, 'same');
        y.dataSync();
        y.dispose();
      }
      const after = threadCpu();
      const main = String(process.pid);
      const others = Object.keys(after).filter((id) => id !== main).reduce((sum, id) => sum + after[id] - (before[id] ?? 0), 0);
      console.log(JSON.stringify({ device: info.device, main: after[main] - before[main], others }));
    });`;
  const child = spawn(process.execPath, ['--import', 'tsx', '-e', script], { cwd: repoRoot, env: { ...process.env, [INTRA_OP_THREADS_ENV]: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  const result = await collect(child);
  assert.equal(result.code, 0, result.stderr);
  const { device, main, others } = JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '{}') as { device: string; main: number; others: number };
  assert.match(device, /, 1 intra-op thread$/);
  assert.ok(main >= 0.2, `the convolutions took ${main} s of the main thread's CPU`);
  // Clock ticks are 10 ms; V8's own threads take a little.
  assert.ok(others <= 0.25 * main, `other threads took ${others} s of CPU against the main thread's ${main} s`);
});
