import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir, hostname } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { deleteRun, listRuns, parseEvents, readRun } from '../../../src/core/runStore';
import type { RunRecord } from '../../../src/shared/events';

function record(id: string, changes: Partial<RunRecord> = {}): RunRecord {
  return {
    id,
    name: 'mnist',
    specPath: '/x/mnist.train.json',
    spec: {} as RunRecord['spec'],
    status: 'completed',
    pid: process.pid,
    hostname: hostname(),
    createdAt: new Date(2026, 0, Number(id.slice(-1)) || 1).toISOString(),
    updatedAt: new Date().toISOString(),
    epochs: 5,
    epochsCompleted: 5,
    ...changes,
  };
}

function runsDirWith(...records: RunRecord[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'runs-'));
  for (const r of records) {
    mkdirSync(join(dir, r.id));
    writeFileSync(join(dir, r.id, 'run.json'), JSON.stringify(r));
  }
  return dir;
}

function deadPid(): number {
  // A process that has certainly exited.
  const child = spawnSync(process.execPath, ['-e', '0']);
  return child.pid ?? 999_999;
}

test('a run still marked running whose process is gone is listed as crashed', async () => {
  const dir = runsDirWith(record('run-1', { status: 'running', pid: deadPid() }));
  const [run] = await listRuns(dir);
  assert.equal(run.status, 'crashed');
  assert.match(run.reason ?? '', /ended without finishing/);
});

test('a run whose process is alive stays running', async () => {
  const dir = runsDirWith(record('run-1', { status: 'running', pid: process.pid }));
  assert.equal((await readRun(dir, 'run-1')).status, 'running');
});

test('runs are listed newest first and unreadable folders are skipped', async () => {
  const dir = runsDirWith(record('run-1'), record('run-3'), record('run-2'));
  mkdirSync(join(dir, 'not-a-run'));
  assert.deepEqual((await listRuns(dir)).map((r) => r.id), ['run-3', 'run-2', 'run-1']);
});

test('a missing runs folder lists no runs', async () => {
  assert.deepEqual(await listRuns(join(tmpdir(), 'no-such-runs-folder')), []);
});

test('reading an unknown run is a one-line user error', async () => {
  await assert.rejects(readRun(runsDirWith(), 'nope'), (e: Error) => e.name === 'UserError' && /No run 'nope'/.test(e.message));
});

test('a torn last line in metrics.jsonl is skipped, the rest parse', () => {
  const good = JSON.stringify({ type: 'epochEnd', runId: 'r', time: 1, epoch: 0, epochs: 2, metrics: { loss: 0.3 }, durationMs: 900, samplesPerSecond: 2400 });
  const events = parseEvents(`${good}\n${good}\n{"type":"batchEnd","runId":"r","ti`);
  assert.equal(events.length, 2);
});

test('a line that is JSON but not a valid event is skipped', () => {
  const good = JSON.stringify({ type: 'epochEnd', runId: 'r', time: 1, epoch: 0, epochs: 2, metrics: { loss: 0.3 }, durationMs: 900, samplesPerSecond: 2400 });
  const events = parseEvents([good, JSON.stringify({ type: 'epochEnd', runId: 'r', time: 2 }), '[1,2]', good].join('\n'));
  assert.equal(events.length, 2);
});

test('deleting a running run is refused; a finished one is removed', async () => {
  const dir = runsDirWith(record('run-1', { status: 'running' }), record('run-2'));
  await assert.rejects(deleteRun(dir, 'run-1'), /still training/);
  await deleteRun(dir, 'run-2');
  assert.deepEqual((await listRuns(dir)).map((r) => r.id), ['run-1']);
});
