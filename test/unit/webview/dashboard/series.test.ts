import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BatchEndEvent, EpochEndEvent, RunStartedEvent, TrainerEvent } from '../../../../src/shared/events';
import { ChartDataBuilder, chartLines, fullXRange, robustYRange } from '../../../../webview/dashboard/chartData';
import { MinMaxDecimator } from '../../../../webview/dashboard/decimate';
import { RunState } from '../../../../webview/dashboard/runState';
import { Series } from '../../../../webview/dashboard/series';
import { emaSmooth } from '../../../../webview/dashboard/smoothing';
import { mnistSpec, syntheticRun } from '../../../../webview/harness/syntheticRun';

const RUN = 'run-a';

function started(initialEpoch = 0, time = 1, initialBatch?: number): RunStartedEvent {
  return {
    type: 'runStarted', runId: RUN, time, spec: mnistSpec(), epochs: 3, batchSize: 32, batchesPerEpoch: 4, initialEpoch, parameters: 10,
    initialBatch, initialStep: initialBatch === undefined ? undefined : initialEpoch * 4 + initialBatch,
    backend: { name: 'wasm', device: 'cpu', version: '4.22.0' },
    data: { sampleShape: [28, 28], train: { count: 128 }, kind: 'image', loadMs: 1 },
  };
}

/** A batch as the trainer numbers it: `step` counts the run's batches, across epochs and resumes. */
function batch(epoch: number, b: number, loss: number, acc = 0.5, step = epoch * 4 + b + 1): BatchEndEvent {
  return { type: 'batchEnd', runId: RUN, time: 10 + epoch * 4 + b, epoch, batch: b, batchesPerEpoch: 4, step, loss, metrics: { acc }, samplesPerSecond: 1000 };
}

function stopped(time: number, epochsCompleted: number): TrainerEvent {
  return { type: 'runFinished', runId: RUN, time, status: 'stopped', epochsCompleted, finalMetrics: {}, durationMs: 5 };
}

function epochEnd(epoch: number, loss: number, valLoss: number): EpochEndEvent {
  return { type: 'epochEnd', runId: RUN, time: 100 + epoch, epoch, epochs: 3, metrics: { loss, acc: 0.9, val_loss: valLoss, val_acc: 0.91 }, durationMs: 10, samplesPerSecond: 1000 };
}

function values(series: Series | undefined, key: 'x' | 'y' = 'y'): number[] {
  return series ? Array.from(series[key].subarray(0, series.length)) : [];
}

test('batch events make per-batch series at fractional epochs; epoch events make train and validation series', () => {
  const run = new RunState(RUN);
  run.apply(started());
  for (let b = 0; b < 4; b++) run.apply(batch(0, b, 2 - b * 0.1, 0.25 * b));
  run.apply(epochEnd(0, 1.85, 1.7));
  assert.deepEqual(values(run.batch.get('loss'), 'x'), [0.25, 0.5, 0.75, 1]);
  assert.deepEqual(values(run.batch.get('acc')), [0, 0.25, 0.5, 0.75]);
  assert.deepEqual(values(run.epochTrain.get('loss'), 'x'), [1]);
  assert.deepEqual(values(run.epochTrain.get('loss')), [1.85]);
  assert.deepEqual(values(run.epochVal.get('loss')), [1.7], "val_loss goes to the validation series of 'loss'");
  assert.deepEqual(values(run.epochVal.get('acc')), [0.91]);
  assert.deepEqual(run.metricNames(), ['loss', 'acc']);
});

test('the same event twice (restored from disk and live) is applied once', () => {
  const run = new RunState(RUN);
  const events = [started(), batch(0, 0, 2), batch(0, 1, 1.9), epochEnd(0, 1.9, 1.8)];
  for (const e of events) run.apply(e);
  const version = run.version;
  for (const e of events) assert.equal(run.apply(e), false);
  assert.equal(run.version, version);
  assert.equal(run.batch.get('loss')?.length, 2);
  assert.equal(run.epochVal.get('loss')?.length, 1);
});

