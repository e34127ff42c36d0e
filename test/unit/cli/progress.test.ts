import { test } from 'node:test';
import assert from 'node:assert/strict';
import { etaSeconds, formatDuration } from '../../../src/shared/progress';
import { progressBar } from '../../../src/cli/progress';
import type { BatchEndEvent } from '../../../src/shared/events';

const event = (epoch: number, batch: number, samplesPerSecond: number): BatchEndEvent => ({
  type: 'batchEnd', runId: 'r', time: 0, epoch, batch, batchesPerEpoch: 100, step: 0, loss: 1, metrics: {}, samplesPerSecond,
});

test('durations read like a clock', () => {
  assert.equal(formatDuration(72), '1:12');
  assert.equal(formatDuration(3723), '1:02:03');
  assert.equal(formatDuration(Number.NaN), '--:--');
});

test('the ETA counts the rest of this epoch and every later epoch', () => {
  // 50 batches left now + 100 in the last epoch = 150 batches of 32 at 320/s = 15 s
  assert.equal(etaSeconds(event(0, 49, 320), 2, 32), 15);
  assert.ok(Number.isNaN(etaSeconds(event(0, 0, 0), 2, 32)));
});

test('the progress bar fills in proportion', () => {
  assert.equal(progressBar(0.5, 10), '█████░░░░░');
  assert.equal(progressBar(2, 4), '████');
});
