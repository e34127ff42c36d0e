// Which values trials try: grid enumerates every combination in order; random
// draws within the bounds, on the scale asked for, the same for the same seed;
// integers are whole and reach both ends.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gridSize, gridTrial, planTrials, randomTrial, sampleParameter, scaled, trialCount } from '../../../../src/core/sweep/sampling';
import { seededRandom } from '../../../../src/shared/seededRandom';
import type { ParameterSpec, SearchSpec } from '../../../../src/shared/sweep';

function searchOf(parameters: Record<string, ParameterSpec>, more: Partial<SearchSpec> = {}): SearchSpec {
  return { metric: { name: 'val_acc', goal: 'maximize' }, parameters, ...more };
}

test('grid enumerates every combination once, the last parameter changing fastest', () => {
  const search = searchOf(
    {
      'model.layers[1].units': { type: 'integer', min: 1, max: 3 },
      'fit.batchSize': { type: 'discrete', values: [32, 64] },
      'model.layers[1].activation': { type: 'categorical', values: ['relu', 'elu'] },
    },
    { algorithm: 'grid' },
  );
  assert.equal(gridSize(search), 12);
  assert.equal(trialCount(search), 12);
  const trials = planTrials(search, 0);
  assert.equal(trials.length, 12);
  assert.deepEqual(trials[0], { 'model.layers[1].units': 1, 'fit.batchSize': 32, 'model.layers[1].activation': 'relu' });
  assert.deepEqual(trials[1], { 'model.layers[1].units': 1, 'fit.batchSize': 32, 'model.layers[1].activation': 'elu' });
  assert.deepEqual(trials[2], { 'model.layers[1].units': 1, 'fit.batchSize': 64, 'model.layers[1].activation': 'relu' });
  assert.deepEqual(trials[11], { 'model.layers[1].units': 3, 'fit.batchSize': 64, 'model.layers[1].activation': 'elu' });
  assert.equal(new Set(trials.map((t) => JSON.stringify(t))).size, 12, 'no combination twice');
  // Keys keep the spec's order, whatever order they were filled in.
  assert.deepEqual(Object.keys(gridTrial(search, 5)), Object.keys(search.parameters));
});

test('grid with maxTrials runs the first combinations, and never more than there are', () => {
  const parameters: Record<string, ParameterSpec> = { 'fit.batchSize': { type: 'discrete', values: [16, 32, 64] } };
  assert.equal(trialCount(searchOf(parameters, { algorithm: 'grid', maxTrials: 2 })), 2);
  assert.equal(trialCount(searchOf(parameters, { algorithm: 'grid', maxTrials: 50 })), 3);
  assert.deepEqual(planTrials(searchOf(parameters, { algorithm: 'grid', maxTrials: 2 }), 0).map((t) => t['fit.batchSize']), [16, 32]);
});

test('random search: 10 trials by default, the same values for the same seed, others for another', () => {
  const search = searchOf({ 'compile.optimizer.learningRate': { type: 'double', min: 0.0001, max: 0.01, scale: 'log' } });
  assert.equal(trialCount(search), 10);
  assert.equal(trialCount({ ...search, algorithm: 'default' }), 10, "'default' is random locally");
  assert.deepEqual(planTrials(search, 42), planTrials(search, 42));
  assert.notDeepEqual(planTrials(search, 42), planTrials(search, 43));
  // Trial 7's values do not depend on how many trials there are.
  assert.deepEqual(planTrials(search, 42, 20)[6], planTrials(search, 42, 7)[6]);
  assert.deepEqual(randomTrial(search, 42, 6), planTrials(search, 42)[6]);
  const values = planTrials(search, 42).map((t) => t['compile.optimizer.learningRate']);
  assert.equal(new Set(values).size, 10, 'ten different learning rates');
});

/** n draws of one parameter from one seeded stream. */
function draws(parameter: ParameterSpec, n = 4000, seed = 1): number[] {
  const random = seededRandom(seed);
  return Array.from({ length: n }, () => sampleParameter(parameter, random) as number);
}

const fractionBelow = (values: number[], limit: number): number => values.filter((v) => v < limit).length / values.length;

test('a linear double is uniform within [min, max]', () => {
  const values = draws({ type: 'double', min: 2, max: 4 });
  assert.ok(values.every((v) => v >= 2 && v <= 4));
  assert.ok(Math.abs(fractionBelow(values, 3) - 0.5) < 0.04, `half below the middle: ${fractionBelow(values, 3)}`);
});

test('a log double spreads evenly over the orders of magnitude', () => {
  const values = draws({ type: 'double', min: 0.0001, max: 0.01, scale: 'log' });
  assert.ok(values.every((v) => v >= 0.0001 && v <= 0.01));
  // As many between 0.0001 and 0.001 as between 0.001 and 0.01 (a linear draw would put 9% below 0.001).
  assert.ok(Math.abs(fractionBelow(values, 0.001) - 0.5) < 0.04, `half below 0.001: ${fractionBelow(values, 0.001)}`);
});

test('a reverseLog double crowds towards max, mirroring the log scale', () => {
  const values = draws({ type: 'double', min: 0.9, max: 0.999, scale: 'reverseLog' });
  assert.ok(values.every((v) => v >= 0.9 && v <= 0.999));
  // The mirror of the log scale's midpoint (its geometric mean) splits the draws in half, with most above the linear middle.
  const mirroredMiddle = 0.9 + 0.999 - Math.sqrt(0.9 * 0.999);
  assert.ok(Math.abs(fractionBelow(values, mirroredMiddle) - 0.5) < 0.04);
  assert.ok(fractionBelow(values, (0.9 + 0.999) / 2) < 0.5);
  assert.ok(Math.abs(scaled(0, 1, 100, 'reverseLog') - 1) < 1e-9);
  assert.ok(Math.abs(scaled(0.999999, 1, 100, 'reverseLog') - 100) < 0.01);
});

test('integers are whole, within the bounds, and min and max come up as often as the others', () => {
  const values = draws({ type: 'integer', min: 3, max: 6 });
  assert.ok(values.every((v) => Number.isInteger(v) && v >= 3 && v <= 6));
  for (const v of [3, 4, 5, 6]) {
    const share = values.filter((x) => x === v).length / values.length;
    assert.ok(Math.abs(share - 0.25) < 0.03, `${v} drawn ${share}`);
  }
  const logValues = draws({ type: 'integer', min: 1, max: 1000, scale: 'log' });
  assert.ok(logValues.every((v) => Number.isInteger(v) && v >= 1 && v <= 1000));
  assert.ok(Math.abs(fractionBelow(logValues, Math.sqrt(1000)) - 0.5) < 0.05, 'a log-scaled integer is spread over the magnitudes');
});

test('discrete and categorical pick among their values, each about equally', () => {
  const picks = draws({ type: 'discrete', values: [32, 64, 128] }, 3000);
  for (const v of [32, 64, 128]) assert.ok(Math.abs(picks.filter((x) => x === v).length / 3000 - 1 / 3) < 0.04);
  const random = seededRandom(5);
  const names = Array.from({ length: 200 }, () => sampleParameter({ type: 'categorical', values: ['relu', 'elu'] }, random));
  assert.deepEqual(new Set(names), new Set(['relu', 'elu']));
});

test('drawn doubles are tidy: six significant digits survive JSON unchanged', () => {
  for (const v of draws({ type: 'double', min: 0.0001, max: 0.01, scale: 'log' }, 200)) {
    assert.equal(Number(v.toPrecision(6)), v);
    assert.equal(JSON.parse(JSON.stringify(v)), v);
  }
});
