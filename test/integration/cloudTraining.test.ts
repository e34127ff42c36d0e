// Training on Vertex AI with the real @google-cloud/aiplatform and
// @google-cloud/storage clients against the local sandbox, whose JobService
// runs the trainer image's entry (dist/vertexTrainer.js) as local processes:
// a custom job trains MNIST, its model is pushed, deployed and predicts real
// digits; a cancelled job; failed jobs with their reasons; a job that resumes
// from its checkpoint after a sandbox restart; mistakes the user can fix.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  cancelCustomJob,
  CloudClients,
  createCustomJob,
  createEndpoint,
  deployModel,
  describeCustomJob,
  followJob,
  isFinalJobState,
  listCustomJobs,
  predict,
  pushJobModel,
  readJobRun,
  type CustomJobSummary,
} from '../../src/cloud';
import { SANDBOX_SERVING_IMAGE } from '../../src/sandbox';
import type { TrainerEvent } from '../../src/shared/events';
import { SANDBOX_TRAINER_IMAGE } from '../../src/shared/vertexTraining';
import { argmax, mnistDigits, wrongLabelColumnSpec } from './cloudFixtures';
import { mnistSpec, writeSpec } from '../helpers/cli';
import { onCleanup, tempDir } from '../helpers/cleanup';
import { openSandbox, type SandboxSession } from './sandboxClients';

const BUCKET = 'gs://ms-training';

function open(dataDir: string): Promise<SandboxSession> {
  return openSandbox(dataDir, { operationDelayMs: 40, jobQueueDelayMs: 100 });
}

async function setUp(): Promise<SandboxSession & { root: string; dataDir: string }> {
  const root = tempDir('ms-cloud-train-');
  const dataDir = join(root, 'sandbox');
  const opened = await open(dataDir);
  const state = { ...opened };
  onCleanup(async () => {
    await state.clients.close();
    await state.sandbox.close();
  });
  await opened.clients.storage.createBucket('ms-training', { location: 'US-CENTRAL1' });
  return { root, dataDir, ...opened };
}

