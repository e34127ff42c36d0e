import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { isUserError } from '../../../../src/shared/errors';
import type { TrainingSpec } from '../../../../src/shared/spec';
import { buildModel } from '../../../../src/trainer/model';
import { loadSpec } from '../../../../src/core/spec';
import { checkModelAgainstData } from '../../../../src/trainer/dataChecks';
import { REPO_ROOT } from '../../../helpers/repoRoot';
import { tempDir } from '../../../helpers/cleanup';

let dir: string;

before(async () => {
  await tf.setBackend('cpu');
  dir = tempDir('model-module-');
});

function moduleSpec(module: string, exportName?: string): TrainingSpec {
  return {
    name: 'module',
    data: { type: 'mnist' },
    model: { module, ...(exportName && { export: exportName }) },
    compile: { optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] },
    fit: { epochs: 1, seed: 3 },
  };
}

async function build(source: string, exportName?: string, file = `m${Math.random().toString(36).slice(2)}.ts`): Promise<tf.LayersModel> {
  await writeFile(join(dir, file), source);
  return buildModel(tf, moduleSpec(`./${file}`, exportName), { sampleShape: [28, 28], numClasses: 10, baseDir: dir });
}

async function buildError(source: string, ...parts: string[]): Promise<string> {
  try {
    await build(source);
  } catch (error) {
    assert.ok(isUserError(error), `expected a UserError, got ${String(error)}`);
    assert.ok(!error.message.includes('\n'), `not one line: ${JSON.stringify(error.message)}`);
    for (const part of parts) assert.ok(error.message.includes(part), `message lacks ${JSON.stringify(part)}: ${error.message}`);
    return error.message;
  }
  assert.fail('the module built a model');
}

test('the custom-model.ts example builds from its spec and is compiled from the spec', async () => {
  const path = join(REPO_ROOT, 'examples/mnist/mnist-custom.train.json');
  const model = await buildModel(tf, await loadSpec(path), { sampleShape: [28, 28], numClasses: 10, baseDir: join(path, '..') });
  assert.equal(model.name, 'mnist_custom');
  assert.equal(model.countParams(), 784 * 256 + 256 + 256 * 64 + 64 + 64 * 10 + 10);
  assert.deepEqual(model.metricsNames, ['loss', 'acc']);
});

test('a TypeScript module with types, a local import and a static tfjs import builds with our tf', async () => {
  await writeFile(join(dir, 'sizes.ts'), 'export const hidden: number = 12;\n');
  const model = await build(
    [
      "import * as tfjs from '@tensorflow/tfjs';",
      "import { hidden } from './sizes';",
      'interface Info { sampleShape: number[]; numClasses?: number; seed?: number }',
      'export function buildModel(tf: typeof tfjs, info: Info): tfjs.LayersModel {',
      "  if (tf.sequential !== tfjs.sequential) throw new Error('a second tfjs copy');",
      '  return tfjs.sequential({ layers: [',
      '    tfjs.layers.flatten({ inputShape: info.sampleShape }),',
      "    tfjs.layers.dense({ units: hidden, activation: 'relu' }),",
      "    tfjs.layers.dense({ units: info.numClasses ?? 0, activation: 'softmax' }),",
      '  ] });',
      '}',
    ].join('\n'),
  );
  assert.deepEqual(model.outputs[0].shape, [null, 10]);
  assert.equal(model.layers[1].outputShape[1], 12);
  assert.deepEqual(model.metricsNames, ['loss', 'acc']);
});

test('an async export, a named export and a module that compiles its own model', async () => {
  const model = await build(
    [
      'export async function make(tf, info) {',
      "  const model = tf.sequential({ layers: [tf.layers.flatten({ inputShape: info.sampleShape }), tf.layers.dense({ units: 10, activation: 'softmax' })] });",
      "  model.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' });",
      '  return model;',
      '}',
    ].join('\n'),
    'make',
    'own.mjs',
  );
  // Compiled by the module: its own loss stays.
  assert.equal(model.loss, 'categoricalCrossentropy');
});

test('a syntax error reports file:line:col and the compiler message', async () => {
  await buildError('export function buildModel(tf) {\n  return tf.sequential(\n}\n', 'does not compile:', '.ts:3:1:', 'fix the module');
});

test('an import that cannot be resolved is a compile error', async () => {
  await buildError("import { x } from 'no-such-package-here';\nexport function buildModel() { return x; }\n", 'does not compile:', 'no-such-package-here');
});

test('a missing export lists the functions the module does export', async () => {
  await buildError('export function makeModel(tf) { return tf.sequential(); }\n', "has no export 'buildModel'", "it exports 'makeModel'", 'set model.export');
});

test('an export that is not a function says so', async () => {
  await buildError('export const buildModel = 42;\n', "export 'buildModel' is a number, not a function");
});

test('a throwing build function reports its message', async () => {
  await buildError("export function buildModel() { throw new Error('boom\\nsecond line'); }\n", 'buildModel() in', 'threw: boom');
});

test('a module that throws while loading says so', async () => {
  await buildError("throw new TypeError('top-level failure');\nexport function buildModel() {}\n", 'threw while loading: top-level failure');
});

test('returning something other than a LayersModel names what came back', async () => {
  await buildError('export function buildModel() { return { layers: [] }; }\n', 'returned an object of type Object, not a tf.LayersModel', 'tf.sequential');
  await buildError('export function buildModel(tf) { tf.sequential(); }\n', 'returned undefined (is a return statement missing?)');
});

test('a module path that does not exist names where it looked', async () => {
  await assert.rejects(
    buildModel(tf, moduleSpec('./missing.ts'), { sampleShape: [2], baseDir: dir }),
    (error: unknown) => isUserError(error) && error.message.includes('model.module ./missing.ts not found') && error.message.includes("relative to the spec's folder"),
  );
});

test('a module model that does not fit the data is caught once built, naming both shapes', async () => {
  const model = await build('export function buildModel(tf) { return tf.sequential({ layers: [tf.layers.dense({ units: 12, inputShape: [784] })] }); }\n');
  const spec = moduleSpec('./x.ts');
  const mnist = { sampleShape: [28, 28], labelShape: [], numClasses: 10 };
  assert.throws(
    () => checkModelAgainstData(model, spec, mnist),
    (error: Error) => isUserError(error) && error.message.includes('takes inputs of shape [784]') && error.message.includes('[28, 28]') && !error.message.includes('\n'),
  );
  const wide = await build("export function buildModel(tf, info) { return tf.sequential({ layers: [tf.layers.flatten({ inputShape: info.sampleShape }), tf.layers.dense({ units: 12 })] }); }\n");
  assert.throws(
    () => checkModelAgainstData(wide, spec, mnist),
    (error: Error) => isUserError(error) && error.message.includes('gives 12 outputs but the data has 10 classes'),
  );
});
