import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Batcher } from '../../../src/serving/batcher';

/** A "model" that doubles each of 2 input values and appends their sum: 3 outputs per instance. */
function model(calls: number[]): (input: Float32Array, count: number) => Promise<Float32Array> {
  return (input, count) => {
    calls.push(count);
    const out = new Float32Array(count * 3);
    for (let i = 0; i < count; i++) {
      out.set([input[2 * i] * 2, input[2 * i + 1] * 2, input[2 * i] + input[2 * i + 1]], 3 * i);
    }
    return Promise.resolve(out);
  };
}

void test('requests submitted in the same turn share one model call and get their own rows back', async () => {
  const calls: number[] = [];
  const batcher = new Batcher(model(calls), 2, 3, { maxBatchSize: 64, windowMs: 0 });
  const results = await Promise.all([
    batcher.submit(new Float32Array([1, 2]), 1),
    batcher.submit(new Float32Array([3, 4, 5, 6]), 2),
    batcher.submit(new Float32Array([7, 8]), 1),
  ]);
  assert.deepEqual(calls, [4]);
  assert.deepEqual(results.map((r) => Array.from(r)), [[2, 4, 3], [6, 8, 7, 10, 12, 11], [14, 16, 15]]);
});

void test('batches are capped at maxBatchSize; a larger single request still runs alone', async () => {
  const calls: number[] = [];
  const batcher = new Batcher(model(calls), 2, 3, { maxBatchSize: 4, windowMs: 0 });
  await Promise.all([
    ...Array.from({ length: 6 }, () => batcher.submit(new Float32Array(2), 1)),
    batcher.submit(new Float32Array(20), 10),
  ]);
  assert.deepEqual(calls, [4, 2, 10]);
});

void test('a window gathers requests that arrive a little later into the same call', async () => {
  const calls: number[] = [];
  const batcher = new Batcher(model(calls), 2, 3, { maxBatchSize: 64, windowMs: 20 });
  const first = batcher.submit(new Float32Array(2), 1);
  await new Promise((resolve) => setTimeout(resolve, 5));
  await Promise.all([first, batcher.submit(new Float32Array(2), 1)]);
  assert.deepEqual(calls, [2]);
});

void test('a failing model call rejects every request in its batch, and the next batch runs', async () => {
  let fail = true;
  const batcher = new Batcher(
    (_input, count) => (fail ? Promise.reject(new Error('kernel exploded')) : Promise.resolve(new Float32Array(count * 3))),
    2,
    3,
    { maxBatchSize: 8, windowMs: 0 },
  );
  const results = await Promise.allSettled([batcher.submit(new Float32Array(2), 1), batcher.submit(new Float32Array(2), 1)]);
  assert.deepEqual(results.map((r) => r.status), ['rejected', 'rejected']);
  fail = false;
  assert.equal((await batcher.submit(new Float32Array(2), 1)).length, 3);
});