/** Polls the job until `until` holds, recording every state it passed through. */
async function waitFor(clients: CloudClients, id: string, until: (job: CustomJobSummary) => boolean, seen: string[] = [], timeoutMs = 180_000): Promise<CustomJobSummary> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await describeCustomJob(clients, id);
    if (seen.at(-1) !== job.state) seen.push(job.state);
    if (until(job)) return job;
    assert.ok(Date.now() < deadline, `job ${id} stuck in ${job.state} (saw ${seen.join(' > ')})`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test('a custom job trains MNIST in the trainer image; its events stream from the bucket; its model is pushed, deployed and predicts real digits', async () => {
  const { root, clients, sandbox } = await setUp();
  const specPath = writeSpec(root, mnistSpec({ fit: { epochs: 2, batchSize: 32, seed: 1, validationData: 'test' } }, { train: 3000, test: 300 }), 'mnist.train.json');
  // The job may be pending before create returns: count from before it.
  const revisionBefore = sandbox.vertex.revision;
  const { job, inputs } = await createCustomJob(clients, {
    specPath,
    displayName: 'mnist-on-vertex',
    bucket: BUCKET,
    imageUri: SANDBOX_TRAINER_IMAGE,
    machineType: 'n1-standard-4',
    accelerator: { type: 'NVIDIA_TESLA_T4', count: 1 },
    spot: true,
    timeoutSeconds: 3600,
  });
  assert.equal(job.state, 'queued');
  assert.equal(job.machine.acceleratorType, 'NVIDIA_TESLA_T4');
  assert.equal(job.machine.spot, true);
  assert.deepEqual(inputs.uploaded, ['spec.train.json']);
  assert.match(job.specUri ?? '', /^gs:\/\/ms-training\/model-studio\/inputs\/mnist-small-[0-9a-f]{12}\/spec\.train\.json$/);

  const seen: string[] = [];
  const events: TrainerEvent[] = [];
  const states: string[] = [];
  const final = await followJob(clients.storage, {
    describe: async () => {
      const current = await describeCustomJob(clients, job.id);
      if (seen.at(-1) !== current.state) seen.push(current.state);
      return current;
    },
    stateOf: (j) => j.state,
    isFinal: (j) => isFinalJobState(j.state),
    outputDir: (j) => j.outputDir,
    onState: (j) => states.push(j.state),
    onEvent: (e) => events.push(e),
    pollMs: 50,
  });
  assert.equal(final.state, 'succeeded', final.error);
  assert.ok(seen.includes('running'), `states ${seen.join(' > ')}`);
  assert.deepEqual(seen.filter((s) => s !== 'running').slice(-1), ['succeeded']);
  // The editor's view refreshes on the sandbox's revision: creating the job, pending, running and succeeded each move it.
  assert.ok(sandbox.vertex.revision >= revisionBefore + 4, `revision ${revisionBefore} before create, ${sandbox.vertex.revision} at the end`);
  assert.equal(events[0]?.type, 'runStarted', 'the stream starts with the run');
  assert.equal(events.filter((e) => e.type === 'epochEnd').length, 2);
  assert.ok(events.some((e) => e.type === 'batchEnd'), 'batch events stream as the metrics file grows');
  assert.equal(events.at(-1)?.type, 'runFinished');
  assert.ok(final.estimatedCostUsd !== undefined && final.estimatedCostUsd > 0, 'a cost estimate from the machine, the GPU and Spot');
  assert.equal((await listCustomJobs(clients)).map((j) => j.id).includes(job.id), true);

  // Creating it again finds the same bytes in the bucket and sends nothing.
  const again = await createCustomJob(clients, { specPath, displayName: 'mnist-again', bucket: BUCKET, imageUri: SANDBOX_TRAINER_IMAGE });
  assert.deepEqual(again.inputs.uploaded, []);
  assert.deepEqual(again.inputs.skipped, ['spec.train.json']);
  await cancelCustomJob(clients, again.job.id);

  const run = await readJobRun(clients.storage, final.outputDir);
  assert.equal(run?.status, 'completed');
  const pushed = await pushJobModel(clients, { job: job.id, displayName: 'mnist-from-job', imageUri: SANDBOX_SERVING_IMAGE, wait: { initialPollMs: 20 } });
  assert.equal(pushed.artifactUri, `${final.outputDir}model`);
  assert.equal(pushed.model.labels['model-studio-job'], job.id);
  assert.equal(pushed.model.labels['model-studio-run'], run?.id.toLowerCase().replace(/[^a-z0-9_-]+/g, '_'));

  const endpoint = await createEndpoint(clients, { displayName: 'trained-on-vertex' }, { initialPollMs: 20 });
  await deployModel(clients, { endpoint: endpoint.id, model: pushed.model.id, displayName: 'v1' }, { initialPollMs: 20 });
  const digits = mnistDigits(9500, 40);
  const result = await predict(clients, endpoint.id, { instances: digits.images });
  const correct = result.predictions.filter((p, i) => argmax(p as number[]) === digits.labels[i]).length;
  assert.ok(correct >= 32, `the job's model reads ${correct}/40 real digits right`);
});

test('a cancelled job goes through cancelling to cancelled; its trainer saved a checkpoint first', async () => {
  const { root, clients } = await setUp();
  const specPath = writeSpec(root, mnistSpec({ fit: { epochs: 200, batchSize: 32, seed: 1 } }, { train: 2000, test: 100 }), 'long.train.json');
  const { job } = await createCustomJob(clients, { specPath, displayName: 'long', bucket: BUCKET, imageUri: SANDBOX_TRAINER_IMAGE });
  const running = await waitFor(clients, job.id, (j) => j.state === 'running');
  // Wait for the trainer's first copy of run.json, so it is training, not loading.
  const deadline = Date.now() + 60_000;
  while (!(await readJobRun(clients.storage, running.outputDir))) {
    assert.ok(Date.now() < deadline, 'the trainer wrote run.json');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const cancelling = await cancelCustomJob(clients, job.id);
  assert.ok(['cancelling', 'cancelled'].includes(cancelling.state), cancelling.state);
  const cancelled = await waitFor(clients, job.id, (j) => isFinalJobState(j.state));
  assert.equal(cancelled.state, 'cancelled');
  assert.equal(cancelled.error, undefined);
  const run = await readJobRun(clients.storage, cancelled.outputDir);
  assert.equal(run?.status, 'stopped');
  assert.ok(run?.lastCheckpoint, 'the stopped run names its checkpoint');
  await assert.rejects(cancelCustomJob(clients, job.id), /Refused while cancelling custom job .*already in state JOB_STATE_CANCELLED/);
  await assert.rejects(pushJobModel(clients, { job: job.id, displayName: 'x', imageUri: SANDBOX_SERVING_IMAGE }), /Custom job \d+ is cancelled: only a succeeded job has a model to push/);
});

test('failed jobs say why: data the trainer cannot read (its one-line reason), an image that does not exist', async () => {
  const { root, clients } = await setUp();
  const csv = wrongLabelColumnSpec(root);
  const { job, inputs } = await createCustomJob(clients, { specPath: writeSpec(root, csv, 'csv.train.json'), displayName: 'csv', bucket: BUCKET, imageUri: SANDBOX_TRAINER_IMAGE });
  assert.deepEqual(inputs.uploaded.sort(), ['data/0-table.csv', 'spec.train.json'], 'the local data file went with the spec');
  assert.equal(inputs.spec.data.type === 'csv' && inputs.spec.data.train, 'data/0-table.csv');
  const failed = await waitFor(clients, job.id, (j) => isFinalJobState(j.state));
  assert.equal(failed.state, 'failed');
  assert.match(failed.error ?? '', /^The replica workerpool0-0 exited with a non-zero status of 2\. .*table\.csv.*target/);
  assert.doesNotMatch(failed.error ?? '', /\n|    at /);

  const { job: noImage } = await createCustomJob(clients, {
    specPath: writeSpec(root, mnistSpec(), 'ok.train.json'),
    displayName: 'no-image',
    bucket: BUCKET,
    imageUri: 'us-central1-docker.pkg.dev/p/repo/missing:1',
  });
  const missing = await waitFor(clients, noImage.id, (j) => isFinalJobState(j.state));
  assert.equal(missing.state, 'failed');
  assert.match(missing.error ?? '', /^The trainer image us-central1-docker\.pkg\.dev\/p\/repo\/missing:1 was not found: build and push it/);
  assert.doesNotMatch(missing.error ?? '', /\n/);
});

test('mistakes the user can fix are refused in one line: a bucket in another region, accelerator quota, a spec that is not there', async () => {
  const { root, clients } = await setUp();
  await clients.storage.createBucket('ms-europe', { location: 'EUROPE-WEST4' });
  const specPath = writeSpec(root, mnistSpec(), 'ok.train.json');
  await assert.rejects(
    createCustomJob(clients, { specPath, displayName: 'x', bucket: 'gs://ms-europe', imageUri: SANDBOX_TRAINER_IMAGE }),
    /^UserError: Bucket gs:\/\/ms-europe is in europe-west4, the job would run in us-central1: use a bucket in us-central1/,
  );
  await assert.rejects(
    createCustomJob(clients, { specPath, displayName: 'x', bucket: BUCKET, imageUri: SANDBOX_TRAINER_IMAGE, machineType: 'n1-standard-8', accelerator: { type: 'NVIDIA_TESLA_V100', count: 8 } }),
    (error: Error) => {
      assert.match(error.message, /^Quota exhausted in project .*custom_model_training_nvidia_v100_gpus.*request more quota/);
      assert.doesNotMatch(error.message, /\n/);
      return true;
    },
  );
  await assert.rejects(createCustomJob(clients, { specPath: join(root, 'none.train.json'), displayName: 'x', bucket: BUCKET, imageUri: SANDBOX_TRAINER_IMAGE }), /none\.train\.json/);
  await assert.rejects(describeCustomJob(clients, '123'), /Not found while reading custom job/);
});

test('a job running when the sandbox stops is still running after the restart and resumes from its checkpoint', async () => {
  const { root, dataDir, sandbox, clients } = await setUp();
  const specPath = writeSpec(root, mnistSpec({ fit: { epochs: 3, batchSize: 32, seed: 1 } }, { train: 12000, test: 100 }), 'restart.train.json');
  const { job } = await createCustomJob(clients, { specPath, displayName: 'restart', bucket: BUCKET, imageUri: SANDBOX_TRAINER_IMAGE });
  const running = await waitFor(clients, job.id, (j) => j.state === 'running');
  const deadline = Date.now() + 60_000;
  while (((await readJobRun(clients.storage, running.outputDir))?.epochsCompleted ?? 0) < 1) {
    assert.ok(Date.now() < deadline, 'the first epoch ended');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await clients.close();
  await sandbox.close();

  const reopened = await open(dataDir);
  onCleanup(async () => {
    await reopened.clients.close();
    await reopened.sandbox.close();
  });
  const after = await describeCustomJob(reopened.clients, job.id);
  assert.equal(after.state, 'running', 'the job survived the restart');
  const done = await waitFor(reopened.clients, job.id, (j) => isFinalJobState(j.state));
  assert.equal(done.state, 'succeeded', done.error);
  const run = await readJobRun(reopened.clients.storage, done.outputDir);
  assert.equal(run?.epochsCompleted, 3);
  const [bytes] = await reopened.clients.storage.bucket('ms-training').file(`${done.outputDir.replace('gs://ms-training/', '')}metrics.jsonl`).download();
  const starts = bytes.toString().trim().split('\n').map((l) => JSON.parse(l) as TrainerEvent).filter((e) => e.type === 'runStarted');
  assert.equal(starts.length, 2, `two processes trained the run; the replica's log:\n${readFileSync(join(dataDir, 'vertex', 'job-logs', `${job.id}.log`), 'utf8')}`);
  const resumed = starts[1] as Extract<TrainerEvent, { type: 'runStarted' }>;
  assert.ok((resumed.initialStep ?? 0) >= 375, `resumed at step ${resumed.initialStep}, after the first epoch's 375 batches`);
  assert.equal(resumed.runId, starts[0].runId);
});
