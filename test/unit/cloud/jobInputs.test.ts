// A job's model module goes to the bucket as its own files, found with the
// TypeScript transpiler that ships with Model Studio (no esbuild): the layout
// keeps its relative imports, and the trainer builds the same model from the
// uploaded copy as from the original. Mistakes show before any upload.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { stageInputs } from '../../../src/cloud/jobInputs';
import type { TrainingSpec } from '../../../src/shared/spec';
import { buildModel } from '../../../src/trainer/model';
import { tempDir } from '../../helpers/cleanup';

before(async () => {
  await tf.setBackend('cpu');
});

function write(root: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, name)), { recursive: true });
    writeFileSync(join(root, name), text);
  }
}

function specWith(module: string): TrainingSpec {
  return {
    name: 'module-job',
    data: { type: 'mnist' },
    model: { module },
    compile: { optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] },
    fit: { epochs: 1, seed: 3 },
  };
}

const MODULE = {
  'specs/model/net.ts': [
    "import type * as tfjs from '@tensorflow/tfjs';",
    "import { join } from 'node:path';",
    "import { hidden } from '../../shared/layers';",
    "import sizes from './sizes.json';",
    'export function buildModel(tf: typeof tfjs): tfjs.LayersModel {',
    "  void join('a', 'b');",
    '  return tf.sequential({ layers: [tf.layers.flatten({ inputShape: [28, 28] }), ...hidden(tf, sizes.units), tf.layers.dense({ units: 10, activation: "softmax" })] });',
    '}',
  ].join('\n'),
  'specs/model/sizes.json': '{ "units": [24, 12] }',
  'shared/layers.ts': [
    "import type * as tfjs from '@tensorflow/tfjs';",
    'export const hidden = (tf: typeof tfjs, units: number[]): tfjs.layers.Layer[] => units.map((u) => tf.layers.dense({ units: u, activation: "relu" }));',
  ].join('\n'),
};

test("a TypeScript model module is staged as its own files under module/, and the uploaded copy builds the same model", async () => {
  const root = tempDir('ms-job-module-');
  write(root, MODULE);
  const specPath = join(root, 'specs', 'net.train.json');
  writeFileSync(specPath, JSON.stringify(specWith('./model/net.ts')));
  const staged = await stageInputs(specPath, 'bucket');
  assert.deepEqual(staged.files.map((f) => f.name).sort(), ['module/shared/layers.ts', 'module/specs/model/net.ts', 'module/specs/model/sizes.json', 'spec.train.json']);
  assert.equal('module' in staged.spec.model && staged.spec.model.module, 'module/specs/model/net.ts');

  // What the trainer finds after downloading the inputs folder.
  const downloaded = tempDir('ms-job-inputs-');
  for (const file of staged.files) {
    mkdirSync(dirname(join(downloaded, file.name)), { recursive: true });
    writeFileSync(join(downloaded, file.name), file.bytes);
  }
  const model = await buildModel(tf, staged.spec, { sampleShape: [28, 28], numClasses: 10, baseDir: downloaded });
  assert.deepEqual(model.layers.map((l) => (l.getConfig() as { units?: number }).units).filter(Boolean), [24, 12, 10]);

  // The same bytes stage into the same folder (nothing to upload twice).
  assert.equal((await stageInputs(specPath, 'bucket')).folder, staged.folder);
});

test('a module that imports a package the trainer image lacks, or does not compile, is refused in one line before any upload', async () => {
  const root = tempDir('ms-job-module-bad-');
  write(root, {
    'pkg.ts': "import leftPad from 'left-pad';\nexport const buildModel = (): unknown => leftPad;",
    'node_modules/left-pad/package.json': '{ "name": "left-pad", "main": "index.js" }',
    'node_modules/left-pad/index.js': 'module.exports = () => "";',
    'broken.ts': 'export function buildModel( {',
  });
  writeFileSync(join(root, 'pkg.train.json'), JSON.stringify(specWith('./pkg.ts')));
  writeFileSync(join(root, 'broken.train.json'), JSON.stringify(specWith('./broken.ts')));
  await assert.rejects(stageInputs(join(root, 'pkg.train.json'), 'b'), /^UserError: model\.module .*pkg\.ts imports the package 'left-pad', which the trainer image does not have \(it has @tensorflow\/\* and Node's built-ins\): copy what you need into your own files/);
  await assert.rejects(stageInputs(join(root, 'broken.train.json'), 'b'), /^UserError: model\.module does not compile: .*broken\.ts:1:\d+: /);
});
