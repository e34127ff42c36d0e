// Failure paths with the real @google-cloud/aiplatform clients against the
// sandbox's Vertex AI server (models served by a stand-in, no TF.js): each
// error names what happened and what to do.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import {
  CloudClients,
  CloudError,
  CloudUserError,
  createEndpoint,
  deleteEndpoint,
  deployModel,
  describeEndpoint,
  listEndpoints,
  OperationWaitStopped,
  predict,
  resumeOperation,
  TrafficConflictError,
  undeployModel,
  updateTrafficSplit,
  type EndpointSummary,
} from '../../src/cloud';
import { startVertexSandbox, type VertexSandbox } from '../../src/sandbox/vertex/server';
import { onCleanup, tempDir } from '../helpers/cleanup';

const FAST = { initialPollMs: 10, maxPollMs: 50 };
let sandbox: VertexSandbox;
let clients: CloudClients;
let modelId: string;

async function uploadStandInModel(artifactUri = 'gs://bucket/model'): Promise<string> {
  const [operation] = await clients.models.uploadModel({
    parent: clients.parent,
    model: { displayName: 'stand-in', containerSpec: { imageUri: 'example/serving:1' }, artifactUri },
  });
  const [response] = await operation.promise();
  return String(response.model).split('/').pop() as string;
}

async function endpointWithModel(name: string): Promise<{ endpoint: EndpointSummary; deployedModelId: string }> {
  const endpoint = await createEndpoint(clients, { displayName: name }, FAST);
  const deployed = await deployModel(clients, { endpoint: endpoint.id, model: modelId }, FAST);
  return { endpoint: deployed.endpoint, deployedModelId: deployed.deployedModel.id };
}

before(async () => {
  sandbox = await startVertexSandbox({
    stateDir: tempDir('ms-cloud-faults-'),
    operationDelayMs: 40,
    loadModel: async (artifactUri) => {
      if (artifactUri.includes('broken')) throw new Error('model.json is not a TF.js model');
      return { predict: async (instances) => instances.map(() => [0.25, 0.75]), dispose: () => undefined };
    },
  });
  onCleanup(() => sandbox.close());
  clients = await CloudClients.connect({ project: 'fault-project', region: 'europe-west4', apiEndpoint: sandbox.address, insecure: true });
  onCleanup(() => clients.close());
  modelId = await uploadStandInModel();
});

test('permission denied names the missing permission and the role that grants it', async () => {
  sandbox.faults.add({ method: 'CreateEndpoint', fault: 'permission-denied' });
  await assert.rejects(createEndpoint(clients, { displayName: 'denied' }, FAST), (error: Error) => {
    assert.ok(error instanceof CloudUserError);
    assert.equal(error.status, 'PERMISSION_DENIED');
    assert.match(error.message, /aiplatform\.endpoints\.create/);
    assert.match(error.message, /roles\/aiplatform\.user/);
    assert.match(error.message, /fault-project/);
    return true;
  });
});

test('a disabled Vertex AI API says which API to enable and how', async () => {
  sandbox.faults.add({ method: 'ListEndpoints', fault: 'service-disabled' });
  await assert.rejects(listEndpoints(clients), /gcloud services enable aiplatform\.googleapis\.com --project fault-project/);
});

test('reads retry a transient UNAVAILABLE; writes are not repeated', async () => {
  const endpoint = await createEndpoint(clients, { displayName: 'flaky' }, FAST);
  sandbox.faults.add({ method: 'GetEndpoint', fault: 'unavailable', times: 2 });
  assert.equal((await describeEndpoint(clients, endpoint.id)).id, endpoint.id);
  sandbox.faults.add({ method: 'CreateEndpoint', fault: 'unavailable' });
  const count = (await listEndpoints(clients)).length;
  await assert.rejects(createEndpoint(clients, { displayName: 'once' }, FAST), (error: Error) => error instanceof CloudError && error.status === 'UNAVAILABLE');
  assert.equal((await listEndpoints(clients)).length, count, 'the failed create was not retried');
});

