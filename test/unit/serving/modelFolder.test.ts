import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile, mkdir, cp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import type { LayersModel, Tensor } from '@tensorflow/tfjs';
import { Storage } from '@google-cloud/storage';
import { loadLayersModelFromFolder, loadServingTf } from '../../../src/serving';
import { startStorageServer, type StorageServer } from '../../../src/sandbox/storage';
import { isUserError } from '../../../src/shared/errors';
import type { Tf } from '../../../src/core/backend/types';
import { readDigits, saveModelFolder, trainMnistModel } from './fixtures';

let tf: Tf;
let model: LayersModel;
let dir: string;
let storageServer: StorageServer;
let storage: Storage;

before(async () => {
  tf = (await loadServingTf()).tf;
  dir = await mkdtemp(join(tmpdir(), 'model-folder-'));
  model = await trainMnistModel(tf, 200, 1);
  await saveModelFolder(tf, model, join(dir, 'model'));
  storageServer = await startStorageServer({ dataDir: join(dir, 'gcs') });
  storage = new Storage({ apiEndpoint: storageServer.url, projectId: 'p' });
  const [bucket] = await storage.createBucket('runs');
  for (const file of ['model.json', 'group1-shard1of1.bin']) {
    await bucket.upload(join(dir, 'model', file), { destination: `r1/model/${file}` });
  }
});
after(async () => {
  await storageServer.close();
  await rm(dir, { recursive: true, force: true });
});

function outputs(m: LayersModel): Float32Array {
  const digits = readDigits('t10k', 5);
  return tf.tidy(() => (m.predict(tf.tensor3d(digits.pixels, [5, 28, 28])) as Tensor).dataSync() as Float32Array);
}

async function userErrorOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    assert.ok(isUserError(error), String(error));
    return error.message;
  }
  assert.fail('expected a UserError');
}

void test('a local folder (plain path or file:// URL) loads into a model with the same outputs', async () => {
  const expected = outputs(model);
  // A folder name with a space: its file URL carries %20, which must be decoded.
  await cp(join(dir, 'model'), join(dir, 'my models', 'm1'), { recursive: true });
  for (const location of [join(dir, 'model'), pathToFileURL(join(dir, 'model')).href, pathToFileURL(join(dir, 'my models', 'm1')).href]) {
    const loaded = await loadLayersModelFromFolder(tf, location);
    assert.deepEqual(outputs(loaded), expected);
    loaded.dispose();
  }
});

void test('a gs:// folder loads through @google-cloud/storage, with or without a trailing slash', async () => {
  const expected = outputs(model);
  for (const location of ['gs://runs/r1/model', 'gs://runs/r1/model/']) {
    const loaded = await loadLayersModelFromFolder(tf, location, { storage });
    assert.deepEqual(outputs(loaded), expected);
    loaded.dispose();
  }
});

void test('a folder without model.json says which folder and what it must hold', async () => {
  assert.match(await userErrorOf(loadLayersModelFromFolder(tf, join(dir, 'missing'))), /No readable model.json in .*missing.*folder that holds model.json/);
  assert.match(await userErrorOf(loadLayersModelFromFolder(tf, 'gs://runs/r2', { storage })), /No readable model.json in gs:\/\/runs\/r2/);
  assert.match(await userErrorOf(loadLayersModelFromFolder(tf, 'gs://', { storage })), /Invalid Cloud Storage URI/);
});

void test('broken model.json files and weight paths outside the folder are refused', async () => {
  const bad = join(dir, 'bad');
  await mkdir(bad, { recursive: true });
  await writeFile(join(bad, 'model.json'), '{"modelTopology": ');
  assert.match(await userErrorOf(loadLayersModelFromFolder(tf, bad)), /not valid JSON/);
  await writeFile(join(bad, 'model.json'), '{"weightsManifest": []}');
  assert.match(await userErrorOf(loadLayersModelFromFolder(tf, bad)), /no modelTopology/);

  const json = JSON.parse(await readFile(join(dir, 'model', 'model.json'), 'utf8')) as { weightsManifest: { paths: string[] }[] };
  for (const path of ['../model/group1-shard1of1.bin', '/etc/passwd', 'http://example.com/w.bin', 'a/../../x.bin']) {
    json.weightsManifest[0].paths = [path];
    await writeFile(join(bad, 'model.json'), JSON.stringify(json));
    assert.match(await userErrorOf(loadLayersModelFromFolder(tf, bad)), /not inside the model folder/, path);
  }
  await cp(join(dir, 'model', 'model.json'), join(bad, 'model.json'));
  assert.match(await userErrorOf(loadLayersModelFromFolder(tf, bad)), /Weight file group1-shard1of1.bin .* cannot be read/);
});
