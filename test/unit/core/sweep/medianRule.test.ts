// The median rule: a trial worse than the median of completed trials at the
// same epoch stops, once it has trained the epochs asked for and enough
// trials completed; never at its last epoch.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { median, medianStopReason, type MedianCheck } from '../../../../src/core/sweep/medianRule';
import type { TrialRecord } from '../../../../src/shared/sweep';

function completed(trialId: string, history: number[]): TrialRecord {
  return { trialId, parameters: {}, status: 'completed', metricHistory: history, value: history.at(-1) };
}

const trials = [completed('1', [0.9, 0.95, 0.96]), completed('2', [0.8, 0.9, 0.93]), completed('3', [0.85, 0.91, 0.94])];
const check = (more: Partial<MedianCheck> = {}): MedianCheck => ({ rule: {}, metric: 'val_acc', goal: 'maximize', trials, ...more });

test('median of odd and even counts', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 2, 3]), 2.5);
});

test('a trial below the median at the same epoch is stopped, with the numbers in the reason', () => {
  const reason = medianStopReason(check(), 0, 5, 0.1);
  assert.equal(reason, 'Pruned by the median rule: val_acc 0.1 after epoch 1 is below the median 0.85 of 3 completed trials.');
  // At epoch 2 the median is 0.91: 0.9 is below it, 0.92 is not.
  assert.ok(medianStopReason(check(), 1, 5, 0.9));
  assert.equal(medianStopReason(check(), 1, 5, 0.92), undefined);
  assert.equal(medianStopReason(check(), 1, 5, 0.91), undefined, 'equal to the median goes on');
});

test('minimize: above the median stops', () => {
  const losses = [completed('1', [0.3, 0.2]), completed('2', [0.5, 0.4])];
  assert.match(medianStopReason({ rule: {}, metric: 'val_loss', goal: 'minimize', trials: losses }, 0, 4, 2.3) ?? '', /val_loss 2\.3 after epoch 1 is above the median 0\.4/);
  assert.equal(medianStopReason({ rule: {}, metric: 'val_loss', goal: 'minimize', trials: losses }, 0, 4, 0.35), undefined);
});

test('not before afterEpochs, not at the last epoch, not before minTrials completed', () => {
  assert.equal(medianStopReason(check({ rule: { afterEpochs: 2 } }), 0, 5, 0.1), undefined);
  assert.ok(medianStopReason(check({ rule: { afterEpochs: 2 } }), 1, 5, 0.1));
  assert.equal(medianStopReason(check(), 4, 5, 0.1), undefined, 'its last epoch: it completes anyway');
  assert.equal(medianStopReason(check({ rule: { minTrials: 4 } }), 0, 5, 0.1), undefined);
  const running: TrialRecord[] = trials.map((t) => ({ ...t, status: 'running' }));
  assert.equal(medianStopReason(check({ trials: running }), 0, 5, 0.1), undefined, 'only completed trials count');
});

test('a completed trial that trained fewer epochs counts with its last value; a diverged value stops', () => {
  const short = [completed('1', [0.9]), completed('2', [0.8])];
  assert.match(medianStopReason(check({ trials: short }), 3, 10, 0.5) ?? '', /median 0\.85 of 2/);
  assert.match(medianStopReason(check(), 0, 5, Number.NaN) ?? '', /val_acc NaN/);
  assert.match(medianStopReason(check(), 0, 5, undefined) ?? '', /no value/);
});
