import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { CsvFile } from '../../../../src/trainer/data/csvFile';
import { fieldText, type CsvRecord } from '../../../../src/trainer/data/csvRecords';
import { parseDecimal } from '../../../../src/trainer/data/csvColumns';
import { loadDataset } from '../../../../src/trainer/data/index';
import { tempDir, userError } from './fixtures';

const tmp = tempDir();
after(() => tmp.remove());

interface Read {
  fields: string[];
  line: number;
  offset: number;
}

/** Every record of `text` as read by the real reader, `chunk` bytes at a time. */
async function records(text: string | Buffer, chunk = 256 * 1024, delimiter = ','): Promise<Read[]> {
  const path = tmp.write('records.csv', text);
  const csv = await CsvFile.open(path, 'records.csv', delimiter, undefined, chunk);
  const out: Read[] = [];
  const take = (record: CsvRecord): void => {
    out.push({ fields: Array.from({ length: record.count }, (_, i) => fieldText(record, i)), line: record.line, offset: record.offset });
  };
  try {
    while (await csv.read(take));
  } finally {
    await csv.close();
  }
  return out;
}

async function readError(text: string, chunk?: number): Promise<string> {
  return userError(records(text, chunk));
}

void describe('CSV records (RFC 4180)', () => {
  void it('reads quoted fields with delimiters, doubled quotes and line breaks, and empty fields', async () => {
    const read = await records('name,notes,value\n"Smith, John","said ""hi""",1\n"multi\nline, with comma",,2\nplain,"",3\n');
    assert.deepEqual(
      read.map((r) => r.fields),
      [
        ['name', 'notes', 'value'],
        ['Smith, John', 'said "hi"', '1'],
        ['multi\nline, with comma', '', '2'],
        ['plain', '', '3'],
      ],
    );
    assert.deepEqual(
      read.map((r) => r.line),
      [1, 2, 3, 5],
      'a record that spans lines starts on its first line, and the next one counts the lines it took',
    );
  });

  void it('reads CRLF line ends, a byte-order mark, blank lines and a last line without a line end', async () => {
    const read = await records('\uFEFFa;b\r\n1;"2"\r\n\r\n  \n3;4', undefined, ';');
    assert.deepEqual(
      read.map((r) => r.fields),
      [
        ['a', 'b'],
        ['1', '2'],
        ['3', '4'],
      ],
    );
    assert.deepEqual(
      read.map((r) => r.line),
      [1, 2, 5],
    );
    assert.equal(read[0].offset, 3, 'offsets are in bytes and skip the byte-order mark');
  });

  void it('splits records the same whatever the chunk boundaries', async () => {
    const text = '\uFEFFh1,h2,h3\n"a,\n""b""",é,1\r\n"x"\r\n,,\n\n"é,""",last,2\n"end"';
    const whole = await records(text);
    assert.equal(whole.length, 6);
    for (const chunk of [1, 2, 3, 5, 7, 11]) assert.deepEqual(await records(text, chunk), whole, `chunks of ${chunk} bytes`);
  });

  void it('gives each record the byte offset and line a later read can start from', async () => {
    const text = 'h\n"1\n2"\n3\n"é"\n5';
    const whole = await records(text);
    const path = tmp.write('from.csv', text);
    for (const [i, start] of whole.entries()) {
      const csv = await CsvFile.open(path, 'from.csv', ',', { offset: start.offset, line: start.line });
      const rest: Read[] = [];
      while (await csv.read((r) => void rest.push({ fields: [fieldText(r, 0)], line: r.line, offset: r.offset })));
      await csv.close();
      assert.deepEqual(rest, whole.slice(i), `from record ${i}`);
    }
  });

  void it('takes a delimiter of several bytes', async () => {
    const read = await records('a§b§c\n1§"2§x"§3\n', 3, '§');
    assert.deepEqual(
      read.map((r) => r.fields),
      [
        ['a', 'b', 'c'],
        ['1', '2§x', '3'],
      ],
    );
  });

  void it('names the line and column of a quote in an unquoted field, text after a closing quote and a quote never closed', async () => {
    assert.equal(
      await readError('a,b,c\n1,2"x,3\n'),
      'records.csv line 2, column 2: a quote in the middle of an unquoted field; quote the whole field and write a quote inside it as ""',
    );
    assert.equal(
      await readError('a,b,c\n"x\ny",1,"z"q\n', 2),
      'records.csv line 3, column 3: text follows the closing quote; quote the whole field and write a quote inside it as ""',
    );
    assert.equal(await readError('a,b\n1,2\n3,"open\n4,5\n'), 'records.csv line 3, column 2: a quoted field is not closed before the end of the file; add the closing quote');
  });
});