test('UNAVAILABLE while polling an operation stops with its name, and the operation resumes by name', async () => {
  sandbox.faults.add({ method: 'GetOperation', fault: 'unavailable', times: 3 });
  let operation = '';
  await assert.rejects(createEndpoint(clients, { displayName: 'resumed' }, { ...FAST, maxPollFailures: 3 }), (error: Error) => {
    assert.ok(error instanceof CloudError);
    assert.equal(error.status, 'UNAVAILABLE');
    assert.ok(error.operation?.includes('/operations/'));
    assert.match(error.message, /operations wait/);
    operation = error.operation as string;
    return true;
  });
  const endpoint = await resumeOperation(clients, operation, FAST);
  assert.equal(endpoint.displayName, 'resumed');
  assert.ok(String(endpoint.name).startsWith(clients.parent));
});

test('one UNAVAILABLE poll is absorbed by the backoff', async () => {
  sandbox.faults.add({ method: 'GetOperation', fault: 'unavailable', times: 1 });
  const endpoint = await createEndpoint(clients, { displayName: 'bumpy' }, FAST);
  assert.equal(endpoint.displayName, 'bumpy');
});

test('a traffic-split update with a stale etag is refused and reports the current split', async () => {
  const { endpoint, deployedModelId: first } = await endpointWithModel('etag');
  const second = await deployModel(clients, { endpoint: endpoint.id, model: modelId, trafficPercent: 30 }, FAST);
  const staleEtag = endpoint.etag;
  const b = second.deployedModel.id;
  assert.deepEqual(second.endpoint.trafficSplit, { [first]: 70, [b]: 30 });
  await updateTrafficSplit(clients, endpoint.id, { [first]: 50, [b]: 50 });
  await assert.rejects(updateTrafficSplit(clients, endpoint.id, { [first]: 10, [b]: 90 }, { etag: staleEtag }), (error: Error) => {
    assert.ok(error instanceof TrafficConflictError);
    assert.deepEqual(error.current.trafficSplit, { [first]: 50, [b]: 50 });
    assert.match(error.message, /changed since it was read/);
    assert.match(error.message, new RegExp(`${first}=50`));
    return true;
  });
  assert.deepEqual((await describeEndpoint(clients, endpoint.id)).trafficSplit, { [first]: 50, [b]: 50 });
});

test('quota: a deployment over the serving-CPU quota is refused with what to do', async () => {
  const endpoint = await createEndpoint(clients, { displayName: 'quota' }, FAST);
  await assert.rejects(
    deployModel(clients, { endpoint: endpoint.id, model: modelId, machineType: 'n1-standard-32', minReplicaCount: 2, maxReplicaCount: 4 }, FAST),
    (error: Error) => {
      assert.ok(error instanceof CloudUserError);
      assert.equal(error.status, 'RESOURCE_EXHAUSTED');
      assert.match(error.message, /custom_model_serving_cpus/);
      assert.match(error.message, /request more quota/);
      return true;
    },
  );
  sandbox.faults.add({ method: 'Predict', fault: 'quota-exceeded' });
  const { endpoint: serving } = await endpointWithModel('quota-predict');
  await assert.rejects(predict(clients, serving.id, { instances: [[1, 2]] }), /Quota exhausted in project fault-project, region europe-west4/);
});

test('Vertex AI refuses to undeploy a model that still has traffic; undeployModel moves it first', async () => {
  const { endpoint, deployedModelId: first } = await endpointWithModel('undeploy');
  const second = await deployModel(clients, { endpoint: endpoint.id, model: modelId, trafficPercent: 25 }, FAST);
  await assert.rejects(clients.endpoints.undeployModel({ endpoint: endpoint.name, deployedModelId: first }), /FAILED_PRECONDITION.*still receives 75%/);
  const after = await undeployModel(clients, endpoint.id, first, FAST);
  assert.deepEqual(after.trafficSplit, { [second.deployedModel.id]: 100 });
});

