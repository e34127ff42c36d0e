import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkSplit, parseTrafficSplit, rescale, splitAllTo, splitForNewModel, splitWithout } from '../../../src/shared/traffic';
import { UserError } from '../../../src/shared/errors';

test('rescale keeps proportions in whole percentages that sum exactly to the total', () => {
  assert.deepEqual(rescale({ a: 60, b: 40 }, 90), { a: 54, b: 36 });
  assert.deepEqual(rescale({ a: 1, b: 1, c: 1 }, 100), { a: 34, b: 33, c: 33 });
  const odd = rescale({ a: 33, b: 33, c: 34 }, 7);
  assert.equal(Object.values(odd).reduce((s, v) => s + v, 0), 7);
  assert.deepEqual(rescale({ a: 0, b: 0 }, 100), { a: 50, b: 50 });
});

test('a new model gets its percentage and the deployed models share the rest in proportion', () => {
  assert.deepEqual(splitForNewModel({ a: 100 }, ['a'], 10), { a: 90, '0': 10 });
  assert.deepEqual(splitForNewModel({ a: 60, b: 40 }, ['a', 'b'], 10), { a: 54, b: 36, '0': 10 });
  assert.deepEqual(splitForNewModel({ a: 100 }, ['a'], 100), { a: 0, '0': 100 });
  assert.deepEqual(splitForNewModel({}, [], 100), { '0': 100 });
});

test('the first model on an endpoint must take all the traffic', () => {
  assert.throws(() => splitForNewModel({}, [], 10), (e: Error) => e instanceof UserError && /first one must get 100%/.test(e.message));
  assert.throws(() => splitForNewModel({ a: 100 }, ['a'], 101), /whole number from 0 to 100/);
  assert.throws(() => splitForNewModel({ a: 100 }, ['a'], 2.5), /whole number/);
});

test("removing a model hands its share to the others in proportion; the last leaves an empty split", () => {
  assert.deepEqual(splitWithout({ a: 90, b: 10 }, ['a', 'b'], 'b'), { a: 100 });
  assert.deepEqual(splitWithout({ a: 50, b: 30, c: 20 }, ['a', 'b', 'c'], 'a'), { b: 60, c: 40 });
  assert.deepEqual(splitWithout({ a: 100, b: 0, c: 0 }, ['a', 'b', 'c'], 'a'), { b: 50, c: 50 });
  assert.deepEqual(splitWithout({ a: 100 }, ['a'], 'a'), {});
  assert.deepEqual(splitAllTo(['a', 'b'], 'b'), { a: 0, b: 100 });
});

test("gcloud's ID=N,ID=N split parses, and bad entries say what is wrong", () => {
  assert.deepEqual(parseTrafficSplit('0=10, 123=90'), { '0': 10, '123': 90 });
  assert.throws(() => parseTrafficSplit('123:90'), /"123:90" is not ID=PERCENT/);
  assert.throws(() => parseTrafficSplit('1=50,1=50'), /names 1 twice/);
  assert.throws(() => parseTrafficSplit(' , '), /is empty/);
});

test('a split must name deployed models and sum to 100', () => {
  checkSplit({ a: 70, b: 30 }, ['a', 'b']);
  assert.throws(() => checkSplit({ a: 70, b: 20 }, ['a', 'b']), /sum to 100, got 90/);
  assert.throws(() => checkSplit({ a: 70, x: 30 }, ['a', 'b']), /names x, which is not deployed on the endpoint; deployed: a, b/);
});
