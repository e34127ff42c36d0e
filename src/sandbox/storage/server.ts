// The HTTP front of the storage sandbox: routing, limits, faults and the JSON
// API handlers. State lives in Store (objects) and Sessions (resumable uploads).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createReadStream } from 'node:fs';
import { open, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream/promises';
import { badRequest, GcsError, tooLarge } from './errors';
import { Faults, faultReason } from './faults';
import { Hasher, readBody, removeQuietly, streamToFile } from './files';
import { boundaryOf, locateParts } from './multipart';
import { checkObjectName } from './names';
import { bucketResource, objectFields, objectResource, stringMap, type ObjectRecord, type Preconditions } from './records';
import { parseRoute, type Route } from './routes';
import { checkClientHashes, Sessions } from './sessions';
import { Store } from './store';
import { errorMessage } from '../../shared/errors';

export interface StorageServerOptions {
  /** Folder holding all state; created if missing, reused across restarts. */
  dataDir: string;
  /** 0 or omitted: a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Largest object accepted, default 512 MiB. */
  maxObjectBytes?: number;
  /** Largest JSON request body (metadata), default 1 MiB. */
  maxJsonBytes?: number;
}

export interface StorageServer {
  /** `http://127.0.0.1:PORT`: pass as `apiEndpoint`, or its host:port as STORAGE_EMULATOR_HOST. */
  url: string;
  port: number;
  /** Inject failures or delays into the next matching requests (tests). */
  faults: Faults;
  server: Server;
  close(): Promise<void>;
}

interface Context {
  store: Store;
  sessions: Sessions;
  maxObjectBytes: number;
  maxJsonBytes: number;
}

const JSON_TYPE = 'application/json; charset=UTF-8';

export async function startStorageServer(options: StorageServerOptions): Promise<StorageServer> {
  const maxObjectBytes = options.maxObjectBytes ?? 512 * 1024 * 1024;
  const store = await Store.open(options.dataDir);
  const sessions = await Sessions.open(options.dataDir, store, maxObjectBytes);
  const context: Context = { store, sessions, maxObjectBytes, maxJsonBytes: options.maxJsonBytes ?? 1024 * 1024 };
  const faults = new Faults();
  const server = createServer((req, res) => {
    handle(context, faults, req, res).catch((error: unknown) => sendError(req, res, error));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host && options.host !== '0.0.0.0' ? options.host : '127.0.0.1';
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    faults,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle(ctx: Context, faults: Faults, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const method = req.method ?? 'GET';
  const url = new URL(req.url ?? '/', 'http://sandbox');
  const fault = faults.take(method, url.pathname + url.search);
  if (fault?.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
  if (fault?.status) {
    throw new GcsError(fault.status, fault.message ?? `Injected fault: ${fault.status}`, faultReason(fault.status));
  }
  const route = parseRoute(url.pathname);
  const query = url.searchParams;
  const base = `http://${req.headers.host ?? 'localhost'}`;

  if (route.api === 'upload') return handleUpload(ctx, route, method, query, req, res, base);
  if (route.kind === 'object' && (route.api === 'download' || query.get('alt') === 'media') && method === 'GET') {
    return sendMedia(ctx, route.bucket, route.object, optionalInt(query, 'generation'), req, res);
  }
  if (route.api === 'download') throw notSupported(method, url.pathname);

  const { store } = ctx;
  switch (`${method} ${route.kind}`) {
    case 'GET buckets': {
      const items = store.listBuckets(query.get('project') ?? undefined).map((b) => bucketResource(b, base));
      return sendJson(res, 200, { kind: 'storage#buckets', items });
    }
    case 'POST buckets': {
      const body = await readJsonBody(ctx, req);
      const project = query.get('project');
      if (!project) throw badRequest('Required parameter: project');
      if (typeof body.name !== 'string') throw badRequest('Required field: name (the bucket name).');
      const now = new Date().toISOString();
      const record = await store.createBucket({
        name: body.name,
        project,
        location: typeof body.location === 'string' ? body.location.toUpperCase() : 'US',
        storageClass: typeof body.storageClass === 'string' ? body.storageClass : 'STANDARD',
        labels: body.labels === undefined ? {} : stringMap(body.labels, 'labels'),
        timeCreated: now,
        updated: now,
        metageneration: 1,
      });
      return sendJson(res, 200, bucketResource(record, base));
    }
  }
  const bucket = (route as { bucket: string }).bucket;
  switch (`${method} ${route.kind}`) {
    case 'GET bucket':
      return sendJson(res, 200, bucketResource(store.getBucket(bucket), base));
    case 'DELETE bucket':
      await store.deleteBucket(bucket);
      return sendEmpty(res, 204);
    case 'GET objects': {
      const list = store.listObjects(bucket, {
        prefix: query.get('prefix') ?? undefined,
        delimiter: query.get('delimiter') ?? undefined,
        pageToken: query.get('pageToken') ?? undefined,
        maxResults: optionalInt(query, 'maxResults'),
        startOffset: query.get('startOffset') ?? undefined,
        endOffset: query.get('endOffset') ?? undefined,
      });
      return sendJson(res, 200, {
        kind: 'storage#objects',
        ...(list.items.length ? { items: list.items.map((o) => objectResource(o, base)) } : {}),
        ...(list.prefixes.length ? { prefixes: list.prefixes } : {}),
        ...(list.nextPageToken ? { nextPageToken: list.nextPageToken } : {}),
      });
    }
  }
  const object = (route as { object: string }).object;
  switch (`${method} ${route.kind}`) {
    case 'GET object':
      return sendJson(res, 200, objectResource(store.getObject(bucket, object, optionalInt(query, 'generation')), base));
    case 'PATCH object': {
      const fields = objectFields(await readJsonBody(ctx, req));
      return sendJson(res, 200, objectResource(await store.updateObject(bucket, object, fields, conditions(query)), base));
    }
    case 'DELETE object':
      await store.deleteObject(bucket, object, { ...conditions(query), generation: optionalInt(query, 'generation') });
      return sendEmpty(res, 204);
  }
  throw notSupported(method, url.pathname);
}

async function handleUpload(
  ctx: Context,
  route: Route,
  method: string,
  query: URLSearchParams,
  req: IncomingMessage,
  res: ServerResponse,
  base: string,
): Promise<void> {
  if (route.kind !== 'objects') throw notSupported(method, `upload to ${route.kind}`);
  const { bucket } = route;
  const uploadType = query.get('uploadType');
  const uploadId = query.get('upload_id');
  if (uploadType === 'resumable' && uploadId) {
    if (method === 'DELETE') {
      await ctx.sessions.cancel(uploadId);
      return sendEmpty(res, 499);
    }
    if (method !== 'PUT') throw notSupported(method, 'resumable session');
    checkLength(req, ctx.maxObjectBytes);
    const result = await ctx.sessions.putChunk(uploadId, req, header(req, 'content-range'), header(req, 'x-goog-hash'));
    if (result.done) return sendJson(res, 200, objectResource(result.object, base));
    res.statusCode = 308;
    if (result.received > 0) res.setHeader('Range', `bytes=0-${result.received - 1}`);
    return sendEmpty(res, 308);
  }
  if (method !== 'POST') throw notSupported(method, 'upload');
  ctx.store.getBucket(bucket);
  switch (uploadType) {
    case 'resumable': {
      const body = await readJsonBody(ctx, req);
      const name = objectName(query, body);
      const fields = objectFields(body);
      const contentType = header(req, 'x-upload-content-type');
      if (contentType && !fields.contentType) fields.contentType = contentType;
      const length = header(req, 'x-upload-content-length');
      const expected = length === undefined ? undefined : Number(length);
      if (expected !== undefined && !Number.isSafeInteger(expected)) throw badRequest('Invalid X-Upload-Content-Length.');
      const id = await ctx.sessions.create(bucket, name, fields, conditions(query), expected);
      const location = `${base}/upload/storage/v1/b/${encodeURIComponent(bucket)}/o?uploadType=resumable&name=${encodeURIComponent(name)}&upload_id=${id}`;
      res.setHeader('Location', location);
      return sendJson(res, 200, {});
    }
    case 'multipart':
      return sendJson(res, 200, objectResource(await multipartUpload(ctx, bucket, query, req), base));
    case 'media':
    case null: {
      const name = objectName(query, {});
      checkLength(req, ctx.maxObjectBytes);
      const staged = ctx.store.tmpFile();
      try {
        const hasher = new Hasher();
        await streamToFile(req, staged, { maxBytes: ctx.maxObjectBytes, hasher });
        const hashes = hasher.digest();
        checkClientHashes(header(req, 'x-goog-hash'), hashes.md5Hash, hashes.crc32c);
        const contentType = header(req, 'content-type');
        const record = await ctx.store.commitObject(bucket, name, staged, hashes, contentType ? { contentType } : {}, conditions(query));
        return sendJson(res, 200, objectResource(record, base));
      } finally {
        await removeQuietly(staged);
      }
    }
    default:
      throw badRequest(`Unsupported uploadType '${uploadType}': use media, multipart or resumable.`);
  }
}

async function multipartUpload(ctx: Context, bucket: string, query: URLSearchParams, req: IncomingMessage): Promise<ObjectRecord> {
  const boundary = boundaryOf(header(req, 'content-type'));
  const limit = ctx.maxObjectBytes + ctx.maxJsonBytes + 64 * 1024;
  checkLength(req, limit);
  const body = ctx.store.tmpFile();
  const media = ctx.store.tmpFile();
  try {
    await streamToFile(req, body, { maxBytes: limit });
    const layout = await locateParts(body, boundary, ctx.maxJsonBytes);
    if (layout.end - layout.start > ctx.maxObjectBytes) {
      throw tooLarge(`Upload exceeds the maximum object size of ${ctx.maxObjectBytes} bytes.`);
    }
    const metadata = (layout.metadata ?? {}) as Record<string, unknown>;
    const name = objectName(query, metadata);
    const fields = objectFields(metadata);
    if (!fields.contentType && layout.mediaContentType) fields.contentType = layout.mediaContentType;
    const hasher = new Hasher();
    if (layout.end > layout.start) {
      await streamToFile(createReadStream(body, { start: layout.start, end: layout.end - 1 }), media, {
        maxBytes: ctx.maxObjectBytes,
        hasher,
      });
    } else {
      await writeFile(media, '');
    }
    const hashes = hasher.digest();
    checkClientHashes(header(req, 'x-goog-hash'), hashes.md5Hash, hashes.crc32c);
    return await ctx.store.commitObject(bucket, name, media, hashes, fields, conditions(query));
  } finally {
    await removeQuietly(body);
    await removeQuietly(media);
  }
}

async function sendMedia(
  ctx: Context,
  bucket: string,
  name: string,
  generation: number | undefined,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  // Open before streaming: a concurrent overwrite unlinks the old file, but an
  // open descriptor keeps reading the generation we looked up.
  let record = ctx.store.getObject(bucket, name, generation);
  let file = await open(ctx.store.dataPath(record)).catch(() => undefined);
  if (!file) {
    record = ctx.store.getObject(bucket, name, generation);
    file = await open(ctx.store.dataPath(record));
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
function parseRange(value: string | undefined, size: number): [number, number] | 'unsatisfiable' | undefined {
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

async function readJsonBody(ctx: Context, req: IncomingMessage): Promise<Record<string, unknown>> {
  checkLength(req, ctx.maxJsonBytes);
  const raw = await readBody(req, ctx.maxJsonBytes, 'JSON request body');
  if (raw.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch {
    throw badRequest('Request body is not valid JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw badRequest('Request body must be a JSON object.');
  }
  return parsed as Record<string, unknown>;
}

function objectName(query: URLSearchParams, metadata: Record<string, unknown>): string {
  const name = query.get('name') ?? (typeof metadata.name === 'string' ? metadata.name : undefined);
  if (name === undefined) throw badRequest('Required parameter: name (the object name).');
  checkObjectName(name);
  return name;
}

function conditions(query: URLSearchParams): Preconditions {
  return {
    ifGenerationMatch: optionalInt(query, 'ifGenerationMatch'),
    ifGenerationNotMatch: optionalInt(query, 'ifGenerationNotMatch'),
    ifMetagenerationMatch: optionalInt(query, 'ifMetagenerationMatch'),
  };
}

function optionalInt(query: URLSearchParams, key: string): number | undefined {
  const value = query.get(key);
  if (value === null) return undefined;
  const number = Number(value);
  if (value === '' || !Number.isSafeInteger(number) || number < 0) throw badRequest(`Invalid value for ${key}: '${value.slice(0, 40)}'.`);
  return number;
}

function checkLength(req: IncomingMessage, limit: number): void {
  const length = Number(req.headers['content-length']);
  if (Number.isFinite(length) && length > limit) throw tooLarge(`Request body of ${length} bytes exceeds the limit of ${limit} bytes.`);
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function notSupported(method: string, what: string): GcsError {
  return new GcsError(501, `${method} ${what.slice(0, 200)} is not supported by the storage sandbox.`, 'notImplemented');
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': JSON_TYPE, 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function sendEmpty(res: ServerResponse, status: number): void {
  res.writeHead(status, { 'Content-Length': 0 });
  res.end();
}

function sendError(req: IncomingMessage, res: ServerResponse, error: unknown): void {
  try {
    answerError(req, res, error);
  } catch {
    res.destroy();
  }
}

function answerError(req: IncomingMessage, res: ServerResponse, error: unknown): void {
  const gcs =
    error instanceof GcsError ? error : new GcsError(500, `Storage sandbox error: ${errorMessage(error)}`, 'backendError');
  if (res.headersSent) {
    res.destroy();
    return;
  }
  // A body we stopped reading (too large, bad request) would stall the
  // connection: drain it and close the connection after answering.
  if (!req.complete) {
    res.setHeader('Connection', 'close');
    req.resume();
  }
  sendJson(res, gcs.status, gcs.toJSON());
}
