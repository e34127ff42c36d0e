// deactivate() ends the window's trainers (TrainingManager.shutdown uses
// shutdownTrainers): each is asked to stop and saves where it is; one that
// does not stop within the grace period is killed. No trainer outlives the
// window. Real trainer bundle (dist/trainer.js) plus a fake that ignores stop.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { RunRecord, TrainerEvent } from '../../../src/shared/events';
import { isProcessAlive } from '../../../src/core/runStore';
import { TrainerProcess } from '../../../src/extension/training/trainerProcess';
import { shutdownTrainers } from '../../../src/extension/training/shutdown';

const root = join(__dirname, '..', '..', '..');
const trainerPath = join(root, 'dist', 'trainer.js');
const dir = mkdtempSync(join(tmpdir(), 'ms-shutdown-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function longRun(name: string): { specPath: string; runsDir: string } {
  const specPath = join(dir, `${name}.train.json`);
  writeFileSync(
    specPath,
    JSON.stringify({
      name,
      data: { type: 'mnist', subset: { train: 20_000, test: 100 } },
      model: { layers: [{ type: 'flatten', inputShape: [28, 28] }, { type: 'dense', units: 32, activation: 'relu' }, { type: 'dense', units: 10, activation: 'softmax' }] },
      compile: { optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] },
      fit: { epochs: 50, batchSize: 32 },
    }),
  );
  return { specPath, runsDir: join(dir, name, 'runs') };
}

function until(condition: () => boolean, what: string, ms = 120_000): Promise<void> {
  const start = Date.now();
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      if (!condition() && Date.now() - start <= ms) return;
      clearInterval(timer);
      if (condition()) resolve();
      else reject(new Error(`${what} did not happen within ${ms} ms`));
    }, 20);
  });
}

test('shutdown stops a training run (it saves its checkpoint), ends one still loading, and kills one that ignores stop', async () => {
  const training = longRun('training');
  const events: TrainerEvent[] = [];
  const trainer = new TrainerProcess({ trainerPath, request: { ...training, backend: 'wasm' }, cwd: root, onEvent: (e) => events.push(e) });
  const hung: TrainerEvent[] = [];
  const hanging = new TrainerProcess({ trainerPath: join(__dirname, 'fakeTrainer.cjs'), request: { specPath: 'x', runsDir: 'y' }, env: { ...process.env, FAKE_TRAINER: 'hang' }, onEvent: (e) => hung.push(e) });
  await until(() => events.some((e) => e.type === 'batchEnd') && hung.length > 0, 'the first batches');
  const loadingRun = longRun('loading');
  const loading = new TrainerProcess({ trainerPath, request: { ...loadingRun, backend: 'wasm' }, cwd: root });
  const trainers = [trainer, loading, hanging];

  const grace = 3_000;
  const started = Date.now();
  await shutdownTrainers(trainers, grace);
  const took = Date.now() - started;

  assert.ok(took < grace + 1_500, `shutdown took ${took} ms`);
  for (const t of trainers) assert.ok(t.pid !== undefined && !isProcessAlive(t.pid), `trainer ${t.pid} is gone`);
  const [stopped, ended, killed] = await Promise.all(trainers.map((t) => t.exited));
  assert.equal(stopped.status, 'stopped', stopped.reason);
  const record = JSON.parse(readFileSync(join(training.runsDir, stopped.runId ?? '', 'run.json'), 'utf8')) as RunRecord;
  assert.equal(record.status, 'stopped');
  assert.ok(record.lastCheckpoint && existsSync(join(training.runsDir, record.id, record.lastCheckpoint, 'state.json')), 'a checkpoint to resume from');
  assert.equal(ended.exitCode, 0);
  assert.ok(!existsSync(loadingRun.runsDir) || readdirSync(loadingRun.runsDir).every((id) => JSON.parse(readFileSync(join(loadingRun.runsDir, id, 'run.json'), 'utf8')).status !== 'running'));
  assert.equal(killed.signal, 'SIGKILL', 'the trainer that ignored stop was killed');
});

test('shutdown with no trainers returns at once', async () => {
  const started = Date.now();
  await shutdownTrainers([]);
  assert.ok(Date.now() - started < 50);
});
