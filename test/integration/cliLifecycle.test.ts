// Stop, resume, crash and NaN: what a long run meets, through the real CLI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunFinishedEvent, RunRecord, RunStartedEvent } from '../../src/shared/events';
import { collect, jsonEvents, mnistSpec, runCli, startCli, tempWorkspace, waitForEvent, writeSpec } from '../helpers/cli';

test('SIGINT stops within 2 s, saves checkpoint and model, and --resume finishes the epochs', async () => {
  const ws = tempWorkspace();
  const spec = writeSpec(ws, mnistSpec({ fit: { epochs: 3, batchSize: 32, seed: 5 } }, { train: 6000, test: 500 }));
  const child = startCli(['train', spec, '--json', '--backend', 'wasm'], ws);
  const done = collect(child);
  const started = (await waitForEvent(child, (e) => e.type === 'runStarted')) as RunStartedEvent;
  await waitForEvent(child, (e) => e.type === 'batchEnd' && e.step >= 20);
  const stopAt = Date.now();
  child.kill('SIGINT');
  const result = await done;
  assert.ok(Date.now() - stopAt < 2000, `stopped in ${Date.now() - stopAt} ms`);
  assert.equal(result.code, 0, result.stderr);
  const finished = jsonEvents(result.stdout).at(-1) as RunFinishedEvent;
  assert.equal(finished.status, 'stopped');

  const runDir = join(ws, '.model-studio', 'runs', started.runId);
  const record = JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')) as RunRecord;
  assert.equal(record.status, 'stopped');
  assert.match(record.lastCheckpoint ?? '', /checkpoints\/epoch-0000-step-\d{9}$/);
  readFileSync(join(runDir, 'model', 'model.json'));

  const resumed = await runCli(['train', '--resume', started.runId, '--json', '--backend', 'wasm'], ws);
  assert.equal(resumed.code, 0, resumed.stderr);
  const events = jsonEvents(resumed.stdout);
  const restart = events[0] as RunStartedEvent;
  assert.equal(restart.runId, started.runId, 'resume continues the same run');
  assert.equal(restart.initialEpoch, 0, 'the interrupted epoch continues from its checkpoint');
  assert.ok((restart.initialBatch ?? 0) > 0, 'at the batch after it');
  assert.equal(events.filter((e) => e.type === 'epochEnd').length, 3);
  assert.equal((events.at(-1) as RunFinishedEvent).status, 'completed');
  const after = JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')) as RunRecord;
  assert.equal(after.status, 'completed');
  assert.equal(after.epochsCompleted, 3);
});

test('--resume with more epochs carries the epoch count on from the last checkpoint', async () => {
  const ws = tempWorkspace();
  const spec = writeSpec(ws, mnistSpec({ fit: { epochs: 1, batchSize: 64, seed: 2 } }, { train: 640, test: 100 }));
  const first = await runCli(['train', spec, '--json', '--backend', 'wasm'], ws);
  assert.equal(first.code, 0, first.stderr);
  const runId = jsonEvents(first.stdout)[0].runId;
  const more = await runCli(['train', '--resume', runId, '--epochs', '3', '--json', '--backend', 'wasm'], ws);
  assert.equal(more.code, 0, more.stderr);
  const events = jsonEvents(more.stdout);
  assert.equal((events[0] as RunStartedEvent).initialEpoch, 1);
  assert.deepEqual(events.filter((e) => e.type === 'epochEnd').map((e) => (e.type === 'epochEnd' ? e.epoch : -1)), [1, 2]);
  const again = await runCli(['train', '--resume', runId, '--backend', 'wasm'], ws);
  assert.equal(again.code, 2);
  assert.match(again.stderr, /already completed 3 of 3 epochs: pass --epochs/);
});

test('after kill -9 every line in metrics.jsonl parses and the run lists as crashed', async () => {
  const ws = tempWorkspace();
  const spec = writeSpec(ws, mnistSpec({ fit: { epochs: 5, batchSize: 32 } }, { train: 6000, test: 100 }));
  const child = startCli(['train', spec, '--json', '--backend', 'wasm'], ws);
  const done = collect(child);
  const started = await waitForEvent(child, (e) => e.type === 'runStarted');
  await waitForEvent(child, (e) => e.type === 'batchEnd' && e.step >= 30);
  child.kill('SIGKILL');
  await done;
  const lines = readFileSync(join(ws, '.model-studio', 'runs', started.runId, 'metrics.jsonl'), 'utf8').split('\n').filter(Boolean);
  assert.ok(lines.length >= 31);
  for (const line of lines) JSON.parse(line);
  const runs = await runCli(['runs', '--json'], ws);
  const [run] = JSON.parse(runs.stdout) as RunRecord[];
  assert.equal(run.status, 'crashed');
  const table = await runCli(['runs'], ws);
  assert.match(table.stdout, /crashed/);
});

test('a loss that becomes NaN stops the run at once, naming epoch and batch', async () => {
  // Unscaled regression targets with a huge learning rate: the loss overflows within a few batches.
  const ws = tempWorkspace();
  const rows = ['a,b,y'];
  for (let i = 0; i < 500; i++) rows.push(`${i % 97},${(i * 7) % 89},${3 * (i % 97) - 2 * ((i * 7) % 89)}`);
  writeFileSync(join(ws, 'data.csv'), rows.join('\n') + '\n');
  const spec = writeSpec(ws, {
    name: 'exploding',
    data: { type: 'csv', train: 'data.csv', labelColumn: 'y', task: 'regression' },
    model: { layers: [{ type: 'dense', units: 8 }, { type: 'dense', units: 1 }] },
    compile: { optimizer: { type: 'sgd', learningRate: 10 }, loss: 'meanSquaredError' },
    fit: { epochs: 3, batchSize: 32 },
  });
  const result = await runCli(['train', spec, '--json', '--backend', 'wasm'], ws);
  assert.equal(result.code, 1);
  const finished = jsonEvents(result.stdout).at(-1) as RunFinishedEvent;
  assert.equal(finished.status, 'failed');
  assert.match(finished.reason ?? '', /The loss became (NaN|Infinity|-Infinity) at epoch 1, batch \d+: lower the learning rate/);
  assert.equal(result.stderr.trim().split('\n').length, 1, 'one line on stderr');
  assert.ok(jsonEvents(result.stdout).filter((e) => e.type === 'batchEnd').length < 16, 'stopped within the first epoch');
  const record = JSON.parse(readFileSync(join(ws, '.model-studio', 'runs', finished.runId, 'run.json'), 'utf8')) as RunRecord;
  assert.equal(record.status, 'failed');
});
