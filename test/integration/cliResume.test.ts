// Stop and resume through the CLI exactly as a user does it: stop at batch
// 300 of the first epoch, --resume, stop again 150 batches later, --resume to
// the end (the subset variant scales those numbers to its smaller epoch).
// Every batch of the epoch is trained once, in the epoch's shuffled order, is
// in metrics.jsonl once and in order with a growing step, and is on the
// dashboard's chart when the dashboard reads that very file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BatchEndEvent, RunFinishedEvent, RunRecord, RunStartedEvent, TrainerEvent } from '../../src/shared/events';
import type { TrainingSpec } from '../../src/shared/spec';
import { parseEvents } from '../../src/core/runStore';
import { RunState } from '../../webview/dashboard/runState';
import { ChartDataBuilder, chartLines, fullXRange } from '../../webview/dashboard/chartData';
import { tempWorkspace, trainUntil, writeSpec } from '../helpers/cli';
import { mnistMlpModel } from '../../src/shared/mnistMlp';

/** An MLP without dropout, its weights seeded: two runs of it train bit for bit alike, batch by batch. */
function deterministicSpec(train: number, test: number): TrainingSpec {
  return {
    name: 'mnist-resume',
    data: { type: 'mnist', subset: { train, test } },
    model: {
      layers: [
        { type: 'flatten' },
        { type: 'dense', units: 64, activation: 'relu' },
        { type: 'dense', units: 10, activation: 'softmax' },
      ],
    },
    compile: { optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] },
    fit: { epochs: 1, batchSize: 32, seed: 11 },
    checkpoints: { keep: 1 },
  };
}

function batchesOf(events: TrainerEvent[]): BatchEndEvent[] {
  return events.filter((e): e is BatchEndEvent => e.type === 'batchEnd');
}

interface Walk {
  ws: string;
  runId: string;
  /** The events each of the three processes printed. */
  parts: TrainerEvent[][];
  persisted: TrainerEvent[];
}

/** Stop at `first`, resume, stop `second` batches later, resume to the end. */
async function stopResumeStopResume(spec: TrainingSpec, first: number, second: number): Promise<Walk> {
  const ws = tempWorkspace('ms-resume-');
  const specPath = writeSpec(ws, spec);
  const one = await trainUntil(ws, ['train', specPath], first - 1);
  const runId = one[0].runId;
  const stoppedAt = (one.at(-1) as RunFinishedEvent).status === 'stopped' ? batchesOf(one).length : -1;
  assert.ok(stoppedAt >= first, `the first process stopped after ${stoppedAt} batches`);
  assertCheckpointAt(ws, runId, stoppedAt);
  const two = await trainUntil(ws, ['train', '--resume', runId], stoppedAt + second - 1);
  assert.equal((two.at(-1) as RunFinishedEvent).status, 'stopped');
  assertCheckpointAt(ws, runId, stoppedAt + batchesOf(two).length);
  const three = await trainUntil(ws, ['train', '--resume', runId]);
  const persisted = parseEvents(readFileSync(join(ws, '.model-studio', 'runs', runId, 'metrics.jsonl'), 'utf8'));
  return { ws, runId, parts: [one, two, three], persisted };
}

/** run.json names the checkpoint of the batch the run stopped after, and pruning left it on disk. */
function assertCheckpointAt(ws: string, runId: string, step: number): void {
  const folder = join(ws, '.model-studio', 'runs', runId);
  const record = JSON.parse(readFileSync(join(folder, 'run.json'), 'utf8')) as RunRecord;
  assert.equal(record.lastCheckpoint, join('checkpoints', `epoch-0000-step-${String(step).padStart(9, '0')}`));
  const state = JSON.parse(readFileSync(join(folder, record.lastCheckpoint, 'state.json'), 'utf8')) as { step: number; batchInEpoch: number };
  assert.deepEqual([state.step, state.batchInEpoch], [step, step]);
}

