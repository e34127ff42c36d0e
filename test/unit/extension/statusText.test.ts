// The status bar's words while training, after training and in its tooltip,
// built from real event sequences folded by applyEvent.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BatchEndEvent, EpochEndEvent, RunFinishedEvent, RunStartedEvent, TrainerEvent } from '../../../src/shared/events';
import type { TrainingSpec } from '../../../src/shared/spec';
import { applyEvent, queuedRun, type LiveRun } from '../../../src/extension/training/liveRun';
import { describeLiveRun, finishedText, formatLoss, statusBarText, statusTooltip } from '../../../src/extension/statusBar/statusText';

const runId = 'mnist-mlp-20261127-101500-ab12';
const spec = { name: 'mnist-mlp' } as TrainingSpec;

function started(epochs = 5, batchesPerEpoch = 1875): RunStartedEvent {
  return {
    type: 'runStarted',
    runId,
    time: 1000,
    spec,
    backend: { name: 'wasm', device: 'AMD EPYC (2 cores), WebAssembly SIMD', version: '4.22.0' },
    data: { sampleShape: [28, 28], numClasses: 10, train: { count: 60000 }, kind: 'image', loadMs: 900 },
    epochs,
    batchSize: 32,
    batchesPerEpoch,
    initialEpoch: 0,
    parameters: 101770,
  };
}

function batch(epoch: number, index: number, loss: number, samplesPerSecond = 2400, batchesPerEpoch = 1875): BatchEndEvent {
  return {
    type: 'batchEnd',
    runId,
    time: 2000,
    epoch,
    batch: index,
    batchesPerEpoch,
    step: epoch * batchesPerEpoch + index + 1,
    loss,
    metrics: { acc: 0.93 },
    samplesPerSecond,
  };
}

function fold(events: TrainerEvent[], run: LiveRun = queuedRun('mnist-mlp', '/ws/mnist.train.json')): LiveRun {
  return events.reduce(applyEvent, run);
}

