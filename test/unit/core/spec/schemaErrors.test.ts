import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSpec } from '../../../../src/core/spec';
import { set, specErrorOf, unset, userErrorOf } from './helpers';

test('an unknown layer type names the path, line and column, and the nearest type', () => {
  const text = [
    '{',
    '  "name": "x",',
    '  "data": { "type": "mnist" },',
    '  "model": {',
    '    "layers": [',
    '      { "type": "flatten" },',
    '      { "type": "dence", "units": 10 }',
    '    ]',
    '  },',
    '  "compile": { "optimizer": "adam", "loss": "sparseCategoricalCrossentropy" },',
    '  "fit": { "epochs": 1 }',
    '}',
  ].join('\n');
  const message = userErrorOf(() => parseSpec(text, 'x.train.json'), 'x.train.json');
  assert.equal(message, "x.train.json: Unknown layer type 'dence' at model.layers[1].type (line 7, column 17); did you mean 'dense'?");
});

test('Keras spellings of layer types, losses and fields map to ours', () => {
  specErrorOf(set('model.layers[1].type', 'Dense'), "did you mean 'dense'?");
  specErrorOf(set('model.layers[1].type', 'max_pooling2d'), "did you mean 'maxPooling2d'?");
  specErrorOf(set('compile.loss', 'sparse_categorical_crossentropy'), "Unknown loss 'sparse_categorical_crossentropy' at compile.loss", "did you mean 'sparseCategoricalCrossentropy'?");
  specErrorOf(set('fit.batch_size', 32), "Unknown field 'batch_size' at fit.batch_size", "did you mean 'batchSize'?");
});

test('an unknown type far from every name lists the valid ones', () => {
  specErrorOf(set('model.layers[1].type', 'transformer'), "Unknown layer type 'transformer'", 'valid layer types: dense, flatten, dropout, conv2d');
});

test('a layer without a type lists the types', () => {
  specErrorOf(unset('model.layers[1].type'), 'model.layers[1]', 'has no "type"', 'dense, flatten');
});

test("a misspelled layer field is matched against that layer type's own fields", () => {
  specErrorOf([unset('model.layers[1].units'), set('model.layers[1].unit', 128)], "Unknown field 'unit' at model.layers[1].unit", "did you mean 'units'?");
  // 'filters' is a conv2d field: for a dense layer it is unknown, and dense's fields are listed.
  specErrorOf(set('model.layers[1].filters', 8), "Unknown field 'filters'", 'a dense layer', 'units, activation');
});

test('a missing required layer field says what to add', () => {
  specErrorOf(unset('model.layers[1].units'), 'model.layers[1] (a dense layer)', 'is missing "units"', 'add "units": a whole number (units >= 1)');
});

test('unknown fields elsewhere: nearest name, or the section they belong to', () => {
  specErrorOf([unset('fit.epochs'), set('fit.epoch', 5)], "Unknown field 'epoch' at fit.epoch", "did you mean 'epochs'?", /line \d+, column \d+/);
  specErrorOf(set('epochs', 5), "Unknown field 'epochs' at epochs", 'belongs in "fit"');
  specErrorOf(set('model.exprt', 'x'), "Unknown field 'exprt' at model.exprt", 'model takes: layers');
});

test('unknown names in enums: optimizer, activation, metric, data type', () => {
  specErrorOf(set('compile.optimizer', 'adamm'), "Unknown optimizer 'adamm' at compile.optimizer", "did you mean 'adam'?");
  specErrorOf(set('compile.optimizer', { type: 'rmsprp' }), "Unknown optimizer 'rmsprp' at compile.optimizer.type", "did you mean 'rmsprop'?");
  specErrorOf(set('model.layers[1].activation', 'rellu'), "Unknown activation 'rellu' at model.layers[1].activation", "did you mean 'relu'?");
  specErrorOf(set('compile.metrics', ['acc']), "Unknown metric 'acc' at compile.metrics[0]", "did you mean 'accuracy'?");
  specErrorOf(set('data.type', 'mnst'), "Unknown data type 'mnst' at data.type", "did you mean 'mnist'?");
});

test('a module model with a misspelled field is matched against the module form', () => {
  specErrorOf(set('model', { module: './m.ts', exprt: 'build' }), "Unknown field 'exprt' at model.exprt", "did you mean 'export'?");
  specErrorOf(set('model', { module: './m.py' }), 'model.module', '"./m.py"', '.ts');
  specErrorOf(set('model', {}), 'model', 'is empty', '"layers"', '"module"');
});

test('missing sections and wrong types', () => {
  specErrorOf(unset('fit'), 'The spec is missing "fit"', 'add "fit": { "epochs": ... }');
  specErrorOf(set('fit.epochs', '5'), 'fit.epochs', 'must be a whole number', 'not the string "5"', 'remove the quotes');
  specErrorOf(set('fit.epochs', 2.5), 'fit.epochs', 'must be a whole number', 'such as 3');
  specErrorOf(set('compile.optimizer', 3), 'compile.optimizer', 'must be a string or an object');
  specErrorOf(set('model.layers', []), 'model.layers', 'has 0 layers', 'at least 1');
  specErrorOf(set('compile.metrics', ['accuracy', 'accuracy']), 'compile.metrics', 'twice');
});
