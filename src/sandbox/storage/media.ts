// Object bytes: alt=media and mediaLink downloads, with Range requests and
// the x-goog-hash header the client checks the bytes against.
import { open } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { GcsError } from './errors';
import { header, type Exchange } from './http';
import type { ObjectParams } from './paths';
import { optionalInt } from './query';

export async function sendMedia(x: Exchange, { bucket, object }: ObjectParams): Promise<void> {
  const { req, res, store } = x;
  const generation = optionalInt(x.query, 'generation');
  // Open before streaming: a concurrent overwrite unlinks the old file, but an
  // open descriptor keeps reading the generation we looked up.
  let record = store.getObject(bucket, object, generation);
  let file = await open(store.dataPath(record)).catch(() => undefined);
  if (!file) {
    record = store.getObject(bucket, object, generation);
    file = await open(store.dataPath(record));
  }
  try {
    const range = parseRange(header(req, 'range'), record.size);
    res.setHeader('Content-Type', record.contentType ?? 'application/octet-stream');
    res.setHeader('x-goog-hash', `crc32c=${record.crc32c},md5=${record.md5Hash}`);
    res.setHeader('x-goog-generation', String(record.generation));
    res.setHeader('x-goog-metageneration', String(record.metageneration));
    res.setHeader('x-goog-stored-content-encoding', record.contentEncoding ?? 'identity');
    res.setHeader('x-goog-stored-content-length', String(record.size));
    res.setHeader('ETag', `"${record.md5Hash}"`);
    res.setHeader('Accept-Ranges', 'bytes');
    if (range === 'unsatisfiable') {
      res.setHeader('Content-Range', `bytes */${record.size}`);
      throw new GcsError(416, 'The requested range cannot be satisfied.', 'requestedRangeNotSatisfiable');
    }
    const [start, end] = range ?? [0, record.size];
    res.statusCode = range ? 206 : 200;
    if (range) res.setHeader('Content-Range', `bytes ${start}-${end - 1}/${record.size}`);
    res.setHeader('Content-Length', String(end - start));
    req.resume();
    if (end === start) {
      res.end();
      return;
    }
    await pipeline(file.createReadStream({ start, end: end - 1, autoClose: false }), res);
  } finally {
    await file.close();
  }
}

/** `bytes=a-b`, `bytes=a-`, `bytes=-n`; returns [start, end) or undefined for the whole object. */
export function parseRange(value: string | undefined, size: number): [number, number] | 'unsatisfiable' | undefined {
  if (!value) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(value.trim());
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  if (match[1] === '') {
    const suffix = Math.min(Number(match[2]), size);
    return [size - suffix, size];
  }
  const start = Number(match[1]);
  const end = match[2] === '' ? size : Math.min(Number(match[2]) + 1, size);
  if (start >= size || end <= start) return size === 0 ? undefined : 'unsatisfiable';
  return [start, end];
}
