// What the editor's batch prediction does, with the real Storage and
// aiplatform clients against the sandbox: a local JSONL file is checked and
// uploaded as the job's instances, and the results are read one page at a
// time (predictions first, then errors, each next to its instance), a line too
// large to show counted but not read.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  CloudClients,
  createBatchPredictionJob,
  pushModel,
  readBatchPredictionResults,
  readBatchResultsPage,
  uploadInstancesFile,
  waitForBatchPredictionJob,
  type BatchPredictionJobSummary,
} from '../../src/cloud';
import { SANDBOX_PROJECT, SANDBOX_REGION, SANDBOX_SERVING_IMAGE, startSandbox } from '../../src/sandbox';
import { loadServingTf } from '../../src/serving';
import { isUserError } from '../../src/shared/errors';
import { mnistDigits, trainMnistRun } from './cloudFixtures';
import { tempDir } from '../helpers/cleanup';

test('a local JSONL file is uploaded as a job’s instances, and its results are read page by page next to their inputs', async (t) => {
  const { tf } = await loadServingTf();
  const root = tempDir('ms-cloud-batch-results-');
  const run = await trainMnistRun(tf, join(root, 'runs'), { runId: 'run-p', seed: 3, samples: 200, epochs: 1 });
  const sandbox = await startSandbox({ dataDir: join(root, 'sandbox'), operationDelayMs: 30 });
  const clients = await CloudClients.connect({ project: SANDBOX_PROJECT, region: SANDBOX_REGION, apiEndpoint: sandbox.info.apiEndpoint, storageEndpoint: sandbox.info.storageEndpoint, insecure: true });
  t.after(async () => {
    await clients.close();
    await sandbox.close();
  });
  const { model } = await pushModel(clients, { runDir: run.runDir, bucket: 'gs://ms-pages', createBucket: true, displayName: 'mnist', imageUri: SANDBOX_SERVING_IMAGE, wait: { initialPollMs: 20 } });

  // A file that is not JSONL is refused before anything is uploaded, saying what a line should be.
  const notJsonl = join(root, 'digits.csv');
  writeFileSync(notJsonl, 'a,b,c\n1,2,3\n');
  await assert.rejects(uploadInstancesFile(clients, notJsonl, 'gs://ms-batch-in/x.jsonl'), (e: unknown) => isUserError(e) && /line 1 is not JSON: a JSONL file has one JSON instance per line/.test((e as Error).message));
  await assert.rejects(uploadInstancesFile(clients, join(root, 'missing.jsonl'), 'gs://ms-batch-in/x.jsonl'), (e: unknown) => isUserError(e) && /is not a file/.test((e as Error).message));

  const digits = mnistDigits(9500, 30).images;
  const local = join(root, 'digits.jsonl');
  writeFileSync(local, `${[...digits.map((d) => JSON.stringify(d)), '"not an image"'].join('\n')}\n`);
  // The bucket does not exist yet: it is created, as for a push to the sandbox.
  const input = await uploadInstancesFile(clients, local, 'gs://ms-batch-in/runs/instances/digits.jsonl');
  assert.equal(input, 'gs://ms-batch-in/runs/instances/digits.jsonl');
  const job = await createBatchPredictionJob(clients, { displayName: 'pages', model: model.id, input, output: 'gs://ms-batch-in/runs/' });
  const done = await waitForBatchPredictionJob(clients, job.id, { pollMs: 50, timeoutMs: 60_000 });
  assert.equal(done.state, 'SUCCEEDED', done.error);
  assert.deepEqual([done.successfulCount, done.failedCount], [30, 1]);

  const pages = [];
  for (let offset = 0; ; offset += 12) {
    const page = await readBatchResultsPage(clients, done, offset, 12);
    pages.push(page);
    if (!page.more) break;
  }
  assert.deepEqual(pages.map((p) => [p.offset, p.rows.length, p.more]), [[0, 12, true], [12, 12, true], [24, 7, false]]);
  const rows = pages.flatMap((p) => p.rows);
  assert.deepEqual(rows.map((r) => r.index), [...Array(31).keys()]);
  // Predictions first, each with its own instance, in the order of the whole read; the error last.
  const whole = await readBatchPredictionResults(clients, done);
  assert.deepEqual(rows.slice(0, 30).map((r) => r.instance), whole.filter((r) => r.prediction !== undefined).map((r) => r.instance));
  assert.deepEqual(rows.slice(0, 30).map((r) => r.prediction), whole.filter((r) => r.prediction !== undefined).map((r) => r.prediction));
  assert.equal(rows[30].instance, 'not an image');
  assert.ok(rows[30].error, 'the failed instance says why');
  // A page past the end is empty; a bad offset is a user error.
  assert.deepEqual(await readBatchResultsPage(clients, done, 500, 12), { offset: 500, rows: [], more: false });
  await assert.rejects(readBatchResultsPage(clients, done, -1, 12), (e: unknown) => isUserError(e));
});

test('a results line over 1 MB is counted but not read; the lines around it are', async (t) => {
  const root = tempDir('ms-cloud-batch-lines-');
  const sandbox = await startSandbox({ dataDir: join(root, 'sandbox') });
  const clients = await CloudClients.connect({ project: SANDBOX_PROJECT, region: SANDBOX_REGION, apiEndpoint: sandbox.info.apiEndpoint, storageEndpoint: sandbox.info.storageEndpoint, insecure: true });
  t.after(async () => {
    await clients.close();
    await sandbox.close();
  });
  await clients.storage.createBucket('ms-lines');
  const huge = JSON.stringify({ instance: 'x'.repeat(2 * 1024 * 1024), prediction: [1] });
  const lines = [JSON.stringify({ instance: [1], prediction: [0.2, 0.8] }), huge, JSON.stringify({ instance: [2], prediction: [0.9, 0.1] })];
  await clients.storage.bucket('ms-lines').file('out/prediction-x/predictions_00001.jsonl').save(`${lines.join('\n')}\n`, { resumable: false });
  const job = { id: '1', state: 'SUCCEEDED', outputDirectory: 'gs://ms-lines/out/prediction-x' } as BatchPredictionJobSummary;
  const page = await readBatchResultsPage(clients, job, 0, 10);
  assert.deepEqual(page.rows, [
    { index: 0, instance: [1], prediction: [0.2, 0.8] },
    { index: 1, tooLarge: true },
    { index: 2, instance: [2], prediction: [0.9, 0.1] },
  ]);
});
