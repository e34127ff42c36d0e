// CSV data sets, streamed line by line into growing typed arrays so a file
// larger than memory is never read whole. A header row names the columns;
// features must be numbers; class labels may be names or integers.
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { UserError } from '../../shared/errors';
import type { CsvDataSpec } from '../../shared/spec';
import { splitCsvLine } from './csvLine';
import { fileError, resolveDataPath } from '../../core/dataFiles';
import { GrowableFloat32, GrowableInt32 } from './growable';
import type { SplitLimits } from './subset';
import type { Dataset, LoadContext, Split } from './types';

interface CsvOptions {
  delimiter: string;
  labelColumn: string;
  /** Feature names to use; undefined: every other column that is numeric in the first data row. */
  featureColumns?: string[];
  task: 'class' | 'regression';
  /** Class label text -> id in order of first appearance, shared by both splits. */
  labelIds: Map<string, number>;
  limit?: number;
  ctx: LoadContext;
}

interface CsvTable {
  split: Split;
  featureNames: string[];
}

const PROGRESS_EVERY_LINES = 50_000;

export async function loadCsv(spec: CsvDataSpec, ctx: LoadContext, limits: SplitLimits): Promise<Dataset> {
  const task = spec.task ?? 'class';
  const delimiter = spec.delimiter ?? ',';
  if (delimiter === '' || delimiter.includes('"')) throw new UserError(`data.delimiter is ${JSON.stringify(delimiter)}; use a character such as "," or ";"`);
  const labelIds = new Map<string, number>();
  const base = { delimiter, labelColumn: spec.labelColumn, task, labelIds, ctx };
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

/**
 * Integer labels (0, 1, 2 ...) are class indices as they are; any other text
 * labels become sorted class names.
 */
function classMapping(labelIds: Map<string, number>): { indexOfId: Int32Array; numClasses: number; names?: string[] } {
  const indexOfId = new Int32Array(labelIds.size);
  const keys = [...labelIds.keys()];
  const ints = keys.map((k) => Number(k));
  if (ints.every((v) => Number.isInteger(v) && v >= 0 && v < 65536)) {
    let max = -1;
    keys.forEach((k, i) => {
      indexOfId[labelIds.get(k) as number] = ints[i];
      max = Math.max(max, ints[i]);
    });
    return { indexOfId, numClasses: max + 1 };
  }
  const names = keys.sort();
  names.forEach((name, index) => (indexOfId[labelIds.get(name) as number] = index));
  return { indexOfId, numClasses: names.length, names };
}

async function readCsv(file: string, options: CsvOptions): Promise<CsvTable> {
  const path = resolveDataPath(options.ctx.baseDir, file);
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw fileError(path, error);
  }
  const size = (await handle.stat()).size;
  const stream = handle.createReadStream({ encoding: 'utf8', highWaterMark: 1 << 20 });
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  const x = new GrowableFloat32();
  const yClass = new GrowableInt32();
  const yValue = new GrowableFloat32();
  const { delimiter, task, labelIds, ctx } = options;
  const where = (n: number): string => `${file} line ${n}`;

  let header: string[] | undefined;
  let labelIndex = -1;
  let features: number[] | undefined;
  let count = 0;
  let lineNo = 0;
  try {
    for await (const raw of lines) {
      lineNo++;
      if (lineNo % PROGRESS_EVERY_LINES === 0) {
        ctx.signal?.throwIfAborted();
        ctx.onProgress?.(`Reading ${file}`, stream.bytesRead, size);
      }
      const line = lineNo === 1 ? raw.replace(/^\uFEFF/, '') : raw;
      if (line.trim() === '') continue;
      const fields = splitCsvLine(line, delimiter);
      if (!fields) throw new UserError(`${where(lineNo)}: a quoted field is not closed; fields that span lines are not supported`);

      if (!header) {
        header = fields.map((f) => f.trim());
        labelIndex = columnIndex(header, options.labelColumn, file, 'labelColumn');
        if (options.featureColumns) features = options.featureColumns.map((name) => columnIndex(header as string[], name, file, 'featureColumns'));
        continue;
      }
      if (fields.length !== header.length) {
        throw new UserError(`${where(lineNo)}: ${fields.length} fields but the header has ${header.length}; check the delimiter and quoting`);
      }
      features ??= numericColumns(header, fields, labelIndex, file);

      for (const c of features) {
        const v = parseNumber(fields[c]);
        if (Number.isNaN(v)) {
          throw new UserError(
            `${where(lineNo)}: column '${header[c]}' is '${clip(fields[c])}', not a number; fix the value or leave the column out with data.featureColumns`,
          );
        }
        x.push(v);
      }
      const label = fields[labelIndex].trim();
      if (task === 'regression') {
        const v = parseNumber(label);
        if (Number.isNaN(v)) throw new UserError(`${where(lineNo)}: label column '${header[labelIndex]}' is '${clip(label)}', not a number (task is 'regression')`);
        yValue.push(v);
      } else {
        if (label === '') throw new UserError(`${where(lineNo)}: label column '${header[labelIndex]}' is empty; every row needs a label`);
        let id = labelIds.get(label);
        if (id === undefined) labelIds.set(label, (id = labelIds.size));
        yClass.push(id);
      }
      if (++count === options.limit) break;
    }
  } finally {
    lines.close();
    stream.destroy();
    await handle.close().catch(() => undefined);
  }
  if (lineNo >= PROGRESS_EVERY_LINES) ctx.onProgress?.(`Reading ${file}`, size, size);
  if (!header) throw new UserError(`${file} is empty; a CSV data set needs a header row and data rows`);
  if (count === 0) throw new UserError(`${file} has a header but no data rows`);
  const featureNames = (features ?? []).map((c) => (header as string[])[c]);
  return {
    split: { x: x.result(), y: task === 'regression' ? yValue.result() : yClass.result(), count },
    featureNames,
  };
}

function columnIndex(header: string[], name: string, file: string, field: string): number {
  const index = header.indexOf(name);
  if (index < 0) throw new UserError(`${file} has no column '${name}' (columns: ${header.join(', ')}); fix data.${field}`);
  return index;
}

/** Default features: every column but the label whose first value is a number. */
function numericColumns(header: string[], firstRow: string[], labelIndex: number, file: string): number[] {
  const columns = header.map((_, c) => c).filter((c) => c !== labelIndex && !Number.isNaN(parseNumber(firstRow[c])));
  if (columns.length === 0) throw new UserError(`${file} has no numeric feature columns; list them in data.featureColumns`);
  return columns;
}

function parseNumber(text: string): number {
  const t = text.trim();
  return t === '' ? NaN : Number(t);
}

function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
