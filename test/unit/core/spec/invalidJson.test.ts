import { test } from 'node:test';
import { parseSpec } from '../../../../src/core/spec';
import { userErrorOf } from './helpers';

const parse = (text: string) => () => parseSpec(text, 'spec.train.json');

test('a trailing comma in an object is reported at the comma with line and column', () => {
  const text = '{\n  "name": "x",\n  "fit": { "epochs": 1, },\n  "data": {}\n}';
  userErrorOf(parse(text), 'spec.train.json', 'invalid JSON at line 3, column 23', 'trailing comma', 'remove this comma');
});

test('a trailing comma in an array is reported as a trailing comma', () => {
  userErrorOf(parse('{"metrics": ["accuracy",]}'), 'line 1, column 24', "trailing comma before ']'");
});

test('a missing comma between properties names the spot', () => {
  userErrorOf(parse('{\n  "name": "x"\n  "data": {}\n}'), 'line 2, column 14', 'missing comma');
});

test('comments are rejected: specs are JSON', () => {
  userErrorOf(parse('{\n  // the model\n  "name": "x"\n}'), 'line 2, column 3', 'comments are not allowed');
});

test('single quotes and unquoted names say how to quote', () => {
  userErrorOf(parse("{'name': 'x'}"), 'line 1, column 2', 'double quotes: "name"');
  userErrorOf(parse('{name: "x"}'), 'line 1, column 2', 'property name name needs double quotes');
});

test('a file that ends early asks to close brackets', () => {
  userErrorOf(parse('{\n  "name": "x",\n  "fit": {'), 'line 3', /end|close/);
});

test('an empty file says what a spec is', () => {
  userErrorOf(parse('  \n'), 'spec.train.json is empty', 'name, data, model, compile and fit');
});

test('a spec that is not an object says so', () => {
  userErrorOf(parse('[1, 2]'), 'must be an object', 'not an array');
});

test('a byte-order mark is not an error', () => {
  userErrorOf(parse('\ufeff{"name": "x"}'), 'is missing "data"');
});
