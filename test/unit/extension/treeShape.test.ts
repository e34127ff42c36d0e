// What the Model Explorer shows for runs on disk and runs in flight: groups
// by spec, labels, descriptions, icons and the context flags menus match.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RunRecord } from '../../../src/shared/events';
import type { TrainingSpec } from '../../../src/shared/spec';
import { applyEvent, queuedRun } from '../../../src/extension/training/liveRun';
import { formatRunTime, groupRuns, headlineMetric, modelDescription, runItemView } from '../../../src/extension/tree/treeShape';

const now = new Date('2026-11-27T15:00:00').getTime();

function record(id: string, overrides: Partial<RunRecord> = {}): RunRecord {
  return {
    id,
    name: 'mnist-mlp',
    specPath: '/ws/mnist/mnist.train.json',
    spec: { name: 'mnist-mlp' } as TrainingSpec,
    status: 'completed',
    pid: 1,
    hostname: 'h',
    createdAt: '2026-11-27T10:45:12.000Z',
    updatedAt: '2026-11-27T10:47:00.000Z',
    epochs: 5,
    epochsCompleted: 5,
    finalMetrics: { loss: 0.07, acc: 0.978, val_loss: 0.075, val_acc: 0.976 },
    testMetrics: { loss: 0.076, acc: 0.9771 },
    durationMs: 125_000,
    lastCheckpoint: 'checkpoints/epoch-0005',
    ...overrides,
  };
}

describe('run items', () => {
  it('shows a completed run with its test accuracy, duration and a passed icon', () => {
    const view = runItemView(record('a'), undefined, now);
    assert.equal(view.description, 'test acc 0.9771 · 2:05');
    assert.deepEqual(view.icon, { id: 'pass', color: 'testing.iconPassed' });
    assert.equal(view.contextValue, 'run completed model');
    assert.equal(view.id, 'run:a');
  });

  it('marks a stopped run with a checkpoint as resumable and keeps its best number', () => {
    const view = runItemView(record('b', { status: 'stopped', epochsCompleted: 2, testMetrics: undefined }), undefined, now);
    assert.equal(view.description, 'stopped · 2/5 epochs · val acc 0.9760');
    assert.equal(view.contextValue, 'run stopped resumable model');
    assert.equal(view.icon.id, 'debug-stop');
  });

  it('marks a crashed run resumable only when it has a checkpoint', () => {
    const crashed = runItemView(record('c', { status: 'crashed', epochsCompleted: 1 }), undefined, now);
    assert.equal(crashed.contextValue, 'run crashed resumable');
    assert.equal(crashed.description, 'crashed · 1/5 epochs');
    const early = runItemView(record('d', { status: 'crashed', epochsCompleted: 0, lastCheckpoint: undefined }), undefined, now);
    assert.equal(early.contextValue, 'run crashed');
  });

  it('shows a failed run with the start of its reason', () => {
    const view = runItemView(record('e', { status: 'failed', reason: 'Loss became NaN at epoch 2, batch 140: lower the learning rate or check the data for NaN values' }), undefined, now);
    assert.equal(view.description, 'failed · Loss became NaN at epoch 2, batch 140: lower the learning r…');
    assert.equal(view.icon.id, 'error');
  });

  it('shows live progress with a spinning icon while the run trains', () => {
    const live = [
      {
        type: 'runStarted' as const,
        runId: 'f',
        time: 1,
        spec: { name: 'mnist-mlp' } as TrainingSpec,
        backend: { name: 'wasm' as const, device: 'cpu', version: '4' },
        data: { sampleShape: [28, 28], train: { count: 60000 }, kind: 'image' as const, loadMs: 1 },
        epochs: 5,
        batchSize: 32,
        batchesPerEpoch: 1875,
        initialEpoch: 0,
        parameters: 1,
      },
      { type: 'batchEnd' as const, runId: 'f', time: 2, epoch: 1, batch: 806, batchesPerEpoch: 1875, step: 2682, loss: 0.213, metrics: {}, samplesPerSecond: 2400 },
    ].reduce(applyEvent, queuedRun('mnist-mlp', '/ws/mnist/mnist.train.json'));
    const view = runItemView(record('f', { status: 'running', epochsCompleted: 1 }), live, now);
    assert.equal(view.description, 'epoch 2/5 · 43% · loss 0.213');
    assert.equal(view.icon.id, 'loading~spin');
    assert.equal(view.contextValue, 'run running stoppable');
  });
});

