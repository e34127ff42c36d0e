import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { loadDataset } from '../../../../src/trainer/data/index';
import { npyBytes, tempDir, userError, zipBytes } from './fixtures';

const tmp = tempDir();
after(() => tmp.remove());
const ctx = { baseDir: tmp.dir };

const xBytes = new Uint8Array([0, 255, 51, 102, 0, 0, 255, 255, 10, 20, 30, 40]); // 3 samples of 2x2
const yInt64 = new BigInt64Array([1n, 0n, 2n]);
const xFloat = new Float32Array([0.5, -1, 2, 4, 8, 16]); // 3 samples of 2 features
const yFloat = new Float64Array([1.5, -2.25, 3]);
const oneHot = new Float32Array([0, 1, 1, 0, 0, 1]); // 3 rows of 2 classes

tmp.write('x.npy', npyBytes('|u1', [3, 2, 2], xBytes));
tmp.write('y.npy', npyBytes('<i8', [3], yInt64));
tmp.write('xf.npy', npyBytes('<f4', [3, 2], xFloat));
tmp.write('yf.npy', npyBytes('<f8', [3], yFloat));
tmp.write('yhot.npy', npyBytes('<f4', [3, 2], oneHot));
tmp.write('y2.npy', npyBytes('<i4', [2], new Int32Array([0, 1])));
tmp.write('big-endian.npy', npyBytes('>f4', [3, 2], xFloat));
tmp.write('fortran.npy', npyBytes('<f4', [3, 2], xFloat, true));
tmp.write('negative.npy', npyBytes('<i4', [3], new Int32Array([0, -1, 1])));

const members = (deflate: boolean, zip64 = false): Parameters<typeof zipBytes>[0] => [
  { name: 'x_train.npy', data: npyBytes('|u1', [3, 2, 2], xBytes), deflate, zip64 },
  { name: 'y_train.npy', data: npyBytes('<i8', [3], yInt64), deflate, zip64 },
  { name: 'x_test.npy', data: npyBytes('|u1', [1, 2, 2], xBytes.subarray(0, 4)), deflate, zip64 },
  { name: 'y_test.npy', data: npyBytes('<i8', [1], yInt64.subarray(0, 1)), deflate, zip64 },
];
tmp.write('stored.npz', zipBytes(members(false)));
tmp.write('deflated.npz', zipBytes(members(true)));
tmp.write('zip64.npz', zipBytes(members(true, true)));
tmp.write('custom.npz', zipBytes([
  { name: 'images.npy', data: npyBytes('<f4', [3, 2], xFloat), deflate: true },
  { name: 'targets.npy', data: npyBytes('<f8', [3], yFloat) },
]));
tmp.write('not-a-zip.npz', 'just text, not a zip');
const deflated = zipBytes(members(true));
tmp.write('cut.npz', deflated.subarray(0, deflated.length - 30));
// The first member's deflate stream overwritten with bytes that do not inflate.
const garbled = Buffer.from(deflated);
garbled.fill(0xff, 30 + 'x_train.npy'.length, 30 + 'x_train.npy'.length + 8);
tmp.write('garbled.npz', garbled);

