// What the sweep UI says: the status bar's line, the tree's sweep and trial
// rows (words, icons, the flags menus match), and which specs get the lens.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SweepRecord, TrialRecord } from '../../../../src/shared/sweep';
import { hasSearchSection, sweepRowView, sweepStatusText, trialRowView } from '../../../../src/extension/sweeps/sweepViews';

function trial(trialId: string, changes: Partial<TrialRecord>): TrialRecord {
  return { trialId, parameters: { 'compile.optimizer.learningRate': 0.00123456, 'model.layers[1].units': 64 }, status: 'pending', ...changes };
}

function sweep(changes: Partial<SweepRecord> = {}): SweepRecord {
  const trials: TrialRecord[] = [
    trial('1', { status: 'completed', runId: 'r1', value: 0.97, epochs: 3, epochsCompleted: 3 }),
    trial('2', { status: 'completed', runId: 'r2', value: 0.9812, epochs: 3, epochsCompleted: 3 }),
    trial('3', { status: 'pruned', runId: 'r3', value: 0.1, epochs: 3, epochsCompleted: 1, reason: 'Pruned by the median rule: …' }),
    trial('4', { status: 'running', runId: 'r4', epochs: 3, epochsCompleted: 1, metricHistory: [0.955] }),
    trial('5', { status: 'failed', reason: 'The loss became NaN' }),
    ...Array.from({ length: 7 }, (_, i) => trial(String(6 + i), {})),
  ];
  return {
    id: 'mnist-mlp-sweep-20261202-104512-3fa2',
    name: 'mnist-mlp',
    specPath: '/w/mnist.train.json',
    search: { metric: { name: 'val_acc', goal: 'maximize' }, parameters: {}, maxTrials: 12, parallelTrials: 2 },
    status: 'running',
    createdAt: '2026-12-02T10:45:12Z',
    updatedAt: '2026-12-02T10:50:12Z',
    trials,
    best: { trialId: '2', runId: 'r2', value: 0.9812 },
    seed: 7,
    ...changes,
  };
}

test('the status bar says the sweep, trials done of all, and the best so far', () => {
  assert.equal(sweepStatusText(sweep()), '$(loading~spin) sweep mnist-mlp · 4/12 trials · best val_acc 0.981');
  assert.equal(sweepStatusText(sweep({ best: undefined })), '$(loading~spin) sweep mnist-mlp · 4/12 trials');
  assert.equal(sweepStatusText(sweep({ status: 'stopped' })), '$(debug-stop) sweep mnist-mlp · 4/12 trials · best val_acc 0.981 · stopped');
  assert.equal(sweepStatusText(sweep({ status: 'completed' })), '$(check) sweep mnist-mlp · 4/12 trials · best val_acc 0.981 · completed');
});

test("a sweep's row: progress and best, and the flags its menus need (never the runs' 'stoppable'/'resumable')", () => {
  const running = sweepRowView(sweep(), true);
  assert.equal(running.label, 'mnist-mlp');
  assert.equal(running.description, 'running · 4/12 trials · 1 training · best val_acc 0.981');
  assert.equal(running.contextValue, 'sweep running sweepRunning hasBest');
  assert.deepEqual(running.icon, { id: 'loading~spin' });
  assert.match(running.tooltip, /Maximize val_acc · random \(seed 7\) · 2 at a time/);
  assert.match(running.tooltip, /Best: trial 2, val_acc 0\.981 \(learningRate 0\.00123 · units 64\)/);
  // Running in another window (or the CLI): no Stop here.
  assert.equal(sweepRowView(sweep(), false).contextValue, 'sweep running hasBest');
  assert.equal(sweepRowView(sweep({ status: 'crashed' }), false).contextValue, 'sweep crashed sweepResumable hasBest');
  assert.doesNotMatch(sweepRowView(sweep({ status: 'stopped' }), true).contextValue, /\b(stoppable|resumable|model)\b/);
});

test("trials' rows: the best starred, a running one's epoch and metric, why one was pruned, its run to open", () => {
  const record = sweep();
  const rows = record.trials.map((t) => trialRowView(record, t));
  assert.equal(rows[0].label, 'Trial 1');
  assert.equal(rows[0].description, 'val_acc 0.970 · learningRate 0.00123 · units 64');
  assert.equal(rows[1].description, 'best · val_acc 0.981 · learningRate 0.00123 · units 64');
  assert.deepEqual(rows[1].icon, { id: 'star-full', color: 'charts.yellow' });
  assert.equal(rows[2].description, 'pruned after epoch 1 · val_acc 0.100 · learningRate 0.00123 · units 64');
  assert.match(rows[2].tooltip, /Pruned by the median rule/);
  assert.equal(rows[3].description, 'running · epoch 2/3 · val_acc 0.955 · learningRate 0.00123 · units 64');
  assert.equal(rows[4].description, 'failed · learningRate 0.00123 · units 64');
  assert.equal(rows[5].description, 'pending · learningRate 0.00123 · units 64');
  assert.equal(rows[0].runId, 'r1');
  // A trial with a saved model takes the run menus' Push Model and Evaluate; one with a run opens its dashboard.
  assert.equal(rows[0].contextValue, 'trial completed hasRun model');
  assert.equal(rows[3].contextValue, 'trial running hasRun');
  assert.equal(rows[5].contextValue, 'trial pending');
});

test('the Run Sweep lens is for specs with a search object, even one still being written', () => {
  assert.equal(hasSearchSection('{ "name": "x", "search": { "metric": {} } }'), true);
  assert.equal(hasSearchSection('{ "name": "x", "search": { "metric": '), true);
  assert.equal(hasSearchSection('{ "name": "x", "fit": { "search": {} } }'), false);
  assert.equal(hasSearchSection('{ "name": "x", "search": 3 }'), false);
  assert.equal(hasSearchSection(''), false);
});
