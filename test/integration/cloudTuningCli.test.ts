// Training jobs through the built CLI (`model-studio cloud custom-jobs` and
// `hp-tuning-jobs`, as gcloud spells them) against the sandbox: a 4-trial
// tuning job whose trials really differ and whose best is chosen by the goal,
// pushed with `models upload --job` (the best trial, or --trial); a tuning
// job cancelled mid-way; `custom-jobs stream --json` to the final state;
// `hp-tuning-jobs stream` following the trials to the best, and a failed one.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import type { CustomJobSummary, TuningJobSummary } from '../../src/cloud';
import { SANDBOX_PROJECT, SANDBOX_REGION, SANDBOX_SERVING_IMAGE, startSandbox, type Sandbox } from '../../src/sandbox';
import type { TrainerEvent } from '../../src/shared/events';
import type { TrainingSpec } from '../../src/shared/spec';
import type { SearchSpec } from '../../src/shared/sweep';
import { SANDBOX_TRAINER_IMAGE } from '../../src/shared/vertexTraining';
import { mnistSpec, runCli, writeSpec } from '../helpers/cli';
import { onCleanup, tempDir } from '../helpers/cleanup';
import { sweepSpec } from '../helpers/sweep';
import { wrongLabelColumnSpec } from './cloudFixtures';

function denseUnits(modelJson: string): number[] {
  const model = JSON.parse(modelJson) as { modelTopology: { config: { layers: { class_name: string; config: { units?: number } }[] } } };
  return model.modelTopology.config.layers.filter((l) => l.class_name === 'Dense').map((l) => l.config.units as number);
}

async function sandboxed(): Promise<{ root: string; sandbox: Sandbox; flags: string[] }> {
  const root = tempDir('ms-tuning-cli-');
  const sandbox = await startSandbox({ dataDir: join(root, 'sandbox'), operationDelayMs: 40, jobQueueDelayMs: 100 });
  onCleanup(() => sandbox.close());
  const flags = [
    '--project', SANDBOX_PROJECT,
    '--region', SANDBOX_REGION,
    '--api-endpoint', sandbox.info.apiEndpoint,
    '--storage-endpoint', sandbox.info.storageEndpoint,
    '--insecure',
  ];
  const { Storage } = await import('@google-cloud/storage');
  await new Storage({ apiEndpoint: sandbox.info.storageEndpoint, projectId: SANDBOX_PROJECT }).createBucket('ms-tuning', { location: 'US-CENTRAL1' });
  return { root, sandbox, flags };
}

async function cli(args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return runCli(['cloud', ...args], cwd);
}