void describe('CSV data sets with RFC 4180 quoting', () => {
  const ctx = { baseDir: tmp.dir };
  tmp.write('notes.csv', ['id,"note, free text",x,label', '1,"two', 'lines",0.5,"a, b"', '2,"say ""no""",1.5,c', '3,plain,oops,c'].join('\r\n'));
  tmp.write('ragged.csv', ['a,b,label', '1,"x', 'y",2,extra', '1,2'].join('\n'));

  void it('loads rows whose text columns hold delimiters, quotes and line breaks', async () => {
    const data = await loadDataset({ type: 'csv', train: 'notes.csv', labelColumn: 'label', featureColumns: ['id', 'x'], subset: { train: 2 } }, ctx);
    assert.deepEqual([...data.train.x], [1, 0.5, 2, 1.5]);
    assert.deepEqual(data.classNames, ['a, b', 'c']);
  });

  void it('counts the lines a quoted field spans in the line numbers of later errors', async () => {
    const message = await userError(loadDataset({ type: 'csv', train: 'notes.csv', labelColumn: 'label', featureColumns: ['id', 'x'] }, ctx));
    assert.equal(message, "notes.csv line 5: column 'x' is 'oops', not a number; fix the value or leave the column out with data.featureColumns");
  });

  void it('names the line and the first missing or extra column of a ragged row', async () => {
    assert.equal(
      await userError(loadDataset({ type: 'csv', train: 'ragged.csv', labelColumn: 'label' }, ctx)),
      "ragged.csv line 2: 4 fields but the header has 3; column 4 is past the last column ('label'); check the delimiter and quoting",
    );
    tmp.write('short.csv', ['a,b,label', '1,2,x', '1,2'].join('\n'));
    assert.equal(
      await userError(loadDataset({ type: 'csv', train: 'short.csv', labelColumn: 'label' }, ctx)),
      "short.csv line 3: 2 fields but the header has 3; column 3 ('label') has no value; check the delimiter and quoting",
    );
  });
});

void describe('numbers read from bytes', () => {
  void it('gives exactly what Number() gives for plain decimals, and NaN (meaning: ask Number) for anything else', () => {
    const plain = ['0', '-0', '7', '+7', '0.5', '.5', '5.', '-12.375', '255', '3.14159', '1e3', '1.5E-7', '-2.5e+10', ' 42 ', '\t1.25', '999999999999999', '0.000001', '123456.789012'];
    for (const text of plain) assert.ok(Object.is(parseDecimal(Buffer.from(text), 0, Buffer.byteLength(text)), Number(text)), text);
    let seed = 1;
    const random = (): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    for (let i = 0; i < 20_000; i++) {
      const text = (random() * 10 ** Math.floor(random() * 12 - 6)).toFixed(Math.floor(random() * 8));
      assert.equal(parseDecimal(Buffer.from(text), 0, text.length), Number(text), text);
    }
    for (const text of ['', ' ', '-', '.', '1e', '1e+', 'abc', '1.2.3', '0x1A', 'Infinity', '1,5', '12345678901234567', '1e400']) {
      assert.ok(Number.isNaN(parseDecimal(Buffer.from(text), 0, text.length)), text);
    }
  });
});
