// Batch prediction with the real @google-cloud/aiplatform and Storage clients
// against the sandbox: a job over JSONL instances in Cloud Storage runs the
// serving code and its outputs equal online predictions for the same
// instances; bad lines fail alone; completion stats, replica-hours, list,
// describe, cancel; bad requests are refused.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  cancelBatchPredictionJob,
  createBatchPredictionJob,
  createEndpoint,
  deployModel,
  describeBatchPredictionJob,
  listBatchPredictionJobs,
  predict,
  pushModel,
  readBatchPredictionResults,
  waitForBatchPredictionJob,
} from '../../src/cloud';
import { SANDBOX_SERVING_IMAGE } from '../../src/sandbox';
import { loadServingTf } from '../../src/serving';
import { isUserError } from '../../src/shared/errors';
import { mnistDigits, trainMnistRun } from './cloudFixtures';
import { tempDir } from '../helpers/cleanup';
import { sandboxForTest } from './sandboxClients';

const FAST = { initialPollMs: 20 };

test('a batch prediction job runs the serving code over JSONL instances, and its outputs equal online predictions', async (t) => {
  const { tf } = await loadServingTf();
  const root = tempDir('ms-cloud-batch-');
  const run = await trainMnistRun(tf, join(root, 'runs'), { runId: 'run-b', seed: 8, samples: 200, epochs: 1 });
  const { clients } = await sandboxForTest(t, join(root, 'sandbox'), { operationDelayMs: 30 });
  const { model } = await pushModel(clients, { runDir: run.runDir, bucket: 'gs://ms-batch', createBucket: true, displayName: 'mnist', imageUri: SANDBOX_SERVING_IMAGE, wait: FAST });
  const digits = mnistDigits(9200, 20).images;
  const lines = [...digits.map((d) => JSON.stringify(d)), 'not json', JSON.stringify([1, 2, 3])];
  await clients.storage.bucket('ms-batch').file('in/instances.jsonl').save(`${lines.join('\n')}\n`, { resumable: false });

  const job = await createBatchPredictionJob(clients, {
    displayName: 'digits',
    model: `${model.id}@default`,
    input: 'gs://ms-batch/in/instances.jsonl',
    output: 'gs://ms-batch/out/',
    machineType: 'n1-standard-2',
    startingReplicaCount: 1,
    maxReplicaCount: 2,
  });
  assert.equal(job.state, 'PENDING');
  assert.equal(job.modelVersionId, '1', 'MODEL@ALIAS resolves to the version it names');
  const done = await waitForBatchPredictionJob(clients, job.id, { pollMs: 50, timeoutMs: 60_000 });
  assert.equal(done.state, 'SUCCEEDED', done.error);
  assert.deepEqual([done.successfulCount, done.failedCount, done.incompleteCount], [20, 2, 0]);
  assert.ok(done.replicaHours > 0 && done.replicaHours < 0.01, String(done.replicaHours));
  assert.match(done.outputDirectory ?? '', /^gs:\/\/ms-batch\/out\/prediction-mnist-\d{4}-/);

  // Outputs next to their inputs, equal to online predictions of the same instances.
  const results = await readBatchPredictionResults(clients, done);
  const predicted = results.filter((r) => r.prediction !== undefined);
  assert.deepEqual(predicted.map((r) => r.instance), digits);
  const endpoint = await createEndpoint(clients, { displayName: 'online' }, FAST);
  await deployModel(clients, { endpoint: endpoint.id, model: model.id }, FAST);
  const online = await predict(clients, endpoint.id, { instances: digits });
  predicted.forEach((r, i) => {
    const batch = r.prediction as number[];
    const live = online.predictions[i] as number[];
    batch.forEach((p, k) => assert.ok(Math.abs(p - live[k]) < 1e-5, `instance ${i} class ${k}: ${p} vs ${live[k]}`));
  });
  const failures = results.filter((r) => r.error !== undefined);
  assert.deepEqual(failures.map((f) => f.instance), ['not json', [1, 2, 3]]);
  assert.match(failures[0].error ?? '', /not valid JSON/);
  assert.match(failures[1].error ?? '', /shape \[3\]/);

  // List, describe, and cancel (refused once done; a running job stops between chunks).
  assert.deepEqual((await listBatchPredictionJobs(clients)).map((j) => j.id), [job.id]);
  assert.equal((await describeBatchPredictionJob(clients, done.name)).state, 'SUCCEEDED');
  await assert.rejects(cancelBatchPredictionJob(clients, job.id), /is already succeeded; there is nothing to cancel/);
  const many = Array.from({ length: 3000 }, (_, i) => JSON.stringify(digits[i % digits.length])).join('\n');
  await clients.storage.bucket('ms-batch').file('in/many.jsonl').save(many, { resumable: false });
  const long = await createBatchPredictionJob(clients, { displayName: 'long', model: model.id, input: 'gs://ms-batch/in/many.jsonl', output: 'gs://ms-batch/out' });
  // Cancelling is asynchronous: the job may already have stopped when it is read back.
  assert.match((await cancelBatchPredictionJob(clients, long.id)).state, /^CANCELL(ING|ED)$/);
  const cancelled = await waitForBatchPredictionJob(clients, long.id, { pollMs: 50, timeoutMs: 60_000 });
  assert.equal(cancelled.state, 'CANCELLED');
  assert.ok(cancelled.successfulCount < 3000);

  // Bad requests: one line before any call, and the sandbox's checks.
  await assert.rejects(
    createBatchPredictionJob(clients, { displayName: 'x', model: model.id, input: 'gs://ms-batch', output: 'gs://ms-batch/out' }),
    (error: Error) => isUserError(error) && /--input "gs:\/\/ms-batch" must be a Cloud Storage file/.test(error.message),
  );
  await assert.rejects(
    createBatchPredictionJob(clients, { displayName: 'x', model: model.id, input: 'gs://ms-batch/in/instances.jsonl', output: 'gs://ms-batch/out', machineType: 'n1-standard-3' }),
    /Machine type "n1-standard-3" is not supported/,
  );
  await assert.rejects(
    clients.jobs.createBatchPredictionJob({
      parent: clients.parent,
      batchPredictionJob: {
        displayName: 'x',
        model: model.name,
        inputConfig: { instancesFormat: 'csv', gcsSource: { uris: ['gs://ms-batch/in/x.csv'] } },
        outputConfig: { predictionsFormat: 'jsonl', gcsDestination: { outputUriPrefix: 'gs://ms-batch/out' } },
        dedicatedResources: { machineSpec: { machineType: 'n1-standard-2' } },
      },
    }),
    (error: { code?: number; details?: string }) => error.code === 3 && /instances_format "csv" is not supported/.test(error.details ?? ''),
  );
});
