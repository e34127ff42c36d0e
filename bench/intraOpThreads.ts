// Native TensorFlow with one thread per op against TensorFlow's own split over
// a pool of one thread per core, on this machine: the example MLP's and CNN's
// fast training step (batch 32), then single convolutions and matrix products
// of growing size (batch 32), to see where the split starts to pay (what
// src/core/backend/threads.ts's SMALL_LAYER_FLOPS rests on). TensorFlow reads its
// thread setting once, as it starts, so each setting runs in its own child
// process, alternating, and the best of the rounds is kept for each.
// Usage: node --import tsx bench/intraOpThreads.ts [--rounds 3] [--steps 300]
//   (native: MODEL_STUDIO_NATIVE_DIR or .cache/native, prepared on first use)
import { spawnSync } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Tensor2D, Tensor4D } from '@tensorflow/tfjs';
import { prepareNative } from '../scripts/native/prepareNative.mjs';
import { INTRA_OP_THREADS_ENV, loadBackend } from '../src/core/backend';
import type { TrainingSpec } from '../src/shared/spec';
import { loadDataset } from '../src/trainer/data';
import { buildModel } from '../src/trainer/model';
import { BatchMaker } from '../src/trainer/batches';
import { createBatchTrainer, type BatchTrainer } from '../src/trainer/fastPath';
import { epochPermutation } from '../src/trainer/shuffle';

const BATCH = 32;
const root = join(__dirname, '..');

interface Timing {
  wallMs: number;
  cpuMs: number;
}

/** Single ops of growing size, batch 32: [label, FLOPs, run]. */
const OPS = [
  { label: 'conv2d 13x13x16 -> 32, 3x3 (the CNN\'s largest)', conv: [13, 16, 32] },
  { label: 'conv2d 14x14x32 -> 64, 3x3', conv: [14, 32, 64] },
  { label: 'conv2d 28x28x16 -> 64, 3x3', conv: [28, 16, 64] },
  { label: 'matMul 32x784 . 784x128 (the MLP\'s largest)', matMul: [784, 128] },
  { label: 'matMul 32x784 . 784x512', matMul: [784, 512] },
  { label: 'matMul 32x1024 . 1024x1024', matMul: [1024, 1024] },
] as const;

type Measurements = Record<'mlp' | 'cnn', Timing> & { ops: Timing[] };

function cpuMs(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
}

/** Wall and CPU ms per call of `run`, after 20 calls of warm-up. */
async function timed(count: number, run: (i: number) => Promise<void> | void): Promise<Timing> {
  for (let i = 0; i < 20; i++) await run(i);
  const start = performance.now();
  const cpu = process.cpuUsage();
  for (let i = 0; i < count; i++) await run(20 + i);
  return { wallMs: (performance.now() - start) / count, cpuMs: cpuMs(cpu) / count };
}

/** In the child: the measurements with whatever thread setting it was started with. */
async function measure(nativeDir: string, steps: number): Promise<Measurements & { device: string }> {
  const { tf, info } = await loadBackend('tensorflow', { searchDirs: [nativeDir] });
  const data = await loadDataset({ type: 'mnist', subset: { train: 12800, test: 10 } }, { baseDir: root });
  const order = epochPermutation(data.train.count, 1, 0);
  const batches = new BatchMaker(tf, data.train, data.sampleShape, data.labelShape);
  const step = async (file: string): Promise<Timing> => {
    const spec = JSON.parse(readFileSync(join(root, 'examples', 'mnist', file), 'utf8')) as TrainingSpec;
    const model = await buildModel(tf, spec, { sampleShape: data.sampleShape, numClasses: data.numClasses, baseDir: root });
    const trainer: BatchTrainer = await createBatchTrainer(tf, model, spec, data, 1, () => {});
    if (trainer.kind !== 'native') throw new Error(`${file} did not take the native fast path`);
    try {
      return await timed(steps, async (i) => {
        const begin = (i * BATCH) % (order.length - BATCH);
        await trainer.trainBatch(batches.rows(order, begin, begin + BATCH), i);
      });
    } finally {
      trainer.dispose();
    }
  };
  const mlp = await step('mnist.train.json');
  const cnn = await step('mnist-cnn.train.json');
  const ops: Timing[] = [];
  for (const op of OPS) {
    const inputs = 'conv' in op ? [tf.randomNormal([32, op.conv[0], op.conv[0], op.conv[1]]), tf.randomNormal([3, 3, op.conv[1], op.conv[2]])] : [tf.randomNormal([32, op.matMul[0]]), tf.randomNormal([op.matMul[0], op.matMul[1]])];
    ops.push(
      await timed(Math.ceil(steps / 3), () => {
        const y = 'conv' in op ? tf.conv2d(inputs[0] as Tensor4D, inputs[1] as Tensor4D, 1, 'valid') : tf.matMul(inputs[0] as Tensor2D, inputs[1] as Tensor2D);
        y.dataSync();
        y.dispose();
      }),
    );
    tf.dispose(inputs);
  }
  return { device: info.device, mlp, cnn, ops };
}

