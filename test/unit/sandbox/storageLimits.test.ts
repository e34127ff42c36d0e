// The storage sandbox's input limits, route by route: oversized bodies
// (declared or streamed), names and query values are refused with a GCS JSON
// error, and nothing is stored.
import assert from 'node:assert/strict';
import { request, type ClientRequest } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Storage } from '@google-cloud/storage';
import { startStorageServer, type StorageServer } from '../../../src/sandbox/storage';
import { MAX_QUERY_VALUE_BYTES } from '../../../src/sandbox/storage/query';
import { ROUTES } from '../../../src/sandbox/storage/routes';

const MAX_OBJECT = 1000;
const MAX_JSON = 2048;

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

interface Sent {
  method: string;
  headers?: Record<string, string>;
  /** Sent as one piece with a Content-Length, or as chunks (Transfer-Encoding: chunked, no length). */
  body?: string | string[];
}

/** A plain HTTP request; a chunked body gives the server no Content-Length to check up front. */
function send(url: string, { method, headers = {}, body }: Sent): Promise<Reply> {
  // Node's client sends a GET or DELETE body with neither header unless told.
  const framing = Array.isArray(body) ? { 'Transfer-Encoding': 'chunked' } : { 'Content-Length': String(Buffer.byteLength(body ?? '')) };
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers: { ...framing, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    if (Array.isArray(body)) void writeSlowly(req, body);
    else req.end(body);
  });
}

