// The trainer image's entry (dist/vertexTrainer.js) as Vertex AI runs it,
// against the sandbox's storage server: it reads the spec from gs://, writes
// model/, checkpoints, run.json and metrics.jsonl to the design's gs://
// locations, reports the tuning metric in the hypertune format, takes a
// trial's values as --<parameterId>=<value>, and after a kill resumes from
// the checkpoints it left in AIP_CHECKPOINT_DIR.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Storage } from '@google-cloud/storage';
import { startStorageServer } from '../../src/sandbox/storage';
import type { RunRecord, TrainerEvent } from '../../src/shared/events';
import type { TrainingSpec } from '../../src/shared/spec';
import { parameterIdOf } from '../../src/shared/vertexTraining';
import { mnistSpec, repoRoot } from '../helpers/cli';
import { onCleanup, tempDir } from '../helpers/cleanup';

const TRAINER = join(repoRoot, 'dist', 'vertexTrainer.js');
const BUCKET = 'ms-train';

async function sandboxStorage(): Promise<{ url: string; storage: Storage }> {
  const server = await startStorageServer({ dataDir: tempDir('ms-vt-storage-'), port: 0 });
  onCleanup(() => server.close());
  const storage = new Storage({ apiEndpoint: server.url, projectId: 'p' });
  await storage.createBucket(BUCKET);
  return { url: server.url, storage };
}

async function putSpec(storage: Storage, spec: TrainingSpec, name: string): Promise<string> {
  await storage.bucket(BUCKET).file(`inputs/${name}/spec.train.json`).save(JSON.stringify(spec));
  return `gs://${BUCKET}/inputs/${name}/spec.train.json`;
}

function startTrainer(url: string, base: string, args: string[], extraEnv: Record<string, string> = {}): { child: ChildProcess; done: Promise<{ code: number | null; stderr: string }> } {
  const child = spawn(process.execPath, [TRAINER, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      // Its own temp folder, removed with the test file's: a trainer killed on purpose cannot remove its work folder.
      TMPDIR: tempDir('vertex-trainer-'),
      STORAGE_EMULATOR_HOST: url,
      AIP_MODEL_DIR: `gs://${BUCKET}/${base}/model/`,
      AIP_CHECKPOINT_DIR: `gs://${BUCKET}/${base}/checkpoints/`,
      ...extraEnv,
    },
  });
  onCleanup(() => void child.kill('SIGKILL'));
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout?.resume();
  const done = new Promise<{ code: number | null; stderr: string }>((resolve) => child.on('close', (code) => resolve({ code, stderr })));
  return { child, done };
}

async function text(storage: Storage, path: string): Promise<string> {
  const [bytes] = await storage.bucket(BUCKET).file(path).download();
  return bytes.toString('utf8');
}

async function names(storage: Storage, prefix: string): Promise<string[]> {
  const [files] = await storage.bucket(BUCKET).getFiles({ prefix });
  return files.map((f) => f.name.slice(prefix.length)).sort();
}

function events(jsonl: string): TrainerEvent[] {
  return jsonl.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as TrainerEvent);
}

