import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { loadDataset } from '../../../../src/trainer/data/index';
import { idxBytes, tempDir, userError } from './fixtures';

const tmp = tempDir();
after(() => tmp.remove());

// Three 2x3 images whose pixels are 0, 51, ... and labels 2, 0, 1.
const pixels = new Uint8Array(18).map((_, i) => (i * 15) % 256);
tmp.write('imgs.idx', idxBytes([3, 2, 3], pixels));
tmp.write('labels.idx', idxBytes([3], new Uint8Array([2, 0, 1])));
tmp.write('imgs.idx.gz', idxBytes([3, 2, 3], pixels, true));
tmp.write('labels.idx.gz', idxBytes([3], new Uint8Array([2, 0, 1]), true));
tmp.write('labels4.idx', idxBytes([4], new Uint8Array([0, 1, 2, 3])));
tmp.write('short.idx', idxBytes([3, 2, 3], pixels).subarray(0, 20));
tmp.write('float.idx', Buffer.from([0, 0, 0x0d, 1, 0, 0, 0, 0]));
tmp.write('text.idx', 'hello world');

const ctx = { baseDir: tmp.dir };

void describe('idx loader', () => {
  void it('reads an image/label pair relative to the spec folder, scaled by 255', async () => {
    const data = await loadDataset({ type: 'idx', train: { images: 'imgs.idx', labels: 'labels.idx' } }, ctx);
    assert.deepEqual(data.sampleShape, [2, 3]);
    assert.deepEqual(data.labelShape, []);
    assert.equal(data.numClasses, 3);
    assert.equal(data.kind, 'image');
    assert.equal(data.train.count, 3);
    assert.deepEqual([...data.train.y], [2, 0, 1]);
    assert.ok(data.train.y instanceof Int32Array);
    assert.equal(data.train.x.length, 18);
    for (let i = 0; i < 18; i++) assert.equal(data.train.x[i], Math.fround(pixels[i] / 255));
    assert.equal(data.test, undefined);
  });

  void it('unpacks gzipped files and honours scale and the test split', async () => {
    const data = await loadDataset(
      {
        type: 'idx',
        train: { images: 'imgs.idx.gz', labels: 'labels.idx.gz' },
        test: { images: tmp.path('imgs.idx'), labels: tmp.path('labels.idx') },
        scale: 1,
      },
      ctx,
    );
    assert.deepEqual([...data.train.x.subarray(0, 3)], [0, 15, 30]);
    assert.equal(data.test?.count, 3);
  });

  void it('keeps only the first N samples with subset, as views', async () => {
    const data = await loadDataset(
      { type: 'idx', train: { images: 'imgs.idx', labels: 'labels.idx' }, test: { images: 'imgs.idx', labels: 'labels.idx' }, subset: { train: 2, test: 1 } },
      ctx,
    );
    assert.equal(data.train.count, 2);
    assert.equal(data.train.x.length, 12);
    assert.deepEqual([...data.train.y], [2, 0]);
    assert.equal(data.test?.count, 1);
    assert.equal(data.test?.y.length, 1);
  });

  void it('names both counts and both files when labels do not match images', async () => {
    const message = await userError(loadDataset({ type: 'idx', train: { images: 'imgs.idx', labels: 'labels4.idx' } }, ctx));
    assert.match(message, /imgs\.idx has 3 images but .*labels4\.idx has 4 labels/);
    assert.doesNotMatch(message, /\n/);
  });

  void it('reports a missing file with its path and the fix', async () => {
    const message = await userError(loadDataset({ type: 'idx', train: { images: 'nope.idx', labels: 'labels.idx' } }, ctx));
    assert.match(message, /Data file not found: .*nope\.idx; fix the path/);
  });

  void it('rejects truncated, non-IDX and non-byte files', async () => {
    assert.match(await userError(loadDataset({ type: 'idx', train: { images: 'short.idx', labels: 'labels.idx' } }, ctx)), /short\.idx is truncated/);
    assert.match(await userError(loadDataset({ type: 'idx', train: { images: 'text.idx', labels: 'labels.idx' } }, ctx)), /text\.idx is not an IDX file/);
    assert.match(await userError(loadDataset({ type: 'idx', train: { images: 'float.idx', labels: 'labels.idx' } }, ctx)), /IDX float values; only unsigned bytes/);
  });

  void it('rejects a labels file given as images', async () => {
    const message = await userError(loadDataset({ type: 'idx', train: { images: 'labels.idx', labels: 'labels.idx' } }, ctx));
    assert.match(message, /images need at least two dimensions/);
  });

  void it('rejects a bad subset', async () => {
    const message = await userError(loadDataset({ type: 'idx', train: { images: 'imgs.idx', labels: 'labels.idx' }, subset: { train: 0 } }, ctx));
    assert.match(message, /data\.subset\.train is 0/);
  });
});