test('events of another run are ignored', () => {
  const run = new RunState(RUN);
  assert.equal(run.apply({ ...batch(0, 0, 1), runId: 'other' }), false);
  assert.equal(run.batch.size, 0);
});

test('a run stopped mid-epoch and resumed draws every batch once, in order, and follows the resumed batches live', () => {
  const run = new RunState(RUN);
  run.apply(started());
  for (let b = 0; b < 4; b++) run.apply(batch(0, b, 2));
  run.apply(epochEnd(0, 2, 2));
  run.apply(batch(1, 0, 1.5));
  run.apply(stopped(50, 1));
  assert.equal(run.status, 'stopped');
  // The trainer continues at the batch after its checkpoint (epoch 1, batch 1) with the step carried on.
  run.apply(started(1, 60, 1));
  assert.equal(run.status, 'running');
  for (const b of [1, 2, 3]) {
    assert.equal(run.apply(batch(1, b, 1.4 - b / 10)), true, `resumed batch ${b} is drawn`);
    assert.equal(run.lastBatch?.batch, b, 'and is the newest batch the header shows');
  }
  assert.deepEqual(values(run.batch.get('loss'), 'x'), [0.25, 0.5, 0.75, 1, 1.25, 1.5, 1.75, 2]);
  assert.deepEqual(values(run.epochTrain.get('loss'), 'x'), [1]);
});

test('a run resumed after a crash forgets the batches after its checkpoint and draws the redone ones in their place', () => {
  const run = new RunState(RUN);
  run.apply(started());
  for (let b = 0; b < 4; b++) run.apply(batch(0, b, 2));
  run.apply(epochEnd(0, 2, 2));
  // Killed after batch 2 of epoch 1; the checkpoint is the epoch's end.
  for (let b = 0; b < 3; b++) run.apply(batch(1, b, 9));
  run.apply(started(1, 60, 0));
  assert.deepEqual(values(run.batch.get('loss'), 'x'), [0.25, 0.5, 0.75, 1]);
  for (let b = 0; b < 4; b++) assert.equal(run.apply(batch(1, b, 1.5)), true);
  assert.deepEqual(values(run.batch.get('loss')).slice(4), [1.5, 1.5, 1.5, 1.5]);
});

test('runs resumed by older versions (the epoch restarted at batch 0, the step at 1) still draw the redone epoch', () => {
  const run = new RunState(RUN);
  run.apply(started());
  for (let b = 0; b < 4; b++) run.apply(batch(0, b, 2));
  run.apply(epochEnd(0, 2, 2));
  run.apply(batch(1, 0, 1.5));
  run.apply(batch(1, 1, 1.4));
  run.apply(stopped(50, 1));
  run.apply(started(1, 60));
  assert.deepEqual(values(run.batch.get('loss'), 'x'), [0.25, 0.5, 0.75, 1]);
  // Those trainers counted steps from 1 again in every process.
  assert.equal(run.apply(batch(1, 0, 1.45, 0.5, 1)), true);
  assert.deepEqual(values(run.batch.get('loss')).slice(-1), [1.45]);
});

test('status: the finished event wins, then the record (crashed), else running', () => {
  const run = new RunState(RUN);
  run.apply(started());
  assert.equal(run.status, 'running');
  run.setRecord({ ...syntheticRun({ runId: RUN, batches: 3 }).record, status: 'crashed' });
  assert.equal(run.status, 'crashed');
  run.apply({ type: 'runFinished', runId: RUN, time: 5, status: 'failed', reason: 'NaN loss', epochsCompleted: 0, finalMetrics: {}, durationMs: 5 });
  assert.equal(run.status, 'failed');
});

