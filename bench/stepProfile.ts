// Where the milliseconds of one training step go, on native TensorFlow and on
// WebAssembly: the MNIST MLP of examples/mnist (the article's model), batch 32,
// stepped as the trainer steps it (its batch maker, model.trainOnBatch, the
// batch event written to metrics.jsonl and a --json stdout). The phases inside
// trainOnBatch are timed by wrapping the LayersModel's and the optimizer's own
// functions, so the step runs unchanged; one extra profiled step counts the
// kernels (TF.js operations) each phase dispatches. Each backend runs in its
// own process (native TensorFlow carries its own TF.js copy).
// Usage: npm run bench -- stepProfile   (node --import tsx bench/stepProfile.ts [--steps 300] [--backends tensorflow,wasm])
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { LayersModel, Optimizer, Scalar, Tensor, Variable } from '@tensorflow/tfjs';
import { prepareNative } from '../scripts/native/prepareNative.mjs';
import { loadBackend, type Tf } from '../src/core/backend';
import type { BackendChoice, BatchEndEvent } from '../src/shared/events';
import type { TrainingSpec } from '../src/shared/spec';
import { BatchMaker } from '../src/trainer/batches';
import { loadDataset } from '../src/trainer/data';
import { buildModel } from '../src/trainer/model';
import { RunWriter } from '../src/trainer/run/runWriter';
import { epochPermutation } from '../src/trainer/shuffle';

const root = resolve(__dirname, '..');
const BATCH = 32;
const WARM_UP_STEPS = 30;

const PHASES = {
  batch: 'input batch: JS copy of 32 images, upload (BatchMaker)',
  standardize: 'trainOnBatch: input checks (standardizeUserData)',
  forward: 'forward: flatten, dense+relu, dropout, dense+softmax; 3 means',
  loss: 'loss: sparse categorical cross-entropy',
  metrics: 'metrics: accuracy',
  gradients: 'gradients: backprop through the tape',
  optimizer: 'optimizer: Adam on 4 variables',
  trainOther: 'train function, rest (reading variables, tape setup)',
  readBack: 'read loss and accuracy back (data()), dispose',
  dispose: 'dispose the batch tensors',
  event: 'batch event: build, JSON, metrics.jsonl, stdout line',
} as const;
type Phase = keyof typeof PHASES;

interface WorkerResult {
  backend: string;
  device: string;
  steps: number;
  stepMs: number;
  phaseMs: Record<Phase, number>;
  phaseKernels: Record<Phase, number>;
  kernelsPerStep: number;
  topKernels: Array<[string, number]>;
  adamPerVariable: Array<{ name: string; shape: number[]; ms: number; kernels: number }>;
}

/** The LayersModel members trainOnBatch goes through; protected in the typings, so reached by a cast. */
interface TrainInternals {
  standardizeUserData(...args: unknown[]): Promise<unknown>;
  makeTrainFunction(): (data: Tensor[]) => Scalar[];
  optimizer_: Optimizer;
  lossFunctions: Array<(yTrue: Tensor, yPred: Tensor) => Tensor>;
  metricsTensors: Array<[(yTrue: Tensor, yPred: Tensor) => Tensor, number]>;
}

class PhaseClock {
  readonly ms = Object.fromEntries(Object.keys(PHASES).map((p) => [p, 0])) as Record<Phase, number>;
  readonly kernels = Object.fromEntries(Object.keys(PHASES).map((p) => [p, 0])) as Record<Phase, number>;
  /** True during the profiled step, when the engine records kernels. */
  counting = false;

  constructor(private readonly tf: Tf) {}

  private kernelCount(): number {
    return this.counting ? (this.tf.engine().state.activeProfile?.kernels?.length ?? 0) : 0;
  }

  /** Times `run` as `phase`, leaving out what the `inner` phases timed inside it. */
  time<T>(phase: Phase, run: () => T, inner: Phase[] = []): T {
    const done = this.start(phase, inner);
    try {
      return run();
    } finally {
      done();
    }
  }

  async timeAsync<T>(phase: Phase, run: () => Promise<T>, inner: Phase[] = []): Promise<T> {
    const done = this.start(phase, inner);
    try {
      return await run();
    } finally {
      done();
    }
  }

  private start(phase: Phase, inner: Phase[]): () => void {
    const innerMs = inner.reduce((sum, p) => sum + this.ms[p], 0);
    const innerKernels = inner.reduce((sum, p) => sum + this.kernels[p], 0);
    const kernels = this.kernelCount();
    const started = performance.now();
    return () => {
      this.ms[phase] += performance.now() - started - (inner.reduce((sum, p) => sum + this.ms[p], 0) - innerMs);
      this.kernels[phase] += this.kernelCount() - kernels - (inner.reduce((sum, p) => sum + this.kernels[p], 0) - innerKernels);
    };
  }

  reset(): void {
    for (const phase of Object.keys(this.ms) as Phase[]) {
      this.ms[phase] = 0;
      this.kernels[phase] = 0;
    }
  }
}