function assertEveryBatchOnceInOrder(walk: Walk, batchesPerEpoch: number): void {
  const { parts, persisted } = walk;
  const starts = parts.map((p) => p[0] as RunStartedEvent);
  // Each resumed process continues at the batch after its checkpoint, with the step count carried on.
  for (const [i, started] of starts.entries()) {
    const before = parts.slice(0, i).flatMap(batchesOf).length;
    assert.equal(started.initialEpoch, 0);
    assert.equal(started.initialBatch, before, `process ${i + 1} continues at batch ${before}`);
    assert.equal(started.initialStep, before);
    const first = batchesOf(parts[i])[0];
    if (first) assert.deepEqual([first.batch, first.step], [before, before + 1], `process ${i + 1}'s first batch`);
  }
  const batches = batchesOf(persisted);
  assert.equal(batches.length, batchesPerEpoch, 'metrics.jsonl holds each batch of the epoch once');
  assert.deepEqual(batches.map((b) => b.batch), [...Array(batchesPerEpoch).keys()], 'in order');
  assert.deepEqual(batches.map((b) => b.step), batches.map((_, i) => i + 1), 'steps grow by one, never going back');
  const finished = persisted.at(-1) as RunFinishedEvent;
  assert.equal(finished.status, 'completed');
  assert.equal(persisted.filter((e) => e.type === 'epochEnd').length, 1);
}

/**
 * Each batch carries the average over its epoch so far (what the status bar and
 * the dashboard's tiles show, as Keras's progress bar does), carried across the
 * resumes, and the last one is the epoch's own value. Every batch here has 32 samples.
 */
function assertRunningAverages(walk: Walk): void {
  const batches = batchesOf(walk.persisted);
  let lossSum = 0;
  let accSum = 0;
  batches.forEach((b, i) => {
    lossSum += b.loss;
    accSum += b.metrics.acc;
    const average = b.epochAverage;
    assert.ok(average, `batch ${i} has its epoch's average`);
    assert.ok(Math.abs(average.loss - lossSum / (i + 1)) < 1e-5 * Math.max(1, average.loss), `batch ${i}: average loss ${average.loss}, expected ${lossSum / (i + 1)}`);
    assert.ok(Math.abs(average.acc - accSum / (i + 1)) < 1e-6, `batch ${i}: average acc ${average.acc}, expected ${accSum / (i + 1)}`);
  });
  const epoch = walk.persisted.find((e) => e.type === 'epochEnd');
  assert.ok(epoch && epoch.type === 'epochEnd');
  const last = batches.at(-1)?.epochAverage;
  assert.ok(last && Math.abs(last.loss - epoch.metrics.loss) < 1e-9, `the last batch's average ${last?.loss} is the epoch's loss ${epoch.metrics.loss}`);
}

/** Feeds the dashboard the run's own metrics.jsonl, as it restores a run, and reads what it would draw. */
function assertDashboardShowsEveryBatch(walk: Walk, batchesPerEpoch: number): void {
  const record = JSON.parse(readFileSync(join(walk.ws, '.model-studio', 'runs', walk.runId, 'run.json'), 'utf8')) as RunRecord;
  const run = new RunState(walk.runId);
  run.setRecord(record);
  for (const event of walk.persisted) run.apply(event);
  const loss = run.batch.get('loss');
  assert.equal(loss?.length, batchesPerEpoch, 'every batch is a point of the per-batch curve');
  const xs = Array.from(loss.x.subarray(0, loss.length));
  xs.forEach((x, i) => assert.ok(Math.abs(x - (i + 1) / batchesPerEpoch) < 1e-9, `point ${i} at ${x}: no gap, no overlap`));
  const lines = chartLines([run], 'loss', 0);
  const [xMin, xMax] = fullXRange([run], 'loss');
  const data = new ChartDataBuilder().build([run], 'loss', lines, { columns: 2 * batchesPerEpoch, smoothing: 0, logScale: false, xMin, xMax });
  const batchLine = data[1 + lines.findIndex((l) => l.kind === 'batch')] as (number | null)[];
  assert.equal(batchLine.filter((y) => y !== null).length, batchesPerEpoch, 'the chart draws them all');
  // The finished run reads as one run: the whole epoch, the time of all three processes.
  assert.equal(run.status, 'completed');
  assert.equal(run.finished?.epochsCompleted, 1);
  const segments = walk.parts.reduce((sum, part) => sum + (part.at(-1) as RunFinishedEvent).time - part[0].time, 0);
  const finished = walk.persisted.at(-1) as RunFinishedEvent;
  assert.ok(finished.durationMs >= segments - 200, `Duration ${finished.durationMs} ms counts all three processes (${segments} ms)`);
  assert.equal(record.durationMs, finished.durationMs, 'run.json records the whole training time');
}

