import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { loadDataset } from '../../../../src/trainer/data/index';
import { jpegBytes, pngBytes, solid, tempDir, userError } from './fixtures';

const tmp = tempDir();
after(() => tmp.remove());
const ctx = { baseDir: tmp.dir };

const red: [number, number, number] = [255, 0, 0];
const blue: [number, number, number] = [0, 0, 255];
// Classes "dog" (2 files) and "cat" (1 file); names sort to cat, dog.
tmp.write('train/dog/a.png', pngBytes(8, 6, solid(8, 6, blue)));
tmp.write('train/dog/b.JPG', jpegBytes(16, 16, solid(16, 16, blue)));
tmp.write('train/cat/a.jpeg', jpegBytes(5, 7, solid(5, 7, red)));
tmp.write('train/cat/notes.txt', 'not an image');
tmp.write('train/.thumbnails/c.png', pngBytes(2, 2, solid(2, 2, red)));
tmp.write('test/cat/x.png', pngBytes(4, 4, solid(4, 4, [128, 128, 128]), true));
tmp.write('test/dog/y.png', pngBytes(2, 2, Buffer.from([0, 0, 0, 255, 255, 255, 255, 255, 0, 0, 0, 255, 255, 255, 255, 255])));
tmp.write('broken/cat/bad.png', 'this is not a png');
tmp.write('truncated/cat/t.png', pngBytes(8, 8, solid(8, 8, red)).subarray(0, 40));
tmp.write('empty-class/cat/a.png', pngBytes(2, 2, solid(2, 2, red)));
tmp.write('empty-class/dog/readme.md', '');

function near(actual: ArrayLike<number>, expected: number[], tolerance = 0.02): void {
  assert.equal(actual.length, expected.length);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(Math.abs(actual[i] - expected[i]) <= tolerance, `value ${i}: ${actual[i]} vs ${expected[i]}`);
  }
}

void describe('image folder loader', () => {
  void it('decodes PNG and JPEG, resizes to imageSize with 3 channels and sorts class names', async () => {
    const data = await loadDataset({ type: 'imageFolder', train: 'train', test: 'test', imageSize: [3, 2] }, ctx);
    assert.deepEqual(data.classNames, ['cat', 'dog']);
    assert.equal(data.numClasses, 2);
    assert.deepEqual(data.sampleShape, [3, 2, 3]);
    assert.equal(data.kind, 'image');
    // Classes interleave so subsets stay balanced: cat/a, dog/a, dog/b.
    assert.deepEqual([...data.train.y], [0, 1, 1]);
    assert.equal(data.train.x.length, 3 * 18);
    near(data.train.x.subarray(0, 3), [1, 0, 0]);
    near(data.train.x.subarray(18, 21), [0, 0, 1]);
    near(data.train.x.subarray(36, 39), [0, 0, 1]);
    near(data.test?.x.subarray(0, 3) ?? [], [128 / 255, 128 / 255, 128 / 255], 0.005);
  });

  void it('converts to one grey channel and resizes bilinearly', async () => {
    const data = await loadDataset({ type: 'imageFolder', train: 'test', imageSize: [1, 2], channels: 1 }, ctx);
    assert.deepEqual(data.sampleShape, [1, 2, 1]);
    // dog/y.png is black|white over black|white: shrinking 2x2 to 1x2 keeps each column.
    near(data.train.x.subarray(2, 4), [0, 1], 1e-6);
    const up = await loadDataset({ type: 'imageFolder', train: 'test', imageSize: [2, 4], channels: 1, subset: { train: 2 } }, ctx);
    // Upsampling a black|white row gives 0, 0.25, 0.75, 1 with half-pixel centres.
    near(up.train.x.subarray(8, 12), [0, 0.25, 0.75, 1], 1e-6);
  });

  void it('keeps the first N interleaved samples with subset', async () => {
    const data = await loadDataset({ type: 'imageFolder', train: 'train', imageSize: [2, 2], subset: { train: 2 } }, ctx);
    assert.equal(data.train.count, 2);
    assert.deepEqual([...data.train.y], [0, 1]);
  });

  void it('names an undecodable file, an empty class and a missing folder', async () => {
    assert.match(await userError(loadDataset({ type: 'imageFolder', train: 'broken', imageSize: [2, 2] }, ctx)), /bad\.png is neither PNG nor JPEG/);
    assert.match(await userError(loadDataset({ type: 'imageFolder', train: 'truncated', imageSize: [2, 2] }, ctx)), /t\.png cannot be decoded \(.*\); re-save it/);
    assert.match(await userError(loadDataset({ type: 'imageFolder', train: 'empty-class', imageSize: [2, 2] }, ctx)), /class folder\(s\) dog hold no \.png or \.jpg files/);
    assert.match(await userError(loadDataset({ type: 'imageFolder', train: 'nowhere', imageSize: [2, 2] }, ctx)), /Data file not found: .*nowhere/);
    assert.match(await userError(loadDataset({ type: 'imageFolder', train: 'train', imageSize: [0, 2] }, ctx)), /data\.imageSize is \[0,2\]/);
  });
});