test('EMA smoothing: weight 0 is the raw data, the first value is kept (debiased), constants stay constant', () => {
  assert.deepEqual(Array.from(emaSmooth([3, 1, 4], 0)), [3, 1, 4]);
  const smoothed = emaSmooth([2, 0], 0.5);
  assert.equal(smoothed[0], 2);
  // last = 0.5 * (0.5 * 0 + 0.5 * 2) + 0.5 * 0 = 0.5; debias 1 - 0.25 = 0.75.
  assert.ok(Math.abs(smoothed[1] - 0.5 / 0.75) < 1e-12);
  for (const v of emaSmooth([5, 5, 5, 5], 0.9)) assert.ok(Math.abs(v - 5) < 1e-12);
});

test('EMA smoothing: a NaN passes through without poisoning what follows', () => {
  const smoothed = emaSmooth([1, Number.NaN, 1], 0.8);
  assert.ok(Number.isNaN(smoothed[1]));
  assert.ok(Math.abs(smoothed[2] - 1) < 1e-12);
});

test('series smoothing follows appends and recomputes when the weight changes', () => {
  const series = new Series();
  series.setSmoothing(0.6);
  const ys = Array.from({ length: 1000 }, (_, i) => Math.sin(i) + i / 100);
  ys.forEach((y, i) => series.push(i, y));
  assert.deepEqual(Array.from(series.smoothed.subarray(0, 1000)), Array.from(emaSmooth(ys, 0.6)));
  series.setSmoothing(0.9);
  assert.deepEqual(Array.from(series.smoothed.subarray(0, 1000)), Array.from(emaSmooth(ys, 0.9)));
});

function decimate(x: Float64Array, y: Float64Array, columns: number, decimator = new MinMaxDecimator(), end = x.length): number[] {
  const count = decimator.update({ x, y, start: 0, end, xMin: 0, xMax: x[x.length - 1], columns, revision: 0 });
  return Array.from(decimator.indices.subarray(0, count));
}

test('decimation keeps the lowest and highest point of every pixel column, and the newest point', () => {
  const n = 100_000;
  const x = Float64Array.from({ length: n }, (_, i) => i);
  const y = Float64Array.from({ length: n }, (_, i) => Math.sin(i * 0.37) * (1 + (i % 977)) + (i === 54_321 ? 1e6 : 0));
  const columns = 500;
  const kept = decimate(x, y, columns);
  assert.ok(kept.length <= 2 * columns + 1, `${kept.length} points for ${columns} columns`);
  assert.ok(kept.includes(54_321), 'a one-point spike survives');
  assert.equal(kept.at(-1), n - 1);
  const width = x[n - 1] / columns;
  for (let c = 0; c < columns; c++) {
    const inColumn = [...Array(n).keys()].filter((i) => Math.min(columns - 1, Math.floor(x[i] / width)) === c);
    const lo = Math.min(...inColumn.map((i) => y[i]));
    const hi = Math.max(...inColumn.map((i) => y[i]));
    const keptValues = kept.filter((i) => inColumn.includes(i)).map((i) => y[i]);
    assert.ok(keptValues.includes(lo) && keptValues.includes(hi), `column ${c}`);
    if (c > 3) break; // the scan above is quadratic; a few columns prove the rule, the spike test covers the rest
  }
});

test('incremental decimation while points arrive equals decimating everything at once', () => {
  const n = 20_000;
  const x = Float64Array.from({ length: n }, (_, i) => i / 100);
  const y = Float64Array.from({ length: n }, (_, i) => Math.cos(i * 1.3) + i / n);
  const live = new MinMaxDecimator();
  for (let end = 1; end <= n; end += 137) live.update({ x, y, start: 0, end, xMin: 0, xMax: x[n - 1], columns: 300, revision: 0 });
  const final = live.update({ x, y, start: 0, end: n, xMin: 0, xMax: x[n - 1], columns: 300, revision: 0 });
  assert.deepEqual(Array.from(live.indices.subarray(0, final)), decimate(x, y, 300));
});