describe('grouping by spec', () => {
  it('groups runs by spec name, newest group first, newest run first, with the best test accuracy', () => {
    const groups = groupRuns(
      [
        record('old', { createdAt: '2026-11-26T09:00:00.000Z', testMetrics: { acc: 0.9702 } }),
        record('cnn', { name: 'mnist-cnn', specPath: '/ws/mnist/mnist-cnn.train.json', createdAt: '2026-11-27T12:00:00.000Z' }),
        record('new', { createdAt: '2026-11-27T11:00:00.000Z', testMetrics: { acc: 0.9781 } }),
      ],
      [],
      now,
    );
    assert.deepEqual(
      groups.map((g) => g.name),
      ['mnist-cnn', 'mnist-mlp'],
    );
    assert.deepEqual(
      groups[1].runs.map((r) => r.runId),
      ['new', 'old'],
    );
    assert.equal(groups[1].description, 'best test acc 0.9781 · 2 runs', 'the best result first: it is what fits at the default width');
    assert.equal(groups[1].specPath, '/ws/mnist/mnist.train.json');
  });

  it('puts a queued job without a run folder at the top of its spec group', () => {
    const groups = groupRuns([record('a')], [queuedRun('mnist-mlp', '/ws/mnist/mnist.train.json', 1)], now);
    assert.equal(groups.length, 1);
    assert.equal(groups[0].runs[0].status, 'queued');
    assert.equal(groups[0].runs[0].label, 'Queued');
    assert.equal(groups[0].runs[0].description, 'waiting (#1)');
    assert.equal(groups[0].runs[0].contextValue, 'run queued stoppable');
    assert.equal(groups[0].runs[1].runId, 'a');
  });

  it('shows a job whose trainer is loading data as a group of its own until run.json exists', () => {
    const groups = groupRuns([], [queuedRun('new-spec', '/ws/new.train.json')], now);
    assert.equal(groups[0].name, 'new-spec');
    assert.equal(groups[0].runs[0].description, 'loading data…');
    assert.equal(groups[0].description, '1 training · 1 run');
  });
});

describe('local models', () => {
  it('describe a saved model by its result first, then its run’s start time', () => {
    assert.equal(modelDescription(record('m', { createdAt: new Date('2026-11-27T10:45:12').toISOString() }), now), 'test acc 0.9771 · Today 10:45:12');
    assert.equal(modelDescription(record('n', { testMetrics: undefined, finalMetrics: {}, createdAt: new Date('2026-11-27T10:45:12').toISOString() }), now), 'Today 10:45:12');
  });
});

describe('formatting', () => {
  it('names runs by their start time, with the date when not today', () => {
    const today = new Date(now);
    today.setHours(10, 45, 12);
    assert.equal(formatRunTime(today.toISOString(), now), 'Today 10:45:12');
    const earlier = new Date(now);
    earlier.setDate(3);
    earlier.setHours(9, 5);
    assert.equal(formatRunTime(earlier.toISOString(), now), 'Nov 3 09:05');
    assert.equal(formatRunTime('not a date', now), 'not a date');
  });

  it('picks test accuracy, then validation accuracy, then accuracy, then loss', () => {
    assert.equal(headlineMetric({ testMetrics: { accuracy: 0.5 } }), 'test acc 0.5000');
    assert.equal(headlineMetric({ finalMetrics: { val_acc: 0.9, acc: 0.95 } }), 'val acc 0.9000');
    assert.equal(headlineMetric({ finalMetrics: { acc: 0.95, loss: 1 } }), 'acc 0.9500');
    assert.equal(headlineMetric({ finalMetrics: { loss: 0.1234 } }), 'loss 0.123');
    assert.equal(headlineMetric({}), undefined);
  });
});
