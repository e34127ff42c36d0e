import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { epochData, type BatchRows } from '../../../src/trainer/batchSource';
import { loadDataset, loadTrainingData, type TrainingData } from '../../../src/trainer/data/index';
import { epochPermutation } from '../../../src/trainer/shuffle';
import type { FitSpec } from '../../../src/shared/spec';
import { tempDirWithCache } from './data/fixtures';

const tmp = tempDirWithCache();
const ctx = { baseDir: tmp.dir };

// Row i holds its own index as the first feature, so a batch says which rows it took.
const ROWS = 2500;
const lines = ['id,f,label'];
for (let i = 0; i < ROWS; i++) lines.push(`${i},${Math.sin(i).toFixed(4)},${i % 4}`);
tmp.write('rows.csv', lines.join('\n'));

const fit = (changes: Partial<FitSpec> = {}): FitSpec => ({ epochs: 1, validationSplit: 0.2, seed: 1, ...changes });
const streamed = (shuffleBuffer = 300): Promise<TrainingData> =>
  loadTrainingData({ type: 'csv', train: 'rows.csv', labelColumn: 'label', streaming: true, shuffleBuffer }, ctx);

async function collect(batches: AsyncGenerator<BatchRows>): Promise<number[][]> {
  const ids: number[][] = [];
  for await (const rows of batches) ids.push(Array.from({ length: rows.count }, (_, i) => rows.x[i * 2]));
  return ids;
}

const noStop = new AbortController().signal;

void describe('streamed batches', () => {
  void it('train every training row once an epoch, in batches of the batch size, and never a validation row', async () => {
    const data = epochData(tf, await streamed(), { fit: fit(), batchSize: 32, seed: 1 });
    assert.equal(data.trainCount, 2000);
    for (const epoch of [0, 1]) {
      const batches = await collect(data.source.batches(epoch, 0, noStop));
      assert.equal(batches.length, Math.ceil(2000 / 32));
      assert.ok(batches.slice(0, -1).every((b) => b.length === 32));
      assert.equal(batches.at(-1)?.length, 2000 - 62 * 32);
      assert.deepEqual(batches.flat().sort((a, b) => a - b), Array.from({ length: 2000 }, (_, i) => i), `epoch ${epoch}`);
    }
  });

  void it('give the same order for the same seed and epoch, from any batch on (what a resume relies on)', async () => {
    const data = epochData(tf, await streamed(), { fit: fit(), batchSize: 32, seed: 1 });
    const whole = await collect(data.source.batches(3, 0, noStop));
    for (const first of [1, 20, 62]) assert.deepEqual(await collect(data.source.batches(3, first, noStop)), whole.slice(first), `from batch ${first}`);
    assert.notDeepEqual(await collect(data.source.batches(4, 0, noStop)), whole, 'another epoch, another order');
    const otherSeed = epochData(tf, await streamed(), { fit: fit(), batchSize: 32, seed: 2 });
    assert.notDeepEqual(await collect(otherSeed.source.batches(3, 0, noStop)), whole, 'another seed, another order');
  });

  void it('mix rows across the shuffle buffer, and keep file order without shuffling', async () => {
    const first = (await collect(epochData(tf, await streamed(300), { fit: fit(), batchSize: 32, seed: 1 }).source.batches(0, 0, noStop)))[0];
    assert.ok(first.every((id) => id < 300 + 32) && new Set(first.map((id) => Math.floor(id / 32))).size > 3, `the first batch draws from the first 300 rows: ${first.join(',')}`);
    const ordered = await collect(epochData(tf, await streamed(), { fit: fit({ shuffle: false }), batchSize: 32, seed: 1 }).source.batches(0, 0, noStop));
    assert.deepEqual(ordered.flat(), Array.from({ length: 2000 }, (_, i) => i));
  });

  void it('end quietly soon after a stop', async () => {
    const data = epochData(tf, await streamed(), { fit: fit(), batchSize: 32, seed: 1 });
    const stop = new AbortController();
    let taken = 0;
    for await (const rows of data.source.batches(0, 0, stop.signal)) {
      assert.ok(rows.count > 0);
      if (++taken === 2) stop.abort();
    }
    assert.ok(taken < 20, `${taken} batches after the stop`);
  });

  void it('validate on the last fraction of the file, as data held in memory does', async () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 4, inputShape: [2], activation: 'softmax', kernelInitializer: 'ones' })] });
    model.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    const memory = epochData(tf, await loadDataset({ type: 'csv', train: 'rows.csv', labelColumn: 'label' }, ctx), { fit: fit(), batchSize: 32, seed: 1 });
    const stream = epochData(tf, await streamed(), { fit: fit(), batchSize: 32, seed: 1 });
    const expected = await memory.validation?.evaluate(model, noStop);
    const actual = await stream.validation?.evaluate(model, noStop);
    assert.ok(expected && actual);
    assert.deepEqual(Object.keys(actual), Object.keys(expected));
    for (const name of Object.keys(expected)) assert.ok(Math.abs(actual[name] - expected[name]) < 1e-5, `${name}: ${actual[name]} vs ${expected[name]}`);
    memory.validation?.dispose();
    model.dispose();
  });
});

void describe('batches of data in memory', () => {
  void it('follow the epoch permutation from any batch on', async () => {
    const data = epochData(tf, await loadDataset({ type: 'csv', train: 'rows.csv', labelColumn: 'label' }, ctx), { fit: fit(), batchSize: 32, seed: 5 });
    const order = [...epochPermutation(2000, 5, 2)];
    assert.deepEqual((await collect(data.source.batches(2, 0, noStop))).flat(), order);
    assert.deepEqual((await collect(data.source.batches(2, 10, noStop))).flat(), order.slice(320));
    data.validation?.dispose();
  });
});
