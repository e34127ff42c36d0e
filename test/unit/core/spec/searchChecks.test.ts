// The search section's validation: every problem is one line that names the
// parameter (and the place in the file), says what is wrong and what to write.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSpec } from '../../../../src/core/spec';
import type { ParameterSpec, SearchSpec } from '../../../../src/shared/sweep';
import { baseSpec, set, specErrorOf, type Edit } from './helpers';

/** The base spec (validation split on) with a search over `parameters`. */
function search(parameters: Record<string, unknown>, more: Partial<Omit<SearchSpec, 'parameters'>> = {}): Edit[] {
  return [set('fit.validationSplit', 0.1), set('search', { metric: { name: 'val_acc', goal: 'maximize' }, parameters, ...more })];
}

const lr = (p: Partial<ParameterSpec> = {}): ParameterSpec => ({ type: 'double', min: 0.0001, max: 0.01, scale: 'log', ...p }) as ParameterSpec;

test('the design example validates: learning rate on a string optimizer, units, dropout rate, batch size', () => {
  const spec = baseSpec() as unknown as Record<string, unknown>;
  for (const edit of search({
    'compile.optimizer.learningRate': lr(),
    'model.layers[1].units': { type: 'integer', min: 32, max: 256 },
    'model.layers[2].rate': { type: 'double', min: 0, max: 0.5 },
    'fit.batchSize': { type: 'discrete', values: [32, 64, 128] },
    'model.layers[1].activation': { type: 'categorical', values: ['relu', 'elu'] },
  }, { algorithm: 'random', maxTrials: 12, parallelTrials: 2 })) edit(spec);
  const parsed = parseSpec(JSON.stringify(spec, null, 2), 'ok.train.json');
  assert.equal(Object.keys(parsed.search?.parameters ?? {}).length, 5);
});

test('a path that is not a path, or points into the search itself', () => {
  specErrorOf(search({ 'model.layers[1': lr() }), 'search.parameters["model.layers[1"]', 'is not a path into the spec', 'model.layers[1].units', /line \d+, column \d+/);
  specErrorOf(search({ 'search.maxTrials': { type: 'integer', min: 1, max: 3 } }), 'search.parameters["search.maxTrials"]', 'points into the search itself');
});

test('a path the spec does not have: an index past the end, a misspelled field, an absent section', () => {
  specErrorOf(search({ 'model.layers[9].units': { type: 'integer', min: 8, max: 16 } }), 'search.parameters["model.layers[9].units"]', 'the spec has no model.layers[9]; model.layers has 4 items, [0] to [3]');
  specErrorOf(
    search({ 'model.layers[1].unit': { type: 'integer', min: 8, max: 16 } }),
    'search.parameters["model.layers[1].unit"]',
    "model.layers[1] (a dense layer) has no field 'unit'; did you mean \"model.layers[1].units\"?",
  );
  specErrorOf(search({ 'compile.optimizer.learningRat': lr() }), "compile.optimizer has no field 'learningRat'; did you mean \"compile.optimizer.learningRate\"?");
  specErrorOf(search({ 'earlyStopping.patience': { type: 'integer', min: 1, max: 3 } }), 'the spec has no earlyStopping; add it to the spec, then search the values in it');
  specErrorOf(search({ 'model.layers[1].activation.x': lr() }), 'model.layers[1].activation is "relu", which has no fields to set');
});

test('the kind of value must fit the field', () => {
  specErrorOf(search({ 'model.layers[1].units': { type: 'double', min: 32, max: 64 } }), 'search.parameters["model.layers[1].units"]', 'is a double, but model.layers[1].units takes whole numbers; use "type": "integer"');
  specErrorOf(search({ 'model.layers[1].units': { type: 'categorical', values: ['64'] } }), 'is categorical (names), but model.layers[1].units takes numbers; use "type": "discrete"');
  specErrorOf(search({ 'model.layers[1].activation': { type: 'discrete', values: [1, 2] } }), 'is discrete (numbers), but model.layers[1].activation takes a name (linear, relu,', 'use "type": "categorical"');
  specErrorOf(search({ 'fit.shuffle': { type: 'categorical', values: ['true'] } }), 'fit.shuffle takes true or false, which a search cannot vary');
  specErrorOf(search({ 'model.layers[1]': { type: 'integer', min: 1, max: 2 } }), 'model.layers[1] is an object; a parameter sets one number or name in the spec');
});

