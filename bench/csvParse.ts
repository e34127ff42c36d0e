// Rows/s turning a CSV file into Float32Array rows: Model Studio's byte-level
// RFC 4180 reader (one streamed pass, as each training epoch reads the file)
// against csv-parse (streaming, fields as strings, Number() each), on the same
// generated MNIST-like file (label + 784 pixel ints, 80% zeros, ~1.8 KB a row).
// Usage: node --import tsx bench/csvParse.ts [--rows 30000] [--repeat 3]
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parse } from 'csv-parse';
import { loadCsvStreamed } from '../src/trainer/data/csvStream';
import { writeMnistLikeCsv, PIXELS } from './csvData';

const { values } = parseArgs({ options: { rows: { type: 'string', default: '30000' }, repeat: { type: 'string', default: '3' } } });
const rows = Number(values.rows);
const repeat = Number(values.repeat);

/** One pass of the byte-level reader over every row, as a training epoch makes it. */
async function byteLevel(file: string): Promise<number> {
  const dir = join(file, '..');
  const data = await loadCsvStreamed({ type: 'csv', train: file, labelColumn: 'label', streaming: true }, { baseDir: dir }, {});
  let sum = 0;
  let count = 0;
  for await (const block of data.train.blocks(0, data.train.count)) {
    sum += block.x[0] + block.y[block.count - 1];
    count += block.count;
  }
  if (count !== rows || Number.isNaN(sum)) throw new Error(`byte-level reader: ${count} rows`);
  return count;
}

/** csv-parse's stream, fields as strings, each turned into a number into the same kind of rows. */
async function csvParse(file: string): Promise<number> {
  const x = new Float32Array(PIXELS);
  const labels = new Map<string, number>();
  let count = 0;
  const parser = createReadStream(file, { highWaterMark: 256 * 1024 }).pipe(parse({ from_line: 2 }));
  for await (const record of parser as AsyncIterable<string[]>) {
    if (record.length !== PIXELS + 1) throw new Error(`csv-parse: row ${count + 2} has ${record.length} fields`);
    let id = labels.get(record[0]);
    if (id === undefined) labels.set(record[0], (id = labels.size));
    for (let i = 0; i < PIXELS; i++) {
      const v = Number(record[i + 1]);
      if (Number.isNaN(v)) throw new Error(`csv-parse: row ${count + 2} field ${i + 1} is not a number`);
      x[i] = v;
    }
    count++;
  }
  if (count !== rows) throw new Error(`csv-parse: ${count} rows`);
  return count;
}

async function rate(name: string, read: () => Promise<number>): Promise<number> {
  let best = 0;
  for (let i = 0; i < repeat; i++) {
    const start = performance.now();
    const n = await read();
    best = Math.max(best, n / ((performance.now() - start) / 1000));
  }
  console.log(`${name.padEnd(34)} ${best.toFixed(0).padStart(8)} rows/s (best of ${repeat})`);
  return best;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-csv-parse-'));
  process.env.XDG_CACHE_HOME = join(dir, 'cache');
  try {
    const file = join(dir, 'pixels.csv');
    const { bytes } = await writeMnistLikeCsv(file, rows);
    console.log(`${rows} rows, ${(bytes / 1024 / 1024).toFixed(0)} MB (label + ${PIXELS} pixel ints)`);
    await byteLevel(file); // the first pass (row count and index), cached, is not what is measured
    const ours = await rate('byte-level reader (csvFile.ts)', () => byteLevel(file));
    const theirs = await rate('csv-parse 6 + Number()', () => csvParse(file));
    console.log(`byte-level / csv-parse: ${(ours / theirs).toFixed(2)}x`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
