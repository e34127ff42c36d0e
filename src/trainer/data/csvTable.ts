// One pass over a CSV from its first line: the header names the columns, then
// every data row goes to the caller with the reader that turns it into
// numbers. Loading a file whole and the first pass of streaming share it.
import { UserError } from '../../shared/errors';
import type { CsvRecord } from './csvRecords';
import { CsvFile } from './csvFile';
import { columnIndex, numericColumns, readHeader, RowReader, type CsvLayout, type LabelOf } from './csvColumns';
import type { LoadContext } from './types';

export interface TableOptions {
  delimiter: string;
  labelColumn: string;
  /** Feature names to use; undefined: every other column that is numeric in the first data row. */
  featureColumns?: string[];
  task: 'class' | 'regression';
  labelOf: LabelOf;
  /** Stop after this many data rows. */
  limit?: number;
  ctx: LoadContext;
  /** What progress reports say, e.g. "Reading train.csv". */
  progress: string;
}

export interface Table {
  layout: CsvLayout;
  count: number;
  size: number;
  mtimeMs: number;
}

/** Reads `path` (named `file` in messages); onRow gets each data row and its 0-based index. */
export async function readTable(path: string, file: string, options: TableOptions, onRow: (record: CsvRecord, reader: RowReader, index: number) => void): Promise<Table> {
  const { ctx } = options;
  const csv = await CsvFile.open(path, file, options.delimiter);
  let header: string[] | undefined;
  let labelIndex = -1;
  let features: number[] | undefined;
  let reader: RowReader | undefined;
  let layout: CsvLayout | undefined;
  let count = 0;
  const onRecord = (record: CsvRecord): boolean => {
    if (!header) {
      header = readHeader(record);
      labelIndex = columnIndex(header, options.labelColumn, file, 'labelColumn');
      if (options.featureColumns) features = options.featureColumns.map((name) => columnIndex(header as string[], name, file, 'featureColumns'));
      return true;
    }
    if (!reader) {
      layout = { header, labelIndex, features: features ?? numericColumns(header, record, labelIndex, file) };
      reader = new RowReader(layout, file, options.task, options.labelOf);
    }
    onRow(record, reader, count);
    return ++count !== options.limit;
  };
  let chunks = 0;
  try {
    while (await csv.read(onRecord)) {
      ctx.signal?.throwIfAborted();
      ctx.onProgress?.(options.progress, csv.bytesRead, csv.size);
      chunks++;
    }
  } finally {
    await csv.close();
  }
  if (chunks > 0) ctx.onProgress?.(options.progress, csv.size, csv.size);
  if (!header) throw new UserError(`${file} is empty; a CSV data set needs a header row and data rows`);
  if (!layout) throw new UserError(`${file} has a header but no data rows`);
  return { layout, count, size: csv.size, mtimeMs: csv.mtimeMs };
}
