// A run's own batch size and learning rate over the spec's (Train With…, --batch-size, --learning-rate).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyRunOverrides } from '../../../../src/core/spec/overrides';
import { baseSpec, userErrorOf } from './helpers';

describe('applyRunOverrides', () => {
  it('puts the batch size in fit and the learning rate on the optimizer, named or configured', () => {
    const spec = baseSpec();
    const applied = applyRunOverrides(spec, { batchSize: 64, learningRate: 0.0005 });
    assert.equal(applied.fit.batchSize, 64);
    assert.deepEqual(applied.compile.optimizer, { type: 'adam', learningRate: 0.0005 });
    const momentum = { ...spec, compile: { ...spec.compile, optimizer: { type: 'momentum' as const, learningRate: 0.1, momentum: 0.8 } } };
    assert.deepEqual(applyRunOverrides(momentum, { learningRate: 0.01 }).compile.optimizer, { type: 'momentum', learningRate: 0.01, momentum: 0.8 });
  });

  it('leaves the spec it was given as it was, and returns it as is without overrides', () => {
    const spec = baseSpec();
    applyRunOverrides(spec, { batchSize: 128, learningRate: 0.01 });
    assert.deepEqual(spec, baseSpec());
    assert.equal(applyRunOverrides(spec, {}), spec);
  });

  it('refuses values the trainer cannot use, naming the flag', () => {
    userErrorOf(() => applyRunOverrides(baseSpec(), { batchSize: 0 }), 'batch size must be a whole number', '--batch-size');
    userErrorOf(() => applyRunOverrides(baseSpec(), { learningRate: -1 }), 'learning rate must be a number above 0', '--learning-rate');
    userErrorOf(() => applyRunOverrides(baseSpec(), { learningRate: Number.NaN }), 'learning rate');
  });
});
