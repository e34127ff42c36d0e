import { test } from 'node:test';
import assert from 'node:assert/strict';
import { editDistance, nearestName } from '../../../../src/core/spec/suggest';

test('edit distance counts insertions, deletions and substitutions', () => {
  assert.equal(editDistance('dence', 'dense'), 1);
  assert.equal(editDistance('', 'abc'), 3);
  assert.equal(editDistance('kitten', 'sitting'), 3);
});

test('nearest names ignore case and Keras underscores', () => {
  const names = ['dense', 'conv2d', 'maxPooling2d', 'averagePooling2d', 'batchNormalization'];
  assert.equal(nearestName('Dense', names), 'dense');
  assert.equal(nearestName('max_pooling2d', names), 'maxPooling2d');
  assert.equal(nearestName('BatchNorm', names), 'batchNormalization');
  assert.equal(nearestName('Conv2D', names), 'conv2d');
  assert.equal(nearestName('lstm', names), undefined);
});