test('deleting an endpoint with deployed models is refused unless told to undeploy them', async () => {
  const { endpoint } = await endpointWithModel('delete');
  await assert.rejects(deleteEndpoint(clients, endpoint.id, {}, FAST), /still has deployed models .*--undeploy-all/);
  const steps: string[] = [];
  await deleteEndpoint(clients, endpoint.id, { undeployAll: true, onStep: (s) => steps.push(s) }, FAST);
  assert.equal(steps.length, 2);
  await assert.rejects(describeEndpoint(clients, endpoint.id), (error: Error) => error instanceof CloudUserError && error.status === 'NOT_FOUND');
});

test('a cancelled deployment stops waiting, cancels the operation and leaves nothing deployed', async () => {
  const endpoint = await createEndpoint(clients, { displayName: 'cancel' }, FAST);
  const controller = new AbortController();
  const deploying = deployModel(clients, { endpoint: endpoint.id, model: modelId }, { ...FAST, signal: controller.signal, cancelOnAbort: true });
  setTimeout(() => controller.abort(), 15);
  await assert.rejects(deploying, (error: Error) => {
    assert.ok(error instanceof OperationWaitStopped);
    assert.ok(error.cancelRequested);
    assert.match(error.message, /endpoints describe/);
    return true;
  });
  await new Promise((done) => setTimeout(done, 120));
  assert.deepEqual((await describeEndpoint(clients, endpoint.id)).deployedModels, []);
});

test('a deployment that outlives its deadline stops waiting and says how to resume', async () => {
  const endpoint = await createEndpoint(clients, { displayName: 'deadline' }, FAST);
  await assert.rejects(deployModel(clients, { endpoint: endpoint.id, model: modelId }, { ...FAST, timeoutMs: 5 }), /operations wait .*operations cancel/);
});

test('bad requests are refused with the reason: unknown machine type, split not summing to 100', async () => {
  const endpoint = await createEndpoint(clients, { displayName: 'bad' }, FAST);
  await assert.rejects(deployModel(clients, { endpoint: endpoint.id, model: modelId, machineType: 'n1-giant-3' }, FAST), /Machine type "n1-giant-3" is not supported/);
  await assert.rejects(deployModel(clients, { endpoint: endpoint.id, model: modelId, trafficSplit: { '0': 90 } }, FAST), /must sum to 100, got 90/);
  await assert.rejects(
    clients.endpoints.deployModel({
      endpoint: endpoint.name,
      deployedModel: { model: `${clients.parent}/models/${modelId}`, dedicatedResources: { machineSpec: { machineType: 'n1-standard-4' }, minReplicaCount: 1 } },
      trafficSplit: { '0': 60, '12': 40 },
    }),
    /INVALID_ARGUMENT.*"12", which is not a DeployedModel/,
  );
});

test('a deployment whose model server never starts says what is left and how to clean it up', async () => {
  const broken = await uploadStandInModel('gs://bucket/broken');
  const { endpoint, deployedModelId } = await endpointWithModel('broken');
  await assert.rejects(deployModel(clients, { endpoint: endpoint.id, model: broken, trafficPercent: 50 }, FAST), (error: Error) => {
    assert.ok(error instanceof CloudUserError);
    assert.equal(error.status, 'FAILED_PRECONDITION');
    assert.match(error.message, /Model server never became ready: model\.json is not a TF\.js model/);
    assert.match(error.message, new RegExp(`Nothing new is deployed\\. Still there: endpoint ${endpoint.id} \\(1 deployed model\\) and model ${broken}`));
    assert.match(error.message, new RegExp(`cloud endpoints delete ${endpoint.id}\` and \`model-studio cloud models delete ${broken}`));
    return true;
  });
  const after = await describeEndpoint(clients, endpoint.id);
  assert.deepEqual(after.trafficSplit, { [deployedModelId]: 100 }, 'the split is untouched');
});
