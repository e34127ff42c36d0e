// Every user mistake: exit 2 before any training starts, one line naming
// problem and fix, no stack trace, nothing written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { mnistSpec, runCli, tempWorkspace, writeSpec } from '../helpers/cli';
import type { TrainingSpec } from '../../src/shared/spec';

async function expectUserError(spec: TrainingSpec | string, pattern: RegExp, extraArgs: string[] = []): Promise<void> {
  const ws = tempWorkspace();
  const file = writeSpec(ws, spec);
  const result = await runCli(['train', file, '--backend', 'wasm', ...extraArgs], ws);
  assert.equal(result.code, 2, `exit code; stderr: ${result.stderr}`);
  // A regression bound, not a speed goal (about 1-3 s on a quiet machine): a mistake found only after
  // loading the data and training would take minutes; a loaded CI machine takes tens of seconds to start node.
  assert.ok(result.ms < 45_000, `took ${result.ms} ms`);
  const lines = result.stderr.trim().split('\n');
  assert.equal(lines.length, 1, `one line, got:\n${result.stderr}`);
  assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
  assert.match(lines[0], pattern);
  assert.equal(existsSync(join(ws, '.model-studio')), false, 'nothing written');
}

const base = mnistSpec({}, { train: 100, test: 50 });

test('invalid JSON names line and column', () => expectUserError('{\n  "name": "x",\n  "data": { "type": "mnist" \n}', /line \d+, column \d+/));

test('an unknown layer type names the path and the nearest valid name', () =>
  expectUserError(
    { ...base, model: { layers: [{ type: 'flatten' }, { type: 'dence', units: 10 } as never] } },
    /model\.layers\[1\]\.type.*dense/,
  ));

test('an unknown field names the path and the nearest valid field', () =>
  expectUserError({ ...base, fit: { epochs: 1, batchsize: 32 } as never }, /batchsize.*batchSize/));

test('a dropout rate of 1.5 is refused with the allowed range', () =>
  expectUserError({ ...base, model: { layers: [{ type: 'flatten' }, { type: 'dropout', rate: 1.5 }, { type: 'dense', units: 10, activation: 'softmax' }] } }, /rate/));

test('negative epochs are refused', () => expectUserError({ ...base, fit: { epochs: -3 } }, /epochs/));

test('--epochs 0 is refused', () => expectUserError(base, /--epochs must be a whole number/, ['--epochs', '0']));

test('a missing data file names the file', () =>
  expectUserError({ ...base, data: { type: 'idx', train: { images: 'nope-images', labels: 'nope-labels' } } }, /nope-images/));

test('a data shape that does not fit the model input shows both shapes', () =>
  expectUserError(
    { ...base, model: { layers: [{ type: 'flatten', inputShape: [32, 32, 3] }, { type: 'dense', units: 10, activation: 'softmax' }] } },
    /\[28, ?28\].*\[32, ?32, ?3\]|\[32, ?32, ?3\].*\[28, ?28\]/,
  ));

test('categorical cross-entropy on integer labels suggests the sparse loss', () =>
  expectUserError({ ...base, compile: { optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] } }, /sparseCategoricalCrossentropy/));

test('a user module that does not build a model is refused in one line', async () => {
  const ws = tempWorkspace();
  const { writeFileSync } = await import('node:fs');
  writeFileSync(join(ws, 'model.ts'), 'export function buildModel() { return 42; }\n');
  const file = writeSpec(ws, { ...base, model: { module: './model.ts' } });
  const result = await runCli(['train', file, '--backend', 'wasm'], ws);
  assert.equal(result.code, 2, result.stderr);
  assert.equal(result.stderr.trim().split('\n').length, 1);
  assert.match(result.stderr, /model\.ts/);
});

test('an unknown flag and a missing spec name the usage', async () => {
  const ws = tempWorkspace();
  const unknown = await runCli(['train', 'x.json', '--epoch', '3'], ws);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /--epoch.*Usage: model-studio train/);
  const missing = await runCli(['train'], ws);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /Missing the spec file/);
  const nofile = await runCli(['train', 'nope.train.json'], ws);
  assert.equal(nofile.code, 2);
  assert.match(nofile.stderr, /nope\.train\.json/);
});

test('forcing an unavailable native backend says how to get it', async () => {
  const ws = tempWorkspace();
  const file = writeSpec(ws, base);
  const result = await runCli(['train', file, '--backend', 'tensorflow'], ws);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /npm install @tensorflow\/tfjs-node/);
});
