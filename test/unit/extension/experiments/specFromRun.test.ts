// Open as Spec: a run's hyperparameters written as a spec beside the one it came from.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../../helpers/cleanup';
import { specFileName, writeSpecFromRun } from '../../../../src/extension/experiments/specFromRun';
import { parseSpec } from '../../../../src/core/spec';
import type { TrainingSpec } from '../../../../src/shared/spec';
import { mnistSpec } from '../../../../webview/harness/syntheticRun';

const root = tempDir('spec-from-run-');

/** A spec that still carries its sweep's search section (the sweeps branch types it). */
type WithSearch = TrainingSpec & { search?: unknown };

function trialSpec(): WithSearch {
  const spec: WithSearch = mnistSpec();
  spec.$schema = './schema.json';
  spec.fit.batchSize = 128;
  spec.compile.optimizer = { type: 'adam', learningRate: 0.0031 };
  spec.search = { metric: { name: 'val_acc', goal: 'maximize' }, parameters: { 'fit.batchSize': { type: 'discrete', values: [32, 128] } } };
  return spec;
}

test('a trial’s applied spec is written beside the original, without its search, saying where it came from', async () => {
  const folder = join(root, 'specs');
  mkdirSync(folder);
  const record = { id: 'mnist-mlp-20261202-101501-aaaa', specPath: join(folder, 'mnist.train.json'), spec: trialSpec(), trial: { sweepId: 'mnist-sweep', trialId: '7', parameters: { 'fit.batchSize': 128 } } };
  const file = await writeSpecFromRun(record, root);
  assert.equal(file, join(folder, 'mnist.trial-7.train.json'));
  const text = readFileSync(file, 'utf8');
  const written = JSON.parse(text) as WithSearch;
  assert.equal(written.search, undefined);
  assert.equal(written.fit.batchSize, 128);
  assert.deepEqual(written.compile.optimizer, { type: 'adam', learningRate: 0.0031 });
  assert.equal(written.$schema, './schema.json', 'the relative $schema still holds beside the original');
  assert.equal(written.description, 'The hyperparameters of trial 7 of sweep mnist-sweep (run mnist-mlp-20261202-101501-aaaa).');
  assert.equal(record.spec.search !== undefined, true, 'the run record is not changed');
  // It is a spec the trainer accepts.
  const { $schema: _schema, ...checked } = written;
  assert.equal(parseSpec(JSON.stringify(checked), file).fit.batchSize, 128);
  // Never overwrites: a second time gets its own name.
  assert.equal(await writeSpecFromRun(record, root), join(folder, 'mnist.trial-7-2.train.json'));
  assert.equal(readFileSync(file, 'utf8'), text);
});

test('a plain run is named by its id; when the original folder is gone the spec goes to the workspace folder', async () => {
  const record = { id: 'mnist-mlp-20261202-1015-b', specPath: join(root, 'deleted', 'mnist-cnn.train.json'), spec: trialSpec() };
  assert.equal(specFileName(record), 'mnist-cnn.mnist-mlp-20261202-1015-b.train.json');
  const file = await writeSpecFromRun(record, root);
  assert.equal(file, join(root, 'mnist-cnn.mnist-mlp-20261202-1015-b.train.json'));
  const written = JSON.parse(readFileSync(file, 'utf8')) as WithSearch;
  assert.equal(written.$schema, undefined, 'a relative $schema would point nowhere here');
  assert.equal(written.description, 'The hyperparameters of run mnist-mlp-20261202-1015-b.');
});

test('odd trial ids make safe file names', () => {
  assert.equal(specFileName({ id: 'r', specPath: '/a/my.json', trial: { sweepId: 's', trialId: '../../x y', parameters: {} } }), 'my.trial-..-..-x-y.train.json');
});
