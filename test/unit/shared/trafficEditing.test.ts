import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canaryOf, defaultTrafficPercent, describeChange, describeSplit, fullSplit, isValidSplit, setShare, splitSum } from '../../../src/shared/trafficEditing';
import { deployed, endpoint } from '../extension/cloud/fixtures';

describe('traffic split editing', () => {
  const ids = ['a', 'b', 'c'];

  it('gives one model its new share and rescales the others so the sum stays 100', () => {
    assert.deepEqual(setShare({ a: 90, b: 10 }, ['a', 'b'], 'b', 50), { a: 50, b: 50 });
    const three = setShare({ a: 60, b: 30, c: 10 }, ids, 'c', 40);
    assert.equal(three.c, 40);
    assert.equal(splitSum(three), 100);
    assert.deepEqual(three, { a: 40, b: 20, c: 40 });
  });

  it('keeps whole percentages for any value, clamped to 0-100', () => {
    for (let v = -5; v <= 105; v += 7) {
      const split = setShare({ a: 33, b: 33, c: 34 }, ids, 'a', v + 0.4);
      assert.equal(splitSum(split), 100, `value ${v}`);
      assert.ok(Object.values(split).every((p) => Number.isInteger(p) && p >= 0 && p <= 100));
    }
  });

  it('shares the rest evenly when the other models had no traffic', () => {
    assert.deepEqual(setShare({ a: 100, b: 0, c: 0 }, ids, 'a', 50), { a: 50, b: 25, c: 25 });
  });

  it('gives the only model all the traffic whatever is asked', () => {
    assert.deepEqual(setShare({ a: 100 }, ['a'], 'a', 30), { a: 100 });
  });

  it('accepts only whole shares for exactly the deployed models summing to 100', () => {
    assert.ok(isValidSplit({ a: 90, b: 10 }, ['a', 'b']));
    assert.ok(!isValidSplit({ a: 90, b: 9 }, ['a', 'b']));
    assert.ok(!isValidSplit({ a: 100 }, ['a', 'b']));
    assert.ok(!isValidSplit({ a: 89.5, b: 10.5 }, ['a', 'b']));
  });

  it('describes a change per model by name and version', () => {
    const e = endpoint('9', [deployed('1', '1', 90), deployed('2', '2', 10)]);
    assert.deepEqual(describeChange(e, fullSplit(e), { 1: 50, 2: 50 }), ['mnist-mlp v1: 90% → 50%', 'mnist-mlp v2: 10% → 50%']);
    assert.equal(describeSplit(e, fullSplit(e)), 'mnist-mlp v1 90% · mnist-mlp v2 10%');
  });

  it('finds the canary: the newest deployed model with less than all the traffic, only when two or more are deployed', () => {
    assert.equal(canaryOf(endpoint('9', [deployed('1', '1', 100)])), undefined);
    assert.equal(canaryOf(endpoint('9', [deployed('1', '1', 90), deployed('2', '2', 10)]))?.id, '2');
    assert.equal(canaryOf(endpoint('9', [deployed('1', '1', 0), deployed('2', '2', 100)])), undefined, 'a promoted canary is no canary');
  });

  it('defaults a new deployment to 100% on an empty endpoint and to a 10% canary otherwise', () => {
    assert.equal(defaultTrafficPercent(0), 100);
    assert.equal(defaultTrafficPercent(1), 10);
  });
});