test('decimation skips NaN and infinite values', () => {
  const x = Float64Array.from({ length: 10 }, (_, i) => i);
  const y = Float64Array.from([1, Number.NaN, 3, Infinity, 5, 6, -Infinity, 8, 9, Number.NaN]);
  const kept = decimate(x, y, 100);
  assert.ok(kept.every((i) => Number.isFinite(y[i])));
  assert.deepEqual(kept, [0, 2, 4, 5, 7, 8]);
});

test('chart data: one shared x array, raw band + smoothed + epoch lines aligned, within the pixel budget', () => {
  const { events } = syntheticRun({ runId: RUN, epochs: 5, batchesPerEpoch: 20_000, batches: 100_000 });
  const run = new RunState(RUN);
  run.setSmoothing(0.9);
  for (const e of events) run.apply(e);
  const lines = chartLines([run], 'loss', 0.9);
  assert.deepEqual(lines.map((l) => l.kind), ['rawHigh', 'rawLow', 'batch', 'epoch', 'val']);
  const [xMin, xMax] = fullXRange([run], 'loss');
  assert.deepEqual([xMin, xMax], [0, 5]);
  const data = new ChartDataBuilder().build([run], 'loss', lines, { columns: 600, smoothing: 0.9, logScale: false, xMin, xMax });
  const x = data[0];
  assert.equal(data.length, lines.length + 1);
  assert.ok(x.length <= 2 * 600 + 10, `${x.length} x values`);
  for (let i = 1; i < x.length; i++) assert.ok(x[i] > x[i - 1], 'x ascending, no duplicates');
  for (const ys of data.slice(1)) assert.equal(ys.length, x.length);
  const [high, low, smooth] = [data[1], data[2], data[3]] as (number | null)[][];
  for (let i = 0; i < x.length; i++) {
    if (high[i] === null) continue;
    assert.ok((low[i] as number) <= (high[i] as number));
    assert.ok(smooth[i] !== null);
  }
  const epochValues = (data[4] as (number | null)[]).filter((v) => v !== null);
  assert.equal(epochValues.length, 5);
});

test('log scale drops values that are not positive', () => {
  const run = new RunState(RUN);
  run.apply(started());
  run.apply(batch(0, 0, 0));
  run.apply(batch(0, 1, 0.5));
  const lines = chartLines([run], 'loss', 0);
  const data = new ChartDataBuilder().build([run], 'loss', lines, { columns: 100, smoothing: 0, logScale: true, xMin: 0, xMax: 3 });
  assert.deepEqual(data[1], [null, 0.5]);
});

test('compare mode: each run gets its own lines, labelled with its name', () => {
  const a = new RunState('a');
  const b = new RunState('b');
  for (const e of syntheticRun({ runId: 'a', name: 'first', batchesPerEpoch: 10, epochs: 2 }).events) a.apply(e);
  for (const e of syntheticRun({ runId: 'b', name: 'second', batchesPerEpoch: 7, epochs: 3 }).events) b.apply(e);
  const lines = chartLines([a, b], 'acc', 0);
  assert.deepEqual(lines.map((l) => `${l.runIndex}:${l.kind}`), ['0:batch', '0:epoch', '0:val', '1:batch', '1:epoch', '1:val']);
  assert.ok(lines[3].label.startsWith('second'));
  assert.deepEqual(fullXRange([a, b], 'acc'), [0, 3]);
});

test('the robust y range ignores the first steep batches but keeps every epoch point', () => {
  const { events } = syntheticRun({ runId: RUN, epochs: 5, batchesPerEpoch: 2000 });
  const run = new RunState(RUN);
  run.setSmoothing(0.9);
  for (const e of events) run.apply(e);
  const lines = chartLines([run], 'loss', 0.9);
  const data = new ChartDataBuilder().build([run], 'loss', lines, { columns: 500, smoothing: 0.9, logScale: false, xMin: 0, xMax: 5 });
  const range = robustYRange(data, lines, new Float64Array(10_000));
  assert.ok(range);
  const [low, high] = range;
  const firstLoss = run.batch.get('loss')?.smoothed[0] ?? 0;
  assert.ok(high < firstLoss, `top ${high} is below the first loss ${firstLoss}`);
  for (const v of values(run.epochTrain.get('loss')).concat(values(run.epochVal.get('loss')))) assert.ok(v >= low && v <= high);
});

