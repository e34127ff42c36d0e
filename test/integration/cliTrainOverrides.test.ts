// `model-studio train --batch-size N --learning-rate R`: the values Train
// With… sends too. The run trains with them (batches per epoch, the saved
// model's optimizer) and its run.json records the spec as trained; the spec
// file is left alone. Bad values and a resume with new values are refused.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { RunRecord, RunStartedEvent } from '../../src/shared/events';
import { jsonEvents, mnistSpec, runCli, tempWorkspace, writeSpec } from '../helpers/cli';

test('--batch-size and --learning-rate train the run and are recorded in its run.json', async () => {
  const ws = tempWorkspace();
  const spec = writeSpec(ws, mnistSpec({ fit: { epochs: 1, batchSize: 32, seed: 5 } }, { train: 1000, test: 100 }));
  const before = readFileSync(spec, 'utf8');
  const result = await runCli(['train', spec, '--json', '--backend', 'wasm', '--batch-size', '100', '--learning-rate', '0.0005'], ws);
  assert.equal(result.code, 0, result.stderr);

  const events = jsonEvents(result.stdout);
  const started = events[0] as RunStartedEvent;
  assert.equal(started.batchSize, 100);
  assert.equal(started.batchesPerEpoch, 10, '1,000 samples in batches of 100');
  assert.equal(events.filter((e) => e.type === 'batchEnd').length, 10);
  assert.deepEqual(started.spec.compile.optimizer, { type: 'adam', learningRate: 0.0005 });

  const runDir = join(ws, '.model-studio', 'runs', started.runId);
  const record = JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')) as RunRecord;
  assert.equal(record.spec.fit.batchSize, 100);
  assert.deepEqual(record.spec.compile.optimizer, { type: 'adam', learningRate: 0.0005 });
  assert.equal(readFileSync(spec, 'utf8'), before, 'the spec file is unchanged');

  // The optimizer TF.js trained with, as the last checkpoint (saved with its optimizer) records it.
  assert.ok(record.lastCheckpoint);
  const model = JSON.parse(readFileSync(join(runDir, record.lastCheckpoint, 'model.json'), 'utf8')) as {
    trainingConfig?: { optimizer_config?: { config?: Record<string, number> } };
  };
  const config = model.trainingConfig?.optimizer_config?.config ?? {};
  assert.equal(config.learningRate, 0.0005, JSON.stringify(model.trainingConfig));
});

test('a learning rate of 0 or a fractional batch size is refused in one line, before anything is written', async () => {
  const ws = tempWorkspace();
  const spec = writeSpec(ws, mnistSpec({}, { train: 100, test: 50 }));
  for (const [flag, value, pattern] of [
    ['--learning-rate', '0', /--learning-rate must be a number above 0, not '0'/],
    ['--batch-size', '1.5', /--batch-size must be a whole number of at least 1, not '1\.5'/],
  ] as const) {
    const result = await runCli(['train', spec, flag, value], ws);
    assert.equal(result.code, 2, result.stderr);
    assert.equal(result.stderr.trim().split('\n').length, 1);
    assert.match(result.stderr, pattern);
  }
});

test('resuming with a new batch size says the run keeps its own', async () => {
  const ws = tempWorkspace();
  const spec = writeSpec(ws, mnistSpec({ fit: { epochs: 1, batchSize: 50 } }, { train: 200, test: 50 }));
  const trained = await runCli(['train', spec, '--json', '--backend', 'wasm'], ws);
  assert.equal(trained.code, 0, trained.stderr);
  const runId = (jsonEvents(trained.stdout)[0] as RunStartedEvent).runId;
  const resumed = await runCli(['train', '--resume', runId, '--epochs', '2', '--batch-size', '64', '--backend', 'wasm'], ws);
  assert.equal(resumed.code, 2, resumed.stderr);
  assert.match(resumed.stderr, new RegExp(`Run '${runId}' resumes with the batch size and learning rate it started with`));
});
