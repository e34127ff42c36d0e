import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_COMPARED_RUNS } from '../../../../src/shared/protocol/dashboard';
import {
  isExperimentsFromWebview,
  isExperimentsToWebview,
  MAX_CSV_CHARS,
  parseExperimentsViewState,
  type ExperimentRow,
} from '../../../../src/shared/protocol/experiments';
import { isSweepRecord } from '../../../../src/shared/protocol/sweep';
import type { SweepRecord } from '../../../../src/shared/sweep';
import { syntheticExperiments, syntheticSweep } from '../../../../webview/harness/syntheticExperiments';

const rows = syntheticExperiments({ count: 5, sweepId: 'mnist-sweep' });

test('host messages: init, update, marks and replies pass', () => {
  assert.ok(isExperimentsToWebview({ type: 'init', scope: {}, title: 'Experiments', rows, marks: { starred: [rows[0].id] } }));
  assert.ok(isExperimentsToWebview({ type: 'init', scope: { sweepId: 'mnist-sweep' }, title: 'Sweep', sweep: syntheticSweep('mnist-sweep', rows), rows, marks: { starred: [], baseline: rows[1].id }, problem: 'why' }));
  assert.ok(isExperimentsToWebview({ type: 'update', upsert: rows.slice(1), remove: ['gone-run'] }));
  assert.ok(isExperimentsToWebview({ type: 'marks', marks: { starred: [] } }));
  assert.ok(isExperimentsToWebview({ type: 'reply', requestId: 3, error: 'no' }));
});

test('a row with anything out of bounds spoils the message: the page ignores it', () => {
  const bad = (change: Partial<Record<keyof ExperimentRow, unknown>>): unknown => ({ type: 'update', upsert: [{ ...rows[0], ...change }], remove: [] });
  for (const message of [
    bad({ id: '../x' }),
    bad({ status: 'exploded' }),
    bad({ metrics: { val_acc: '0.9' } }),
    bad({ metrics: { val_acc: Infinity } }),
    bad({ params: { 'fit.batchSize': { nested: 1 } } }),
    bad({ params: Object.fromEntries(Array.from({ length: 501 }, (_, i) => [`p${i}`, i])) }),
    bad({ epochs: -1 }),
    bad({ trial: { sweepId: 's' } }),
    { type: 'init', scope: { sweepId: '../../etc' }, title: 't', rows: [], marks: { starred: [] } },
    { type: 'marks', marks: { starred: ['a/b'] } },
    { type: 'eval', code: '1' },
  ]) {
    assert.equal(isExperimentsToWebview(message), false, JSON.stringify(message).slice(0, 120));
  }
});

test('webview requests: each kind with its fields passes', () => {
  for (const ok of [
    { type: 'ready' },
    { type: 'star', requestId: 1, runId: 'a', starred: true },
    { type: 'baseline', requestId: 2, runId: 'a' },
    { type: 'baseline', requestId: 2 },
    { type: 'openRuns', requestId: 3, runIds: ['a', 'b'] },
    { type: 'exportCsv', requestId: 4, csv: 'run\r\na\r\n', fileName: 'sweep-mnist-20261202-1015.csv' },
    { type: 'pushRun', requestId: 5, runId: 'a' },
    { type: 'openAsSpec', requestId: 6, runId: 'a' },
  ]) {
    assert.ok(isExperimentsFromWebview(ok), JSON.stringify(ok));
  }
});

test('webview requests out of bounds are refused: paths out of the folder, too many runs, odd file names', () => {
  const many = Array.from({ length: MAX_COMPARED_RUNS + 1 }, (_, i) => `run-${i}`);
  for (const bad of [
    { type: 'star', requestId: 1, runId: 'a', starred: 'yes' },
    { type: 'star', runId: 'a', starred: true },
    { type: 'openRuns', requestId: 3, runIds: [] },
    { type: 'openRuns', requestId: 3, runIds: many },
    { type: 'openRuns', requestId: 3, runIds: ['../a'] },
    { type: 'pushRun', requestId: 5, runId: 'a/b' },
    { type: 'openAsSpec', requestId: 6, runId: '..' },
    { type: 'exportCsv', requestId: 4, csv: 'x', fileName: '../escape.csv' },
    { type: 'exportCsv', requestId: 4, csv: 'x', fileName: '/etc/passwd.csv' },
    { type: 'exportCsv', requestId: 4, csv: 'x', fileName: 'runs.exe' },
    { type: 'exportCsv', requestId: 4, csv: 'x', fileName: '.hidden.csv' },
    { type: 'exportCsv', requestId: 4, csv: 'x'.repeat(MAX_CSV_CHARS + 1), fileName: 'big.csv' },
    { type: 'openRuns', requestId: -1, runIds: ['a'] },
  ]) {
    assert.equal(isExperimentsFromWebview(bad), false, JSON.stringify(bad).slice(0, 120));
  }
  assert.ok(isExperimentsFromWebview({ type: 'openRuns', requestId: 3, runIds: many.slice(1) }), `${MAX_COMPARED_RUNS} runs fit in one comparison`);
});