function runChild(threads: string | undefined, nativeDir: string, steps: number): Measurements & { device: string } {
  // TensorFlow takes 0 as its default; Model Studio keeps any value the user set.
  const env = { ...process.env, MODEL_STUDIO_NATIVE_DIR: nativeDir, [INTRA_OP_THREADS_ENV]: threads ?? '0' };
  const child = spawnSync(process.execPath, ['--import', 'tsx', __filename, '--child', '--steps', String(steps)], { env, encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`the measuring process failed: ${child.stderr.trim().split('\n').at(-1) ?? child.status}`);
  return JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '') as Measurements & { device: string };
}

/** Two FLOPs per multiply-add, batch 32, 'valid' 3x3 convolutions. */
function flops(op: (typeof OPS)[number]): number {
  if ('conv' in op) return 2 * 32 * (op.conv[0] - 2) ** 2 * op.conv[2] * 9 * op.conv[1];
  return 2 * 32 * op.matMul[0] * op.matMul[1];
}

function best(a: Timing | undefined, b: Timing): Timing {
  return a === undefined || b.wallMs < a.wallMs ? b : a;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { child: { type: 'boolean', default: false }, rounds: { type: 'string', default: '3' }, steps: { type: 'string', default: '300' } } });
  const steps = Number(values.steps);
  const nativeDir = process.env.MODEL_STUDIO_NATIVE_DIR ?? (await prepareNative({ log: console.log }));
  if (values.child) {
    console.log(JSON.stringify(await measure(nativeDir, steps)));
    return;
  }
  const settings = [
    { label: 'one thread per op', threads: '1' },
    { label: `TensorFlow's default (${availableParallelism()} threads)`, threads: undefined },
  ];
  const load = loadavg()[0];
  const results = settings.map(() => ({}) as Partial<Measurements> & { device?: string });
  for (let round = 0; round < Number(values.rounds); round++) {
    for (const [i, setting] of settings.entries()) {
      const measured = runChild(setting.threads, nativeDir, steps);
      const result = results[i];
      result.device = measured.device;
      for (const key of ['mlp', 'cnn'] as const) result[key] = best(result[key], measured[key]);
      result.ops = measured.ops.map((t, j) => best(result.ops?.[j], t));
    }
  }
  console.log(`${results[0].device}; best of ${values.rounds} rounds; load average ${load.toFixed(1)} at start, ${loadavg()[0].toFixed(1)} at end\n`);
  console.log('| work | one thread per op: ms (CPU ms) | TensorFlow default: ms (CPU ms) | wall ratio |');
  console.log('|---|---:|---:|---:|');
  const rows = [
    { label: 'MNIST MLP fast training step, batch 32', of: (r: Partial<Measurements>) => r.mlp },
    { label: 'MNIST CNN fast training step, batch 32', of: (r: Partial<Measurements>) => r.cnn },
    ...OPS.map((op, j) => ({ label: `${op.label}, ${(flops(op) / 1e6).toFixed(0)} MFLOP`, of: (r: Partial<Measurements>) => r.ops?.[j] })),
  ];
  for (const { label, of } of rows) {
    const [one, split] = results.map((r) => of(r) as Timing);
    const cell = (t: Timing): string => `${t.wallMs.toFixed(2)} (${t.cpuMs.toFixed(2)})`;
    console.log(`| ${label} | ${cell(one)} | ${cell(split)} | ${(split.wallMs / one.wallMs).toFixed(2)}x |`);
  }
  console.log('\nwall ratio: the default\'s wall time over one thread\'s (above 1: one thread is faster).');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