void describe('npy loader', () => {
  void it('reads uint8 images scaled by 255 and int64 class labels', async () => {
    const data = await loadDataset({ type: 'npy', train: { x: 'x.npy', y: 'y.npy' } }, ctx);
    assert.deepEqual(data.sampleShape, [2, 2]);
    assert.deepEqual(data.labelShape, []);
    assert.equal(data.numClasses, 3);
    assert.equal(data.kind, 'image');
    assert.ok(data.train.y instanceof Int32Array);
    assert.deepEqual([...data.train.y], [1, 0, 2]);
    assert.equal(data.train.x[1], 1);
    assert.equal(data.train.x[2], Math.fround(51 / 255));
  });

  void it('keeps float features unscaled and float labels as regression targets of shape [1]', async () => {
    const data = await loadDataset({ type: 'npy', train: { x: 'xf.npy', y: 'yf.npy' }, test: { x: 'xf.npy', y: 'yf.npy' } }, ctx);
    assert.deepEqual(data.sampleShape, [2]);
    assert.equal(data.kind, 'tabular');
    assert.deepEqual(data.labelShape, [1]);
    assert.equal(data.numClasses, undefined);
    assert.deepEqual([...data.train.x], [...xFloat]);
    assert.ok(data.train.y instanceof Float32Array);
    assert.deepEqual([...data.train.y], [1.5, -2.25, 3]);
    assert.equal(data.test?.count, 3);
  });

  void it('treats 2-D one-hot labels as classes and divides by an explicit scale', async () => {
    const data = await loadDataset({ type: 'npy', train: { x: 'xf.npy', y: 'yhot.npy' }, scale: 2 }, ctx);
    assert.deepEqual(data.labelShape, [2]);
    assert.equal(data.numClasses, 2);
    assert.deepEqual([...data.train.x], [0.25, -0.5, 1, 2, 4, 8]);
  });

  void it('rejects mismatched counts, big-endian, Fortran order and negative labels', async () => {
    assert.match(await userError(loadDataset({ type: 'npy', train: { x: 'x.npy', y: 'y2.npy' } }, ctx)), /x\.npy has 3 samples but .*y2\.npy has 2 labels/);
    assert.match(await userError(loadDataset({ type: 'npy', train: { x: 'big-endian.npy', y: 'y.npy' } }, ctx)), /dtype '>f4'; supported: little-endian/);
    assert.match(await userError(loadDataset({ type: 'npy', train: { x: 'fortran.npy', y: 'y.npy' } }, ctx)), /Fortran order/);
    assert.match(await userError(loadDataset({ type: 'npy', train: { x: 'x.npy', y: 'negative.npy' } }, ctx)), /negative\.npy\[1\] is -1/);
    assert.match(await userError(loadDataset({ type: 'npy', train: { x: 'y.txt', y: 'y.npy' } }, ctx)), /Data file not found: .*y\.txt/);
  });
});

void describe('npz loader', () => {
  for (const file of ['stored.npz', 'deflated.npz', 'zip64.npz']) {
    void it(`reads Keras member names from ${file}`, async () => {
      const data = await loadDataset({ type: 'npz', path: file }, ctx);
      assert.equal(data.train.count, 3);
      assert.equal(data.test?.count, 1);
      assert.deepEqual([...data.train.y], [1, 0, 2]);
      assert.equal(data.train.x[1], 1);
      assert.deepEqual(data.sampleShape, [2, 2]);
    });
  }

  void it('reads members named by keys; a missing test pair means no test split', async () => {
    const data = await loadDataset({ type: 'npz', path: 'custom.npz', keys: { xTrain: 'images', yTrain: 'targets' } }, ctx);
    assert.deepEqual([...data.train.x], [...xFloat]);
    assert.deepEqual([...data.train.y], [1.5, -2.25, 3]);
    assert.equal(data.test, undefined);
  });

  void it('applies subset to both splits', async () => {
    const data = await loadDataset({ type: 'npz', path: 'deflated.npz', subset: { train: 2, test: 5 } }, ctx);
    assert.equal(data.train.count, 2);
    assert.equal(data.train.x.length, 8);
    assert.equal(data.test?.count, 1);
  });

  void it('lists the arrays it has when a key is missing, and rejects a file that is not a zip', async () => {
    assert.match(await userError(loadDataset({ type: 'npz', path: 'custom.npz' }, ctx)), /has no array 'x_train' \(it has: images, targets\); set data\.keys/);
    assert.match(await userError(loadDataset({ type: 'npz', path: 'not-a-zip.npz' }, ctx)), /not-a-zip\.npz is not a readable zip/);
  });

  void it('names the file in one line when it is cut short or a member does not inflate', async () => {
    for (const file of ['cut.npz', 'garbled.npz']) {
      const message = await userError(loadDataset({ type: 'npz', path: file }, ctx));
      assert.match(message, new RegExp(`${file.replace('.', '\\.')} is not a readable zip/\\.npz file \\(.+\\); save it with numpy\\.savez$`));
      assert.doesNotMatch(message, /\n/);
    }
  });
});
