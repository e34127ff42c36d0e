import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Storage, type ApiError } from '@google-cloud/storage';
import { startStorageServer, type StorageServer } from '../../../src/sandbox/storage';

let root: string;

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'storage-sandbox-'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A folder like a run's model/: a JSON file, a binary shard and a nested file. */
async function makeFolder(): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>([
    ['model.json', Buffer.from(JSON.stringify({ format: 'layers-model', weights: [1, 2, 3] }))],
    ['group1-shard1of1.bin', randomBytes(400_000)],
    ['assets/labels.txt', Buffer.from('0\n1\n2\n')],
    ['empty.txt', Buffer.alloc(0)],
  ]);
  for (const [name, data] of files) {
    await mkdir(join(root, 'folder', name, '..'), { recursive: true });
    await writeFile(join(root, 'folder', name), data);
  }
  return files;
}

function client(server: StorageServer): Storage {
  return new Storage({ apiEndpoint: server.url, projectId: 'sandbox-project' });
}

async function apiError(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    return error as ApiError;
  }
  assert.fail('expected the call to fail');
}

void describe('storage sandbox with the real @google-cloud/storage client', () => {
  let server: StorageServer;
  let dataDir: string;
  let files: Map<string, Buffer>;

  before(async () => {
    dataDir = join(root, 'data');
    server = await startStorageServer({ dataDir, maxObjectBytes: 2_000_000 });
    files = await makeFolder();
  });
  after(async () => {
    await server.close();
  });

  void test('uploads a folder (resumable and multipart), lists it by prefix and downloads identical bytes', async () => {
    const bucket = (await client(server).createBucket('models-bucket'))[0];
    let resumable = true;
    for (const name of files.keys()) {
      await bucket.upload(join(root, 'folder', name), { destination: `runs/r1/${name}`, resumable });
      resumable = !resumable;
    }
    await bucket.file('other/readme.txt').save('not in the prefix', { resumable: false });

    const [listed] = await bucket.getFiles({ prefix: 'runs/r1/' });
    assert.deepEqual(listed.map((f) => f.name).sort(), [...files.keys()].map((n) => `runs/r1/${n}`).sort());
    for (const [name, data] of files) {
      const file = bucket.file(`runs/r1/${name}`);
      const [downloaded] = await file.download(); // the client checks crc32c from x-goog-hash
      assert.ok(downloaded.equals(data), name);
      const [metadata] = await file.getMetadata();
      assert.equal(Number(metadata.size), data.length);
      assert.match(String(metadata.md5Hash), /^[A-Za-z0-9+/]{22}==$/);
      assert.match(String(metadata.crc32c), /^[A-Za-z0-9+/]{6}==$/);
    }
  });

  void test('resumable upload in several chunks goes through 308 Resume Incomplete', async () => {
    const bucket = client(server).bucket('models-bucket');
    const data = randomBytes(600_000);
    const responses: number[] = [];
    await new Promise<void>((resolve, reject) => {
      bucket
        .file('chunked.bin')
        .createWriteStream({ resumable: true, chunkSize: 256 * 1024 })
        .on('response', (r: { status: number }) => responses.push(r.status))
        .on('error', reject)
        .on('finish', resolve)
        .end(data);
    });
    assert.deepEqual(responses, [308, 308, 200]);
    assert.ok((await bucket.file('chunked.bin').download())[0].equals(data));
  });

  void test('lists with a delimiter and pages through nextPageToken', async () => {
    const bucket = client(server).bucket('models-bucket');
    const [, , top] = await bucket.getFiles({ delimiter: '/', autoPaginate: false });
    assert.deepEqual((top as { prefixes: string[] }).prefixes, ['other/', 'runs/']);
    const names: string[] = [];
    let query: { prefix: string; maxResults: number; autoPaginate: false; pageToken?: string } | null = {
      prefix: 'runs/r1/',
      maxResults: 2,
      autoPaginate: false,
    };
    let pages = 0;
    while (query) {
      const [page, next] = await bucket.getFiles(query);
      names.push(...page.map((f) => f.name));
      query = next as typeof query;
      pages += 1;
    }
    assert.equal(pages, 2);
    assert.equal(names.length, files.size);
  });

  void test('a new upload creates a new generation and ifGenerationMatch guards overwrites', async () => {
    const file = client(server).bucket('models-bucket').file('gen.txt');
    await file.save('v1', { resumable: false });
    const [first] = await file.getMetadata();
    await file.save('v2', { resumable: false });
    const [second] = await file.getMetadata();
    assert.ok(BigInt(String(second.generation)) > BigInt(String(first.generation)));
    const error = await apiError(file.save('v3', { resumable: false, preconditionOpts: { ifGenerationMatch: 0 } }));
    assert.equal(error.code, 412);
    assert.equal((await file.download())[0].toString(), 'v2');
  });

  void test('deleting a non-empty bucket is refused with 409; objects and empty buckets delete', async () => {
    const storage = client(server);
    const [bucket] = await storage.createBucket('to-delete');
    await bucket.file('x').save('x', { resumable: false });
    assert.equal((await apiError(bucket.delete())).code, 409);
    await bucket.file('x').delete();
    assert.equal((await apiError(bucket.file('x').getMetadata())).code, 404);
    await bucket.delete();
    assert.equal((await bucket.exists())[0], false);
  });

  void test('errors come back as GCS JSON errors with the right codes', async () => {
    const storage = client(server);
    assert.equal((await apiError(storage.createBucket('models-bucket'))).code, 409);
    assert.equal((await apiError(storage.createBucket('Bad_Name!'))).code, 400);
    assert.equal((await apiError(storage.bucket('no-such-bucket').file('a').download())).code, 404);
    const tooBig = await apiError(storage.bucket('models-bucket').file('big').save(Buffer.alloc(2_000_001), { resumable: false }));
    assert.equal(tooBig.code, 413);

    const raw = await fetch(`${server.url}/storage/v1/b?project=p`, { method: 'POST', body: '{not json' });
    assert.equal(raw.status, 400);
    const body = (await raw.json()) as { error: { code: number; message: string; errors: unknown[] } };
    assert.equal(body.error.code, 400);
    assert.match(body.error.message, /not valid JSON/);
    assert.equal(body.error.errors.length, 1);

    const hugeJson = await fetch(`${server.url}/storage/v1/b?project=p`, { method: 'POST', body: 'x'.repeat(1024 * 1024 + 1) });
    assert.equal(hugeJson.status, 413);
  });

  void test('object names cannot reach the file system: "../" names are stored by hash', async () => {
    const bucket = client(server).bucket('models-bucket');
    await bucket.file('../../escape.txt').save('inside', { resumable: false });
    assert.equal((await bucket.file('../../escape.txt').download())[0].toString(), 'inside');
    assert.ok(!(await readdir(root)).includes('escape.txt'));
    assert.ok(!(await readdir(join(dataDir, 'buckets'))).includes('escape.txt'));
  });

  void test('a download whose bytes do not match the stored hash is rejected by the client', async () => {
    const bucket = client(server).bucket('models-bucket');
    await bucket.file('tampered.bin').save(Buffer.alloc(1000, 1), { resumable: false });
    const objectsDir = join(dataDir, 'buckets', 'models-bucket', 'objects');
    const [metadata] = await bucket.file('tampered.bin').getMetadata();
    const dataFile = (await readdir(objectsDir)).find((f) => f.endsWith(`.${String(metadata.generation)}`));
    assert.ok(dataFile);
    await writeFile(join(objectsDir, dataFile), Buffer.alloc(1000, 2));
    const error = await apiError(bucket.file('tampered.bin').download());
    assert.match(String((error as Error).message), /did not match/);
  });

  void test('injected faults: a 503 is retried by the client, a 403 is reported', async () => {
    const storage = new Storage({ apiEndpoint: server.url, projectId: 'p', retryOptions: { maxRetryDelay: 0.05 } });
    const file = storage.bucket('models-bucket').file('runs/r1/model.json');
    server.faults.add({ method: 'GET', path: '/o/runs', status: 503 });
    assert.ok((await file.download())[0].equals(files.get('model.json') as Buffer));
    server.faults.add({ method: 'GET', path: '/o/runs', status: 403, message: 'denied by test' });
    const error = await apiError(file.getMetadata());
    assert.equal(error.code, 403);
    assert.match(error.message, /denied by test/);
  });
});

