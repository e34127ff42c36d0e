import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { LayersModel } from '@tensorflow/tfjs';
import { Storage } from '@google-cloud/storage';
import { createServingServer, loadServingTf, type ServingServer } from '../../../src/serving';
import { startStorageServer } from '../../../src/sandbox/storage';
import type { Tf } from '../../../src/core/backend/types';
import { argmax, digitInstance, plainClasses, readDigits, saveModelFolder, trainMnistModel } from './fixtures';

let tf: Tf;
let model: LayersModel;
let dir: string;
let modelDir: string;

before(async () => {
  tf = (await loadServingTf()).tf;
  dir = await mkdtemp(join(tmpdir(), 'serving-'));
  modelDir = join(dir, 'model');
  model = await trainMnistModel(tf);
  await saveModelFolder(tf, model, modelDir);
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface Reply {
  status: number;
  body: { predictions?: number[][]; error?: string; status?: string };
  headers: Headers;
}

async function post(server: ServingServer, body: string | object, path = '/predict'): Promise<Reply> {
  const response = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Reply['body'], headers: response.headers };
}

function serve(options: Partial<Parameters<typeof createServingServer>[0]> = {}): Promise<ServingServer> {
  return createServingServer({ modelUri: modelDir, port: 0, predictRoute: '/predict', healthRoute: '/health', tf, ...options });
}

void describe('serving server (Vertex AI custom container contract)', () => {
  let server: ServingServer;
  const digits = (): ReturnType<typeof readDigits> => readDigits('t10k', 64);

  before(async () => {
    server = await serve();
    await server.ready;
  });
  after(async () => {
    await server.close();
  });

  void test('predicts real MNIST test digits: classes match plain model.predict', async () => {
    const test = digits();
    const expected = plainClasses(tf, model, test);
    for (let i = 0; i < 8; i++) {
      const reply = await post(server, { instances: [digitInstance(test, i)] });
      assert.equal(reply.status, 200);
      const [probabilities] = reply.body.predictions ?? [];
      assert.equal(probabilities.length, 10);
      assert.ok(Math.abs(probabilities.reduce((a, b) => a + b, 0) - 1) < 1e-4);
      assert.equal(argmax(probabilities), expected[i]);
    }
    // The model learned something: most of these test digits are right.
    const correct = expected.filter((c, i) => c === test.labels[i]).length;
    assert.ok(correct > test.count * 0.6, `${correct}/${test.count}`);
  });

  void test('a batch of 32 instances gets 32 predictions in order; flat 784-value instances work too', async () => {
    const test = digits();
    const expected = plainClasses(tf, model, test).slice(0, 32);
    const instances = Array.from({ length: 32 }, (_, i) =>
      i % 2 === 0 ? digitInstance(test, i) : Array.from(test.pixels.subarray(i * 784, (i + 1) * 784)),
    );
    const reply = await post(server, { instances, parameters: {} });
    assert.equal(reply.status, 200);
    assert.deepEqual(reply.body.predictions?.map(argmax), expected);
    // Also {"<input name>": instance}, the form Vertex's TF serving accepts.
    const named = await post(server, { instances: [{ [model.inputs[0].name]: digitInstance(test, 0) }] });
    assert.equal(argmax(named.body.predictions?.[0] ?? []), expected[0]);
  });

  void test('concurrent requests are batched into fewer model calls and each gets its own answer', async () => {
    const test = digits();
    const expected = plainClasses(tf, model, test);
    const predictor = server.predictor();
    assert.ok(predictor);
    const agent = new Agent({ keepAlive: true, maxSockets: 64 });
    const body = JSON.stringify({ instances: [Array(784).fill(0)] });
    // Open the 64 keep-alive connections first, as a busy client would have them.
    await Promise.all(Array.from({ length: 64 }, () => rawPost(server, body, agent)));
    const callsBefore = predictor.stats.calls;
    const replies = await Promise.all(
      Array.from({ length: 64 }, (_, i) => rawPost(server, JSON.stringify({ instances: [digitInstance(test, i)] }), agent)),
    );
    agent.destroy();
    replies.forEach((reply, i) => {
      assert.equal(reply.status, 200);
      assert.equal(argmax((JSON.parse(reply.text) as { predictions: number[][] }).predictions[0]), expected[i], `request ${i}`);
    });
    const calls = predictor.stats.calls - callsBefore;
    assert.ok(calls < 64, `64 requests took ${calls} model calls`);
  });

  void test('bad input gets 400 with a message, and the server keeps serving', async () => {
    const cases: [string | object, RegExp][] = [
      ['{"instances": [', /not valid JSON/],
      ['[1, 2]', /must be a JSON object/],
      [{ inputs: [] }, /no "instances"/],
      [{ instances: 'abc' }, /must be a list/],
      [{ instances: [] }, /is empty/],
      [{ instances: [[1, 2, 3]] }, /instances\[0\] has shape \[3\]; expected \[28, 28\] or a flat list of 784 numbers/],
      [{ instances: [Array(28).fill(Array(27).fill(0))] }, /has shape \[28, 27\]; expected \[28, 28\]/],
      [{ instances: [5] }, /has shape \[\] \(a single number\)/],
      [{ instances: [Array(28).fill(Array(28).fill('x'))] }, /instances\[0\]\[0\]\[0\] is "x"; expected a number/],
      [{ instances: [Array(783).fill(0).concat([null])] }, /instances\[0\]\[783\] is null; expected a number/],
      [{ instances: [{ wrong: 1 }] }, /object with keys \[wrong\]/],
      [{ instances: [Array(784).fill(0)], parameters: 3 }, /"parameters" must be a JSON object/],
    ];
    for (const [body, message] of cases) {
      const reply = await post(server, body);
      assert.equal(reply.status, 400, JSON.stringify(body).slice(0, 80));
      assert.match(reply.body.error ?? '', message);
    }
    const ok = await post(server, { instances: [Array(784).fill(0)] });
    assert.equal(ok.status, 200);
  });

  void test('bodies over 1.5 MB get 413, with or without Content-Length', async () => {
    const big = JSON.stringify({ instances: [Array(400_000).fill(0.5)] });
    assert.ok(big.length > 1.5 * 1024 * 1024);
    const reply = await post(server, big);
    assert.equal(reply.status, 413);
    assert.match(reply.body.error ?? '', /exceeds the limit of 1572864 bytes/);
    const chunked = await fetch(`${server.url}/predict`, {
      method: 'POST',
      body: new Blob([big]).stream(),
      duplex: 'half',
    } as RequestInit);
    assert.equal(chunked.status, 413);
    assert.equal((await post(server, { instances: [Array(784).fill(0)] })).status, 200);
  });

  void test('unknown routes get 404 and wrong methods 405', async () => {
    assert.equal((await fetch(`${server.url}/nope`)).status, 404);
    const get = await fetch(`${server.url}/predict`);
    assert.equal(get.status, 405);
    assert.equal(get.headers.get('allow'), 'POST');
    assert.equal((await post(server, {}, '/health')).status, 405);
  });
});

void describe('serving server lifecycle', () => {
  void test('health is 503 while the model loads from gs:// and 200 once it is ready', async () => {
    const storageServer = await startStorageServer({ dataDir: join(dir, 'gcs') });
    const storage = new Storage({ apiEndpoint: storageServer.url, projectId: 'p' });
    const [bucket] = await storage.createBucket('models');
    await bucket.upload(join(modelDir, 'model.json'), { destination: 'mnist/v1/model.json' });
    await bucket.upload(join(modelDir, 'group1-shard1of1.bin'), { destination: 'mnist/v1/group1-shard1of1.bin' });
    storageServer.faults.add({ path: 'model.json', delayMs: 400 });
    const server = await serve({ modelUri: 'gs://models/mnist/v1/', storage, healthRoute: '/v1/health', predictRoute: '/v1/m:predict' });
    try {
      const before = await fetch(`${server.url}/v1/health`);
      assert.equal(before.status, 503);
      assert.match(((await before.json()) as { error: string }).error, /loading/);
      assert.equal((await post(server, { instances: [Array(784).fill(0)] }, '/v1/m:predict')).status, 503);
      await server.ready;
      assert.equal((await fetch(`${server.url}/v1/health`)).status, 200);
      const test = readDigits('t10k', 4);
      const reply = await post(server, { instances: [0, 1, 2, 3].map((i) => digitInstance(test, i)) }, '/v1/m:predict');
      assert.deepEqual(reply.body.predictions?.map(argmax), plainClasses(tf, model, test));
    } finally {
      await server.close();
      await storageServer.close();
    }
  });

  void test('a model that cannot load rejects ready and health says why', async () => {
    const server = await serve({ modelUri: join(dir, 'no-such-folder') });
    try {
      await assert.rejects(server.ready, /No readable model.json in .*no-such-folder/);
      const health = await fetch(`${server.url}/health`);
      assert.equal(health.status, 503);
      assert.match(((await health.json()) as { error: string }).error, /failed to load/);
    } finally {
      await server.close();
    }
  });
});

function rawPost(server: ServingServer, body: string, agent: Agent): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${server.url}/predict`,
      { method: 'POST', agent, headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