/**
 * Replays the resumed processes' events, as they arrive live, into a dashboard
 * that showed the stopped run: each batch is drawn and becomes the newest
 * batch, which the progress bar, throughput, batch counter, epoch and time left are read from.
 */
function assertDashboardFollowsResumeLive(walk: Walk): void {
  const run = new RunState(walk.runId);
  for (const event of walk.parts[0]) run.apply(event);
  assert.equal(run.status, 'stopped');
  for (const part of walk.parts.slice(1)) {
    for (const event of part) {
      const applied = run.apply(event);
      if (event.type !== 'batchEnd') continue;
      assert.ok(applied, `batch ${event.batch} of the resumed run reaches the chart`);
      assert.equal(run.lastBatch, event, 'and is what the header shows');
      assert.equal(run.status, 'running');
    }
  }
}

test('stop at batch 48, resume, stop 24 batches later, resume: the 300-and-150 walk on a 300-batch epoch', async () => {
  const spec = deterministicSpec(9600, 500);
  const batchesPerEpoch = 300;
  const walk = await stopResumeStopResume(spec, 48, 24);
  assertEveryBatchOnceInOrder(walk, batchesPerEpoch);
  assertRunningAverages(walk);
  assertDashboardShowsEveryBatch(walk, batchesPerEpoch);
  assertDashboardFollowsResumeLive(walk);

  // The same images in the same order, each once: batch for batch the loss of one run trained without a stop.
  const ws = tempWorkspace('ms-resume-straight-');
  const straight = batchesOf(await trainUntil(ws, ['train', writeSpec(ws, spec)]));
  const resumed = batchesOf(walk.persisted);
  assert.equal(straight.length, resumed.length);
  for (let i = 0; i < straight.length; i++) {
    const relative = Math.abs(straight[i].loss - resumed[i].loss) / Math.abs(straight[i].loss);
    assert.ok(relative < 1e-4, `batch ${i}: loss ${resumed[i].loss} resumed, ${straight[i].loss} without a stop`);
  }

  // keep: 1 never prunes the checkpoint a resume needs: the newest survives, named so it sorts last.
  const checkpoints = readdirSync(join(walk.ws, '.model-studio', 'runs', walk.runId, 'checkpoints'));
  assert.deepEqual(checkpoints, ['epoch-0001-step-000000300']);
});

test('the same walk on the full MNIST epoch: stop at batch 300, resume, stop at 450, resume to batch 1,875', async () => {
  const walk = await stopResumeStopResume(
    {
      name: 'mnist-mlp',
      data: { type: 'mnist' },
      ...mnistMlpModel(),
      fit: { epochs: 1, batchSize: 32 },
      evaluate: { enabled: false },
    },
    300,
    150,
  );
  assertEveryBatchOnceInOrder(walk, 1875);
  assertDashboardShowsEveryBatch(walk, 1875);
  const finished = walk.persisted.at(-1) as RunFinishedEvent;
  assert.ok(finished.finalMetrics.acc > 0.85, `one epoch trained as one: train accuracy ${finished.finalMetrics.acc}`);
});
