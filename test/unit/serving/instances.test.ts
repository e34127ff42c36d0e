import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PredictError } from '../../../src/serving';
import { inputSpec, packInstances } from '../../../src/serving/instances';

const spec = inputSpec('flatten_input', [null, 2, 3]);

function rejects(instances: unknown[], message: RegExp): void {
  assert.throws(
    () => packInstances(instances, spec),
    (error: unknown) => error instanceof PredictError && error.status === 400 && message.test(error.message),
  );
}

void test('nested, flat and named instances pack into one row-major Float32Array', () => {
  const packed = packInstances(
    [
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
      [7, 8, 9, 10, 11, 12],
      { flatten_input: [[13, 14, 15], [16, 17, 18]] },
    ],
    spec,
  );
  assert.deepEqual(Array.from(packed), Array.from({ length: 18 }, (_, i) => i + 1));
});

void test('a shape mismatch names the shape received and the shape expected', () => {
  rejects([[[1, 2, 3]]], /instances\[0\] has shape \[1, 3\]; expected \[2, 3\] or a flat list of 6 numbers/);
  rejects([[1, 2, 3], [[1, 2, 3], [4, 5]]], /instances\[0\] has shape \[3\]/);
  rejects([[[1, 2, 3], [4, 5, 6]], [[1, 2, 3], [4, 5]]], /instances\[1\] has shape \[2, 3\]; expected \[2, 3\]/);
  rejects(['text'], /has shape \[\] \(string\)/);
});

void test('non-numeric values are reported with their position', () => {
  rejects([[[1, 2, 3], [4, '5', 6]]], /instances\[0\]\[1\]\[1\] is "5"; expected a number/);
  rejects([[1, 2, 3, 4, 5, true]], /instances\[0\]\[5\] is true; expected a number/);
  rejects([[[1, 2, 3], [4, 5, { a: 'x'.repeat(100) }]]], /is \{"a":"x+\.\.\.; expected a number/);
});

void test('an object instance must use the input name', () => {
  rejects([{ image: [1, 2, 3, 4, 5, 6] }], /object with keys \[image\]; expected .* or \{"flatten_input": \.\.\.\}/);
  // A second copy of the model in one process gets a _1 suffix; both names work.
  const suffixed = inputSpec('flatten_input_1', [null, 2]);
  assert.deepEqual(Array.from(packInstances([{ flatten_input: [1, 2] }, { flatten_input_1: [3, 4] }], suffixed)), [1, 2, 3, 4]);
});

void test('a model input with an unknown dimension is refused at load time', () => {
  assert.throws(() => inputSpec('seq', [null, null, 8]), /needs a fixed shape/);
});
