// `model-studio serve` as a user runs it: serve a trained run's model folder,
// classify real MNIST test digits over HTTP, stop with Ctrl+C; bad input
// exits 2 with one line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import type { RunStartedEvent } from '../../src/shared/events';
import { collect, jsonEvents, mnistSpec, runCli, startCli, tempWorkspace, writeSpec } from '../helpers/cli';
import { argmax, mnistDigits } from './cloudFixtures';

/** Resolves with the first stderr line matching `pattern`; rejects if the process ends first. */
function waitForLine(child: ChildProcess, pattern: RegExp, timeoutMs = 60_000): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms:\n${seen}`)), timeoutMs);
    child.stderr?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const match = pattern.exec(seen);
      if (match) {
        clearTimeout(timer);
        resolve(match);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited (${code}) before the line ${pattern}:\n${seen}`));
    });
  });
}

async function trainedModelFolder(ws: string): Promise<string> {
  const spec = writeSpec(ws, mnistSpec({ fit: { epochs: 1, batchSize: 32, seed: 4 } }, { train: 3000, test: 100 }));
  const trained = await runCli(['train', spec, '--json', '--backend', 'wasm'], ws);
  assert.equal(trained.code, 0, trained.stderr);
  const started = jsonEvents(trained.stdout)[0] as RunStartedEvent;
  return join(ws, '.model-studio', 'runs', started.runId, 'model');
}

test('serve answers predictions for real MNIST digits from a trained run, and Ctrl+C stops it with exit 0', async () => {
  const ws = tempWorkspace();
  const modelDir = await trainedModelFolder(ws);
  const child = startCli(['serve', '--model-uri', modelDir, '--port', '0', '--backend', 'wasm'], ws);
  const result = collect(child);
  const [line, url] = await waitForLine(child, /Serving .* on (http:\/\/127\.0\.0\.1:\d+) \(POST \/predict, GET \/health; TF\.js wasm/);
  assert.ok(line.includes(modelDir), line);

  assert.equal((await fetch(`${url}/health`)).status, 200);
  const digits = mnistDigits(9000, 100);
  const reply = await fetch(`${url}/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ instances: digits.images }) });
  assert.equal(reply.status, 200);
  const { predictions } = (await reply.json()) as { predictions: number[][] };
  assert.equal(predictions.length, 100);
  for (const p of predictions) {
    assert.equal(p.length, 10);
    assert.ok(Math.abs(p.reduce((a, b) => a + b, 0) - 1) < 1e-4, 'each prediction is a probability distribution');
  }
  const correct = predictions.filter((p, i) => argmax(p) === digits.labels[i]).length;
  // One short epoch lands between about 75 and 90 of 100 (the WebAssembly backend's
  // threads make it vary run to run); chance is 10, a model served wrong scores about that.
  assert.ok(correct >= 65, `classifies unseen digits: ${correct}/100 correct`);

  const stopAt = Date.now();
  child.kill('SIGINT');
  const ended = await result;
  assert.ok(Date.now() - stopAt < 5000, `stopped in ${Date.now() - stopAt} ms`);
  assert.equal(ended.code, 0, ended.stderr);
  assert.match(ended.stderr, /Serving stopped/);
  await assert.rejects(fetch(`${url}/health`), 'the port is closed');
});

async function expectOneLineError(args: string[], pattern: RegExp): Promise<void> {
  const result = await runCli(['serve', ...args], tempWorkspace());
  assert.equal(result.code, 2, `exit code; stderr: ${result.stderr}`);
  assert.ok(result.ms < 10_000, `took ${result.ms} ms`);
  const lines = result.stderr.trim().split('\n');
  assert.equal(lines.length, 1, `one line, got:\n${result.stderr}`);
  assert.match(lines[0], pattern);
}

test('serve without a model, with a missing model or a bad or busy port exits 2 with one line', async () => {
  await expectOneLineError([], /^No model to serve: set AIP_STORAGE_URI or pass --model-uri/);
  await expectOneLineError(['--model-uri', join(tempWorkspace(), 'no-model'), '--port', '0'], /^No readable model\.json in .*no-model.*: point the model URI at the folder that holds model\.json/);
  await expectOneLineError(['--model-uri', 'x', '--port', 'http'], /^The HTTP port must be a number from 0 to 65535 .* not 'http'/);
  await expectOneLineError(['--model-uri', 'x', '--port', '70000'], /^The HTTP port must be a number from 0 to 65535/);
  const busy = createServer().listen(0, '127.0.0.1');
  await once(busy, 'listening');
  try {
    const { port } = busy.address() as { port: number };
    await expectOneLineError(['--model-uri', 'x', '--port', String(port)], new RegExp(`^Port ${port} on 127\\.0\\.0\\.1 is in use: pass another --port`));
  } finally {
    busy.close();
  }
});
