// Train With…'s answers: what each box accepts and the spec values it shows.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chosenNumber, trainingValuesOf, validateBatchSize, validateEpochs, validateLearningRate } from '../../../src/extension/commands/trainChoices';

describe('Train With… choices', () => {
  it('reads epochs, batch size, learning rate and optimizer from the spec, in either optimizer form', () => {
    assert.deepEqual(trainingValuesOf({ fit: { epochs: 5, batchSize: 32 }, compile: { optimizer: 'adam' } }), {
      epochs: 5,
      batchSize: 32,
      learningRate: undefined,
      optimizer: 'adam',
    });
    assert.deepEqual(trainingValuesOf({ fit: {}, compile: { optimizer: { type: 'sgd', learningRate: 0.01 } } }), {
      epochs: undefined,
      batchSize: undefined,
      learningRate: 0.01,
      optimizer: 'sgd',
    });
    assert.deepEqual(trainingValuesOf(undefined), { epochs: undefined, batchSize: undefined, learningRate: undefined, optimizer: undefined });
  });

  it('accepts empty (the spec’s value) or a valid number, and says what is wanted otherwise', () => {
    for (const validate of [validateEpochs, validateBatchSize, validateLearningRate]) assert.equal(validate(''), undefined);
    assert.equal(validateEpochs('40'), undefined);
    assert.match(validateEpochs('0') ?? '', /whole number/);
    assert.equal(validateBatchSize('64'), undefined);
    assert.match(validateBatchSize('6.4') ?? '', /whole number/);
    assert.equal(validateLearningRate('0.0005'), undefined);
    assert.equal(validateLearningRate('1e-3'), undefined);
    assert.match(validateLearningRate('0') ?? '', /above 0/);
    assert.match(validateLearningRate('fast') ?? '', /above 0/);
  });

  it('turns an empty answer into "the spec’s own value"', () => {
    assert.equal(chosenNumber(' '), undefined);
    assert.equal(chosenNumber('0.001'), 0.001);
  });
});
