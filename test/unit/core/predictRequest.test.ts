// A prediction request file read as the panel reads it: syntax errors and
// wrong shapes name the file, the line and column, and the shape expected.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePredictRequest } from '../../../src/core/predictRequest';
import { isUserError } from '../../../src/shared/errors';

function messageOf(text: string): string {
  try {
    parsePredictRequest(text, 'requests/bad.json');
  } catch (error) {
    assert.ok(isUserError(error), `a UserError, got ${String(error)}`);
    return (error as Error).message;
  }
  assert.fail(`accepted ${JSON.stringify(text)}`);
}

const SHAPE = /\{"instances": \[<instance>, \.\.\.\], "parameters": \{\.\.\.\}\}/;

test('a request cut short names the file, the line and column where it ends, and the shape', () => {
  const message = messageOf('{\n  "instances": [\n    [0, 1, 2],\n');
  assert.match(message, /^requests\/bad\.json: invalid JSON at line 4, column 1: the file ends too early; close every open \{ and \[/);
  assert.match(message, SHAPE);
  assert.doesNotMatch(message, /Unexpected end of JSON input/);
});

test('other syntax errors point at the spot, as spec errors do', () => {
  assert.match(messageOf('{"instances": [[1, 2],]}'), /line 1, column 22: trailing comma before '\]'/);
  assert.match(messageOf("{'instances': []}"), /line 1, column 2: single-quoted string 'instances'/);
  assert.match(messageOf('{"instances": [[1]]} {}'), /after the end of the request; remove it \(the request is one JSON object\)/);
  assert.match(messageOf('   '), /^requests\/bad\.json is empty: write a prediction request/);
});

test('valid JSON of the wrong shape says what a request holds and where', () => {
  assert.match(messageOf('[[0, 1]]'), /^requests\/bad\.json: expected a JSON object at line 1, column 1, found a list: a prediction request is/);
  assert.match(messageOf('{\n  "instance": [[0]]\n}'), /no "instances" list in the object at line 1, column 1/);
  assert.match(messageOf('{\n  "instances": {"a": 1}\n}'), /"instances" at line 2, column 16 is an object, not a list/);
  assert.match(messageOf('{"instances": []}'), /"instances" at line 1, column 15 is empty: add at least one instance/);
});

test('a well-formed request gives its instances and parameters', () => {
  assert.deepEqual(parsePredictRequest('{"instances": [[0.5, 1], {"x": 2}], "parameters": {"topK": 3}}', 'r.json'), { instances: [[0.5, 1], { x: 2 }], parameters: { topK: 3 } });
  assert.deepEqual(parsePredictRequest('{"instances": [1]}', 'r.json'), { instances: [1] });
});
