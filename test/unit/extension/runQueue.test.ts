// Admission of training jobs beyond modelStudio.maxConcurrentRuns.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RunQueue } from '../../../src/extension/training/runQueue';

function queue(capacity: number): { q: RunQueue<string>; started: string[] } {
  const started: string[] = [];
  return { q: new RunQueue<string>(capacity, (job) => started.push(job)), started };
}

describe('RunQueue', () => {
  it('runs one job at a time by default and starts the next when one finishes', () => {
    const { q, started } = queue(1);
    assert.equal(q.enqueue('a'), true);
    assert.equal(q.enqueue('b'), false);
    assert.equal(q.enqueue('c'), false);
    assert.deepEqual(started, ['a']);
    assert.equal(q.position('b'), 1);
    assert.equal(q.position('c'), 2);
    q.finish('a');
    assert.deepEqual(started, ['a', 'b']);
    assert.deepEqual(q.running, ['b']);
    assert.deepEqual(q.queued, ['c']);
  });

  it('cancels a waiting job without starting it, and ignores finishing a job twice', () => {
    const { q, started } = queue(1);
    q.enqueue('a');
    q.enqueue('b');
    q.enqueue('c');
    assert.equal(q.cancel('b'), true);
    assert.equal(q.cancel('a'), false, 'a running job is stopped, not cancelled');
    q.finish('a');
    q.finish('a');
    assert.deepEqual(started, ['a', 'c']);
  });

  it('starts waiting jobs at once when the limit grows, and never stops running ones when it shrinks', () => {
    const { q, started } = queue(1);
    for (const job of ['a', 'b', 'c', 'd']) q.enqueue(job);
    q.setCapacity(3);
    assert.deepEqual(started, ['a', 'b', 'c']);
    q.setCapacity(1);
    assert.deepEqual(q.running, ['a', 'b', 'c']);
    q.finish('a');
    q.finish('b');
    assert.deepEqual(started, ['a', 'b', 'c'], 'd waits until fewer than one run');
    q.finish('c');
    assert.deepEqual(started, ['a', 'b', 'c', 'd']);
  });

  it('treats a nonsense limit as one', () => {
    const { q, started } = queue(0);
    q.enqueue('a');
    q.enqueue('b');
    assert.deepEqual(started, ['a']);
    q.setCapacity(Number.NaN);
    assert.deepEqual(started, ['a']);
  });
});
