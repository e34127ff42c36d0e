import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { KERAS_MNIST_SHA256, KERAS_MNIST_URL, MNIST_SOURCE_ENV, loadDataset } from '../../../../src/trainer/data/index';
import { mnistLikeNpz, tempDir, userError } from './fixtures';

const tmp = tempDir();
const npz = mnistLikeNpz(12, 5);
const sha256 = createHash('sha256').update(npz).digest('hex');
const requests: string[] = [];
const server = createServer((req, res) => {
  requests.push(req.url ?? '');
  if (req.url === '/mnist.npz') {
    res.writeHead(200, { 'content-length': npz.length });
    res.end(npz);
  } else if (req.url === '/stalls.npz') {
    // Sends a first part, then nothing: only an abort ends this download.
    res.writeHead(200, { 'content-length': npz.length });
    res.write(npz.subarray(0, 1000));
  } else {
    res.writeHead(404).end();
  }
});
let base = '';
const previousSource = process.env[MNIST_SOURCE_ENV];

before(async () => {
  process.env[MNIST_SOURCE_ENV] = 'download';
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  if (previousSource === undefined) delete process.env[MNIST_SOURCE_ENV];
  else process.env[MNIST_SOURCE_ENV] = previousSource;
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  tmp.remove();
});

function cacheFiles(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir) : [];
}

void describe('mnist download', () => {
  void it("defaults to Keras' public mnist.npz and its known SHA-256", () => {
    assert.equal(KERAS_MNIST_URL, 'https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz');
    assert.equal(KERAS_MNIST_SHA256, '731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1');
  });

  void it('downloads once with progress, verifies the checksum, and hits the cache the second time', async () => {
    const cacheDir = tmp.path('cache');
    const spec = { type: 'mnist', url: `${base}/mnist.npz`, sha256, cacheDir: 'cache' } as const;
    const progress: Array<[number, number | undefined]> = [];
    const before = requests.length;
    const data = await loadDataset(spec, { baseDir: tmp.dir, onProgress: (_m, done, total) => progress.push([done, total]) });
    assert.equal(requests.length, before + 1);
    assert.deepEqual(cacheFiles(cacheDir), ['mnist.npz']);
    assert.deepEqual(progress.at(-1), [npz.length, npz.length]);
    assert.deepEqual(data.sampleShape, [28, 28]);
    assert.equal(data.numClasses, 10);
    assert.equal(data.kind, 'image');
    assert.equal(data.train.count, 12);
    assert.equal(data.test?.count, 5);
    assert.equal(data.train.y[3], 3);
    assert.equal(data.train.x[3 * 784], Math.fround(30 / 255));
    assert.equal(data.train.x[1], 1);

    const again = await loadDataset({ ...spec, subset: { train: 4 } }, { baseDir: tmp.dir });
    assert.equal(requests.length, before + 1, 'the second load reads the cache');
    assert.equal(again.train.count, 4);
  });

  void it('downloads again when the cached file is damaged', async () => {
    const cacheDir = tmp.path('damaged');
    await loadDataset({ type: 'mnist', url: `${base}/mnist.npz`, sha256, cacheDir }, { baseDir: tmp.dir });
    writeFileSync(tmp.path('damaged', 'mnist.npz'), 'half a file');
    const before = requests.length;
    const data = await loadDataset({ type: 'mnist', url: `${base}/mnist.npz`, sha256, cacheDir }, { baseDir: tmp.dir });
    assert.equal(requests.length, before + 1);
    assert.equal(data.train.count, 12);
  });

  void it('rejects a checksum mismatch and keeps nothing in the cache', async () => {
    const cacheDir = tmp.path('mismatch');
    const message = await userError(loadDataset({ type: 'mnist', url: `${base}/mnist.npz`, sha256: '0'.repeat(64), cacheDir }, { baseDir: tmp.dir }));
    assert.match(message, new RegExp(`gave a file with SHA-256 ${sha256}, expected 0{64}`));
    assert.deepEqual(cacheFiles(cacheDir), []);
  });

  void it('reports an HTTP error with the URL', async () => {
    const message = await userError(loadDataset({ type: 'mnist', url: `${base}/missing.npz`, cacheDir: tmp.path('404') }, { baseDir: tmp.dir }));
    assert.match(message, /Cannot download MNIST from http:\/\/127\.0\.0\.1:\d+\/missing\.npz: HTTP 404/);
  });

  void it('stops on abort and leaves no partial file', async () => {
    const cacheDir = tmp.path('aborted');
    const controller = new AbortController();
    const load = loadDataset(
      { type: 'mnist', url: `${base}/stalls.npz`, sha256, cacheDir },
      { baseDir: tmp.dir, signal: controller.signal, onProgress: (_m, done) => done > 0 && controller.abort() },
    );
    await assert.rejects(load, (error: Error) => error.name === 'AbortError');
    assert.deepEqual(cacheFiles(cacheDir), []);
  });
});
