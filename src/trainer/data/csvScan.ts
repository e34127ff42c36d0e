// The first pass over a CSV that is streamed: it checks every row once (so a
// bad value stops the run before training starts, as when loading whole),
// counts the rows (the progress bar and ETA need batches per epoch), collects
// the class labels, and notes where every 1,024th row starts so a later pass
// can begin at any row without reading what comes before it. The result is
// cached by the file's path, size and modification time.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultCacheDir } from './download';
import { collectLabels, type CsvLayout } from './csvColumns';
import { readTable } from './csvTable';
import type { LoadContext } from './types';

/** Rows between two entries of the row index. */
export const INDEX_EVERY = 1024;
const FORMAT = 1;

export interface CsvScanOptions {
  delimiter: string;
  labelColumn: string;
  featureColumns?: string[];
  task: 'class' | 'regression';
  limit?: number;
}

export interface CsvScan {
  layout: CsvLayout;
  rows: number;
  /** Class labels in order of first appearance (empty for regression). */
  labels: string[];
  /** Byte offset and line of data row i * INDEX_EVERY. */
  offsets: number[];
  lines: number[];
  /** The file as it was scanned: a pass over a file that changed since fails. */
  size: number;
  mtimeMs: number;
}

/** Scans `path` (named `file` in messages), or takes the cached scan of the same file and options. */
export async function scanCsv(path: string, file: string, options: CsvScanOptions, ctx: LoadContext): Promise<CsvScan> {
  const stats = statSync(path, { throwIfNoEntry: false });
  const key = stats && JSON.stringify({ FORMAT, path, size: stats.size, mtimeMs: stats.mtimeMs, ...options });
  const cacheFile = key && join(scanCacheDir(), `${createHash('sha256').update(key).digest('hex').slice(0, 32)}.json`);
  if (key && cacheFile) {
    const cached = readCache(cacheFile, key);
    if (cached) return cached;
  }
  const labelIds = new Map<string, number>();
  const offsets: number[] = [];
  const lines: number[] = [];
  let scratchX = new Float32Array(0);
  const scratchY = new Float32Array(1);
  const table = await readTable(
    path,
    file,
    { ...options, labelOf: collectLabels(labelIds), ctx, progress: `Counting the rows of ${file}` },
    (record, reader, index) => {
      if (index % INDEX_EVERY === 0) {
        offsets.push(record.offset);
        lines.push(record.line);
      }
      if (scratchX.length !== reader.width) scratchX = new Float32Array(reader.width);
      reader.read(record, scratchX, 0, scratchY, 0);
    },
  );
  const scan: CsvScan = { layout: table.layout, rows: table.count, labels: [...labelIds.keys()], offsets, lines, size: table.size, mtimeMs: table.mtimeMs };
  // Cached only when the file did not change while it was read.
  if (key && cacheFile && stats.size === table.size && stats.mtimeMs === table.mtimeMs) writeCache(cacheFile, key, scan);
  return scan;
}

/** $XDG_CACHE_HOME/model-studio/csv-index (or ~/.cache/...). */
export function scanCacheDir(): string {
  return join(defaultCacheDir(), 'csv-index');
}

function readCache(cacheFile: string, key: string): CsvScan | undefined {
  try {
    const entry = JSON.parse(readFileSync(cacheFile, 'utf8')) as { key: string; scan: CsvScan };
    return entry.key === key ? entry.scan : undefined;
  } catch {
    return undefined;
  }
}

/** Best effort: a cache that cannot be written only means the next run scans again. */
function writeCache(cacheFile: string, key: string, scan: CsvScan): void {
  try {
    mkdirSync(join(cacheFile, '..'), { recursive: true });
    const temp = `${cacheFile}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify({ key, scan }));
    renameSync(temp, cacheFile);
  } catch {
    // Nothing to do.
  }
}