void describe('storage sandbox over plain HTTP', () => {
  void test('media upload, Range download, metadata patch and a resumable session queried with bytes */*', async () => {
    const server = await startStorageServer({ dataDir: join(root, 'raw') });
    try {
      await client(server).createBucket('raw');
      const media = await fetch(`${server.url}/upload/storage/v1/b/raw/o?uploadType=media&name=${encodeURIComponent('dir/a.txt')}`, {
        method: 'POST',
        headers: { 'Content-Type': 'text/plain' },
        body: '0123456789',
      });
      assert.equal(media.status, 200);
      const object = (await media.json()) as { size: string; contentType: string; generation: string };
      assert.equal(object.size, '10');
      assert.equal(object.contentType, 'text/plain');

      const part = await fetch(`${server.url}/storage/v1/b/raw/o/dir%2Fa.txt?alt=media`, { headers: { Range: 'bytes=2-4' } });
      assert.equal(part.status, 206);
      assert.equal(part.headers.get('content-range'), 'bytes 2-4/10');
      assert.equal(await part.text(), '234');
      assert.equal((await fetch(`${server.url}/b/raw/o/dir%2Fa.txt?alt=media`, { headers: { Range: 'bytes=20-' } })).status, 416);

      const patched = await fetch(`${server.url}/storage/v1/b/raw/o/dir%2Fa.txt`, {
        method: 'PATCH',
        body: JSON.stringify({ metadata: { runId: 'r1' } }),
      });
      const after = (await patched.json()) as { metadata: Record<string, string>; metageneration: string; generation: string };
      assert.deepEqual(after.metadata, { runId: 'r1' });
      assert.equal(after.metageneration, '2');
      assert.equal(after.generation, object.generation);

      const session = await fetch(`${server.url}/upload/storage/v1/b/raw/o?uploadType=resumable&name=big.bin`, { method: 'POST', body: '{}' });
      const location = session.headers.get('location') ?? '';
      assert.match(location, /upload_id=/);
      const first = await fetch(location, { method: 'PUT', headers: { 'Content-Range': 'bytes 0-3/8' }, body: 'abcd' });
      assert.equal(first.status, 308);
      assert.equal(first.headers.get('range'), 'bytes=0-3');
      const query = await fetch(location, { method: 'PUT', headers: { 'Content-Range': 'bytes */*' } });
      assert.equal(query.status, 308);
      assert.equal(query.headers.get('range'), 'bytes=0-3');
      // Re-sending bytes the server already has is harmless.
      const last = await fetch(location, { method: 'PUT', headers: { 'Content-Range': 'bytes 2-7/8' }, body: 'cdefgh' });
      assert.equal(last.status, 200);
      assert.equal(await (await fetch(`${server.url}/b/raw/o/big.bin?alt=media`)).text(), 'abcdefgh');
      const bad = await fetch(location.replace(/upload_id=[^&]+/, 'upload_id=..%2F..%2Fx'), { method: 'PUT', body: 'x' });
      assert.equal(bad.status, 404);
    } finally {
      await server.close();
    }
  });
});