test('a trial trains from a gs:// spec with its --<parameterId> values, writes the design\'s outputs and reports the hypertune metric', async () => {
  const { url, storage } = await sandboxStorage();
  const spec: TrainingSpec = {
    ...mnistSpec({ fit: { epochs: 2, batchSize: 32, seed: 1, validationSplit: 0.2 } }, { train: 600, test: 100 }),
    search: { metric: { name: 'val_acc', goal: 'maximize' }, parameters: { 'model.layers[1].units': { type: 'integer', min: 8, max: 64 } } },
  };
  const specUri = await putSpec(storage, spec, 'trial');
  const metricFile = join(tempDir('ms-vt-hp-'), 'output.metrics');
  const { done } = startTrainer(url, 'jobs/1/7', [`--spec=${specUri}`, `--${parameterIdOf('model.layers[1].units')}=24`], {
    CLOUD_ML_TRIAL_ID: '7',
    CLOUD_ML_JOB_ID: 'tuning-1',
    CLOUD_ML_HP_METRIC_FILE: metricFile,
  });
  const { code, stderr } = await done;
  assert.equal(code, 0, stderr);

  assert.deepEqual(await names(storage, 'jobs/1/7/model/'), ['model.json', 'weights.bin']);
  const modelJson = JSON.parse(await text(storage, 'jobs/1/7/model/model.json')) as { modelTopology: { config: { layers: { config: { units?: number } }[] } } };
  assert.ok(modelJson.modelTopology.config.layers.some((l) => l.config.units === 24), 'the trial value reached the model');
  const record = JSON.parse(await text(storage, 'jobs/1/7/run.json')) as RunRecord;
  assert.equal(record.status, 'completed');
  assert.deepEqual(record.trial, { sweepId: 'tuning-1', trialId: '7', parameters: { 'model.layers[1].units': 24 } });
  const runEvents = events(await text(storage, 'jobs/1/7/metrics.jsonl'));
  assert.equal(runEvents.filter((e) => e.type === 'epochEnd').length, 2);
  assert.equal(runEvents.at(-1)?.type, 'runFinished');
  assert.ok((await names(storage, 'jobs/1/7/checkpoints/')).some((n) => n.endsWith('/state.json')), 'checkpoints went to AIP_CHECKPOINT_DIR');

  const lines = readFileSync(metricFile, 'utf8').trim().split('\n');
  assert.equal(lines.length, 2, 'one report per epoch');
  const last = JSON.parse(lines[1]) as Record<string, unknown>;
  assert.deepEqual(Object.keys(last), ['global_step', 'timestamp', 'trial', 'val_acc'], 'keys sorted as cloudml-hypertune writes them');
  assert.equal(last.trial, '7');
  assert.equal(last.global_step, '30', '2 epochs of 15 batches');
  assert.equal(typeof last.timestamp, 'number');
  const finalValAcc = (runEvents.filter((e) => e.type === 'epochEnd').at(-1) as Extract<TrainerEvent, { type: 'epochEnd' }>).metrics.val_acc;
  assert.equal(last.val_acc, String(finalValAcc));
  assert.match(lines[1], /^\{"global_step": "30", "timestamp": [0-9.]+, "trial": "7", "val_acc": "[0-9.]+"\}$/);
});

test('a trainer killed after a checkpoint resumes from AIP_CHECKPOINT_DIR when the job restarts: same run, later epoch', async () => {
  const { url, storage } = await sandboxStorage();
  // Many short epochs: checkpoints reach the bucket while the trainer keeps training (its uploads trail it, more
  // so on a loaded machine), and 24 epochs leave room for the kill to land before the end.
  const spec = mnistSpec({ fit: { epochs: 24, batchSize: 32, seed: 1 } }, { train: 2400, test: 100 });
  const specUri = await putSpec(storage, spec, 'restart');
  // On WebAssembly (no native folder): native TensorFlow trains the whole run in seconds, before the kill could land.
  const wasm = { MODEL_STUDIO_NATIVE_DIR: '' };
  const first = startTrainer(url, 'jobs/2', [`--spec=${specUri}`], wasm);
  // Kill it once the first checkpoint is in the bucket.
  const deadline = Date.now() + 120_000;
  while (!(await names(storage, 'jobs/2/checkpoints/')).some((n) => n.endsWith('/state.json'))) {
    assert.ok(Date.now() < deadline, 'a checkpoint reached the bucket');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  first.child.kill('SIGKILL');
  await first.done;
  const before = JSON.parse(await text(storage, 'jobs/2/run.json')) as RunRecord;
  assert.notEqual(before.status, 'completed');

  const second = startTrainer(url, 'jobs/2', [`--spec=${specUri}`], wasm);
  const { code, stderr } = await second.done;
  assert.equal(code, 0, stderr);
  assert.match(stderr, /Resuming run /);
  const after = JSON.parse(await text(storage, 'jobs/2/run.json')) as RunRecord;
  assert.equal(after.id, before.id, 'the same run continued');
  assert.equal(after.status, 'completed');
  assert.equal(after.epochsCompleted, 24);
  const starts = events(await text(storage, 'jobs/2/metrics.jsonl')).filter((e) => e.type === 'runStarted');
  assert.equal(starts.length, 2, 'metrics.jsonl kept the first process\'s events and added the second\'s');
  const resumed = starts[1] as Extract<TrainerEvent, { type: 'runStarted' }>;
  assert.ok(resumed.initialEpoch >= 1, `resumed at epoch ${resumed.initialEpoch}, not from scratch`);
  assert.deepEqual(await names(storage, 'jobs/2/model/'), ['model.json', 'weights.bin']);
});

test('a spec that is not in the bucket fails with one line naming it', async () => {
  const { url } = await sandboxStorage();
  const { code, stderr } = await startTrainer(url, 'jobs/3', [`--spec=gs://${BUCKET}/inputs/none/spec.train.json`]).done;
  assert.equal(code, 2, stderr);
  assert.match(stderr.trim().split('\n').at(-1) ?? '', /spec\.train\.json/);
});
