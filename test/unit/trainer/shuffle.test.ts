import { test } from 'node:test';
import assert from 'node:assert/strict';
import { epochPermutation } from '../../../src/trainer/shuffle';

test('an epoch permutation holds every index exactly once', () => {
  const p = epochPermutation(1000, 42, 0);
  assert.deepEqual([...p].sort((a, b) => a - b), Array.from({ length: 1000 }, (_, i) => i));
});

test('the same seed and epoch give the same order (runs repeat, resume continues)', () => {
  assert.deepEqual(epochPermutation(500, 7, 3), epochPermutation(500, 7, 3));
});

test('different epochs and seeds give different orders', () => {
  assert.notDeepEqual(epochPermutation(500, 7, 3), epochPermutation(500, 7, 4));
  assert.notDeepEqual(epochPermutation(500, 7, 3), epochPermutation(500, 8, 3));
});
