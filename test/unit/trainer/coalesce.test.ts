import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventCoalescer } from '../../../src/trainer/coalesce';
import type { BatchEndEvent, TrainerEvent } from '../../../src/shared/events';

function batch(step: number): BatchEndEvent {
  return { type: 'batchEnd', runId: 'r', time: 0, epoch: 0, batch: step, batchesPerEpoch: 1000, step, loss: 1, metrics: {}, samplesPerSecond: 1 };
}

test('batch events inside one window collapse to the latest one', () => {
  let now = 1000;
  const sent: TrainerEvent[] = [];
  const c = new EventCoalescer((e) => sent.push(e), 50, () => now);
  for (let i = 0; i < 100; i++) c.push(batch(i)); // all at the same instant
  assert.equal(sent.length, 1, 'the first batch goes out at once');
  now += 60;
  c.push(batch(100));
  assert.deepEqual(sent.map((e) => (e as BatchEndEvent).step), [0, 100]);
  c.flush();
});

test('a 10,000-batch burst over one second sends about 20 batch messages', () => {
  let now = 0;
  const sent: TrainerEvent[] = [];
  const c = new EventCoalescer((e) => sent.push(e), 50, () => now);
  for (let i = 0; i < 10_000; i++) {
    now = i / 10; // 0.1 ms per batch
    c.push(batch(i));
  }
  c.flush();
  assert.ok(sent.length >= 19 && sent.length <= 22, `sent ${sent.length}`);
  assert.equal((sent.at(-1) as BatchEndEvent).step, 9_999, 'the last batch is never lost');
});

test('other events flush the pending batch first, keeping order', () => {
  const now = 0;
  const sent: TrainerEvent[] = [];
  const c = new EventCoalescer((e) => sent.push(e), 50, () => now);
  c.push(batch(1));
  c.push(batch(2)); // pending
  c.push({ type: 'epochEnd', runId: 'r', time: 0, epoch: 0, epochs: 1, metrics: {}, durationMs: 1, samplesPerSecond: 1 });
  assert.deepEqual(sent.map((e) => e.type === 'batchEnd' ? `b${e.step}` : e.type), ['b1', 'b2', 'epochEnd']);
});

test('a pending batch is sent by the timer when no more events come', async () => {
  const sent: TrainerEvent[] = [];
  const c = new EventCoalescer((e) => sent.push(e), 20);
  c.push(batch(1));
  c.push(batch(2));
  assert.equal(sent.length, 1);
  await new Promise((r) => setTimeout(r, 40));
  assert.equal(sent.length, 2);
});
