import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { serveCommand } from '../../../src/serving/serveCommand';
import { loadServingTf, servingConfig } from '../../../src/serving';
import { isUserError } from '../../../src/shared/errors';
import { saveModelFolder, trainMnistModel } from './fixtures';

let dir: string;

before(async () => {
  const { tf } = await loadServingTf();
  dir = await mkdtemp(join(tmpdir(), 'serve-cmd-'));
  await saveModelFolder(tf, await trainMnistModel(tf, 64, 1), join(dir, 'model'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

void test('serve reads the AIP_* variables, logs one line when ready and stops when asked', async () => {
  const port = await freePort();
  const env = {
    AIP_HTTP_PORT: String(port),
    AIP_HEALTH_ROUTE: '/v1/ping',
    AIP_PREDICT_ROUTE: '/v1/endpoints/1/deployedModels/2:predict',
    AIP_STORAGE_URI: join(dir, 'model'),
  };
  const lines: string[] = [];
  const stop = new AbortController();
  let readyLine: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (readyLine = resolve));
  const running = serveCommand([], {
    env,
    signal: stop.signal,
    log: (line) => {
      lines.push(line);
      readyLine();
    },
  });
  await ready;
  assert.match(lines[0], new RegExp(`^Serving .*model on http://127.0.0.1:${port} \\(POST /v1/endpoints/1/deployedModels/2:predict, GET /v1/ping`));
  assert.equal((await fetch(`http://127.0.0.1:${port}/v1/ping`)).status, 200);
  const reply = await fetch(`http://127.0.0.1:${port}/v1/endpoints/1/deployedModels/2:predict`, {
    method: 'POST',
    body: JSON.stringify({ instances: [Array(784).fill(0)] }),
  });
  assert.equal(((await reply.json()) as { predictions: number[][] }).predictions[0].length, 10);
  stop.abort();
  assert.equal(await running, 0);
  await assert.rejects(fetch(`http://127.0.0.1:${port}/v1/ping`));
});

void test('flags override the variables; bad settings are one-line user errors', async () => {
  const config = servingConfig({ AIP_STORAGE_URI: 'gs://a/b', AIP_HTTP_PORT: '9000' }, { port: '0', predictRoute: '/p' });
  assert.equal(config.port, 0);
  assert.equal(config.predictRoute, '/p');
  assert.equal(config.healthRoute, '/health');
  assert.equal(config.modelUri, 'gs://a/b');
  const cases: [string[], NodeJS.ProcessEnv, RegExp][] = [
    [[], {}, /No model to serve: set AIP_STORAGE_URI or pass --model-uri/],
    [[], { AIP_STORAGE_URI: 'x', AIP_HTTP_PORT: 'http' }, /port must be a number .* not 'http'/],
    [['--predict-route', 'predict'], { AIP_STORAGE_URI: 'x' }, /predict route must be a path starting with '\/'/],
    [['--bogus'], {}, /Unknown option '--bogus'.*Usage: model-studio serve/],
    [['extra'], {}, /Unexpected argument 'extra'/],
    [['--model-uri', join(dir, 'nothing'), '--port', '0'], {}, /No readable model.json/],
  ];
  for (const [argv, env, message] of cases) {
    await assert.rejects(serveCommand(argv, { env, log: () => undefined }), (error: unknown) => isUserError(error) && message.test(error.message));
  }
});
