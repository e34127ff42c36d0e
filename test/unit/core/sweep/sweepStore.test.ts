// sweep.json on disk: written whole, read back through its guard, a running
// sweep whose process is gone read as crashed, damaged files refused in one
// line; the default number of parallel trials from cores and free memory.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../../helpers/cleanup';
import { listSweeps, newSweepId, readSweep, sweepOwner, writeSweepRecord } from '../../../../src/core/sweep/sweepStore';
import { defaultParallelTrials, TRIAL_MEMORY_BYTES } from '../../../../src/core/sweep/parallelism';
import { isUserError } from '../../../../src/shared/errors';
import type { SweepRecord } from '../../../../src/shared/sweep';
import { bestText, shortParameters, sweepHeadline, trialProgress } from '../../../../src/shared/sweepSummary';

function record(changes: Partial<SweepRecord> = {}): SweepRecord {
  const now = new Date().toISOString();
  return {
    id: newSweepId('MNIST mlp'),
    name: 'mnist-mlp',
    specPath: '/w/mnist.train.json',
    search: { metric: { name: 'val_acc', goal: 'maximize' }, parameters: { 'fit.batchSize': { type: 'discrete', values: [32, 64] } }, maxTrials: 2, parallelTrials: 2 },
    status: 'running',
    createdAt: now,
    updatedAt: now,
    trials: [
      { trialId: '1', parameters: { 'fit.batchSize': 32 }, status: 'completed', value: 0.98123, runId: 'r1', metricHistory: [0.9, 0.98123] },
      { trialId: '2', parameters: { 'fit.batchSize': 64 }, status: 'running', runId: 'r2' },
    ],
    best: { trialId: '1', runId: 'r1', value: 0.98123 },
    ...sweepOwner(),
    ...changes,
  };
}

test('sweep ids are readable, sortable folder names', () => {
  assert.match(newSweepId('MNIST mlp', new Date('2026-12-02T10:45:12Z')), /^mnist-mlp-sweep-20261202-104512-[0-9a-f]{4}$/);
});

test('a sweep is written whole and read back; a live one stays running, a dead one reads as crashed', async () => {
  const dir = tempDir('ms-sweeps-');
  const live = record();
  writeSweepRecord(dir, live);
  assert.deepEqual(readdirSync(join(dir, live.id)), ['sweep.json'], 'no temporary file left behind');
  assert.deepEqual(await readSweep(dir, live.id), live);
  // A process that has exited: its PID is free (or someone else's).
  const gone = spawnSync(process.execPath, ['-e', '0']).pid as number;
  const dead = record({ id: `${live.id}-b`, pid: gone, processStart: 'boot:1' });
  writeSweepRecord(dir, dead);
  const read = await readSweep(dir, dead.id);
  assert.equal(read.status, 'crashed');
  assert.match(read.reason ?? '', /ended without finishing/);
  const all = await listSweeps(dir);
  assert.equal(all.length, 2);
});

test('unknown and damaged sweeps are refused in one line; a damaged one is skipped by the listing', async () => {
  const dir = tempDir('ms-sweeps-');
  await assert.rejects(readSweep(dir, 'nope'), (e: unknown) => isUserError(e) && /No sweep 'nope'.*model-studio sweeps/.test(e.message));
  mkdirSync(join(dir, 'broken'));
  writeFileSync(join(dir, 'broken', 'sweep.json'), '{"id": "broken"');
  await assert.rejects(readSweep(dir, 'broken'), (e: unknown) => isUserError(e) && /not valid JSON/.test(e.message));
  mkdirSync(join(dir, 'odd'));
  writeFileSync(join(dir, 'odd', 'sweep.json'), JSON.stringify({ ...record(), trials: 'many' }));
  await assert.rejects(readSweep(dir, 'odd'), (e: unknown) => isUserError(e) && /not a sweep record/.test(e.message));
  assert.deepEqual(await listSweeps(dir), []);
});

test('parallel trials by default: one per core, as many as memory holds, no more than trials', () => {
  const gib = 2 ** 30;
  assert.equal(defaultParallelTrials(12, { cores: 8, freeBytes: 64 * gib }).count, 8);
  assert.equal(defaultParallelTrials(3, { cores: 8, freeBytes: 64 * gib }).count, 3);
  assert.equal(defaultParallelTrials(12, { cores: 8, freeBytes: 3 * TRIAL_MEMORY_BYTES }).count, 3);
  assert.equal(defaultParallelTrials(12, { cores: 2, freeBytes: 0 }).count, 1, 'at least one');
  assert.equal(defaultParallelTrials(12, { cores: 2, freeBytes: 5.1 * gib }).why, '2 cores, 5.1 GiB free');
});

test('a sweep in a few words', () => {
  const r = record();
  assert.deepEqual(trialProgress(r), { done: 1, total: 2 });
  assert.equal(bestText(r), 'best val_acc 0.981');
  assert.equal(sweepHeadline(r), 'sweep mnist-mlp · 1/2 trials · best val_acc 0.981');
  assert.equal(sweepHeadline({ ...r, best: undefined }), 'sweep mnist-mlp · 1/2 trials');
  assert.equal(bestText({ ...r, best: { trialId: '1', value: 0.00123 } }), 'best val_acc 0.00123');
  assert.equal(shortParameters({ 'compile.optimizer.learningRate': 0.00123456, 'model.layers[1].units': 64 }), 'learningRate 0.00123 · units 64');
});