/** Writes each piece after a pause, so the server reads them as separate chunks. */
async function writeSlowly(req: ClientRequest, pieces: string[]): Promise<void> {
  for (const piece of pieces) {
    req.write(piece);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  req.end();
}

/** Asserts the reply is a GCS JSON error with this status and reason; returns its message. */
function gcsError(reply: Reply, status: number, reason: string): string {
  assert.equal(reply.status, status, reply.text);
  const body = JSON.parse(reply.text) as { error: { code: number; message: string; errors: { message: string; domain: string; reason: string }[] } };
  assert.equal(body.error.code, status);
  assert.deepEqual(body.error.errors, [{ message: body.error.message, domain: 'global', reason }]);
  return body.error.message;
}

void describe('storage sandbox input limits', () => {
  let root: string;
  let server: StorageServer;
  let url: string;

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'storage-limits-'));
    server = await startStorageServer({ dataDir: root, maxObjectBytes: MAX_OBJECT, maxJsonBytes: MAX_JSON });
    url = server.url;
    await new Storage({ apiEndpoint: url, projectId: 'p' }).createBucket('limits');
    const kept = await send(`${url}/upload/storage/v1/b/limits/o?uploadType=media&name=a.txt`, { method: 'POST', body: 'kept' });
    assert.equal(kept.status, 200);
  });
  after(async () => {
    await server.close();
    await rm(root, { recursive: true, force: true });
  });

  async function assertNotStored(name: string): Promise<void> {
    gcsError(await send(`${url}/storage/v1/b/limits/o/${encodeURIComponent(name)}`, { method: 'GET' }), 404, 'notFound');
  }

  void test('JSON bodies over maxJsonBytes get 413, whether declared by Content-Length or streamed', async () => {
    const big = JSON.stringify({ name: 'new-bucket', labels: { pad: 'x'.repeat(MAX_JSON) } });
    const routes: [string, string][] = [
      ['POST', '/storage/v1/b?project=p'],
      ['PATCH', '/storage/v1/b/limits/o/a.txt'],
      ['POST', '/upload/storage/v1/b/limits/o?uploadType=resumable&name=r.bin'],
    ];
    for (const [method, path] of routes) {
      assert.match(gcsError(await send(url + path, { method, body: big }), 413, 'uploadTooLarge'), new RegExp(`exceeds the limit of ${MAX_JSON} bytes`));
      const streamed = await send(url + path, { method, body: [big.slice(0, 1000), big.slice(1000)] });
      assert.match(gcsError(streamed, 413, 'uploadTooLarge'), new RegExp(`JSON request body exceeds ${MAX_JSON} bytes`));
    }
    assert.equal((await send(`${url}/storage/v1/b/new-bucket`, { method: 'GET' })).status, 404);
  });

  void test('a media upload over maxObjectBytes gets 413, declared or streamed, and stores nothing', async () => {
    const path = `${url}/upload/storage/v1/b/limits/o?uploadType=media&name=big.bin`;
    const body = 'x'.repeat(MAX_OBJECT + 1);
    assert.match(gcsError(await send(path, { method: 'POST', body }), 413, 'uploadTooLarge'), /exceeds the limit of 1000 bytes/);
    const streamed = await send(path, { method: 'POST', body: [body.slice(0, 600), body.slice(600)] });
    assert.match(gcsError(streamed, 413, 'uploadTooLarge'), /maximum object size of 1000 bytes/);
    await assertNotStored('big.bin');
    const exact = await send(path, { method: 'POST', body: body.slice(1) });
    assert.equal(exact.status, 200, 'exactly maxObjectBytes is accepted');
  });

  void test('a multipart upload with metadata over maxJsonBytes or media over maxObjectBytes is refused', async () => {
    const multipart = (metadata: string, media: string): Sent => ({
      method: 'POST',
      headers: { 'Content-Type': 'multipart/related; boundary=b0undary' },
      body: [
        `--b0undary\r\nContent-Type: application/json\r\n\r\n${metadata}\r\n`,
        `--b0undary\r\nContent-Type: text/plain\r\n\r\n${media}\r\n--b0undary--\r\n`,
      ],
    });
    const path = `${url}/upload/storage/v1/b/limits/o?uploadType=multipart`;
    for (const pad of [MAX_JSON, MAX_JSON + 4096]) {
      const metadata = JSON.stringify({ name: 'm.txt', metadata: { pad: 'x'.repeat(pad) } });
      assert.match(gcsError(await send(path, multipart(metadata, 'hi')), 400, 'invalid'), new RegExp(`metadata part is missing or larger than ${MAX_JSON} bytes`));
    }
    const limit = MAX_OBJECT + MAX_JSON + 64 * 1024;
    const hugeBody = multipart(JSON.stringify({ name: 'm.txt' }), 'x'.repeat(limit));
    assert.match(gcsError(await send(path, hugeBody), 413, 'uploadTooLarge'), new RegExp(`Request body exceeds the limit of ${limit} bytes`));
    const hugeMedia = multipart(JSON.stringify({ name: 'm.txt' }), 'x'.repeat(MAX_OBJECT + 1));
    assert.match(gcsError(await send(path, hugeMedia), 413, 'uploadTooLarge'), /maximum object size of 1000 bytes/);
    await assertNotStored('m.txt');
    assert.equal((await send(path, multipart(JSON.stringify({ name: 'm.txt' }), 'hi'))).status, 200);
  });

  void test('a resumable upload is refused when its declared length or its chunks exceed maxObjectBytes', async () => {
    const start = `${url}/upload/storage/v1/b/limits/o?uploadType=resumable&name=r.bin`;
    const declared = await send(start, { method: 'POST', headers: { 'X-Upload-Content-Length': String(MAX_OBJECT + 1) }, body: '{}' });
    assert.match(gcsError(declared, 413, 'uploadTooLarge'), /exceeds the maximum of 1000 bytes/);

    const opened = await send(start, { method: 'POST', body: '{}' });
    const location = String(opened.headers.location);
    const first = await send(location, { method: 'PUT', headers: { 'Content-Range': 'bytes 0-599/*' }, body: 'a'.repeat(600) });
    assert.equal(first.status, 308);
    const second = await send(location, { method: 'PUT', headers: { 'Content-Range': 'bytes 600-1199/*' }, body: ['b'.repeat(300), 'b'.repeat(300)] });
    assert.match(gcsError(second, 413, 'uploadTooLarge'), /maximum object size of 1000 bytes/);
    // The refused chunk left nothing behind: the session still holds the first 600 bytes.
    const status = await send(location, { method: 'PUT', headers: { 'Content-Range': 'bytes */*' } });
    assert.equal(status.status, 308);
    assert.equal(status.headers.range, 'bytes=0-599');
    const declaredChunk = await send(location, { method: 'PUT', headers: { 'Content-Range': 'bytes 600-1600/1601' }, body: 'c'.repeat(1001) });
    assert.match(gcsError(declaredChunk, 413, 'uploadTooLarge'), /exceeds the limit of 1000 bytes/);
    await assertNotStored('r.bin');
    // The refused chunks left nothing in the session: it completes with exactly the bytes acknowledged and sent.
    const last = await send(location, { method: 'PUT', headers: { 'Content-Range': 'bytes 600-699/700' }, body: 'd'.repeat(100) });
    assert.equal(last.status, 200);
    const stored = await send(`${url}/storage/v1/b/limits/o/r.bin?alt=media`, { method: 'GET' });
    assert.equal(stored.text, `${'a'.repeat(600)}${'d'.repeat(100)}`);
  });

  void test('object names over 1024 bytes are refused in the path, the name parameter and upload metadata', async () => {
    const long = 'n'.repeat(1025);
    const message = /Object name must be 1-1024 bytes of UTF-8, got 1025 bytes/;
    assert.match(gcsError(await send(`${url}/storage/v1/b/limits/o/${long}`, { method: 'GET' }), 400, 'invalid'), message);
    const media = await send(`${url}/upload/storage/v1/b/limits/o?uploadType=media&name=${long}`, { method: 'POST', body: 'x' });
    assert.match(gcsError(media, 400, 'invalid'), message);
    const resumable = await send(`${url}/upload/storage/v1/b/limits/o?uploadType=resumable`, {
      method: 'POST',
      body: JSON.stringify({ name: `${'é'.repeat(512)}x` }),
    });
    assert.match(gcsError(resumable, 400, 'invalid'), message);
    const longest = await send(`${url}/upload/storage/v1/b/limits/o?uploadType=media&name=${'n'.repeat(1024)}`, { method: 'POST', body: 'x' });
    assert.equal(longest.status, 200, 'a 1024-byte name is accepted');
  });

  void test(`every route refuses a query value over ${MAX_QUERY_VALUE_BYTES} bytes`, async () => {
    const prefixes: Record<string, string> = { json: '/storage/v1/b', upload: '/upload/storage/v1/b', download: '/download/storage/v1/b' };
    const suffixes: Record<string, string> = { buckets: '', bucket: '/limits', objects: '/limits/o', object: '/limits/o/a.txt' };
    const tooLong = 'p'.repeat(MAX_QUERY_VALUE_BYTES + 1);
    let routes = 0;
    for (const [api, resources] of Object.entries(ROUTES)) {
      for (const [resource, methods] of Object.entries(resources)) {
        for (const method of Object.keys(methods ?? {})) {
          const path = `${prefixes[api]}${suffixes[resource]}?uploadType=resumable&prefix=${tooLong}`;
          const reply = await send(url + path, { method, body: method === 'GET' ? undefined : '{}' });
          assert.match(gcsError(reply, 400, 'invalid'), /Query parameter 'prefix' is 4097 bytes; the limit is 4096 bytes/, `${method} ${api} ${resource}`);
          routes += 1;
        }
      }
    }
    assert.equal(routes, 12);
    const longest = await send(`${url}/storage/v1/b/limits/o?prefix=${'p'.repeat(MAX_QUERY_VALUE_BYTES)}`, { method: 'GET' });
    assert.equal(longest.status, 200, `a ${MAX_QUERY_VALUE_BYTES}-byte value is accepted`);
  });

  void test('integer parameters must be non-negative safe integers', async () => {
    const cases: [string, string, string][] = [
      ['GET', '/o/a.txt', 'generation=abc'],
      ['GET', '/o/a.txt?alt=media', 'generation=-1'],
      ['DELETE', '/o/a.txt', 'generation='],
      ['DELETE', '/o/a.txt', 'ifGenerationMatch=1e400'],
      ['PATCH', '/o/a.txt', 'ifMetagenerationMatch=x'],
      ['GET', '/o', 'maxResults=1.5'],
    ];
    for (const [method, path, query] of cases) {
      const reply = await send(`${url}/storage/v1/b/limits${path}${path.includes('?') ? '&' : '?'}${query}`, { method, body: method === 'PATCH' ? '{}' : undefined });
      assert.match(gcsError(reply, 400, 'invalid'), new RegExp(`Invalid value for ${query.split('=')[0]}`), `${method} ${path} ${query}`);
    }
    assert.equal((await send(`${url}/storage/v1/b/limits/o/a.txt`, { method: 'GET' })).status, 200, 'nothing was deleted');
  });

  void test('methods and paths the table does not serve get 501 and 404 as GCS errors', async () => {
    assert.match(gcsError(await send(`${url}/storage/v1/b/limits/o`, { method: 'POST' }), 501, 'notImplemented'), /POST \/storage\/v1\/b\/limits\/o is not supported/);
    assert.match(gcsError(await send(`${url}/upload/storage/v1/b/limits`, { method: 'POST' }), 501, 'notImplemented'), /POST upload to bucket/);
    assert.match(gcsError(await send(`${url}/upload/storage/v1/b/limits/o`, { method: 'GET' }), 501, 'notImplemented'), /GET upload is not/);
    assert.match(gcsError(await send(`${url}/storage/v1/b/limits/o/a.txt`, { method: 'OPTIONS' }), 501, 'notImplemented'), /OPTIONS/);
    assert.match(gcsError(await send(`${url}/compute/v1/projects`, { method: 'GET' }), 404, 'notFound'), /not a Cloud Storage JSON API path/);
    assert.match(gcsError(await send(`${url}/upload/storage/v1/b/limits/o?uploadType=bogus`, { method: 'POST' }), 400, 'invalid'), /Unsupported uploadType 'bogus'/);
  });
});
