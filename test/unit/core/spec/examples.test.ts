import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isModuleModel } from '../../../../src/shared/spec';
import { isUserError } from '../../../../src/shared/errors';
import { loadSpec } from '../../../../src/core/spec';
import { checkSpecAgainstData } from '../../../../src/trainer/dataChecks';
import { REPO_ROOT } from '../../../helpers/repoRoot';
import { tempDir } from '../../../helpers/cleanup';

const examples = join(REPO_ROOT, 'examples/mnist');
const mnist = { sampleShape: [28, 28], labelShape: [], numClasses: 10 };

for (const name of ['mnist.train.json', 'mnist-cnn.train.json', 'mnist-custom.train.json']) {
  test(`examples/mnist/${name} is valid and fits MNIST`, async () => {
    const spec = await loadSpec(join(examples, name));
    assert.equal(spec.$schema, '../../schemas/train-spec.schema.json');
    checkSpecAgainstData(spec, mnist);
  });
}

test('the reference spec is the design workload: MLP, adam, sparse CE, accuracy, 5 epochs, batch 32', async () => {
  const spec = await loadSpec(join(examples, 'mnist.train.json'));
  assert.ok(!isModuleModel(spec.model));
  assert.deepEqual(
    spec.model.layers.map((l) => l.type),
    ['flatten', 'dense', 'dropout', 'dense'],
  );
  assert.deepEqual(spec.compile, { optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  assert.equal(spec.fit.epochs, 5);
  assert.equal(spec.fit.batchSize, 32);
});

test('loadSpec names a missing file and a folder in one line', async () => {
  const dir = tempDir('spec-');
  for (const [path, expected] of [
    [join(dir, 'nope.train.json'), 'Training spec not found'],
    [dir, 'is a folder'],
  ]) {
    await assert.rejects(loadSpec(path), (error: unknown) => isUserError(error) && error.message.includes(expected) && !error.message.includes('\n'));
  }
});

test('loadSpec reports errors with the file path given', async () => {
  const dir = tempDir('spec-');
  const file = join(dir, 'broken.train.json');
  await writeFile(file, '{\n  "name": "x",\n}\n');
  await assert.rejects(loadSpec(file), (error: unknown) => isUserError(error) && error.message.startsWith(`${file}: invalid JSON at line 2, column 14`));
});
