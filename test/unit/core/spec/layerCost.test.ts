// The largest layer's FLOPs per batch, from the spec alone: what decides
// native TensorFlow's threads before it starts (src/core/backend/threads.ts).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { largestLayerFlops } from '../../../../src/core/spec/layerCost';
import type { TrainingSpec } from '../../../../src/shared/spec';

const example = (file: string): TrainingSpec => JSON.parse(readFileSync(join(__dirname, '../../../../examples/mnist', file), 'utf8')) as TrainingSpec;

test("the MNIST CNN's largest layer is its second convolution: 11x11x32 outputs of 3x3x16 inputs, two FLOPs each, 32 samples", () => {
  assert.equal(largestLayerFlops(example('mnist-cnn.train.json'), [28, 28], 32), 2 * 11 * 11 * 32 * 9 * 16 * 32);
});

test("the MNIST MLP's largest layer is its 784x128 dense layer, and the cost grows with the batch", () => {
  assert.equal(largestLayerFlops(example('mnist.train.json'), [28, 28], 32), 2 * 784 * 128 * 32);
  assert.equal(largestLayerFlops(example('mnist.train.json'), [28, 28], 256), 2 * 784 * 128 * 256);
});

test('a dense layer on a [height, width] input and a depthwise convolution are counted per position', () => {
  const spec = {
    ...example('mnist.train.json'),
    model: {
      layers: [
        { type: 'dense', units: 64 },
        { type: 'reshape', targetShape: [28, 64, 1] },
        { type: 'depthwiseConv2d', kernelSize: 3, depthMultiplier: 300 },
      ],
    },
  } as TrainingSpec;
  // dense: 28 rows of 28 -> 64; depthwise: 26x62 positions x 300 channels x 9 taps.
  assert.equal(largestLayerFlops(spec, [28, 28], 1), 2 * 26 * 62 * 300 * 9);
});

test("a model from the user's own module is not known before it is built", () => {
  assert.equal(largestLayerFlops({ ...example('mnist.train.json'), model: { module: './model.ts' } } as TrainingSpec, [28, 28], 32), undefined);
});
