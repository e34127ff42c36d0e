// A sweep of 8 trials on MNIST, two at a time against one at a time, through
// the CLI as a user runs it (`model-studio sweep --parallel N`): the wall time
// of each and their ratio, and each trial's accuracy both ways. The trials are
// the same (one search seed) and each trains the same (fit.seed, no dropout),
// so the accuracies must match trial by trial: parallel trials do not disturb
// each other. "Same" allows 1e-6: evaluation runs in chunks sized by time, so
// the float sums behind an accuracy may differ in their last bits (one test
// image is 5e-4). Each trainer on WebAssembly uses one core.
// Usage: npm run build && node --import tsx bench/sweepParallel.ts [--train N] [--epochs N] [--trials N] [--backend wasm|tensorflow|cpu]
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { RunRecord } from '../src/shared/events';
import type { TrainingSpec } from '../src/shared/spec';
import type { SweepEvent, SweepRecord } from '../src/shared/sweep';

const { values } = parseArgs({
  options: {
    train: { type: 'string', default: '12000' },
    epochs: { type: 'string', default: '2' },
    trials: { type: 'string', default: '8' },
    backend: { type: 'string', default: 'wasm' },
  },
});
const cli = resolve(__dirname, '..', 'dist', 'cli.js');

function spec(): TrainingSpec {
  return {
    name: 'bench-sweep',
    data: { type: 'mnist', subset: { train: Number(values.train), test: 2000 } },
    model: {
      layers: [
        { type: 'flatten', inputShape: [28, 28] },
        { type: 'dense', units: 128, activation: 'relu' },
        { type: 'dense', units: 10, activation: 'softmax' },
      ],
    },
    compile: { optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] },
    fit: { epochs: Number(values.epochs), batchSize: 32, validationSplit: 0.1, seed: 1 },
    search: {
      metric: { name: 'val_acc', goal: 'maximize' },
      algorithm: 'random',
      maxTrials: Number(values.trials),
      seed: 42,
      parameters: {
        'compile.optimizer.learningRate': { type: 'double', min: 0.0003, max: 0.01, scale: 'log' },
        'model.layers[1].units': { type: 'integer', min: 32, max: 160 },
      },
    },
  };
}

interface Outcome {
  seconds: number;
  record: SweepRecord;
  testAccuracy: Map<string, number | undefined>;
}

async function sweep(parallel: number): Promise<Outcome> {
  const ws = mkdtempSync(join(tmpdir(), `bench-sweep-${parallel}-`));
  const specPath = join(ws, 'bench.train.json');
  writeFileSync(specPath, JSON.stringify(spec(), null, 2));
  const started = performance.now();
  const child = spawn(process.execPath, [cli, 'sweep', specPath, '--parallel', String(parallel), '--backend', values.backend ?? 'wasm', '--json'], { cwd: ws, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const code = await new Promise<number | null>((done) => child.on('close', done));
  const seconds = (performance.now() - started) / 1000;
  if (code !== 0) throw new Error(`sweep --parallel ${parallel} exited with ${code}`);
  const events = out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as SweepEvent);
  const sweepId = events[0].sweepId;
  const record = JSON.parse(readFileSync(join(ws, '.model-studio', 'sweeps', sweepId, 'sweep.json'), 'utf8')) as SweepRecord;
  const testAccuracy = new Map<string, number | undefined>();
  for (const trial of record.trials) {
    const run = JSON.parse(readFileSync(join(ws, '.model-studio', 'runs', trial.runId ?? '', 'run.json'), 'utf8')) as RunRecord;
    testAccuracy.set(trial.trialId, run.testMetrics?.acc);
  }
  rmSync(ws, { recursive: true, force: true });
  return { seconds, record, testAccuracy };
}

function format(value: number | undefined): string {
  return value === undefined ? '—' : value.toFixed(4);
}

async function main(): Promise<void> {
  console.log(
    `${values.trials} trials of an MNIST MLP (${values.train} training images, ${values.epochs} epochs, batch 32, ${values.backend}); ` +
      `${availableParallelism()} cores, load average ${loadavg()[0].toFixed(1)} at the start`,
  );
  const one = await sweep(1);
  const two = await sweep(2);
  console.log(`\none at a time: ${one.seconds.toFixed(1)} s; two at a time: ${two.seconds.toFixed(1)} s; ratio ${(one.seconds / two.seconds).toFixed(2)}x faster\n`);
  console.log('| trial | learning rate | units | val_acc, 1 at a time | val_acc, 2 at a time | test acc, 1 | test acc, 2 | same |');
  console.log('|---:|---:|---:|---:|---:|---:|---:|:---:|');
  let same = 0;
  let largest = 0;
  const close = (a: number | undefined, b: number | undefined): boolean => {
    if (a === undefined || b === undefined) return a === b;
    largest = Math.max(largest, Math.abs(a - b));
    return Math.abs(a - b) <= 1e-6;
  };
  for (const [index, trial] of one.record.trials.entries()) {
    const other = two.record.trials[index];
    const equal =
      JSON.stringify(trial.parameters) === JSON.stringify(other.parameters) &&
      close(trial.value, other.value) &&
      close(one.testAccuracy.get(trial.trialId), two.testAccuracy.get(other.trialId));
    if (equal) same++;
    console.log(
      `| ${trial.trialId} | ${trial.parameters['compile.optimizer.learningRate']} | ${trial.parameters['model.layers[1].units']} | ${format(trial.value)} | ${format(other.value)} | ${format(one.testAccuracy.get(trial.trialId))} | ${format(two.testAccuracy.get(other.trialId))} | ${equal ? 'yes' : 'NO'} |`,
    );
  }
  console.log(
    `\n${same} of ${one.record.trials.length} trials reached the same accuracy both ways (largest difference ${largest.toExponential(1)}); ` +
      `best: trial ${one.record.best?.trialId} (1 at a time), trial ${two.record.best?.trialId} (2 at a time)`,
  );
  if (same !== one.record.trials.length) process.exitCode = 1;
}

void main();