void describe('storage sandbox persistence', () => {
  void test('objects, buckets and an open resumable session survive a restart on the same dataDir', async () => {
    const dataDir = join(root, 'persist');
    let server = await startStorageServer({ dataDir });
    const [bucket] = await client(server).createBucket('keep');
    await bucket.file('a/b.txt').save('kept bytes', { resumable: false });
    const [uri] = await bucket.file('later.bin').createResumableUpload();
    await server.close();

    server = await startStorageServer({ dataDir, port: server.port });
    const reopened = client(server).bucket('keep');
    assert.equal((await reopened.file('a/b.txt').download())[0].toString(), 'kept bytes');
    const [buckets] = await client(server).getBuckets();
    assert.deepEqual(buckets.map((b) => b.name), ['keep']);
    const late = randomBytes(5000);
    await reopened.file('later.bin').save(late, { resumable: true, uri });
    assert.ok((await reopened.file('later.bin').download())[0].equals(late));
    await server.close();
  });

  void test('STORAGE_EMULATOR_HOST works: JSON calls without /storage/v1, uploads with it', async () => {
    const server = await startStorageServer({ dataDir: join(root, 'emulator') });
    const saved = process.env.STORAGE_EMULATOR_HOST;
    process.env.STORAGE_EMULATOR_HOST = server.url;
    try {
      const storage = new Storage({ projectId: 'sandbox-project' });
      const [bucket] = await storage.createBucket('emu');
      await bucket.file('x/y.bin').save(Buffer.alloc(10_000, 7), { resumable: true });
      await bucket.file('x/z.bin').save(Buffer.alloc(10, 7), { resumable: false });
      const [listed] = await bucket.getFiles({ prefix: 'x/' });
      assert.deepEqual(listed.map((f) => f.name), ['x/y.bin', 'x/z.bin']);
      assert.ok((await bucket.file('x/y.bin').download())[0].equals(Buffer.alloc(10_000, 7)));
    } finally {
      if (saved === undefined) delete process.env.STORAGE_EMULATOR_HOST;
      else process.env.STORAGE_EMULATOR_HOST = saved;
      await server.close();
    }
    assert.ok((await readFile(join(root, 'emulator', 'buckets', 'emu', 'bucket.json'), 'utf8')).includes('"emu"'));
  });
});