test('ranges: min below max, whole integer bounds, a positive min on log scales', () => {
  specErrorOf(search({ 'compile.optimizer.learningRate': lr({ min: 0.01, max: 0.001 }) }), 'search.parameters["compile.optimizer.learningRate"].min 0.01', 'is not below max 0.001; make min smaller than max');
  specErrorOf(search({ 'model.layers[1].units': { type: 'integer', min: 31.5, max: 64 } }), '.min 31.5', 'is not a whole number; an integer parameter needs whole bounds such as 31 or 32');
  specErrorOf(search({ 'model.layers[2].rate': { type: 'double', min: 0, max: 0.5, scale: 'log' } }), '.min 0', 'a log scale needs min > 0; raise min or use "scale": "linear"');
  specErrorOf(search({ 'model.layers[2].rate': { type: 'double', min: 0, max: 0.5, scale: 'reverseLog' } }), 'a reverseLog scale needs min > 0');
});

test('every value of the range must be one the field accepts (the schema bounds)', () => {
  specErrorOf(
    search({ 'compile.optimizer.learningRate': { type: 'double', min: 0, max: 0.01 } }),
    'search.parameters["compile.optimizer.learningRate"].min 0',
    'is not allowed for compile.optimizer.learningRate; allowed: learningRate > 0',
  );
  specErrorOf(search({ 'model.layers[2].rate': { type: 'double', min: 0, max: 1 } }), '.max 1', 'is not allowed for model.layers[2].rate; allowed: 0 <= rate < 1');
  specErrorOf(search({ 'fit.batchSize': { type: 'discrete', values: [0, 32] } }), 'search.parameters["fit.batchSize"].values[0] 0', 'allowed: batchSize >= 1');
  specErrorOf(search({ 'fit.batchSize': { type: 'discrete', values: [16, 32.5] } }), '.values[1] 32.5', 'is not allowed for fit.batchSize');
  specErrorOf(search({ 'model.layers[1].activation': { type: 'categorical', values: ['relu', 'rellu'] } }), ".values[1] 'rellu'", "is not allowed for model.layers[1].activation; did you mean 'relu'?");
  specErrorOf(search({ 'compile.optimizer': { type: 'categorical', values: ['adam', 'sgdd'] } }), "did you mean 'sgd'?");
});

test('discrete values in increasing order, as Vertex AI requires', () => {
  specErrorOf(search({ 'fit.batchSize': { type: 'discrete', values: [64, 32, 128] } }), 'search.parameters["fit.batchSize"].values', 'must list the numbers in increasing order (Vertex AI requires it): [32,64,128]');
});

test('grid search refuses a double: nothing to enumerate', () => {
  specErrorOf(
    search({ 'compile.optimizer.learningRate': lr() }, { algorithm: 'grid' }),
    'search.parameters["compile.optimizer.learningRate"]',
    'is a double, which grid search cannot enumerate; list the values to try with "type": "discrete"',
    'or use "algorithm": "random"',
  );
});

test('overlapping parameters', () => {
  specErrorOf(
    search({ 'compile.optimizer': { type: 'categorical', values: ['adam', 'sgd'] }, 'compile.optimizer.learningRate': lr() }),
    'search.parameters["compile.optimizer.learningRate"]',
    'is inside search.parameters["compile.optimizer"]; search one or the other',
  );
});

test('the metric must be one the spec reports, with validation data for val_ names', () => {
  specErrorOf(search({ 'fit.batchSize': { type: 'discrete', values: [32] } }, { metric: { name: 'val_accuracy', goal: 'maximize' } }), "Unknown search.metric.name 'val_accuracy'", "did you mean 'val_acc'? (TF.js reports accuracy as 'acc')");
  specErrorOf(
    [set('search', { metric: { name: 'val_acc', goal: 'maximize' }, parameters: { 'fit.batchSize': { type: 'discrete', values: [32] } } })],
    "search.metric.name 'val_acc'",
    'needs validation data; set fit.validationSplit',
    "or search on 'acc'",
  );
});

test('the median rule must have epochs to act on', () => {
  specErrorOf(search({ 'fit.batchSize': { type: 'discrete', values: [32] } }, { medianStopping: { afterEpochs: 5 } }), 'search.medianStopping.afterEpochs 5', 'is not below fit.epochs 5, so no trial could be stopped early');
});

test('the schema catches the shape: unknown fields, parameter types, missing parts', () => {
  specErrorOf(search({ 'fit.batchSize': { type: 'discrete', values: [32] } }, { maxTrial: 3 } as Partial<SearchSpec>), "Unknown field 'maxTrial' at search.maxTrial", "did you mean 'maxTrials'?");
  specErrorOf(search({ 'fit.batchSize': { type: 'float', min: 1, max: 3 } }), "Unknown parameter type 'float'", 'search.parameters["fit.batchSize"].type');
  specErrorOf(search({ 'fit.batchSize': { type: 'integer', min: 1 } }), 'is missing "max"');
  specErrorOf(search({}), 'search.parameters');
  specErrorOf(search({ 'fit.batchSize': { type: 'discrete', values: [32] } }, { metric: { name: 'val_acc', goal: 'maximise' } } as unknown as Partial<SearchSpec>), "'maximise'", "did you mean 'maximize'?");
});