async function describeUntil(flags: string[], cwd: string, id: string, until: (job: TuningJobSummary) => boolean, onPoll?: (job: TuningJobSummary) => void): Promise<TuningJobSummary> {
  const deadline = Date.now() + 300_000;
  for (;;) {
    const { code, stdout, stderr } = await cli(['hp-tuning-jobs', 'describe', id, '--json', ...flags], cwd);
    assert.equal(code, 0, stderr);
    const job = JSON.parse(stdout) as TuningJobSummary;
    onPoll?.(job);
    if (until(job)) return job;
    assert.ok(Date.now() < deadline, `tuning job stuck in ${job.state}`);
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

test('a 4-trial grid tuning job, 2 at a time: trials train different models, the best is chosen by the goal, and models upload --job pushes it', async () => {
  const { root, flags } = await sandboxed();
  const search: SearchSpec = {
    metric: { name: 'val_acc', goal: 'maximize' },
    algorithm: 'grid',
    parameters: { 'model.layers[1].units': { type: 'discrete', values: [2, 4, 16, 64] } },
  };
  const specPath = writeSpec(root, sweepSpec(search, { epochs: 2, train: 1500 }), 'tune.train.json');
  const created = await cli(
    ['hp-tuning-jobs', 'create', '--spec', specPath, '--display-name', 'units', '--bucket', 'gs://ms-tuning', '--container-image-uri', SANDBOX_TRAINER_IMAGE, '--parallel-trial-count', '2', '--json', ...flags],
    root,
  );
  assert.equal(created.code, 0, created.stderr);
  const job = JSON.parse(created.stdout) as TuningJobSummary;
  assert.equal(job.maxTrialCount, 4, 'a grid of 4 values');
  assert.equal(job.parallelTrialCount, 2);
  assert.deepEqual(job.metric, { name: 'val_acc', goal: 'maximize' });

  let mostActive = 0;
  const done = await describeUntil(flags, root, job.id, (j) => ['succeeded', 'failed', 'cancelled'].includes(j.state), (j) => {
    mostActive = Math.max(mostActive, j.trials.filter((t) => t.state === 'active').length);
  });
  assert.equal(done.state, 'succeeded', done.error);
  assert.ok(mostActive <= 2, `never more than 2 trials at once (saw ${mostActive})`);
  assert.equal(done.trials.length, 4);
  assert.deepEqual(done.trials.map((t) => t.state), ['succeeded', 'succeeded', 'succeeded', 'succeeded']);
  assert.deepEqual(done.trials.map((t) => t.parameters.model_layers_1_units).sort((a, b) => Number(a) - Number(b)), [2, 4, 16, 64]);
  const values = done.trials.map((t) => t.value as number);
  assert.ok(new Set(values).size >= 3, `the trials really differ: ${values.join(', ')}`);
  const best = done.trials.reduce((a, b) => ((b.value as number) > (a.value as number) ? b : a));
  assert.deepEqual(done.best, { trialId: best.id, value: best.value });
  const worst = done.trials.find((t) => t.parameters.model_layers_1_units === 2);
  assert.ok(worst && (worst.value as number) < (best.value as number), 'two hidden units do worse than the best');

  const human = await cli(['hp-tuning-jobs', 'describe', job.id, ...flags], root);
  assert.match(human.stdout, new RegExp(`best: trial ${best.id}: val_acc=`));
  assert.match(human.stdout, /TRIAL\s+STATE\s+PARAMETERS\s+VAL_ACC/);

  // The best trial by default; its saved model has its own units.
  const pushed = await cli(['models', 'upload', '--job', job.id, '--display-name', 'tuned', '--container-image-uri', SANDBOX_SERVING_IMAGE, '--json', ...flags], root);
  assert.equal(pushed.code, 0, pushed.stderr);
  const result = JSON.parse(pushed.stdout) as { artifactUri: string; trialId: string; model: { labels: Record<string, string> } };
  assert.equal(result.trialId, best.id);
  assert.equal(result.artifactUri, `${done.outputDir}${best.id}/model`);
  assert.equal(result.model.labels['model-studio-trial'], best.id);
  const { Storage } = await import('@google-cloud/storage');
  const storage = new Storage({ apiEndpoint: flags[flags.indexOf('--storage-endpoint') + 1], projectId: SANDBOX_PROJECT });
  const read = async (uri: string): Promise<string> => {
    const [, bucket, path] = /^gs:\/\/([^/]+)\/(.*)$/.exec(uri) ?? [];
    return (await storage.bucket(bucket).file(path).download())[0].toString();
  };
  assert.deepEqual(denseUnits(await read(`${result.artifactUri}/model.json`)), [best.parameters.model_layers_1_units, 10]);

  const other = done.trials.find((t) => t.id !== best.id);
  const second = await cli(['models', 'upload', '--job', job.id, '--trial', other?.id ?? '', '--display-name', 'other', '--container-image-uri', SANDBOX_SERVING_IMAGE, '--json', ...flags], root);
  assert.equal(second.code, 0, second.stderr);
  assert.equal((JSON.parse(second.stdout) as { trialId: string }).trialId, other?.id);
  const missing = await cli(['models', 'upload', '--job', job.id, '--trial', '9', '--display-name', 'x', '--container-image-uri', SANDBOX_SERVING_IMAGE, ...flags], root);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /^Tuning job \d+ has no trial 9: it has 1, 2, 3, 4\n$/);
});

test('a cancelled tuning job stops its running trials and ends cancelled', async () => {
  const { root, flags } = await sandboxed();
  const search: SearchSpec = { metric: { name: 'val_loss', goal: 'minimize' }, algorithm: 'random', parameters: { 'compile.optimizer.learningRate': { type: 'double', min: 0.0001, max: 0.01, scale: 'log' } } };
  const specPath = writeSpec(root, sweepSpec(search, { epochs: 100, train: 2000 }), 'long.train.json');
  const created = await cli(
    ['hp-tuning-jobs', 'create', '--spec', specPath, '--display-name', 'long', '--bucket', 'gs://ms-tuning', '--container-image-uri', SANDBOX_TRAINER_IMAGE, '--max-trial-count', '3', '--parallel-trial-count', '2', '--json', ...flags],
    root,
  );
  assert.equal(created.code, 0, created.stderr);
  const job = JSON.parse(created.stdout) as TuningJobSummary;
  await describeUntil(flags, root, job.id, (j) => j.trials.filter((t) => t.state === 'active').length === 2);
  const cancelled = await cli(['hp-tuning-jobs', 'cancel', job.id, ...flags], root);
  assert.equal(cancelled.code, 0, cancelled.stderr);
  const final = await describeUntil(flags, root, job.id, (j) => ['succeeded', 'failed', 'cancelled'].includes(j.state));
  assert.equal(final.state, 'cancelled');
  assert.equal(final.trials.length, 2, 'no trial started after the cancel');
  for (const trial of final.trials) assert.equal(trial.reason, 'The job was cancelled.');
  const push = await cli(['models', 'upload', '--job', job.id, '--display-name', 'x', '--container-image-uri', SANDBOX_SERVING_IMAGE, ...flags], root);
  assert.equal(push.code, 2);
  assert.match(push.stderr, /has no succeeded trial yet/);
});

test('custom-jobs create, then stream --json prints the run\'s events and ends with the final state', async () => {
  const { root, flags } = await sandboxed();
  const specPath = writeSpec(root, mnistSpec({ fit: { epochs: 1, batchSize: 32, seed: 1 } }, { train: 600, test: 100 }), 'one.train.json');
  const created = await cli(['custom-jobs', 'create', '--spec', specPath, '--display-name', 'one', '--bucket', 'gs://ms-tuning', '--container-image-uri', SANDBOX_TRAINER_IMAGE, '--machine-type', 'e2-standard-4', '--json', ...flags], root);
  assert.equal(created.code, 0, created.stderr);
  const { id, priceSource } = JSON.parse(created.stdout) as CustomJobSummary;
  assert.match(priceSource, /^us-central1 training list prices from the Cloud Billing Catalog/);
  const streamed = await cli(['custom-jobs', 'stream', id, '--json', '--poll-interval', '0.2', ...flags], root);
  assert.equal(streamed.code, 0, streamed.stderr);
  const lines = streamed.stdout.trim().split('\n').map((l) => JSON.parse(l) as TrainerEvent | { type: 'jobState' | 'jobFinished'; state: string });
  assert.ok(lines.some((l) => l.type === 'jobState'));
  assert.ok(lines.some((l) => l.type === 'epochEnd'));
  assert.ok(lines.some((l) => l.type === 'runFinished'));
  assert.deepEqual({ type: lines.at(-1)?.type, state: (lines.at(-1) as { state?: string }).state }, { type: 'jobFinished', state: 'succeeded' });
  const listed = await cli(['custom-jobs', 'list', ...flags], root);
  assert.match(listed.stdout, new RegExp(`${id}\\s+one\\s+succeeded\\s+e2-standard-4`));
  // Its cost is priced from the catalog's training SKUs (the sandbox's: 4 vCPU x $0.0268 + 16 GiB x $0.0036 = $0.1648/h, not the bundled $0.155), and says so.
  assert.match(listed.stdout, /\nPrices: us-central1 training list prices from the Cloud Billing Catalog, read \d{4}-\d\d-\d\d\.\n$/);
  const described = await cli(['custom-jobs', 'describe', id, '--json', ...flags], root);
  assert.equal(described.code, 0, described.stderr);
  const job = JSON.parse(described.stdout) as CustomJobSummary;
  assert.match(job.priceSource, /^us-central1 training list prices from the Cloud Billing Catalog, read \d{4}-\d\d-\d\d$/);
  assert.ok(job.elapsedMs > 0);
  assert.ok(Math.abs((job.estimatedCostUsd ?? 0) - (job.elapsedMs * 0.1648) / 3_600_000) < 1e-12, `${job.estimatedCostUsd} for ${job.elapsedMs} ms`);
  const bad = await cli(['custom-jobs', 'create', '--spec', specPath, '--display-name', 'x', '--bucket', 'gs://ms-tuning', '--container-image-uri', SANDBOX_TRAINER_IMAGE, '--job-timeout', 'soon', ...flags], root);
  assert.equal(bad.code, 2);
  assert.equal(bad.stderr, '--job-timeout "soon" is not a duration: write it like 90s, 30m or 2h\n');
});

test('hp-tuning-jobs stream follows every trial, each line prefixed with its trial, and ends with the best by the goal; a failed job exits 1 with its error', async () => {
  const { root, flags } = await sandboxed();
  const search: SearchSpec = { metric: { name: 'val_acc', goal: 'maximize' }, algorithm: 'grid', parameters: { 'model.layers[1].units': { type: 'discrete', values: [2, 32] } } };
  // Trials long enough (4 epochs of 3,000 images) that the stream starts while they train.
  const specPath = writeSpec(root, sweepSpec(search, { epochs: 4, train: 3000 }), 'two.train.json');
  const created = await cli(['hp-tuning-jobs', 'create', '--spec', specPath, '--display-name', 'two', '--bucket', 'gs://ms-tuning', '--container-image-uri', SANDBOX_TRAINER_IMAGE, '--parallel-trial-count', '2', '--json', ...flags], root);
  assert.equal(created.code, 0, created.stderr);
  const { id } = JSON.parse(created.stdout) as TuningJobSummary;

  // Followed while it runs: the trials' events on stdout, states and the end on stderr.
  const streamed = await cli(['hp-tuning-jobs', 'stream', id, '--poll-interval', '0.2', ...flags], root);
  assert.equal(streamed.code, 0, streamed.stderr);
  const done = await describeUntil(flags, root, id, (j) => j.state === 'succeeded');
  assert.ok(done.best);
  const out = streamed.stdout.trim().split('\n');
  assert.ok(out.every((line) => /^trial [12]: /.test(line)), `every line names its trial:\n${streamed.stdout}`);
  for (const trial of ['1', '2']) {
    assert.ok(out.some((line) => line.startsWith(`trial ${trial}: run `) && line.includes('started: 4 epochs')), `trial ${trial}'s start`);
    assert.ok(out.some((line) => line.startsWith(`trial ${trial}: epoch 4/4 `) && line.includes('val_acc=')), `trial ${trial}'s last epoch`);
    assert.ok(out.some((line) => line === `trial ${trial}: run completed`), `trial ${trial}'s end`);
  }
  const err = streamed.stderr.trim().split('\n');
  assert.equal(err[0], `job ${id} running`, `the stream began while the job ran:\n${streamed.stderr}`);
  assert.ok(err.includes('trial 1 active (model_layers_1_units=2)') || err.includes('trial 2 active (model_layers_1_units=32)'), `a trial seen training, with its values:\n${streamed.stderr}`);
  for (const trial of done.trials) assert.ok(err.includes(`trial ${trial.id} succeeded val_acc=${trial.value?.toFixed(4)}`), `trial ${trial.id}'s state and value:\n${streamed.stderr}`);
  assert.equal(err.at(-1), `job ${id} succeeded; best trial ${done.best.trialId} by val_acc (maximize): ${done.best.value.toFixed(4)}`);

  // --json on the ended job: every event again with its trialId, and the end with the best.
  const json = await cli(['hp-tuning-jobs', 'stream', id, '--json', ...flags], root);
  assert.equal(json.code, 0, json.stderr);
  const lines = json.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; trialId?: string; state?: string; best?: unknown; error?: string });
  for (const trial of ['1', '2']) assert.equal(lines.filter((l) => l.type === 'epochEnd' && l.trialId === trial).length, 4, `trial ${trial}'s four epochs`);
  assert.ok(lines.filter((l) => l.type === 'trialState').length >= 2);
  assert.deepEqual(lines.at(-1), { ...lines.at(-1), type: 'jobFinished', state: 'succeeded', best: done.best, metric: { name: 'val_acc', goal: 'maximize' } });

  // A job whose only trial fails: its error, exit 1.
  const csv: TrainingSpec = {
    ...wrongLabelColumnSpec(root),
    search: { metric: { name: 'acc', goal: 'maximize' }, algorithm: 'random', parameters: { 'compile.optimizer.learningRate': { type: 'double', min: 0.001, max: 0.01 } } },
  };
  const failing = await cli(['hp-tuning-jobs', 'create', '--spec', writeSpec(root, csv, 'csv.train.json'), '--display-name', 'bad', '--bucket', 'gs://ms-tuning', '--container-image-uri', SANDBOX_TRAINER_IMAGE, '--max-trial-count', '1', '--json', ...flags], root);
  assert.equal(failing.code, 0, failing.stderr);
  const bad = (JSON.parse(failing.stdout) as TuningJobSummary).id;
  const failed = await cli(['hp-tuning-jobs', 'stream', bad, '--poll-interval', '0.2', ...flags], root);
  assert.equal(failed.code, 1, failed.stderr);
  assert.match(failed.stderr, /^trial 1 infeasible: .*target/m);
  assert.match(failed.stderr.trim().split('\n').at(-1) ?? '', new RegExp(`^job ${bad} failed; no trial reported its metric; error: All 1 trials failed\\. The first: .*target`));
});
