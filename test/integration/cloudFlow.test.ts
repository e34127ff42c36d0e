// The whole Vertex AI flow with the real @google-cloud/aiplatform and
// @google-cloud/storage clients against the local sandbox: push an MNIST
// model, create an endpoint, deploy at 100%, predict real digits, push a
// second version, canary it at 10%, check the split and the routing, restart
// the sandbox, promote, undeploy, delete.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Tensor } from '@tensorflow/tfjs';
import {
  createEndpoint,
  deleteEndpoint,
  deleteModel,
  deployCanary,
  deployModel,
  describeEndpoint,
  listEndpoints,
  listModels,
  listModelVersions,
  predict,
  promoteCanary,
  pushModel,
  undeployModel,
  type PushProgress,
} from '../../src/cloud';
import { SANDBOX_SERVING_IMAGE, startSandbox } from '../../src/sandbox';
import { loadServingTf } from '../../src/serving';
import { argmax, mnistDigits, trainMnistRun } from './cloudFixtures';
import { tempDir } from '../helpers/cleanup';
import { connectClients } from './sandboxClients';

test('the real Vertex AI and Storage clients push, deploy, canary, promote and clean up an MNIST model on the sandbox', async (t) => {
  const { tf } = await loadServingTf();
  const root = tempDir('ms-cloud-flow-');
  const runsDir = join(root, '.model-studio', 'runs');
  const dataDir = join(root, 'sandbox');
  const first = await trainMnistRun(tf, runsDir, { runId: 'run-a', seed: 1 });
  const second = await trainMnistRun(tf, runsDir, { runId: 'run-b', seed: 7, epochs: 4 });

  let sandbox = await startSandbox({ dataDir, operationDelayMs: 60 });
  let clients = await connectClients(sandbox);
  t.after(async () => {
    await clients.close();
    await sandbox.close();
  });

  const digits = mnistDigits(9500, 20);
  const expected = (tf.tidy(() => (first.model.predict(tf.tensor3d(digits.images)) as Tensor).argMax(-1).arraySync()) as number[]);

  // Push: upload with progress and checksums, register with labels.
  const progress: PushProgress[] = [];
  const pushed = await pushModel(clients, {
    runDir: first.runDir,
    bucket: 'gs://ms-models',
    createBucket: true,
    displayName: 'mnist',
    imageUri: SANDBOX_SERVING_IMAGE,
    onProgress: (p) => progress.push(p),
    wait: { initialPollMs: 20 },
  });
  assert.equal(pushed.model.versionId, '1');
  assert.equal(pushed.artifactUri, 'gs://ms-models/model-studio/run-a');
  assert.deepEqual(pushed.files.sort(), ['model-studio/run-a/model.json', 'model-studio/run-a/weights.bin']);
  assert.equal(pushed.model.labels['model-studio-run'], 'run-a');
  assert.equal(pushed.model.labels['test-accuracy'], first.testAccuracy.toFixed(4).replace('.', '_'));
  const uploads = progress.filter((p) => p.step === 'upload');
  assert.equal(uploads.at(-1)?.bytesDone, pushed.uploadedBytes);
  assert.ok(progress.some((p) => p.step === 'register' && p.done));
  const modelId = pushed.model.id;

  // Endpoint, deploy at 100%, predictions match plain TF.js.
  const endpoint = await createEndpoint(clients, { displayName: 'mnist-endpoint' }, { initialPollMs: 20 });
  const stages: string[] = [];
  const v1 = await deployModel(
    clients,
    { endpoint: endpoint.id, model: modelId, displayName: 'mnist-v1' },
    { initialPollMs: 20, onProgress: (u) => u.stage && stages.push(u.stage) },
  );
  assert.deepEqual(v1.endpoint.trafficSplit, { [v1.deployedModel.id]: 100 });
  assert.equal(v1.deployedModel.machineType, 'n1-standard-4');
  assert.ok(stages.includes('SUCCESSFULLY_DEPLOYED'), stages.join(','));
  const result = await predict(clients, endpoint.id, { instances: digits.images });
  assert.equal(result.deployedModelId, v1.deployedModel.id);
  assert.deepEqual(result.predictions.map((p) => argmax(p as number[])), expected);
  await assert.rejects(predict(clients, endpoint.id, { instances: [[1, 2, 3]] }), /Vertex AI rejected the request while predicting .*: The model server rejected the request: instances\[0\] has shape \[3\]/);
  const correct = expected.filter((c, i) => c === digits.labels[i]).length;
  assert.ok(correct >= 14, `the tiny model gets ${correct}/20 right`);

  // A second version of the same model, deployed as a 10% canary.
  const pushed2 = await pushModel(clients, {
    runDir: second.runDir,
    bucket: 'gs://ms-models',
    displayName: 'mnist',
    imageUri: SANDBOX_SERVING_IMAGE,
    parentModel: modelId,
    wait: { initialPollMs: 20 },
  });
  assert.equal(pushed2.model.id, modelId, 'a new version, not a new model');
  assert.equal(pushed2.model.versionId, '2');
  assert.deepEqual((await listModelVersions(clients, modelId)).map((m) => m.versionId), ['1', '2']);
  assert.equal((await listModels(clients)).length, 1);

  const canary = await deployCanary(clients, { endpoint: endpoint.id, model: `${modelId}@2`, percent: 10 }, { initialPollMs: 20 });
  const a = v1.deployedModel.id;
  const b = canary.deployedModel.id;
  assert.deepEqual(canary.endpoint.trafficSplit, { [a]: 90, [b]: 10 });

  // State survives a restart (on new ports); models reload on first use.
  await clients.close();
  await sandbox.close();
  sandbox = await startSandbox({ dataDir, operationDelayMs: 60 });
  clients = await connectClients(sandbox);
  assert.deepEqual((await describeEndpoint(clients, endpoint.id)).trafficSplit, { [a]: 90, [b]: 10 });

  const counts = new Map<string, number>();
  const one = { instances: [digits.images[0]] };
  for (let i = 0; i < 200; i++) {
    const r = await predict(clients, endpoint.id, one);
    counts.set(r.deployedModelId, (counts.get(r.deployedModelId) ?? 0) + 1);
    if (r.deployedModelId === b) assert.equal(r.modelVersionId, '2');
  }
  const toCanary = counts.get(b) ?? 0;
  assert.ok(toCanary >= 8 && toCanary <= 35, `canary got ${toCanary}/200`);
  assert.equal((counts.get(a) ?? 0) + toCanary, 200);

  // Promote (undeploying the old version), undeploy, delete.
  const promoted = await promoteCanary(clients, { endpoint: endpoint.id, deployedModelId: b, undeployOthers: true }, { initialPollMs: 20 });
  assert.deepEqual(promoted.trafficSplit, { [b]: 100 });
  assert.deepEqual(promoted.deployedModels.map((d) => d.id), [b]);
  assert.equal((await predict(clients, endpoint.id, one)).deployedModelId, b);
  const empty = await undeployModel(clients, endpoint.id, b, { initialPollMs: 20 });
  assert.deepEqual(empty.deployedModels, []);
  assert.deepEqual(empty.trafficSplit, {});
  await deleteEndpoint(clients, endpoint.id, {}, { initialPollMs: 20 });
  await deleteModel(clients, modelId, { initialPollMs: 20 });
  assert.deepEqual(await listEndpoints(clients), []);
  assert.deepEqual(await listModels(clients), []);
});
