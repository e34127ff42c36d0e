// Upload handlers: uploadType=media, multipart and resumable (POST opens a
// session, PUTs send its chunks, DELETE cancels it). Every body is streamed
// to a staged file under the object size limit before it is committed.
import { createReadStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { badRequest, tooLarge } from './errors';
import { Hasher, removeQuietly, streamToFile } from './files';
import { checkLength, header, notSupported, readJsonBody, sendEmpty, sendJson, type Exchange } from './http';
import { isJsonObject } from './json';
import { boundaryOf, locateParts } from './multipart';
import type { BucketParams } from './paths';
import { conditions, objectName } from './query';
import { objectFields, objectResource, type ObjectRecord } from './records';
import { checkClientHashes } from './sessions';

/** Room for a multipart body's boundaries and part headers beyond its metadata and media. */
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

export async function startUpload(x: Exchange, { bucket }: BucketParams): Promise<void> {
  if (sessionId(x.query)) throw notSupported('POST', 'resumable session');
  x.store.getBucket(bucket);
  const uploadType = x.query.get('uploadType');
  switch (uploadType) {
    case 'resumable':
      return openSession(x, bucket);
    case 'multipart':
      return sendJson(x.res, 200, objectResource(await multipartUpload(x, bucket), x.base));
    case 'media':
    case null:
      return sendJson(x.res, 200, objectResource(await mediaUpload(x, bucket), x.base));
    default:
      throw badRequest(`Unsupported uploadType '${uploadType}': use media, multipart or resumable.`);
  }
}

export async function putUploadChunk(x: Exchange): Promise<void> {
  const id = sessionId(x.query);
  if (!id) throw notSupported('PUT', 'upload');
  checkLength(x.req, x.limits.maxObjectBytes);
  const result = await x.sessions.putChunk(id, x.req, header(x.req, 'content-range'), header(x.req, 'x-goog-hash'));
  if (result.done) return sendJson(x.res, 200, objectResource(result.object, x.base));
  // 308 Resume Incomplete, with the bytes received so far.
  if (result.received > 0) x.res.setHeader('Range', `bytes=0-${result.received - 1}`);
  sendEmpty(x.res, 308);
}

export async function cancelUpload(x: Exchange): Promise<void> {
  const id = sessionId(x.query);
  if (!id) throw notSupported('DELETE', 'upload');
  await x.sessions.cancel(id);
  sendEmpty(x.res, 499);
}

/** The resumable session a request addresses, if it addresses one. */
export function sessionId(query: URLSearchParams): string | undefined {
  return (query.get('uploadType') === 'resumable' && query.get('upload_id')) || undefined;
}

async function openSession(x: Exchange, bucket: string): Promise<void> {
  const body = await readJsonBody(x);
  const name = objectName(x.query, body);
  const fields = objectFields(body);
  const contentType = header(x.req, 'x-upload-content-type');
  if (contentType && !fields.contentType) fields.contentType = contentType;
  const length = header(x.req, 'x-upload-content-length');
  const expected = length === undefined ? undefined : Number(length);
  if (expected !== undefined && !Number.isSafeInteger(expected)) throw badRequest('Invalid X-Upload-Content-Length.');
  const id = await x.sessions.create(bucket, name, fields, conditions(x.query), expected);
  x.res.setHeader(
    'Location',
    `${x.base}/upload/storage/v1/b/${encodeURIComponent(bucket)}/o?uploadType=resumable&name=${encodeURIComponent(name)}&upload_id=${id}`,
  );
  sendJson(x.res, 200, {});
}

async function mediaUpload(x: Exchange, bucket: string): Promise<ObjectRecord> {
  const name = objectName(x.query, {});
  const limit = x.limits.maxObjectBytes;
  checkLength(x.req, limit);
  const staged = x.store.tmpFile();
  try {
    const hasher = new Hasher();
    await streamToFile(x.req, staged, { maxBytes: limit, hasher });
    const hashes = hasher.digest();
    checkClientHashes(header(x.req, 'x-goog-hash'), hashes.md5Hash, hashes.crc32c);
    const contentType = header(x.req, 'content-type');
    return await x.store.commitObject(bucket, name, staged, hashes, contentType ? { contentType } : {}, conditions(x.query));
  } finally {
    await removeQuietly(staged);
  }
}

async function multipartUpload(x: Exchange, bucket: string): Promise<ObjectRecord> {
  const { maxObjectBytes, maxJsonBytes } = x.limits;
  const boundary = boundaryOf(header(x.req, 'content-type'));
  const limit = maxObjectBytes + maxJsonBytes + MULTIPART_OVERHEAD_BYTES;
  checkLength(x.req, limit);
  const body = x.store.tmpFile();
  const media = x.store.tmpFile();
  try {
    await streamToFile(x.req, body, { maxBytes: limit, tooLargeMessage: `Request body exceeds the limit of ${limit} bytes.` });
    const layout = await locateParts(body, boundary, maxJsonBytes);
    if (layout.end - layout.start > maxObjectBytes) {
      throw tooLarge(`Upload exceeds the maximum object size of ${maxObjectBytes} bytes.`);
    }
    const metadata = layout.metadata ?? {};
    const name = objectName(x.query, isJsonObject(metadata) ? metadata : {});
    const fields = objectFields(metadata);
    if (!fields.contentType && layout.mediaContentType) fields.contentType = layout.mediaContentType;
    const hasher = new Hasher();
    if (layout.end > layout.start) {
      const part = createReadStream(body, { start: layout.start, end: layout.end - 1 });
      await streamToFile(part, media, { maxBytes: maxObjectBytes, hasher });
    } else {
      await writeFile(media, '');
    }
    const hashes = hasher.digest();
    checkClientHashes(header(x.req, 'x-goog-hash'), hashes.md5Hash, hashes.crc32c);
    return await x.store.commitObject(bucket, name, media, hashes, fields, conditions(x.query));
  } finally {
    await removeQuietly(body);
    await removeQuietly(media);
  }
}
