// CSV data sets read in passes instead of loaded whole: for files bigger than
// memory, or when the spec asks (data.streaming). A first pass (csvScan.ts)
// checks and counts the rows and finds the classes; every later pass reads
// rows [from, to) from the row index's nearest entry, a chunk at a time, into
// one reused block. Memory stays at a chunk, a block and the trainer's
// shuffle buffer, whatever the file's size.
import { statSync } from 'node:fs';
import { UserError } from '../../shared/errors';
import type { CsvDataSpec } from '../../shared/spec';
import { resolveDataPath } from '../../core/dataFiles';
import { classMapping, RowReader, type LabelOf } from './csvColumns';
import { CsvFile } from './csvFile';
import type { CsvRecord } from './csvRecords';
import { csvDelimiter } from './csv';
import { INDEX_EVERY, scanCsv, type CsvScan } from './csvScan';
import type { SplitLimits } from './subset';
import type { LoadContext, RowBlock, StreamedDataset, StreamedSplit } from './types';

/** Files bigger than this (train and test together) are streamed unless data.streaming says otherwise. */
export const STREAM_CSV_ABOVE_BYTES = 256 * 1024 * 1024;
/** The default shuffle buffer holds as many rows as fit in this. */
export const SHUFFLE_BUFFER_BYTES = 64 * 1024 * 1024;

/** Whether to stream: data.streaming when set, else by the files' size (a missing file loads whole, which reports it). */
export function streamsCsv(spec: CsvDataSpec, ctx: LoadContext): boolean {
  if (spec.streaming !== undefined) return spec.streaming;
  const size = (file: string | undefined): number => (file ? (statSync(resolveDataPath(ctx.baseDir, file), { throwIfNoEntry: false })?.size ?? 0) : 0);
  const total = size(spec.train) + size(spec.test);
  if (total <= STREAM_CSV_ABOVE_BYTES) return false;
  ctx.log?.(
    `The CSV data is ${(total / 1024 / 1024).toFixed(0)} MB: it is read in passes with a shuffle buffer instead of loaded whole ` +
      `(set data.streaming to false to load it whole).`,
  );
  return true;
}

export async function loadCsvStreamed(spec: CsvDataSpec, ctx: LoadContext, limits: SplitLimits): Promise<StreamedDataset> {
  const task = spec.task ?? 'class';
  const delimiter = csvDelimiter(spec);
  const options = { delimiter, labelColumn: spec.labelColumn, task };
  const trainPath = resolveDataPath(ctx.baseDir, spec.train);
  const train = await scanCsv(trainPath, spec.train, { ...options, featureColumns: spec.featureColumns, limit: limits.train }, ctx);
  const featureNames = train.layout.features.map((c) => train.layout.header[c]);
  const testPath = spec.test ? resolveDataPath(ctx.baseDir, spec.test) : undefined;
  const test = spec.test && testPath ? await scanCsv(testPath, spec.test, { ...options, featureColumns: featureNames, limit: limits.test }, ctx) : undefined;

  const sampleShape = [featureNames.length];
  const data: Omit<StreamedDataset, 'train' | 'test'> = {
    streamed: true,
    sampleShape,
    labelShape: task === 'regression' ? [1] : [],
    kind: 'tabular',
    shuffleBuffer: spec.shuffleBuffer ?? Math.max(1, Math.floor(SHUFFLE_BUFFER_BYTES / (4 * (featureNames.length + 1)))),
  };
  let labelsOf = (_file: string): LabelOf => () => 0;
  if (task === 'class') {
    // Ids in order of first appearance over both files, as when loading whole.
    const labelIds = new Map<string, number>();
    for (const label of [...train.labels, ...(test?.labels ?? [])]) if (!labelIds.has(label)) labelIds.set(label, labelIds.size);
    const classes = classMapping(labelIds);
    const classOf = new Map([...labelIds].map(([text, id]) => [text, classes.indexOfId[id]]));
    data.numClasses = classes.numClasses;
    data.classNames = classes.names;
    labelsOf = (file) => (text, record) => {
      const index = classOf.get(text);
      if (index === undefined) throw changedFile(`${file} line ${record.line}`, `label '${text}' was not in the file when it was first read`);
      return index;
    };
  }
  return {
    ...data,
    train: new CsvSplit(trainPath, spec.train, delimiter, train, new RowReader(train.layout, spec.train, task, labelsOf(spec.train))),
    test: test && testPath && spec.test ? new CsvSplit(testPath, spec.test, delimiter, test, new RowReader(test.layout, spec.test, task, labelsOf(spec.test))) : undefined,
  };
}

function changedFile(where: string, what: string): UserError {
  return new UserError(`${where}: ${what}; the file changed since training started: train again to read it anew`);
}

class CsvSplit implements StreamedSplit {
  readonly count: number;
  /** The block rows are read into, reused. */
  private blockX = new Float32Array(0);
  private blockY = new Float32Array(0);

  constructor(
    private readonly path: string,
    private readonly file: string,
    private readonly delimiter: string,
    private readonly scan: CsvScan,
    private readonly reader: RowReader,
  ) {
    this.count = scan.rows;
  }

  async *blocks(from: number, to: number, signal?: AbortSignal): AsyncGenerator<RowBlock> {
    const end = Math.min(to, this.count);
    if (from >= end || signal?.aborted) return;
    const entry = Math.floor(from / INDEX_EVERY);
    const { scan, reader } = this;
    const csv = await CsvFile.open(this.path, this.file, this.delimiter, { offset: scan.offsets[entry], line: scan.lines[entry] });
    const width = reader.width;
    let row = entry * INDEX_EVERY;
    let count = 0;
    const onRecord = (record: CsvRecord): boolean => {
      if (row >= from) {
        if (count === this.blockY.length) this.grow();
        reader.read(record, this.blockX, count * width, this.blockY, count);
        count++;
      }
      return ++row < end;
    };
    try {
      if (csv.size !== scan.size || csv.mtimeMs !== scan.mtimeMs) throw changedFile(this.file, 'its size or modification time is not what it was');
      for (;;) {
        count = 0;
        const more = await csv.read(onRecord);
        if (signal?.aborted) return;
        if (count > 0) yield { x: this.blockX, y: this.blockY, count };
        if (!more) break;
      }
    } finally {
      await csv.close();
    }
    if (row < end) throw changedFile(this.file, `it ends after ${row} rows, not ${this.count}`);
  }

  private grow(): void {
    const rows = Math.max(256, this.blockY.length * 2);
    const x = new Float32Array(rows * this.reader.width);
    const y = new Float32Array(rows);
    x.set(this.blockX);
    y.set(this.blockY);
    this.blockX = x;
    this.blockY = y;
  }
}
