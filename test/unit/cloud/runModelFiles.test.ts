import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { readRunModel } from '../../../src/cloud/runModelFiles';
import { tempDir } from '../../helpers/cleanup';

function runFolder(files: Record<string, string>): string {
  const dir = tempDir('ms-run-');
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const runJson = JSON.stringify({ id: 'run-7', status: 'completed', testMetrics: { acc: 0.9712, loss: 0.1 } });
const modelJson = JSON.stringify({ weightsManifest: [{ paths: ['./weights.bin', 'group2.bin'], weights: [] }] });

test("a run's model folder yields model.json plus the weight files its manifest names, and the test accuracy", async () => {
  const dir = runFolder({ 'run.json': runJson, 'model/model.json': modelJson, 'model/weights.bin': 'abcd', 'model/group2.bin': 'ef' });
  const run = await readRunModel(dir);
  assert.equal(run.runId, 'run-7');
  assert.equal(run.testAccuracy, 0.9712);
  assert.deepEqual(run.files.map((f) => [f.name, f.bytes]), [['model.json', modelJson.length], ['weights.bin', 4], ['group2.bin', 2]]);
});

test('a folder that is not a run, a run without a model, and a missing weight file each say what to do', async () => {
  await assert.rejects(readRunModel(runFolder({})), /is not a run folder \(it has no run\.json\)/);
  await assert.rejects(readRunModel(runFolder({ 'run.json': JSON.stringify({ id: 'r', status: 'stopped' }) })), /Run r has no model\/model\.json \(status: stopped\): train it to the end/);
  await assert.rejects(readRunModel(runFolder({ 'run.json': runJson, 'model/model.json': modelJson, 'model/weights.bin': 'x' })), /group2\.bin is missing although model\.json lists it/);
  const escaping = JSON.stringify({ weightsManifest: [{ paths: ['../../secret'] }] });
  await assert.rejects(readRunModel(runFolder({ 'run.json': runJson, 'model/model.json': escaping })), /outside the model folder/);
});