const LOSS_PHASES: Phase[] = ['loss', 'metrics'];
const F_PHASES: Phase[] = ['forward', ...LOSS_PHASES];
const TRAIN_PHASES: Phase[] = [...F_PHASES, 'gradients', 'optimizer'];

/**
 * Wraps the functions trainOnBatch calls (the model's, its optimizer's, its
 * loss and metric) with the clock, each phase timed without the ones nested
 * in it; what the step computes is unchanged.
 */
function instrument(outer: LayersModel, clock: PhaseClock): void {
  // A Sequential hands trainOnBatch to the LayersModel inside it.
  const model = (outer as unknown as { model?: LayersModel }).model ?? outer;
  const internals = model as unknown as TrainInternals;
  const standardize = internals.standardizeUserData.bind(model);
  internals.standardizeUserData = (...args: unknown[]): Promise<unknown> => clock.timeAsync('standardize', () => standardize(...args));
  const makeTrainFunction = internals.makeTrainFunction.bind(model);
  internals.makeTrainFunction = () => {
    const trainFunction = makeTrainFunction();
    return (data) => clock.time('trainOther', () => trainFunction(data), TRAIN_PHASES);
  };
  const optimizer = internals.optimizer_;
  const computeGradients = optimizer.computeGradients.bind(optimizer);
  // The function whose gradients are taken runs the forward pass, the loss and the metrics, recorded on the tape.
  optimizer.computeGradients = (f, varList) =>
    clock.time('gradients', () => computeGradients(() => clock.time('forward', f, LOSS_PHASES), varList), F_PHASES);
  const applyGradients = optimizer.applyGradients.bind(optimizer);
  optimizer.applyGradients = (gradients) => clock.time('optimizer', () => applyGradients(gradients));
  internals.lossFunctions = internals.lossFunctions.map((fn) => (yTrue: Tensor, yPred: Tensor) => clock.time('loss', () => fn(yTrue, yPred)));
  internals.metricsTensors = internals.metricsTensors.map(([fn, output]) => [
    (yTrue: Tensor, yPred: Tensor) => clock.time('metrics', () => fn(yTrue, yPred)),
    output,
  ]);
}

async function worker(choice: BackendChoice, steps: number): Promise<WorkerResult> {
  const nativeDir = process.env.MODEL_STUDIO_NATIVE_DIR;
  const { tf, info } = await loadBackend(choice, { searchDirs: nativeDir ? [nativeDir] : [] });
  const spec = JSON.parse(readFileSync(join(root, 'examples', 'mnist', 'mnist.train.json'), 'utf8')) as TrainingSpec;
  const samples = (WARM_UP_STEPS + steps + 1) * BATCH;
  const data = await loadDataset({ type: 'mnist', subset: { train: samples, test: 10 } }, { baseDir: root });
  const model = await buildModel(tf, { ...spec, fit: { ...spec.fit, seed: 1 } }, { sampleShape: data.sampleShape, numClasses: data.numClasses, baseDir: root });
  const clock = new PhaseClock(tf);
  instrument(model, clock);
  const batches = new BatchMaker(tf, data.train, data.sampleShape, data.labelShape);
  const order = epochPermutation(data.train.count, 1, 0);
  const runs = mkdtempSync(join(tmpdir(), 'bench-step-'));
  const writer = RunWriter.create(runs, spec, join(runs, 'spec.json'), 1);
  const stdout = openSync('/dev/null', 'w');
  const names = model.metricsNames;

  // The trainer's step (src/trainer/train.ts): batch, trainOnBatch, dispose, batch event.
  const step = async (index: number): Promise<void> => {
    const [x, y] = clock.time('batch', () => batches.batch(order, index * BATCH, (index + 1) * BATCH));
    const result = await clock.timeAsync('readBack', () => model.trainOnBatch(x, y), ['standardize', 'trainOther', ...TRAIN_PHASES]);
    clock.time('dispose', () => tf.dispose([x, y]));
    const values = Array.isArray(result) ? result : [result];
    clock.time('event', () => {
      const metrics = Object.fromEntries(names.map((name, i) => [name, values[i]]));
      const { loss, ...rest } = metrics;
      const event: BatchEndEvent = {
        type: 'batchEnd',
        runId: writer.id,
        time: Date.now(),
        epoch: 0,
        batch: index,
        batchesPerEpoch: 1875,
        step: index + 1,
        loss,
        metrics: rest,
        samplesPerSecond: 4000,
      };
      writer.append(event);
      writeSync(stdout, JSON.stringify(event) + '\n');
    });
  };

  for (let i = 0; i < WARM_UP_STEPS; i++) await step(i);
  clock.reset();
  const started = performance.now();
  for (let i = 0; i < steps; i++) await step(WARM_UP_STEPS + i);
  const stepMs = (performance.now() - started) / steps;
  const phaseMs = Object.fromEntries(Object.entries(clock.ms).map(([p, ms]) => [p, ms / steps])) as Record<Phase, number>;

  // One more step under tf.profile: its kernels, per phase and by name.
  clock.reset();
  clock.counting = true;
  // The engine reuses one profile object: read it before profiling again.
  const kernelNames = (await tf.profile(() => step(WARM_UP_STEPS + steps))).kernels.map((kernel) => kernel.name);
  clock.counting = false;
  const byName = new Map<string, number>();
  for (const name of kernelNames) byName.set(name, (byName.get(name) ?? 0) + 1);

  const adamPerVariable = await adamAlone(tf, model);
  writer.close();
  closeSync(stdout);
  rmSync(runs, { recursive: true, force: true });
  return {
    backend: info.name,
    device: info.device,
    steps,
    stepMs,
    phaseMs,
    phaseKernels: clock.kernels,
    kernelsPerStep: kernelNames.length,
    topKernels: [...byName.entries()].sort((a, b) => b[1] - a[1]),
    adamPerVariable,
  };
}

