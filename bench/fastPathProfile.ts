// Where the milliseconds of one training step go, for the example MLP and CNN
// (batch 32), through trainOnBatch and through the native fast path, in one
// process so both see the same machine load. On native TensorFlow every call
// into tfjs-node's binding is timed (ops by name, tensor creation, reads,
// deletes); on WebAssembly every kernel. The rest is JavaScript: tfjs-core's
// engine and tape and tfjs-layers for trainOnBatch, the batch copy and the
// metrics for the fast path.
// Usage: node --import tsx bench/fastPathProfile.ts [--backend tensorflow|wasm] [--workloads mlp,cnn] [--steps 300]
//   (native: MODEL_STUDIO_NATIVE_DIR or .cache/native, prepared on first use)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { prepareNative } from '../scripts/native/prepareNative.mjs';
import { loadBackend, type Tf } from '../src/core/backend';
import type { TrainingSpec } from '../src/shared/spec';
import { loadDataset } from '../src/trainer/data';
import type { Dataset } from '../src/trainer/data/types';
import { buildModel } from '../src/trainer/model';
import { BatchMaker } from '../src/trainer/batches';
import { createBatchTrainer, FAST_PATH_ENV, type BatchTrainer } from '../src/trainer/fastPath';
import { epochPermutation } from '../src/trainer/shuffle';

const BATCH = 32;
const root = join(__dirname, '..');

interface Timed {
  calls: number;
  micros: number;
  /** CPU time of the whole process (all TensorFlow threads) during the calls: robust to a loaded machine. */
  cpuMicros: number;
}

function cpuMicros(since?: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return used.user + used.system;
}

/** Call counts and time per name, switched on only for the profiled pass. */
class Recorder {
  on = false;
  readonly entries = new Map<string, Timed>();

  wrap<A extends unknown[], R>(name: (args: A) => string, fn: (...args: A) => R): (...args: A) => R {
    return (...args: A): R => {
      if (!this.on) return fn(...args);
      const start = performance.now();
      const cpu = process.cpuUsage();
      try {
        return fn(...args);
      } finally {
        const key = name(args);
        const entry = this.entries.get(key) ?? { calls: 0, micros: 0, cpuMicros: 0 };
        entry.calls++;
        entry.micros += (performance.now() - start) * 1000;
        entry.cpuMicros += cpuMicros(cpu);
        this.entries.set(key, entry);
      }
    };
  }
}

/** Native: wraps the binding's entry points; WebAssembly: every registered kernel. */
function instrument(tf: Tf, recorder: Recorder): void {
  if (tf.getBackend() === 'tensorflow') {
    // The binding's own members are read-only: the backend gets a timed stand-in.
    type Binding = Record<string, (...args: unknown[]) => unknown>;
    const backend = tf.backend() as unknown as { binding: Binding };
    const binding = backend.binding;
    const timed = Object.create(binding) as Binding;
    const replace = (name: string, label: (args: unknown[]) => string): void => {
      Object.defineProperty(timed, name, { value: recorder.wrap(label, binding[name].bind(binding)) });
    };
    replace('executeOp', (args) => `op ${String(args[0])}`);
    for (const name of ['createTensor', 'deleteTensor', 'tensorDataSync']) replace(name, () => name);
    backend.binding = timed;
    return;
  }
  for (const kernel of tf.getKernelsForBackend(tf.getBackend())) {
    const config = kernel as { kernelName: string; kernelFunc: (...args: unknown[]) => unknown };
    config.kernelFunc = recorder.wrap(() => `kernel ${config.kernelName}`, config.kernelFunc);
  }
}

function exampleSpec(file: string): TrainingSpec {
  return JSON.parse(readFileSync(join(root, 'examples', 'mnist', file), 'utf8')) as TrainingSpec;
}

async function trainer(tf: Tf, spec: TrainingSpec, data: Dataset, fast: boolean): Promise<BatchTrainer> {
  const model = await buildModel(tf, spec, { sampleShape: data.sampleShape, numClasses: data.numClasses, baseDir: root });
  process.env[FAST_PATH_ENV] = fast ? '1' : '0';
  return createBatchTrainer(tf, model, spec, data, spec.fit.seed ?? 1, (line) => console.log(`  ${line}`));
}

interface StepTime {
  wallMs: number;
  cpuMs: number;
}

