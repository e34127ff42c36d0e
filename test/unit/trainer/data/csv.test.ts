import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { loadDataset } from '../../../../src/trainer/data/index';
import { tempDir, userError } from './fixtures';

const tmp = tempDir();
after(() => tmp.remove());
const ctx = { baseDir: tmp.dir };

tmp.write(
  'iris.csv',
  ['sepal,petal,name,species', '5.1,1.4,a,setosa', '7.0,4.7,b,versicolor', '6.3,6.0,c,virginica', '4.9,1.3,d,setosa', ''].join('\n'),
);
tmp.write('iris-test.csv', ['species,petal,sepal', 'virginica,5.5,6.5', 'setosa,1.5,5.0'].join('\n'));
tmp.write('digits.csv', ['label,a,b', '3,0,1', '0,1,0', '7,1,1'].join('\n'));
tmp.write('houses.csv', '\uFEFFrooms;area;price\r\n3;120;350.5\r\n2;80;210\r\n');
tmp.write('quoted.csv', ['"x, first",y,label', '"1",2,"a, b"', '3,"4",c'].join('\n'));
tmp.write('bad-number.csv', ['age,height,label', '30,180,a', '41,170,b', 'abc,160,a'].join('\n'));
tmp.write('bad-fields.csv', ['a,b,label', '1,2,x', '1,2'].join('\n'));
tmp.write('open-quote.csv', ['a,label', '"1,x'].join('\n'));
tmp.write('empty.csv', '');
// Row 4 is malformed: a subset of 2 must stop reading before it.
tmp.write('stop-early.csv', ['a,label', '1,x', '2,y', 'oops,z'].join('\n'));

void describe('csv loader', () => {
  void it('maps string labels to sorted class names and skips non-numeric columns by default', async () => {
    const data = await loadDataset({ type: 'csv', train: 'iris.csv', labelColumn: 'species' }, ctx);
    assert.deepEqual(data.classNames, ['setosa', 'versicolor', 'virginica']);
    assert.equal(data.numClasses, 3);
    assert.deepEqual(data.sampleShape, [2]);
    assert.deepEqual(data.labelShape, []);
    assert.equal(data.kind, 'tabular');
    assert.ok(data.train.y instanceof Int32Array);
    assert.deepEqual([...data.train.y], [0, 1, 2, 0]);
    assert.deepEqual([...data.train.x], [5.1, 1.4, 7.0, 4.7, 6.3, 6.0, 4.9, 1.3].map(Math.fround));
    assert.equal(data.train.count, 4);
  });

  void it('reads the test file by column name with the training classes', async () => {
    const data = await loadDataset({ type: 'csv', train: 'iris.csv', test: 'iris-test.csv', labelColumn: 'species', featureColumns: ['petal', 'sepal'] }, ctx);
    assert.deepEqual([...data.train.x.subarray(0, 2)], [1.4, 5.1].map(Math.fround));
    assert.deepEqual([...(data.test?.x ?? [])], [5.5, 6.5, 1.5, 5.0].map(Math.fround));
    assert.deepEqual([...(data.test?.y ?? [])], [2, 0]);
  });

  void it('keeps integer labels as class indices', async () => {
    const data = await loadDataset({ type: 'csv', train: 'digits.csv', labelColumn: 'label' }, ctx);
    assert.deepEqual([...data.train.y], [3, 0, 7]);
    assert.equal(data.numClasses, 8);
    assert.equal(data.classNames, undefined);
  });

  void it('keeps float labels for regression, with a delimiter, CRLF and a BOM', async () => {
    const data = await loadDataset({ type: 'csv', train: 'houses.csv', labelColumn: 'price', task: 'regression', delimiter: ';' }, ctx);
    assert.deepEqual(data.labelShape, [1]);
    assert.equal(data.numClasses, undefined);
    assert.ok(data.train.y instanceof Float32Array);
    assert.deepEqual([...data.train.y], [350.5, 210]);
    assert.deepEqual([...data.train.x], [3, 120, 2, 80]);
  });

  void it('understands quoted fields with delimiters inside', async () => {
    const data = await loadDataset({ type: 'csv', train: 'quoted.csv', labelColumn: 'label' }, ctx);
    assert.deepEqual(data.classNames, ['a, b', 'c']);
    assert.deepEqual([...data.train.x], [1, 2, 3, 4]);
  });

  void it('stops reading once the subset is full', async () => {
    const data = await loadDataset({ type: 'csv', train: 'stop-early.csv', labelColumn: 'label', subset: { train: 2 } }, ctx);
    assert.equal(data.train.count, 2);
    assert.deepEqual([...data.train.x], [1, 2]);
  });

  void it('names file, line and column of a value that is not a number', async () => {
    const message = await userError(loadDataset({ type: 'csv', train: 'bad-number.csv', labelColumn: 'label' }, ctx));
    assert.match(message, /^bad-number\.csv line 4: column 'age' is 'abc', not a number/);
  });

  void it('reports a missing label column with the columns there are', async () => {
    const message = await userError(loadDataset({ type: 'csv', train: 'iris.csv', labelColumn: 'class' }, ctx));
    assert.match(message, /iris\.csv has no column 'class' \(columns: sepal, petal, name, species\); fix data\.labelColumn/);
  });

  void it('reports rows with the wrong field count, open quotes, empty and missing files', async () => {
    assert.match(await userError(loadDataset({ type: 'csv', train: 'bad-fields.csv', labelColumn: 'label' }, ctx)), /^bad-fields\.csv line 3: 2 fields but the header has 3; column 3 \('label'\) has no value; check the delimiter and quoting$/);
    assert.match(await userError(loadDataset({ type: 'csv', train: 'open-quote.csv', labelColumn: 'label' }, ctx)), /^open-quote\.csv line 2, column 1: a quoted field is not closed before the end of the file/);
    assert.match(await userError(loadDataset({ type: 'csv', train: 'empty.csv', labelColumn: 'label' }, ctx)), /empty\.csv is empty/);
    assert.match(await userError(loadDataset({ type: 'csv', train: 'iris.csv', labelColumn: 'species', delimiter: '' }, ctx)), /data\.delimiter is ""/);
    assert.match(await userError(loadDataset({ type: 'csv', train: 'gone.csv', labelColumn: 'label' }, ctx)), /Data file not found: .*gone\.csv/);
  });

  void it('streams a file of 100,000 rows into typed arrays', async () => {
    const rows = ['f1,f2,f3,label'];
    for (let i = 0; i < 100_000; i++) rows.push(`${i},${i % 7},${(i % 13) / 2},${i % 3 === 0 ? 'yes' : 'no'}`);
    tmp.write('big.csv', rows.join('\n'));
    const progress: number[] = [];
    const data = await loadDataset({ type: 'csv', train: 'big.csv', labelColumn: 'label' }, { ...ctx, onProgress: (_m, done) => progress.push(done) });
    assert.equal(data.train.count, 100_000);
    assert.equal(data.train.x.length, 300_000);
    assert.equal(data.train.x[3 * 99_999], 99_999);
    assert.deepEqual(data.classNames, ['no', 'yes']);
    assert.equal(data.train.y[0], 1);
    assert.ok(progress.length >= 3, 'reports progress while reading');
  });
});