test('with fewer points than pixels, the raw band still covers the zigzag between neighbouring points', () => {
  const x = Float64Array.from({ length: 6 }, (_, i) => i);
  const y = Float64Array.from([0, 1, 0, 1, 0, 1]);
  const decimator = new MinMaxDecimator();
  const count = decimator.update({ x, y, start: 0, end: 6, xMin: 0, xMax: 5, columns: 500, revision: 0 });
  assert.equal(count, 6);
  assert.deepEqual([decimator.low[0], decimator.high[0]], [0, 0], 'the first point has nothing before it');
  for (let k = 1; k < count; k++) assert.deepEqual([decimator.low[k], decimator.high[k]], [0, 1], `point ${k}`);
});

test('comparing runs of different lengths fits the x axis to the data shown, not to the longest planned run', () => {
  const done = new RunState('done');
  for (const e of syntheticRun({ runId: 'done', epochs: 3, batchesPerEpoch: 10 }).events) done.apply(e);
  // Planned for 40 epochs, stopped 4 batches into the first.
  const stoppedEarly = new RunState('early');
  for (const e of syntheticRun({ runId: 'early', epochs: 40, batchesPerEpoch: 10, batches: 4 }).events) stoppedEarly.apply(e);
  stoppedEarly.apply({ type: 'runFinished', runId: 'early', time: 2e12, status: 'stopped', epochsCompleted: 0, finalMetrics: {}, durationMs: 5 });
  assert.deepEqual(fullXRange([done, stoppedEarly], 'loss'), [0, 3]);
  assert.deepEqual(fullXRange([stoppedEarly, done], 'acc'), [0, 3], 'the order of the runs does not matter');
  // Alone, the stopped run fills the chart with its own 0.4 epochs.
  assert.deepEqual(fullXRange([stoppedEarly], 'loss'), [0, 0.4]);
  // Even while the short run still trains, a comparison fits the data.
  const live = new RunState('live');
  for (const e of syntheticRun({ runId: 'live', epochs: 40, batchesPerEpoch: 10, batches: 4 }).events) live.apply(e);
  assert.equal(live.status, 'running');
  assert.deepEqual(fullXRange([done, live], 'loss'), [0, 3]);
  // A single run still training spans its planned epochs, to show how far it has come.
  assert.deepEqual(fullXRange([live], 'loss'), [0, 40]);
});

test('the chart data of a comparison covers the fitted range: the short run is not squeezed', () => {
  const done = new RunState('done');
  for (const e of syntheticRun({ runId: 'done', epochs: 2, batchesPerEpoch: 50 }).events) done.apply(e);
  const early = new RunState('early');
  for (const e of syntheticRun({ runId: 'early', epochs: 40, batchesPerEpoch: 50, batches: 30 }).events) early.apply(e);
  const runs = [done, early];
  const lines = chartLines(runs, 'loss', 0);
  const [xMin, xMax] = fullXRange(runs, 'loss');
  const data = new ChartDataBuilder().build(runs, 'loss', lines, { columns: 400, smoothing: 0, logScale: false, xMin, xMax });
  const x = data[0];
  assert.equal(x[x.length - 1], xMax, 'the last point is at the right edge');
  const earlyLine = data[1 + lines.findIndex((l) => l.runId === 'early' && l.kind === 'batch')] as (number | null)[];
  let last = earlyLine.length - 1;
  while (earlyLine[last] === null) last--;
  const lastEarly = x[last];
  // 30 of 50 batches: the short run reaches 0.6 of an epoch, 30% of the axis (was 1.5% of a 40-epoch axis).
  assert.ok(Math.abs(lastEarly / (xMax - xMin) - 0.3) < 1e-9, `short run ends at ${lastEarly} of ${xMax}`);
});