test('the saved view state is read back defensively', () => {
  assert.deepEqual(parseExperimentsViewState({ scope: { sweepId: 'mnist-sweep' }, sort: { key: 'metric:val_acc', descending: true }, metric: 'val_acc', scatterX: 'fit.batchSize' }), {
    scope: { sweepId: 'mnist-sweep' },
    sort: { key: 'metric:val_acc', descending: true },
    metric: 'val_acc',
    scatterX: 'fit.batchSize',
  });
  assert.deepEqual(parseExperimentsViewState({ scope: {}, sort: { key: 'x', descending: 'yes' }, metric: 7 }), { scope: {} });
  assert.equal(parseExperimentsViewState({ scope: { sweepId: '../x' } }), undefined);
  assert.equal(parseExperimentsViewState(null), undefined);
});

const sweep: SweepRecord = {
  id: 'mnist-mlp-sweep-20261202-101500',
  name: 'mnist-mlp',
  specPath: '/ws/mnist.train.json',
  search: {
    metric: { name: 'val_acc', goal: 'maximize' },
    algorithm: 'random',
    maxTrials: 4,
    parallelTrials: 2,
    parameters: {
      'compile.optimizer.learningRate': { type: 'double', min: 0.0001, max: 0.01, scale: 'log' },
      'model.layers[1].units': { type: 'integer', min: 32, max: 256 },
      'fit.batchSize': { type: 'discrete', values: [32, 64, 128] },
      'model.layers[1].activation': { type: 'categorical', values: ['relu', 'tanh'] },
    },
  },
  status: 'running',
  createdAt: '2026-12-02T10:15:00.000Z',
  updatedAt: '2026-12-02T10:16:00.000Z',
  trials: [
    { trialId: '1', parameters: { 'compile.optimizer.learningRate': 0.001, 'model.layers[1].units': 64, 'fit.batchSize': 32, 'model.layers[1].activation': 'relu' }, status: 'completed', runId: 'mnist-mlp-20261202-101501-aaaa', value: 0.97 },
    { trialId: '2', parameters: { 'compile.optimizer.learningRate': 0.01, 'model.layers[1].units': 32, 'fit.batchSize': 128, 'model.layers[1].activation': 'tanh' }, status: 'pruned', runId: 'mnist-mlp-20261202-101502-bbbb', reason: 'below the median' },
    { trialId: '3', parameters: {}, status: 'pending' },
  ],
  best: { trialId: '1', runId: 'mnist-mlp-20261202-101501-aaaa', value: 0.97 },
};

test('sweep.json: a well-formed record passes, a diverged value (null) too', () => {
  assert.ok(isSweepRecord(sweep));
  assert.ok(isSweepRecord({ ...sweep, trials: [{ ...sweep.trials[0], value: null }], best: undefined }));
});

test('sweep.json: damaged records are refused', () => {
  for (const bad of [
    { ...sweep, id: '../x' },
    { ...sweep, status: 'paused' },
    { ...sweep, search: { ...sweep.search, metric: { name: 'val_acc', goal: 'best' } } },
    { ...sweep, search: { ...sweep.search, parameters: { x: { type: 'double', min: 0 } } } },
    { ...sweep, search: { ...sweep.search, parameters: { x: { type: 'discrete', values: [] } } } },
    { ...sweep, search: { ...sweep.search, parameters: { x: { type: 'double', min: 0, max: 1, scale: 'ln' } } } },
    { ...sweep, trials: [{ ...sweep.trials[0], status: 'done' }] },
    { ...sweep, trials: [{ ...sweep.trials[0], runId: 'a/b' }] },
    { ...sweep, trials: 'all' },
    { ...sweep, best: { trialId: '1', value: 'high' } },
  ]) {
    assert.equal(isSweepRecord(bad), false, JSON.stringify(bad).slice(0, 160));
  }
});
