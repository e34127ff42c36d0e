// Deployment resources with the real @google-cloud/aiplatform client against
// the sandbox: GPUs validated per machine type, autoscaling targets and Spot,
// quota charged on the maximum replica count, and MutateDeployedModel with
// its update mask changing replicas and targets in place.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { createEndpoint, deployModel, mutateDeployedModel, predict, pushModel } from '../../src/cloud';
import { SANDBOX_SERVING_IMAGE } from '../../src/sandbox';
import { loadServingTf } from '../../src/serving';
import { mnistDigits, trainMnistRun } from './cloudFixtures';
import { tempDir } from '../helpers/cleanup';
import { sandboxForTest } from './sandboxClients';

const FAST = { initialPollMs: 20 };

test('GPUs per machine type, autoscaling, Spot, quota at max replicas and MutateDeployedModel follow Vertex AI on the sandbox', async (t) => {
  const { tf } = await loadServingTf();
  const root = tempDir('ms-cloud-scaling-');
  const run = await trainMnistRun(tf, join(root, 'runs'), { runId: 'run-s', seed: 9, samples: 200, epochs: 1 });
  const { clients } = await sandboxForTest(t, join(root, 'sandbox'), { operationDelayMs: 30 });
  const { model } = await pushModel(clients, { runDir: run.runDir, bucket: 'gs://ms-scaling', createBucket: true, displayName: 'mnist', imageUri: SANDBOX_SERVING_IMAGE, wait: FAST });
  const endpoint = await createEndpoint(clients, { displayName: 'scaling' }, FAST);
  const deploy = (options: Partial<Parameters<typeof deployModel>[1]>): ReturnType<typeof deployModel> =>
    deployModel(clients, { endpoint: endpoint.id, model: model.id, ...options }, FAST);

  // Accelerators: the type must fit the machine family, the count the machine.
  await assert.rejects(deploy({ acceleratorType: 'NVIDIA_TESLA_T4', acceleratorCount: 3 }), /Machine type n1-standard-4 takes 1, 2, 4 NVIDIA_TESLA_T4 per replica, not 3/);
  await assert.rejects(deploy({ machineType: 'e2-standard-4', acceleratorType: 'NVIDIA_TESLA_T4' }), /cannot be attached to machine type e2-standard-4; it takes no accelerators/);
  await assert.rejects(deploy({ machineType: 'n1-standard-4', acceleratorType: 'NVIDIA_L4' }), /NVIDIA_L4 cannot be attached to machine type n1-standard-4; it takes NVIDIA_TESLA_T4/);
  await assert.rejects(deploy({ machineType: 'g2-standard-24' }), /g2-standard-24 comes with 2 NVIDIA_L4/);
  await assert.rejects(deploy({ machineType: 'g2-standard-24', acceleratorType: 'NVIDIA_L4', acceleratorCount: 1 }), /takes 2 NVIDIA_L4 per replica, not 1/);
  // Autoscaling on GPU duty cycle needs a GPU.
  await assert.rejects(deploy({ autoscaling: [{ metric: 'gpu-duty-cycle', target: 70 }] }), /names .*accelerator\/duty_cycle, but the machine has no accelerators/);

  const gpu = await deploy({
    acceleratorType: 'NVIDIA_TESLA_T4',
    acceleratorCount: 1,
    minReplicaCount: 1,
    maxReplicaCount: 3,
    autoscaling: [
      { metric: 'cpu-usage', target: 70 },
      { metric: 'gpu-duty-cycle', target: 80 },
    ],
    spot: true,
  });
  const d = gpu.deployedModel;
  assert.deepEqual([d.acceleratorType, d.acceleratorCount, d.minReplicaCount, d.maxReplicaCount, d.spot], ['NVIDIA_TESLA_T4', 1, 1, 3, true]);
  assert.deepEqual(d.autoscaling, [
    { metric: 'cpu-usage', target: 70 },
    { metric: 'gpu-duty-cycle', target: 80 },
  ]);

  // 12 vCPUs in use (4 x max 3); 32 x max 3 = 96 more exceeds the 96 quota although one replica would fit.
  await assert.rejects(deploy({ machineType: 'n1-standard-32', minReplicaCount: 1, maxReplicaCount: 3, trafficSplit: { [d.id]: 100, 0: 0 } }), (error: Error) => {
    assert.match(error.message, /^Quota exhausted/);
    assert.match(error.message, /12 in use, this deployment needs 96 \(32 vCPUs x max_replica_count 3: quota is charged on the maximum replica count\)/);
    return true;
  });

  // MutateDeployedModel: only the masked fields change.
  const raised = await mutateDeployedModel(clients, { endpoint: endpoint.id, deployedModelId: d.id, minReplicaCount: 2 }, FAST);
  assert.deepEqual([raised.deployedModel.minReplicaCount, raised.deployedModel.maxReplicaCount], [2, 3]);
  assert.equal(raised.deployedModel.autoscaling.length, 2, 'targets are kept when the mask leaves them out');
  const retargeted = await mutateDeployedModel(clients, { endpoint: endpoint.id, deployedModelId: d.id, maxReplicaCount: 5, autoscaling: [{ metric: 'cpu-usage', target: 50 }] }, FAST);
  assert.deepEqual([retargeted.deployedModel.minReplicaCount, retargeted.deployedModel.maxReplicaCount], [2, 5]);
  assert.deepEqual(retargeted.deployedModel.autoscaling, [{ metric: 'cpu-usage', target: 50 }]);
  assert.equal(retargeted.deployedModel.acceleratorType, 'NVIDIA_TESLA_T4', 'the machine stays');
  // A larger maximum is charged against quota too: 4 x 30 = 120 > 96.
  await assert.rejects(mutateDeployedModel(clients, { endpoint: endpoint.id, deployedModelId: d.id, maxReplicaCount: 30 }, FAST), /needs 120 \(4 vCPUs x max_replica_count 30/);
  await assert.rejects(mutateDeployedModel(clients, { endpoint: endpoint.id, deployedModelId: d.id, minReplicaCount: 6, maxReplicaCount: 5 }, FAST), /must not be less than/);
  // The mask is the contract: fields outside it are refused by name, and it is required.
  await assert.rejects(
    clients.endpoints.mutateDeployedModel({
      endpoint: endpoint.name,
      deployedModel: { id: d.id, dedicatedResources: { machineSpec: { machineType: 'n1-standard-8' } } },
      updateMask: { paths: ['dedicated_resources.machine_spec'] },
    }),
    (error: { code?: number; details?: string }) => error.code === 3 && /cannot change: dedicated_resources\.machine_spec/.test(error.details ?? ''),
  );
  await assert.rejects(
    clients.endpoints.mutateDeployedModel({ endpoint: endpoint.name, deployedModel: { id: d.id }, updateMask: { paths: [] } }),
    (error: { code?: number; details?: string }) => error.code === 3 && /update_mask is required/.test(error.details ?? ''),
  );
  // The model keeps serving through the change.
  const result = await predict(clients, endpoint.id, { instances: mnistDigits(9000, 1).images });
  assert.equal(result.deployedModelId, d.id);
});
