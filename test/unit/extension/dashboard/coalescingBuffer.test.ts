import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CoalescingBuffer } from '../../../../src/extension/dashboard/coalescingBuffer';
import { ManualClock } from '../../../helpers/manualClock';

test('a burst of pushes is sent as one batch, not one message each', () => {
  const clock = new ManualClock();
  const sent: number[][] = [];
  const buffer = new CoalescingBuffer<number>((items) => sent.push(items), 50, clock);
  for (let i = 0; i < 1000; i++) buffer.push(i);
  assert.equal(sent.length, 0, 'nothing is sent synchronously');
  clock.advance(0);
  assert.equal(sent.length, 1);
  assert.equal(sent[0].length, 1000);
});

test('at most one batch per interval (20 a second) whatever the push rate, in order, nothing lost', () => {
  const clock = new ManualClock();
  const sent: { at: number; items: number[] }[] = [];
  const buffer = new CoalescingBuffer<number>((items) => sent.push({ at: clock.now(), items }), 50, clock);
  // 2 pushes per millisecond for 2 seconds.
  let next = 0;
  for (let ms = 0; ms < 2000; ms++) {
    buffer.push(next++);
    buffer.push(next++);
    clock.advance(1);
  }
  clock.advance(100);
  for (let i = 1; i < sent.length; i++) assert.ok(sent[i].at - sent[i - 1].at >= 50, `batches ${i - 1} and ${i} are ${sent[i].at - sent[i - 1].at} ms apart`);
  assert.ok(sent.length <= 2000 / 50 + 2, `${sent.length} batches in 2 s`);
  assert.deepEqual(sent.flatMap((b) => b.items), Array.from({ length: next }, (_, i) => i));
});

test('dispose sends what is held at once, then accepts nothing', () => {
  const clock = new ManualClock();
  const sent: string[][] = [];
  const buffer = new CoalescingBuffer<string>((items) => sent.push(items), 50, clock);
  buffer.push('a');
  clock.advance(0);
  buffer.push('b');
  buffer.push('c');
  buffer.dispose();
  assert.deepEqual(sent, [['a'], ['b', 'c']]);
  buffer.push('d');
  clock.advance(1000);
  assert.deepEqual(sent, [['a'], ['b', 'c']]);
});

test('paused, it holds items in order until resumed', () => {
  const clock = new ManualClock();
  const sent: number[][] = [];
  const buffer = new CoalescingBuffer<number>((items) => sent.push(items), 50, clock);
  buffer.pause();
  buffer.push(1);
  buffer.push(2);
  clock.advance(500);
  assert.deepEqual(sent, []);
  assert.equal(buffer.size, 2);
  buffer.resume();
  buffer.push(3);
  clock.advance(0);
  assert.deepEqual(sent, [[1, 2, 3]]);
});