async function steps(t: BatchTrainer, batches: BatchMaker, order: Int32Array, from: number, count: number): Promise<StepTime> {
  const start = performance.now();
  const cpu = process.cpuUsage();
  for (let i = from; i < from + count; i++) {
    const begin = (i * BATCH) % (order.length - BATCH);
    await t.trainBatch(batches.rows(order, begin, begin + BATCH), i);
  }
  return { wallMs: (performance.now() - start) / count, cpuMs: cpuMicros(cpu) / 1000 / count };
}

function report(label: string, best: StepTime, recorder: Recorder, profiled: StepTime, count: number): void {
  const rows = [...recorder.entries].map(([name, e]) => ({ name, calls: e.calls / count, micros: e.micros / count, cpu: e.cpuMicros / count })).sort((a, b) => b.cpu - a.cpu);
  const inside = rows.reduce((sum, r) => sum + r.micros, 0);
  const insideCpu = rows.reduce((sum, r) => sum + r.cpu, 0);
  const ops = rows.filter((r) => r.name.startsWith('op ') || r.name.startsWith('kernel ')).reduce((sum, r) => sum + r.calls, 0);
  console.log(`\n${label}: ${best.wallMs.toFixed(2)} ms/step (${Math.round((BATCH * 1000) / best.wallMs).toLocaleString('en-US')} samples/s), ${best.cpuMs.toFixed(2)} ms CPU/step`);
  console.log(
    `  profiled: ${ops.toFixed(0)} ops a step; in them ${(inside / 1000).toFixed(2)} ms (${(insideCpu / 1000).toFixed(2)} ms CPU), ` +
      `JavaScript around them ${(profiled.wallMs - inside / 1000).toFixed(2)} ms (${(profiled.cpuMs - insideCpu / 1000).toFixed(2)} ms CPU)`,
  );
  console.log(`  ${'by CPU time'.padEnd(44)} ${'calls'.padStart(5)}  ${'µs CPU'.padStart(7)} ${'µs wall'.padStart(7)}`);
  for (const r of rows.slice(0, 16)) console.log(`  ${r.name.padEnd(44)} ${r.calls.toFixed(1).padStart(5)}  ${r.cpu.toFixed(0).padStart(7)} ${r.micros.toFixed(0).padStart(7)}`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { backend: { type: 'string', default: 'tensorflow' }, workloads: { type: 'string', default: 'mlp,cnn' }, steps: { type: 'string', default: '300' } } });
  const count = Number(values.steps);
  const backend = values.backend === 'wasm' ? 'wasm' : 'tensorflow';
  const searchDirs = backend === 'tensorflow' ? [process.env.MODEL_STUDIO_NATIVE_DIR ?? (await prepareNative({ log: console.log }))] : undefined;
  const { tf, info } = await loadBackend(backend, { searchDirs });
  const recorder = new Recorder();
  instrument(tf, recorder);
  const data = await loadDataset({ type: 'mnist', subset: { train: 12800, test: 10 } }, { baseDir: root });
  const order = epochPermutation(data.train.count, 1, 0);
  const batches = new BatchMaker(tf, data.train, data.sampleShape, data.labelShape);
  console.log(`${info.name} on ${info.device}, batch ${BATCH}, ${count} steps a measurement`);
  const workloads = [
    { name: 'mlp', label: 'MNIST MLP', spec: exampleSpec('mnist.train.json') },
    { name: 'cnn', label: 'MNIST CNN', spec: exampleSpec('mnist-cnn.train.json') },
  ].filter((w) => values.workloads.split(',').includes(w.name));
  for (const workload of workloads) {
    const paths = backend === 'tensorflow' ? [false, true] : [false];
    const trainers = await Promise.all(paths.map((fast) => trainer(tf, workload.spec, data, fast)));
    for (const t of trainers) await steps(t, batches, order, 0, 30);
    // Alternate the paths so both see the same load.
    const times = trainers.map(() => [] as StepTime[]);
    for (let round = 0; round < 3; round++) {
      for (const [i, t] of trainers.entries()) times[i].push(await steps(t, batches, order, 30, count));
    }
    for (const [i, t] of trainers.entries()) {
      recorder.entries.clear();
      recorder.on = true;
      const profiled = await steps(t, batches, order, 30, count);
      recorder.on = false;
      const best = times[i].reduce((a, b) => (b.wallMs < a.wallMs ? b : a));
      report(`${workload.label}, ${t.kind === 'native' ? 'native fast path' : 'trainOnBatch'}`, best, recorder, profiled, count);
      t.dispose();
    }
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
