import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fromProtoValue, toProtoValue } from '../../../src/cloud/value';
import { decodeMessage, encodeMessage } from '../../../src/sandbox/vertex/protos';

test('lists, numbers, strings, booleans, null and objects survive google.protobuf.Value encoding', () => {
  const value = [[0, 0.5, 1], { label: 'seven', scores: [0.1, 0.9], ok: true, none: null }, 3, 'x', false];
  const bytes = encodeMessage('google.protobuf.Value', toProtoValue(value) as Record<string, unknown>);
  const decoded = decodeMessage('google.protobuf.Value', bytes);
  assert.deepEqual(fromProtoValue(decoded), value);
});

test('typed arrays become lists of numbers', () => {
  assert.deepEqual(fromProtoValue(toProtoValue(new Float32Array([1, 2.5]))), [1, 2.5]);
});

test('values without the oneof "kind" marker are read by their set field', () => {
  assert.equal(fromProtoValue({ numberValue: 4 }), 4);
  assert.deepEqual(fromProtoValue({ listValue: { values: [{ stringValue: 'a' }] } }), ['a']);
  assert.equal(fromProtoValue(undefined), null);
});
