// CSV data sets loaded whole: parsed chunk by chunk (csvFile.ts) straight into
// growing typed arrays. A header row names the columns; features must be
// numbers; class labels may be names or integers. Files too big for memory
// are streamed instead (csvStream.ts); both read the same way (csvTable.ts).
import { UserError } from '../../shared/errors';
import type { CsvDataSpec } from '../../shared/spec';
import { resolveDataPath } from '../../core/dataFiles';
import type { CsvRecord } from './csvRecords';
import { classMapping, collectLabels, type RowReader } from './csvColumns';
import { readTable } from './csvTable';
import type { SplitLimits } from './subset';
import type { Dataset, LoadContext, Split } from './types';

interface CsvOptions {
  delimiter: string;
  labelColumn: string;
  featureColumns?: string[];
  task: 'class' | 'regression';
  /** Class label text -> id in order of first appearance, shared by both splits. */
  labelIds: Map<string, number>;
  limit?: number;
  ctx: LoadContext;
}

export function csvDelimiter(spec: CsvDataSpec): string {
  const delimiter = spec.delimiter ?? ',';
  if (delimiter === '' || delimiter.includes('"') || delimiter.includes('\n') || delimiter.includes('\r')) {
    throw new UserError(`data.delimiter is ${JSON.stringify(delimiter)}; use a character such as "," or ";"`);
  }
  return delimiter;
}

export async function loadCsv(spec: CsvDataSpec, ctx: LoadContext, limits: SplitLimits): Promise<Dataset> {
  const task = spec.task ?? 'class';
  const labelIds = new Map<string, number>();
  const base = { delimiter: csvDelimiter(spec), labelColumn: spec.labelColumn, task, labelIds, ctx };
  const train = await readCsv(spec.train, { ...base, featureColumns: spec.featureColumns, limit: limits.train });
  const test = spec.test ? await readCsv(spec.test, { ...base, featureColumns: train.featureNames, limit: limits.test }) : undefined;

  const dataset: Dataset = {
    sampleShape: [train.featureNames.length],
    labelShape: task === 'regression' ? [1] : [],
    kind: 'tabular',
    train: train.split,
    test: test?.split,
  };
  if (task === 'class') {
    const classes = classMapping(labelIds);
    for (const split of [train.split, test?.split]) {
      if (!split) continue;
      const y = split.y as Int32Array;
      for (let i = 0; i < y.length; i++) y[i] = classes.indexOfId[y[i]];
    }
    dataset.numClasses = classes.numClasses;
    dataset.classNames = classes.names;
  }
  return dataset;
}

async function readCsv(file: string, options: CsvOptions): Promise<{ split: Split; featureNames: string[] }> {
  const rows = new GrowingRows(options.task === 'regression');
  const table = await readTable(
    resolveDataPath(options.ctx.baseDir, file),
    file,
    { ...options, labelOf: collectLabels(options.labelIds), progress: `Reading ${file}` },
    (record, reader) => rows.add(record, reader),
  );
  return { split: rows.result(), featureNames: table.layout.features.map((c) => table.layout.header[c]) };
}

/** Rows written straight into typed arrays that double when full. */
class GrowingRows {
  private x = new Float32Array(0);
  private y: Float32Array | Int32Array;
  private count = 0;
  private width = -1;

  constructor(regression: boolean) {
    this.y = regression ? new Float32Array(1024) : new Int32Array(1024);
  }

  add(record: CsvRecord, reader: RowReader): void {
    if (this.width < 0) {
      this.width = reader.width;
      this.x = new Float32Array(1024 * this.width);
    }
    if (this.count === this.y.length) {
      const x = new Float32Array(this.x.length * 2);
      x.set(this.x);
      this.x = x;
      const y = this.y instanceof Int32Array ? new Int32Array(this.y.length * 2) : new Float32Array(this.y.length * 2);
      y.set(this.y);
      this.y = y;
    }
    reader.read(record, this.x, this.count * this.width, this.y, this.count);
    this.count++;
  }

  /** The rows; a view when little space is wasted, else a trimmed copy. */
  result(): Split {
    const keep = this.count * 4 >= this.y.length * 3;
    const n = this.count;
    const w = Math.max(0, this.width);
    return {
      x: keep ? this.x.subarray(0, n * w) : this.x.slice(0, n * w),
      y: keep ? this.y.subarray(0, n) : this.y.slice(0, n),
      count: n,
    };
  }
}
