import assert from 'node:assert/strict';
import { statSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { loadDataset, loadTrainingData, isStreamed, type StreamedDataset, type StreamedSplit } from '../../../../src/trainer/data/index';
import { INDEX_EVERY } from '../../../../src/trainer/data/csvScan';
import { STREAM_CSV_ABOVE_BYTES, streamsCsv } from '../../../../src/trainer/data/csvStream';
import type { CsvDataSpec } from '../../../../src/shared/spec';
import { tempDirWithCache, userError } from './fixtures';

const tmp = tempDirWithCache();
const ctx = { baseDir: tmp.dir };

/** 3,000 rows: an id, two measurements, a quoted note and a species (one species appears only in the test file). */
function writeSpecies(): void {
  const species = ['setosa', 'versicolor', 'virginica'];
  const rows = ['id,"length, cm",width,note,species'];
  for (let i = 0; i < 3000; i++) rows.push(`${i},${(i % 97) / 8},${-(i % 13)}e-1,"n ""${i}""\n",${species[i % 3]}`);
  tmp.write('species.csv', rows.join('\r\n'));
  tmp.write('species-test.csv', ['species,id,width,"length, cm"', 'arctica,1,2,3', 'setosa,4,5,6'].join('\n'));
}
writeSpecies();

async function streamed(spec: Partial<CsvDataSpec> = {}): Promise<StreamedDataset> {
  const data = await loadTrainingData({ type: 'csv', train: 'species.csv', test: 'species-test.csv', labelColumn: 'species', featureColumns: ['id', 'length, cm', 'width'], streaming: true, ...spec }, ctx);
  assert.ok(isStreamed(data));
  return data;
}

async function readAll(split: StreamedSplit, from = 0, to = split.count): Promise<{ x: number[]; y: number[] }> {
  const x: number[] = [];
  const y: number[] = [];
  for await (const block of split.blocks(from, to)) {
    x.push(...block.x.subarray(0, block.count * 3));
    y.push(...block.y.subarray(0, block.count));
  }
  return { x, y };
}

void describe('streamed CSV data', () => {
  void it('has the shape, classes and rows of the same file loaded whole', async () => {
    const whole = await loadDataset({ type: 'csv', train: 'species.csv', test: 'species-test.csv', labelColumn: 'species', featureColumns: ['id', 'length, cm', 'width'] }, ctx);
    const data = await streamed();
    assert.deepEqual([data.sampleShape, data.labelShape, data.numClasses, data.classNames], [whole.sampleShape, whole.labelShape, whole.numClasses, whole.classNames]);
    assert.deepEqual(data.classNames, ['arctica', 'setosa', 'versicolor', 'virginica']);
    assert.equal(data.train.count, 3000);
    const train = await readAll(data.train);
    assert.deepEqual(train.x, [...whole.train.x]);
    assert.deepEqual(train.y, [...whole.train.y]);
    const test = await readAll(data.test as StreamedSplit);
    assert.deepEqual(test, { x: [...(whole.test?.x ?? [])], y: [...(whole.test?.y ?? [])] });
  });

  void it('reads any range of rows, starting from the nearest entry of the row index', async () => {
    const data = await streamed();
    const all = await readAll(data.train);
    for (const [from, to] of [
      [0, 1],
      [INDEX_EVERY - 1, INDEX_EVERY + 1],
      [1500, 2600],
      [2999, 3000],
      [2990, 5000],
    ]) {
      const part = await readAll(data.train, from, to);
      assert.deepEqual(part.y, all.y.slice(from, to), `rows ${from}..${to}`);
      assert.deepEqual(part.x, all.x.slice(from * 3, Math.min(to, 3000) * 3));
    }
  });

  void it('keeps the first N rows of a subset', async () => {
    const data = await streamed({ subset: { train: 1100, test: 1 } });
    assert.equal(data.train.count, 1100);
    assert.equal((await readAll(data.train)).y.length, 1100);
    assert.equal(data.test?.count, 1);
  });

  void it('caches the first pass by file size and modification time', async () => {
    const file = tmp.write('cached.csv', 'x,label\n1,a\n2,b\n3,c\n');
    const time = new Date('2026-01-02T03:04:05Z');
    utimesSync(file, time, time);
    const spec: CsvDataSpec = { type: 'csv', train: 'cached.csv', labelColumn: 'label', streaming: true };
    const count = async (): Promise<number> => ((await loadTrainingData(spec, ctx)) as StreamedDataset).train.count;
    assert.equal(await count(), 3);
    // Same size and time, different rows: the cached count is taken (it is keyed by size and time only).
    writeFileSync(file, 'x,label\n1,a\n2,b\n\n\n\n\n');
    utimesSync(file, time, time);
    assert.equal(statSync(file).size, 20);
    assert.equal(await count(), 3);
    const later = new Date(time.getTime() + 5000);
    utimesSync(file, later, later);
    assert.equal(await count(), 2, 'a new modification time reads the file again');
  });

  void it('fails a pass over a file that changed since its first pass, saying so', async () => {
    tmp.write('changing.csv', 'x,label\n1,a\n2,b\n');
    const data = (await loadTrainingData({ type: 'csv', train: 'changing.csv', labelColumn: 'label', streaming: true }, ctx)) as StreamedDataset;
    tmp.write('changing.csv', 'x,label\n1,a\n');
    assert.match(await userError(readAll(data.train)), /^changing\.csv: its size or modification time is not what it was; the file changed since training started: train again/);
  });

  void it('finds a bad value in the first pass, before training, naming line and column', async () => {
    const rows = ['a,b,label'];
    for (let i = 0; i < 5000; i++) rows.push(i === 4321 ? `1,"x,y",z` : `${i},${i},z`);
    tmp.write('bad.csv', rows.join('\n'));
    assert.equal(
      await userError(loadTrainingData({ type: 'csv', train: 'bad.csv', labelColumn: 'label', streaming: true }, ctx)),
      "bad.csv line 4323: column 'b' is 'x,y', not a number; fix the value or leave the column out with data.featureColumns",
    );
  });

  void it('streams files above the size threshold unless the spec says otherwise, and says so', () => {
    tmp.write('huge.csv', '');
    // A sparse file: its size without its bytes.
    truncateSync(tmp.path('huge.csv'), STREAM_CSV_ABOVE_BYTES + 1);
    const said: string[] = [];
    assert.equal(streamsCsv({ type: 'csv', train: 'huge.csv', labelColumn: 'label' }, { ...ctx, log: (m) => said.push(m) }), true);
    assert.match(said[0], /^The CSV data is 256 MB: it is read in passes with a shuffle buffer instead of loaded whole \(set data\.streaming to false/);
    assert.equal(streamsCsv({ type: 'csv', train: 'huge.csv', labelColumn: 'label', streaming: false }, ctx), false);
    assert.equal(streamsCsv({ type: 'csv', train: 'species.csv', labelColumn: 'label' }, ctx), false);
    assert.equal(streamsCsv({ type: 'csv', train: 'species.csv', labelColumn: 'label', streaming: true }, ctx), true);
  });
});