/** One Adam update of each trainable variable on its own (a fresh optimizer per variable), timed and its kernels counted. */
async function adamAlone(tf: Tf, model: LayersModel): Promise<WorkerResult['adamPerVariable']> {
  const rows: WorkerResult['adamPerVariable'] = [];
  for (const weight of model.trainableWeights) {
    const variable = weight.read() as Variable;
    const optimizer = tf.train.adam();
    const gradient = tf.onesLike(variable).mul(1e-3);
    const update = (): void => optimizer.applyGradients([{ name: variable.name, tensor: gradient }]);
    for (let i = 0; i < 20; i++) update();
    const repeats = 200;
    const started = performance.now();
    for (let i = 0; i < repeats; i++) update();
    const ms = (performance.now() - started) / repeats;
    const kernels = (await tf.profile(update)).kernels.length;
    rows.push({ name: weight.name, shape: variable.shape, ms, kernels });
    gradient.dispose();
    optimizer.dispose();
  }
  return rows;
}

function runWorker(choice: BackendChoice, steps: number, env: NodeJS.ProcessEnv): Promise<WorkerResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', __filename, '--worker', choice, '--steps', String(steps)], {
      cwd: root,
      env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`the ${choice} worker failed (exit ${code}): ${stderr.trim().split('\n').at(-1) ?? ''}`));
      resolvePromise(JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as WorkerResult);
    });
  });
}

function report(results: WorkerResult[]): void {
  const cell = (ms: number): string => ms.toFixed(3).padStart(7);
  const header = results.map((r) => `${r.backend} ms | ops | %`).join(' | ');
  console.log(`\nOne training step of the MNIST MLP, batch 32: mean over ${results[0]?.steps} steps after ${WARM_UP_STEPS} warm-up steps`);
  for (const r of results) console.log(`- ${r.backend}: ${r.device}`);
  console.log(`\n| phase | ${header} |`);
  console.log(`|---|${results.map(() => '---:|---:|---:').join('|')}|`);
  for (const [phase, label] of Object.entries(PHASES) as Array<[Phase, string]>) {
    const cells = results.map((r) => `${cell(r.phaseMs[phase])} | ${r.phaseKernels[phase]} | ${((100 * r.phaseMs[phase]) / r.stepMs).toFixed(0)}%`);
    console.log(`| ${label} | ${cells.join(' | ')} |`);
  }
  const sums = results.map((r) => Object.values(r.phaseMs).reduce((a, b) => a + b, 0));
  console.log(`| sum of the phases | ${results.map((r, i) => `${cell(sums[i])} | ${r.kernelsPerStep} | ${((100 * sums[i]) / r.stepMs).toFixed(0)}%`).join(' | ')} |`);
  console.log(`| **step, measured** | ${results.map((r) => `**${r.stepMs.toFixed(3)}** | | ${(BATCH / (r.stepMs / 1000)).toFixed(0)} samples/s`).join(' | ')} |`);

  console.log('\nAdam on one variable alone (a fresh optimizer each), ms and kernels per update:');
  for (const r of results) {
    console.log(`- ${r.backend}: ${r.adamPerVariable.map((v) => `${v.name} [${v.shape.join('x')}] ${v.ms.toFixed(3)} ms / ${v.kernels} ops`).join('; ')}`);
  }
  console.log('\nKernels in one step, by name:');
  for (const r of results) console.log(`- ${r.backend} (${r.kernelsPerStep}): ${r.topKernels.map(([name, n]) => `${name} ${n}`).join(', ')}`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { steps: { type: 'string', default: '300' }, backends: { type: 'string', default: 'tensorflow,wasm' }, worker: { type: 'string' } },
  });
  const steps = Number(values.steps);
  if (values.worker) {
    process.stdout.write(`${JSON.stringify(await worker(values.worker as BackendChoice, steps))}\n`);
    return;
  }
  const results: WorkerResult[] = [];
  for (const backend of values.backends.split(',') as BackendChoice[]) {
    const env: NodeJS.ProcessEnv = backend === 'tensorflow' ? { MODEL_STUDIO_NATIVE_DIR: await prepareNative() } : {};
    process.stderr.write(`profiling ${steps} steps on ${backend}\n`);
    results.push(await runWorker(backend, steps, env));
  }
  report(results);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`stepProfile: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
