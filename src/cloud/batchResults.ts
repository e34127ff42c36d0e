// A batch prediction job's inputs and results, read and written in bounded
// pieces: a local JSONL file uploaded as the job's instances, and one page of
// its results (predictions first, then errors) streamed from Cloud Storage,
// so a viewer never holds a whole output in memory.
import { stat } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import type { CloudClients } from './clients';
import { uploadFiles, type UploadProgress } from './uploadFolder';
import { explainStorageError } from './storageErrors';
import type { BatchPredictionJobSummary } from '../shared/cloudResources';
import { UserError } from '../shared/errors';

/** What Vertex AI takes in one input file is larger; this keeps an editor upload sane. */
export const MAX_INSTANCES_FILE_BYTES = 256 * 1024 * 1024;
/** A result line longer than this is counted but not parsed (an instance too large to show). */
export const MAX_RESULT_LINE_BYTES = 1024 * 1024;
/** Rows one page may hold. */
export const MAX_RESULTS_PAGE = 500;

function gsParts(uri: string, what: string): { bucket: string; path: string } {
  const match = /^gs:\/\/([a-z0-9][a-z0-9._-]{1,220})\/(.*)$/.exec(uri);
  if (!match) throw new UserError(`${what} "${uri}" is not a Cloud Storage path: use gs://BUCKET/PATH`);
  return { bucket: match[1], path: match[2] };
}

/** The first line of a JSONL file, to check it before an upload. */
async function firstLine(path: string): Promise<string> {
  let text = '';
  for await (const chunk of createReadStream(path, { end: 4 * 1024 * 1024 })) {
    text += (chunk as Buffer).toString('utf8');
    const end = text.indexOf('\n');
    if (end >= 0) return text.slice(0, end);
  }
  return text;
}

/** Uploads a local JSONL file of instances to `destination` (gs://BUCKET/PATH.jsonl) after checking it. */
export async function uploadInstancesFile(
  clients: CloudClients,
  localPath: string,
  destination: string,
  options: { onProgress?: (progress: UploadProgress) => void; signal?: AbortSignal } = {},
): Promise<string> {
  const { bucket, path } = gsParts(destination, 'The instances destination');
  const info = await stat(localPath).catch(() => undefined);
  if (!info?.isFile()) throw new UserError(`${localPath} is not a file: choose a JSONL file with one instance per line`);
  if (info.size === 0) throw new UserError(`${localPath} is empty: a JSONL file needs one instance per line`);
  if (info.size > MAX_INSTANCES_FILE_BYTES) throw new UserError(`${localPath} has ${Math.round(info.size / 1048576)} MB, over ${MAX_INSTANCES_FILE_BYTES / 1048576} MB: upload it with \`gcloud storage cp\` and give its gs:// URI`);
  const line = await firstLine(localPath);
  try {
    JSON.parse(line);
  } catch {
    throw new UserError(`${localPath}: line 1 is not JSON: a JSONL file has one JSON instance per line, e.g. [0, 0.5, 1]`);
  }
  const [exists] = await clients.storage
    .bucket(bucket)
    .exists()
    .catch((error: unknown) => {
      throw explainStorageError(error, `checking bucket gs://${bucket}`, clients.config, 'storage.buckets.get');
    });
  if (!exists) await clients.storage.createBucket(bucket, { location: clients.config.region.toUpperCase() }).catch((error: unknown) => {
    throw explainStorageError(error, `creating bucket gs://${bucket}`, clients.config, 'storage.buckets.create');
  });
  const slash = path.lastIndexOf('/');
  await uploadFiles(clients.storage, clients.config, { bucket, prefix: path.slice(0, slash + 1) }, [{ path: localPath, name: path.slice(slash + 1), bytes: info.size }], options);
  return destination;
}

