// A trial's spec: the values at their paths, a string optimizer turned into
// its object form, no search section, the base spec untouched; and the paths
// themselves.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyTrialParameters, checkedTrialSpec, describeParameters } from '../../../../src/core/sweep/applyTrial';
import { parseSpecPath, setAtPath, valueAtPath } from '../../../../src/core/spec/specPaths';
import type { TrainingSpec } from '../../../../src/shared/spec';
import { isUserError } from '../../../../src/shared/errors';
import { baseSpec } from '../spec/helpers';

function searched(): TrainingSpec {
  return { ...baseSpec(), search: { metric: { name: 'acc', goal: 'maximize' }, parameters: { 'model.layers[1].units': { type: 'integer', min: 8, max: 64 } } } };
}

test('paths parse the way validation errors print them', () => {
  assert.deepEqual(parseSpecPath('model.layers[1].units'), ['model', 'layers', 1, 'units']);
  assert.deepEqual(parseSpecPath('compile.optimizer.learningRate'), ['compile', 'optimizer', 'learningRate']);
  assert.deepEqual(parseSpecPath('fit'), ['fit']);
  for (const bad of ['', '.fit', 'fit.', 'a..b', 'a[x]', '[0]', 'a b', 'a[1]b', 'model.layers[1']) assert.equal(parseSpecPath(bad), undefined, bad);
  const spec = baseSpec();
  assert.equal(valueAtPath(spec, ['model', 'layers', 1, 'units']), 128);
  assert.equal(valueAtPath(spec, ['model', 'layers', 9, 'units']), undefined);
});

test('a trial sets its values at their paths; the base spec is left as it was', () => {
  const base = searched();
  const trial = applyTrialParameters(base, { 'model.layers[1].units': 64, 'model.layers[2].rate': 0.35, 'fit.batchSize': 128, 'model.layers[1].activation': 'elu' });
  const dense = trial.model as unknown as { layers: Record<string, unknown>[] };
  assert.equal(dense.layers[1].units, 64);
  assert.equal(dense.layers[1].activation, 'elu');
  assert.equal(dense.layers[2].rate, 0.35);
  assert.equal(trial.fit.batchSize, 128);
  assert.equal(trial.search, undefined, 'a trial trains as an ordinary run');
  assert.deepEqual(base, searched(), 'the base spec is unchanged');
});

test('a learning rate on a string optimizer turns it into the object form', () => {
  const trial = applyTrialParameters(baseSpec(), { 'compile.optimizer.learningRate': 0.003 });
  assert.deepEqual(trial.compile.optimizer, { type: 'adam', learningRate: 0.003 });
  const objectForm = { ...baseSpec(), compile: { ...baseSpec().compile, optimizer: { type: 'sgd' as const, learningRate: 0.1 } } };
  assert.deepEqual(applyTrialParameters(objectForm, { 'compile.optimizer.learningRate': 0.05 }).compile.optimizer, { type: 'sgd', learningRate: 0.05 });
  // The optimizer's type and its rate together.
  assert.deepEqual(applyTrialParameters(baseSpec(), { 'compile.optimizer.type': 'rmsprop', 'compile.optimizer.learningRate': 0.01 }).compile.optimizer, { type: 'rmsprop', learningRate: 0.01 });
  const root: Record<string, unknown> = { a: 'x' };
  setAtPath(root, ['a', 'b'], 1);
  assert.deepEqual(root, { a: { type: 'x', b: 1 } });
});

test("a trial's spec is checked like any spec; the error names the values and no line of a text nobody saw", () => {
  const good = checkedTrialSpec(searched(), { 'model.layers[1].units': 32 }, 'x.train.json (trial 1)');
  assert.equal((good.model as { layers: { units?: number }[] }).layers[1].units, 32);
  let caught: unknown;
  try {
    // Momentum means nothing to adam: a rule across fields that ranges cannot check.
    checkedTrialSpec(searched(), { 'compile.optimizer.momentum': 0.9 }, 'x.train.json (trial 3)');
  } catch (error) {
    caught = error;
  }
  assert.ok(isUserError(caught));
  assert.match(caught.message, /^x\.train\.json \(trial 3\): compile\.optimizer\.momentum has no effect on 'adam'.* \(values compile\.optimizer\.momentum=0\.9\)$/);
  assert.doesNotMatch(caught.message, /line \d+/);
});

test('values read short in progress lines', () => {
  assert.equal(describeParameters({ 'compile.optimizer.learningRate': 0.00123456, 'model.layers[1].units': 64, 'model.layers[1].activation': 'relu' }), 'compile.optimizer.learningRate=0.001235, model.layers[1].units=64, model.layers[1].activation=relu');
});
