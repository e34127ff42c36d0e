import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ShuffleBuffer } from '../../../src/trainer/shuffleBuffer';
import { seededRandom } from '../../../src/shared/seededRandom';

/** Rows 0..n-1 (x = [i, -i], y = [i]) through a buffer of `capacity`; the order they come out in. */
function shuffled(n: number, capacity: number, seed: number): number[] {
  const buffer = new ShuffleBuffer(capacity, 2, 1, seededRandom(seed));
  const out: number[] = [];
  const take = (x: Float32Array, xAt: number, y: Float32Array, yAt: number): void => {
    assert.equal(x[xAt + 1], -x[xAt], 'a row keeps its values together');
    assert.equal(y[yAt], x[xAt], 'and its label');
    out.push(y[yAt]);
  };
  for (let i = 0; i < n; i++) buffer.push(Float32Array.of(i, -i), 0, Float32Array.of(i), 0, take);
  buffer.drain(take);
  return out;
}

test('a shuffle buffer hands out every row exactly once', () => {
  for (const capacity of [1, 7, 100, 1000, 5000]) {
    assert.deepEqual([...shuffled(1000, capacity, 3)].sort((a, b) => a - b), Array.from({ length: 1000 }, (_, i) => i), `capacity ${capacity}`);
  }
});

test('the same stream and seed give the same order; another seed another', () => {
  assert.deepEqual(shuffled(500, 50, 9), shuffled(500, 50, 9));
  assert.notDeepEqual(shuffled(500, 50, 9), shuffled(500, 50, 10));
});

test('rows pass straight through with no capacity, and mix more the larger the buffer', () => {
  assert.deepEqual(shuffled(100, 0, 1), Array.from({ length: 100 }, (_, i) => i));
  const displacement = (order: number[]): number => order.reduce((sum, row, i) => sum + Math.abs(row - i), 0) / order.length;
  const small = displacement(shuffled(5000, 10, 1));
  const large = displacement(shuffled(5000, 1000, 1));
  assert.ok(small > 1 && large > 10 * small, `mean displacement ${small} with 10 rows, ${large} with 1,000`);
});

test('rows come out only once the buffer is full, then one for each row that goes in', () => {
  const buffer = new ShuffleBuffer(100, 1, 1, seededRandom(4));
  let out = 0;
  for (let i = 0; i < 300; i++) {
    buffer.push(Float32Array.of(i), 0, Float32Array.of(i), 0, () => out++);
    assert.equal(out, Math.max(0, i + 1 - 100));
  }
  buffer.drain(() => out++);
  assert.equal(out, 300);
});