export interface BatchResultRow {
  /** Position among all results (predictions first, then errors). */
  index: number;
  instance?: unknown;
  prediction?: unknown;
  /** Why this instance has no prediction. */
  error?: string;
  /** The line was longer than MAX_RESULT_LINE_BYTES and was not read. */
  tooLarge?: boolean;
}

export interface BatchResultsPage {
  offset: number;
  rows: BatchResultRow[];
  /** Whether results follow this page. */
  more: boolean;
}

/** Lines of a stream, each cut off (and flagged) past `maxBytes`, so one line never fills memory. */
async function* boundedLines(stream: Readable, maxBytes: number): AsyncGenerator<{ text: string; tooLarge: boolean }> {
  let parts: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  for await (const chunk of stream) {
    let buffer = chunk as Buffer;
    for (let newline = buffer.indexOf(10); newline >= 0; newline = buffer.indexOf(10)) {
      if (!tooLarge && size + newline <= maxBytes) parts.push(buffer.subarray(0, newline));
      else tooLarge = true;
      yield { text: Buffer.concat(parts).toString('utf8'), tooLarge };
      parts = [];
      size = 0;
      tooLarge = false;
      buffer = buffer.subarray(newline + 1);
    }
    if (!tooLarge && size + buffer.length <= maxBytes) {
      parts.push(buffer);
      size += buffer.length;
    } else {
      tooLarge = true;
      parts = [];
    }
  }
  if (size > 0 || tooLarge) yield { text: Buffer.concat(parts).toString('utf8'), tooLarge };
}

function resultRow(index: number, line: { text: string; tooLarge: boolean }): BatchResultRow {
  if (line.tooLarge) return { index, tooLarge: true };
  try {
    const row = JSON.parse(line.text) as { instance?: unknown; prediction?: unknown; status?: { message?: string } | string };
    if (row.status !== undefined) return { index, instance: row.instance, error: typeof row.status === 'string' ? row.status : (row.status.message ?? 'failed') };
    return { index, instance: row.instance, prediction: row.prediction };
  } catch {
    return { index, error: `not JSON: ${line.text.slice(0, 80)}` };
  }
}

/** Rows offset..offset+limit of what a finished job wrote, streamed: files and lines before the page are skipped, nothing after it is read. */
export async function readBatchResultsPage(clients: CloudClients, job: BatchPredictionJobSummary, offset: number, limit: number): Promise<BatchResultsPage> {
  if (!Number.isInteger(offset) || offset < 0) throw new UserError(`The results offset must be a whole number, not ${offset}`);
  const size = Math.max(1, Math.min(MAX_RESULTS_PAGE, Math.floor(limit)));
  if (!job.outputDirectory) throw new UserError(`Batch prediction job ${job.id} has no results yet (state ${job.state.toLowerCase()})`);
  const { bucket, path } = gsParts(job.outputDirectory, `Batch prediction job ${job.id}'s output`);
  const [files] = await clients.storage
    .bucket(bucket)
    .getFiles({ prefix: `${path.replace(/\/$/, '')}/` })
    .catch((error: unknown) => {
      throw explainStorageError(error, `listing ${job.outputDirectory}`, clients.config, 'storage.objects.list');
    });
  const order = (name: string): string => `${name.includes('/predictions_') ? 0 : 1}${name}`;
  const outputs = files.filter((f) => /\/(predictions|errors)_\d+\.jsonl$/.test(f.name)).sort((a, b) => order(a.name).localeCompare(order(b.name)));
  const rows: BatchResultRow[] = [];
  let index = 0;
  for (const file of outputs) {
    const stream = file.createReadStream({ validation: false });
    try {
      for await (const line of boundedLines(stream, MAX_RESULT_LINE_BYTES)) {
        if (!line.tooLarge && line.text.trim() === '') continue;
        if (index >= offset + size) return { offset, rows, more: true };
        if (index >= offset) rows.push(resultRow(index, line));
        index++;
      }
    } finally {
      stream.destroy();
    }
  }
  return { offset, rows, more: false };
}
