// Peak resident memory (VmHWM) of the trainer child process training from a
// generated 2 GB CSV (MNIST-like rows: label + 784 pixel ints, see
// csvData.ts) on the streaming path, against the same trainer and model on a
// small CSV of the same rows loaded whole, in one command. The big file is
// streamed because of its size (no data.streaming in its spec). Both files
// live in a temp folder that is deleted at the end.
// By default the big run trains a bounded number of batches after its first
// pass over the whole file (a full epoch is ~37,500 batches, too long for a
// shared 2-core machine); --epoch trains the whole epoch.
// Usage: node scripts/build.mjs && nice -n 10 node --import tsx bench/csvMemory.ts [--gb 2] [--batches 5000 | --epoch] [--backend wasm]
import { fork } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { RunStartedEvent } from '../src/shared/events';
import type { HostToTrainerMessage, TrainerToHostMessage } from '../src/shared/protocol/trainer';
import type { TrainingSpec } from '../src/shared/spec';
import { writeMnistLikeCsv } from './csvData';

const root = resolve(__dirname, '..');
const GOAL_MB = 600;
const BASELINE_ROWS = 20_000;

const { values } = parseArgs({
  options: {
    gb: { type: 'string', default: '2' },
    batches: { type: 'string', default: '5000' },
    epoch: { type: 'boolean', default: false },
    backend: { type: 'string', default: 'wasm' },
  },
});

/** Kernel's figures for a process, in MB: VmHWM is the peak resident set, VmRSS the current one. */
function memoryMb(pid: number): { peak: number; now: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string): number => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { peak: kb('VmHWM') / 1024, now: kb('VmRSS') / 1024 };
}

function spec(file: string, streaming: boolean | undefined): TrainingSpec {
  return {
    name: 'csv-memory',
    data: { type: 'csv', train: file, labelColumn: 'label', ...(streaming === undefined ? {} : { streaming }) },
    model: {
      layers: [
        { type: 'dense', units: 128, activation: 'relu' },
        { type: 'dropout', rate: 0.2 },
        { type: 'dense', units: 10, activation: 'softmax' },
      ],
    },
    compile: { optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] },
    fit: { epochs: 1, batchSize: 32, seed: 1 },
    evaluate: { enabled: false },
  };
}

interface Measured {
  peakMb: number;
  /** Resident set when training began (after the first pass over the file), and the highest seen polling after that. */
  startMb: number;
  trainingMaxMb: number;
  batches: number;
  started: RunStartedEvent;
  firstPassS: number;
  batchesPerS: number;
  logs: string[];
}

/** Trains `specPath` in the trainer child until `batches` batches are done or the run ends. */
function measure(ws: string, specPath: string, batches: number): Promise<Measured> {
  const logs: string[] = [];
  const child = fork(join(root, 'dist', 'trainer.js'), [], {
    cwd: ws,
    execArgv: [],
    env: { ...process.env, XDG_CACHE_HOME: join(ws, 'cache') },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  // The trainer says on stderr when it chose to stream; passed on.
  child.stderr?.on('data', (d: Buffer) => {
    logs.push(d.toString());
    process.stderr.write(d);
  });
  const pid = child.pid ?? 0;
  const begun = performance.now();
  let started: RunStartedEvent | undefined;
  let trainingFrom = 0;
  let startMb = 0;
  let trainingMaxMb = 0;
  let done = 0;
  const poll = setInterval(() => {
    if (started) trainingMaxMb = Math.max(trainingMaxMb, memoryMb(pid).now);
  }, 250);
  return new Promise((finish, fail) => {
    const end = (): void => {
      clearInterval(poll);
      const { peak, now } = memoryMb(pid);
      child.kill('SIGKILL');
      if (!started) return fail(new Error('the run ended before it started'));
      const seconds = (performance.now() - trainingFrom) / 1000;
      finish({
        peakMb: peak,
        startMb,
        trainingMaxMb: Math.max(trainingMaxMb, now),
        batches: done,
        started,
        firstPassS: (trainingFrom - begun) / 1000,
        batchesPerS: done / seconds,
        logs,
      });
    };
    child.on('message', (m: TrainerToHostMessage) => {
      if (m.type === 'error') fail(new Error(m.message));
      else if (m.type === 'runStarted') {
        started = m;
        trainingFrom = performance.now();
        startMb = memoryMb(pid).now;
      } else if (m.type === 'batchEnd') {
        // Batch events may be coalesced: count by their global step.
        const before = done;
        done = m.step;
        if (Math.floor(done / 1000) > Math.floor(before / 1000)) process.stderr.write(`  ${done} batches, RSS ${memoryMb(pid).now.toFixed(0)} MB\n`);
        if (done >= batches) end();
      } else if (m.type === 'runFinished') end();
    });
    child.on('exit', (code) => fail(new Error(`the trainer exited (${code}) before the measurement ended`)));
    child.send({ type: 'train', request: { specPath, runsDir: join(ws, 'runs'), backend: values.backend as 'wasm' } } satisfies HostToTrainerMessage);
  });
}

function report(name: string, bytes: number, m: Measured): void {
  console.log(
    `${name}: ${(bytes / 1024 ** 3).toFixed(2)} GB, ${m.started.data.train.count} rows; peak RSS ${m.peakMb.toFixed(0)} MB ` +
      `(${m.startMb.toFixed(0)} MB when training began after ${m.firstPassS.toFixed(0)} s, at most ${m.trainingMaxMb.toFixed(0)} MB while training); ` +
      `${m.batches} of ${m.started.batchesPerEpoch} batches at ${m.batchesPerS.toFixed(0)} batches/s`,
  );
}

async function main(): Promise<void> {
  const ws = mkdtempSync(join(tmpdir(), 'bench-csv-memory-'));
  try {
    const small = await writeMnistLikeCsv(join(ws, 'small.csv'), BASELINE_ROWS);
    writeFileSync(join(ws, 'small.train.json'), JSON.stringify(spec('small.csv', false)));
    const baseline = await measure(ws, join(ws, 'small.train.json'), Infinity);
    report('baseline, small CSV loaded whole (data.streaming: false), 1 epoch', small.bytes, baseline);

    const generating = performance.now();
    const big = await writeMnistLikeCsv(join(ws, 'big.csv'), Infinity, Number(values.gb) * 1024 ** 3);
    console.log(`generated big.csv: ${(big.bytes / 1024 ** 3).toFixed(2)} GB, ${big.rows} rows in ${((performance.now() - generating) / 1000).toFixed(0)} s`);
    writeFileSync(join(ws, 'big.train.json'), JSON.stringify(spec('big.csv', undefined)));
    const streamed = await measure(ws, join(ws, 'big.train.json'), values.epoch ? Infinity : Number(values.batches));
    if (!streamed.logs.some((l) => l.includes('read in passes'))) throw new Error(`the big file was not streamed: ${streamed.logs.join(' | ')}`);
    report(`streamed, big CSV (chosen by size), ${values.epoch ? '1 epoch' : 'first pass + bounded batches'}`, big.bytes, streamed);
    console.log(
      `peak RSS streamed / baseline: ${(streamed.peakMb / baseline.peakMb).toFixed(2)}x; ` +
        `file / peak RSS: ${(big.bytes / 1024 ** 2 / streamed.peakMb).toFixed(1)}x; goal < ${GOAL_MB} MB: ${streamed.peakMb < GOAL_MB ? 'met' : 'NOT met'}`,
    );
  } finally {
    rmSync(ws, { recursive: true, force: true });
  }
}

void main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
