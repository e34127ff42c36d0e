// CSV data read in passes (data.streaming), through the CLI with the real
// trainer: it reaches the accuracy of the same file loaded whole; a run
// stopped in the middle of an epoch resumes at its batch and trains, batch for
// batch, what a run without a stop trains (the same rows in the same order,
// each once); and a stop takes effect within 2 s in the first pass over the
// file, in a training pass, and while a resume replays the epoch to its batch.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createWriteStream, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BatchEndEvent, EvaluationEvent, RunFinishedEvent, RunRecord, RunStartedEvent, TrainerEvent } from '../../src/shared/events';
import type { CsvDataSpec, TrainingSpec } from '../../src/shared/spec';
import { parseEvents } from '../../src/core/runStore';
import { collect, jsonEvents, startCli, tempWorkspace, trainUntil, writeSpec } from '../helpers/cli';

const STOP_WITHIN_MS = 2_000;
const ws = tempWorkspace('ms-csv-stream-');
// The first pass's row index is cached here, not in the user's cache.
process.env.XDG_CACHE_HOME = join(ws, 'cache');

/** Three Gaussian blobs in 8 dimensions, named classes, rows in random order. */
function writeBlobs(file: string, rows: number, seed: number): void {
  let state = seed;
  const random = (): number => (state = (state * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const gauss = (): number => Math.sqrt(-2 * Math.log(random() + 1e-12)) * Math.cos(2 * Math.PI * random());
  const names = ['alpha', 'beta', 'gamma'];
  const lines = ['f0,f1,f2,f3,f4,f5,f6,f7,"species, named"'];
  for (let i = 0; i < rows; i++) {
    const k = Math.floor(random() * 3);
    lines.push([...Array.from({ length: 8 }, (_, j) => ((j % 3 === k ? 1.2 : 0) + gauss()).toFixed(3)), names[k]].join(','));
  }
  writeFileSync(join(ws, file), lines.join('\r\n'));
}
writeBlobs('blobs.csv', 6000, 1);
writeBlobs('blobs-test.csv', 1500, 2);

function blobSpec(data: Partial<CsvDataSpec>, fit: Partial<TrainingSpec['fit']> = {}): TrainingSpec {
  return {
    name: 'blobs',
    data: { type: 'csv', train: 'blobs.csv', test: 'blobs-test.csv', labelColumn: 'species, named', shuffleBuffer: 1000, ...data },
    model: {
      layers: [
        { type: 'dense', units: 16, activation: 'relu' },
        { type: 'dense', units: 3, activation: 'softmax' },
      ],
    },
    compile: { optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] },
    fit: { epochs: 3, batchSize: 32, seed: 3, validationSplit: 0.1, ...fit },
    checkpoints: { keep: 1 },
  };
}

const train = (args: string[], stopAfter?: number): Promise<TrainerEvent[]> => trainUntil(ws, args, stopAfter);

const batchesOf = (events: TrainerEvent[]): BatchEndEvent[] => events.filter((e): e is BatchEndEvent => e.type === 'batchEnd');
const finishedOf = (events: TrainerEvent[]): RunFinishedEvent => events.at(-1) as RunFinishedEvent;

test('streamed, the data trains to the accuracy it reaches loaded whole', async () => {
  const accuracy = async (streaming: boolean): Promise<{ test: number; started: RunStartedEvent }> => {
    const events = await train(['train', writeSpec(ws, blobSpec({ streaming }), `blobs-${streaming}.train.json`)]);
    assert.equal(finishedOf(events).status, 'completed');
    const evaluation = events.find((e): e is EvaluationEvent => e.type === 'evaluation');
    assert.ok(evaluation);
    assert.equal(evaluation.samples, 1500);
    return { test: evaluation.metrics.acc, started: events[0] as RunStartedEvent };
  };
  const whole = await accuracy(false);
  const streamed = await accuracy(true);
  assert.deepEqual(
    [streamed.started.batchesPerEpoch, streamed.started.data.train.count, streamed.started.data.validation?.count, streamed.started.data.classNames],
    [whole.started.batchesPerEpoch, whole.started.data.train.count, whole.started.data.validation?.count, whole.started.data.classNames],
    'the same rows, validation split and classes',
  );
  assert.ok(whole.test > 0.8, `loaded whole: test accuracy ${whole.test}`);
  assert.ok(Math.abs(streamed.test - whole.test) < 0.03, `streamed: test accuracy ${streamed.test}, loaded whole ${whole.test}`);
});

test('a streamed run stopped mid-epoch resumes at its batch and trains what a run without a stop trains', async () => {
  const spec = blobSpec({ streaming: true, test: undefined }, { epochs: 1, validationSplit: 0.2, seed: 11 });
  const one = await train(['train', writeSpec(ws, spec, 'resume.train.json')], 59);
  const runId = one[0].runId;
  assert.equal(finishedOf(one).status, 'stopped');
  const stoppedAt = batchesOf(one).length;
  const two = await train(['train', '--resume', runId]);
  const started = two[0] as RunStartedEvent;
  assert.deepEqual([started.initialEpoch, started.initialBatch, started.initialStep], [0, stoppedAt, stoppedAt]);
  assert.equal(finishedOf(two).status, 'completed');

  const persisted = batchesOf(parseEvents(readFileSync(join(ws, '.model-studio', 'runs', runId, 'metrics.jsonl'), 'utf8')));
  const batchesPerEpoch = Math.ceil(4800 / 32);
  assert.deepEqual(
    persisted.map((b) => b.batch),
    [...Array(batchesPerEpoch).keys()],
    'each batch of the epoch once, in order',
  );
  const record = JSON.parse(readFileSync(join(ws, '.model-studio', 'runs', runId, 'run.json'), 'utf8')) as RunRecord;
  assert.equal(record.epochsCompleted, 1);

  const straight = batchesOf(await train(['train', writeSpec(ws, spec, 'straight.train.json')]));
  assert.equal(straight.length, persisted.length);
  for (let i = 0; i < straight.length; i++) {
    const relative = Math.abs(straight[i].loss - persisted[i].loss) / Math.abs(straight[i].loss);
    assert.ok(relative < 1e-4, `batch ${i}: loss ${persisted[i].loss} resumed, ${straight[i].loss} without a stop`);
  }
});

/** 28x28 "images" with a label: ~1.8 KB a row. */
async function writePixels(file: string, rows: number): Promise<void> {
  const out = createWriteStream(join(ws, file));
  out.write(`label,${Array.from({ length: 784 }, (_, i) => `p${i}`).join(',')}\n`);
  let state = 5;
  const random = (): number => (state = (state * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  for (let i = 0; i < rows; i++) {
    const pixels = Array.from({ length: 784 }, () => (random() < 0.8 ? 0 : Math.floor(random() * 256)));
    if (!out.write(`${i % 10},${pixels.join(',')}\n`)) await new Promise<void>((resolve) => out.once('drain', resolve));
  }
  await new Promise<void>((resolve) => out.end(resolve));
}

function pixelSpec(): TrainingSpec {
  return {
    name: 'pixels',
    data: { type: 'csv', train: 'pixels.csv', labelColumn: 'label', streaming: true, shuffleBuffer: 2000 },
    model: { layers: [{ type: 'dense', units: 10, activation: 'softmax' }] },
    compile: { optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] },
    fit: { epochs: 1, batchSize: 32, seed: 1 },
    checkpoints: { keep: 1 },
  };
}

/** Starts `model-studio train ARGS` (progress on stderr), sends Ctrl+C once `ready` says so, and times the exit. */
async function stopWhen(args: string[], ready: (stdout: string, stderr: string) => boolean): Promise<{ ms: number; stdout: string; stderr: string }> {
  const child = startCli([...args, '--backend', 'wasm'], ws);
  const done = collect(child);
  let stdout = '';
  let stderr = '';
  let asked = 0;
  await new Promise<void>((resolve, reject) => {
    const check = (): void => {
      if (asked === 0 && ready(stdout, stderr)) {
        asked = Date.now();
        child.kill('SIGINT');
        resolve();
      }
    };
    child.stdout?.on('data', (d: Buffer) => ((stdout += d.toString()), check()));
    child.stderr?.on('data', (d: Buffer) => ((stderr += d.toString()), check()));
    child.on('close', () => reject(new Error(`ended before the moment to stop:\n${stdout}\n${stderr}`)));
  });
  const result = await done;
  assert.equal(result.code, 0, result.stderr);
  return { ms: Date.now() - asked, stdout: result.stdout, stderr: result.stderr };
}

test('a stop takes effect within 2 s in the first pass, in a training pass, and while a resume catches up', async () => {
  await writePixels('pixels.csv', 22_000);
  const specPath = writeSpec(ws, pixelSpec(), 'pixels.train.json');

  const scanning = await stopWhen(['train', specPath], (_out, err) => err.includes('Counting the rows of pixels.csv'));
  assert.ok(scanning.ms < STOP_WITHIN_MS, `stopped ${scanning.ms} ms after the request, in the first pass`);
  assert.match(scanning.stderr, /Stopped before training started: nothing was saved/);

  const training = await stopWhen(['train', specPath, '--json'], (out) => (out.match(/"type":"batchEnd"/g) ?? []).length >= 600);
  assert.ok(training.ms < STOP_WITHIN_MS, `stopped ${training.ms} ms after the request, in a training pass`);
  const events = jsonEvents(training.stdout);
  assert.equal(finishedOf(events).status, 'stopped');
  const trained = batchesOf(events).length;
  assert.ok(trained >= 600 && trained < (events[0] as RunStartedEvent).batchesPerEpoch);

  // The resume replays the epoch's first ~600 batches of rows through the shuffle buffer before it trains.
  const runId = events[0].runId;
  const catchingUp = await stopWhen(['train', '--resume', runId], (_out, err) => err.includes('Catching up with batch'));
  assert.ok(catchingUp.ms < STOP_WITHIN_MS, `stopped ${catchingUp.ms} ms after the request, while catching up`);
  const record = JSON.parse(readFileSync(join(ws, '.model-studio', 'runs', runId, 'run.json'), 'utf8')) as RunRecord;
  assert.equal(record.status, 'stopped');
  const state = JSON.parse(readFileSync(join(ws, '.model-studio', 'runs', runId, record.lastCheckpoint ?? '', 'state.json'), 'utf8')) as { batchInEpoch: number };
  assert.equal(state.batchInEpoch, trained, 'the checkpoint is still at the batch the first process stopped after');
});
