// Open as Spec: the best trial's values in a spec of their own beside the
// swept one, without the search section, never over an existing file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { specTextWithValues, writeBestSpec } from '../../../../src/core/sweep/bestSpec';
import { applyTrialParameters } from '../../../../src/core/sweep/applyTrial';
import { parseSpec } from '../../../../src/core/spec';
import { isUserError } from '../../../../src/shared/errors';
import type { SweepRecord } from '../../../../src/shared/sweep';
import { tempDir } from '../../../helpers/cleanup';
import { baseSpec } from '../spec/helpers';

function sweptSpec(folder: string): string {
  const path = join(folder, 'mnist.train.json');
  const spec = {
    $schema: '../schemas/train-spec.schema.json',
    ...baseSpec(),
    name: 'mnist-mlp',
    fit: { epochs: 3, validationSplit: 0.1 },
    search: { metric: { name: 'val_acc', goal: 'maximize' }, parameters: { 'compile.optimizer.learningRate': { type: 'double', min: 0.0001, max: 0.01, scale: 'log' } } },
  };
  writeFileSync(path, JSON.stringify(spec, null, 2));
  return path;
}

function record(specPath: string, best = true): SweepRecord {
  return {
    id: 'mnist-mlp-sweep-1',
    name: 'mnist-mlp',
    specPath,
    search: { metric: { name: 'val_acc', goal: 'maximize' }, parameters: {} },
    status: 'completed',
    createdAt: '2026-12-02T10:45:12Z',
    updatedAt: '2026-12-02T10:50:12Z',
    trials: [
      { trialId: '1', parameters: { 'compile.optimizer.learningRate': 0.0005 }, status: 'completed', value: 0.95, runId: 'r1' },
      { trialId: '2', parameters: { 'compile.optimizer.learningRate': 0.0031 }, status: 'completed', value: 0.97, runId: 'r2' },
    ],
    best: best ? { trialId: '2', runId: 'r2', value: 0.97 } : undefined,
  };
}

test('writes mnist.best.train.json with the best values and no search; a second goes to mnist.best-2.train.json', async () => {
  const folder = tempDir('ms-best-');
  const specPath = sweptSpec(folder);
  const path = await writeBestSpec(record(specPath));
  assert.equal(path, join(folder, 'mnist.best.train.json'));
  const text = readFileSync(path, 'utf8');
  const spec = parseSpec(text, path);
  assert.equal(spec.name, 'mnist-mlp-best');
  assert.equal(spec.search, undefined);
  assert.deepEqual(spec.compile.optimizer, { type: 'adam', learningRate: 0.0031 });
  assert.equal(spec.$schema, '../schemas/train-spec.schema.json', 'the rest of the spec as it was');
  assert.equal(await writeBestSpec(record(specPath)), join(folder, 'mnist.best-2.train.json'));
});

test("the swept spec's own text is edited: its layout stays, the values are a trial's", () => {
  const text = [
    '{',
    '  "name": "mnist-mlp",',
    '  "data": { "type": "mnist" },',
    '  "model": { "layers": [',
    '    { "type": "flatten", "inputShape": [28, 28] },',
    '    { "type": "dense", "units": 128, "activation": "relu" },',
    '    { "type": "dense", "units": 10, "activation": "softmax" }',
    '  ] },',
    '  "compile": { "optimizer": "adam", "loss": "sparseCategoricalCrossentropy", "metrics": ["accuracy"] },',
    '  "fit": { "epochs": 3, "validationSplit": 0.1 },',
    '  "search": { "metric": { "name": "val_acc", "goal": "maximize" }, "parameters": { "model.layers[1].units": { "type": "integer", "min": 8, "max": 64 } } }',
    '}',
  ].join('\n');
  const values = { 'model.layers[1].units': 48, 'compile.optimizer.learningRate': 0.002 };
  const written = specTextWithValues(text, values, 'mnist-mlp-best');
  assert.match(written, /\{ "type": "flatten", "inputShape": \[28, 28\] \},/, 'untouched lines keep their layout');
  assert.match(written, /"units": 48/);
  assert.doesNotMatch(written, /"search"/);
  const expected = { ...applyTrialParameters(JSON.parse(text) as never, values), name: 'mnist-mlp-best' };
  assert.deepEqual(JSON.parse(written), expected, 'the same spec a trial with these values trains');
});

test('no best yet, or the swept spec gone: one line that says so', async () => {
  const folder = tempDir('ms-best-');
  await assert.rejects(writeBestSpec(record(sweptSpec(folder), false)), (e: unknown) => isUserError(e) && /has no completed trial yet/.test(e.message));
  await assert.rejects(writeBestSpec(record(join(folder, 'gone.train.json'))), (e: unknown) => isUserError(e) && /Cannot read the swept spec .*gone\.train\.json.*r2/.test(e.message));
});