describe('status bar text', () => {
  it('shows run, epoch x/y, batch progress, loss and time left while training', () => {
    // Epoch 2 of 5, batch 807 of 1875 (43%): 1068 + 3*1875 batches of 32 left at 2400 samples/s.
    const run = fold([started(), batch(1, 806, 0.21349)]);
    const seconds = ((1875 - 807 + 3 * 1875) * 32) / 2400;
    assert.equal(Math.round(seconds), 89);
    assert.equal(statusBarText([run]), '$(pulse) mnist-mlp · epoch 2/5 · 43% · loss 0.213 · 1:29 left');
  });

  it('shows the loss averaged over the epoch so far, as Keras does, not the last batch’s', () => {
    // The last batch happened to be easy (0.0231); the epoch so far averages 0.197.
    const last = { ...batch(1, 806, 0.0231), metrics: { acc: 1 }, epochAverage: { loss: 0.19712, acc: 0.9412 } };
    const run = fold([started(), last]);
    assert.match(statusBarText([run]), / · loss 0\.197 · /);
    assert.match(statusTooltip([run]), /This epoch so far: loss 0\.1971 · acc 0\.9412/);
    // Once the epoch ends: that epoch's values.
    const ended: EpochEndEvent = { type: 'epochEnd', runId, time: 3, epoch: 1, epochs: 5, metrics: { loss: 0.1893, acc: 0.944 }, durationMs: 25000, samplesPerSecond: 2400 };
    assert.match(statusBarText([fold([ended], run)]), / · loss 0\.189(?: · |$)/);
  });

  it('says starting while the trainer loads data, and queued with the position while waiting', () => {
    assert.equal(statusBarText([queuedRun('mnist-mlp', '/a')]), '$(loading~spin) mnist-mlp · starting…');
    assert.equal(statusBarText([queuedRun('mnist-cnn', '/b', 2)]), '$(loading~spin) mnist-cnn · queued (#2)');
  });

  it('counts the other running and queued jobs after the first one', () => {
    const a = fold([started(), batch(0, 9, 1.5)]);
    const b = fold([started(), batch(0, 1, 2.1)]);
    const text = statusBarText([a, b, queuedRun('x', '/x', 1)]);
    assert.match(text, /^\$\(pulse\) mnist-mlp · epoch 1\/5 · 0% · loss 1\.500 · .* left · \+1 running · 1 queued$/);
  });

  it('leaves out the time left until the speed is known', () => {
    const run = fold([started(), batch(0, 0, 2.3, 0)]);
    assert.equal(describeLiveRun(run), 'mnist-mlp · epoch 1/5 · 0% · loss 2.300');
  });

  it('says evaluating after the last epoch and shows the test accuracy when done', () => {
    const lastEpoch: EpochEndEvent = { type: 'epochEnd', runId, time: 3, epoch: 4, epochs: 5, metrics: { loss: 0.07, acc: 0.978, val_acc: 0.976 }, durationMs: 25000, samplesPerSecond: 2400 };
    const evaluating = fold([started(), batch(4, 1874, 0.05), lastEpoch]);
    assert.equal(describeLiveRun(evaluating), 'mnist-mlp · evaluating…');
    const finished: RunFinishedEvent = { type: 'runFinished', runId, time: 4, status: 'completed', epochsCompleted: 5, finalMetrics: { loss: 0.07, acc: 0.978, val_acc: 0.976 }, testMetrics: { loss: 0.08, acc: 0.9771 }, durationMs: 125000 };
    assert.equal(finishedText(applyEvent(evaluating, finished)), '$(check) mnist-mlp · test acc 0.9771');
  });

  it('marks stopped and failed runs', () => {
    const stopped: RunFinishedEvent = { type: 'runFinished', runId, time: 4, status: 'stopped', epochsCompleted: 2, finalMetrics: { val_acc: 0.95 }, durationMs: 1 };
    assert.equal(finishedText(fold([started(), stopped])), '$(debug-stop) mnist-mlp · stopped at epoch 2/5 · acc 0.9500');
    const failed: RunFinishedEvent = { ...stopped, status: 'failed', reason: 'Loss became NaN at epoch 1, batch 12' };
    assert.equal(finishedText(fold([started(), failed])), '$(error) mnist-mlp · failed');
  });

  it('shows a stopping run as stopping instead of a time left', () => {
    const run = { ...fold([started(), batch(0, 100, 0.5)]), stopping: true };
    assert.equal(describeLiveRun(run), 'mnist-mlp · epoch 1/5 · 5% · loss 0.500 · stopping…');
  });
});

describe('loss formatting', () => {
  it('keeps three decimals for usual losses and significant digits for large ones', () => {
    assert.equal(formatLoss(0.21349), '0.213');
    assert.equal(formatLoss(2.5), '2.500');
    assert.equal(formatLoss(12345.6), '1.235e+4');
    assert.equal(formatLoss(Number.NaN), 'NaN');
  });
});

describe('status bar tooltip', () => {
  it('lists epoch and batch, metrics, throughput, backend and run id in markdown', () => {
    const run = fold([started(), batch(1, 806, 0.21349)]);
    const tooltip = statusTooltip([run]);
    assert.match(tooltip, /\*\*mnist-mlp\*\* — training/);
    assert.match(tooltip, /Epoch 2 of 5 · batch 807 of 1875/);
    // A run of an older version sends no epoch average: the batch's own values stand in.
    assert.match(tooltip, /This epoch so far: loss 0\.2135 · acc 0\.9300/);
    assert.match(tooltip, /2,400 samples\/s · 1:29 left/);
    assert.match(tooltip, /Backend wasm · AMD EPYC \(2 cores\), WebAssembly SIMD/);
    assert.match(tooltip, new RegExp(`Run \`${runId}\``));
    assert.match(tooltip, /_Click to open the dashboard\._$/);
  });
});
