import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir, hostname } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { clearStaleRuns, deleteRun, listRuns, markRunCrashed, parseEvents, readRun } from '../../../src/core/runStore';
import { HEARTBEAT_FILE, HEARTBEAT_STALE_MS, processStartToken } from '../../../src/core/runLiveness';
import type { RunRecord } from '../../../src/shared/events';
import { tempDir } from '../../helpers/cleanup';

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
  const dir = tempDir('runs-');
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

/** Writes the heartbeat file of a run as last touched `ageMs` ago. */
function heartbeat(dir: string, id: string, ageMs: number): void {
  const file = join(dir, id, HEARTBEAT_FILE);
  writeFileSync(file, '');
  const at = (Date.now() - ageMs) / 1000;
  utimesSync(file, at, at);
}

function onDisk(dir: string, id: string): RunRecord {
  return JSON.parse(readFileSync(join(dir, id, 'run.json'), 'utf8')) as RunRecord;
}

test('a run whose PID now belongs to another process (same PID, another start time) is crashed', { skip: process.platform !== 'linux' && 'process start times are read from /proc' }, async () => {
  const mine = processStartToken(process.pid);
  assert.ok(mine, 'this process has a start time');
  const dir = runsDirWith(
    record('run-1', { status: 'running', pid: process.pid, processStart: `${mine.split(':')[0]}:1` }),
    record('run-2', { status: 'running', pid: process.pid, processStart: mine }),
  );
  const reused = await readRun(dir, 'run-1');
  assert.equal(reused.status, 'crashed');
  assert.match(reused.reason ?? '', new RegExp(`PID ${process.pid} now belongs to another process`));
  assert.equal((await readRun(dir, 'run-2')).status, 'running', 'the same PID and start time: the trainer itself');
});

test('where start times cannot be read, a live PID with a stale heartbeat is crashed', async () => {
  const dir = runsDirWith(record('run-1', { status: 'running', pid: process.pid }), record('run-2', { status: 'running', pid: process.pid }));
  heartbeat(dir, 'run-1', HEARTBEAT_STALE_MS + 60_000);
  heartbeat(dir, 'run-2', 1_000);
  assert.equal((await readRun(dir, 'run-1')).status, 'crashed');
  assert.equal((await readRun(dir, 'run-2')).status, 'running');
});

test('a run made on another machine is resolved by its heartbeat: stale is crashed, fresh is running', async () => {
  const other = { status: 'running' as const, hostname: 'another-machine', pid: 1 };
  const dir = runsDirWith(record('run-1', other), record('run-2', other), record('run-3', other));
  heartbeat(dir, 'run-1', HEARTBEAT_STALE_MS + 1_000);
  heartbeat(dir, 'run-2', 5_000);
  const stale = await readRun(dir, 'run-1');
  assert.equal(stale.status, 'crashed');
  assert.match(stale.reason ?? '', /The trainer on another-machine stopped answering \(no heartbeat for \d+ min\)/);
  assert.equal((await readRun(dir, 'run-2')).status, 'running');
  // Without a heartbeat (an older version wrote it) nothing tells: it stays running until the user clears it.
  assert.equal((await readRun(dir, 'run-3')).status, 'running');
});

test('a stuck run can be marked as crashed, then resumed or deleted; a live one cannot', async () => {
  const dir = runsDirWith(
    record('run-1', { status: 'running', hostname: 'another-machine' }),
    record('run-2', { status: 'running', pid: process.pid, processStart: processStartToken(process.pid) }),
    record('run-3'),
  );
  heartbeat(dir, 'run-2', 0);
  const marked = await markRunCrashed(dir, 'run-1');
  assert.equal(marked.status, 'crashed');
  assert.equal(onDisk(dir, 'run-1').status, 'crashed', 'written to run.json');
  await deleteRun(dir, 'run-1');
  await assert.rejects(markRunCrashed(dir, 'run-2'), (e: Error) => e.name === 'UserError' && /still training \(process \d+ on /.test(e.message));
  await assert.rejects(markRunCrashed(dir, 'run-3'), /is completed, not running: there is nothing to clear/);
});

test('clearing stale runs writes each run whose trainer is gone as crashed, and only those', async () => {
  const dir = runsDirWith(
    record('run-1', { status: 'running', pid: deadPid() }),
    record('run-2', { status: 'running', hostname: 'another-machine' }),
    record('run-3', { status: 'running', pid: process.pid, processStart: processStartToken(process.pid) }),
  );
  heartbeat(dir, 'run-2', HEARTBEAT_STALE_MS * 2);
  heartbeat(dir, 'run-3', 0);
  const cleared = await clearStaleRuns(dir);
  assert.deepEqual(cleared.map((r) => r.id).sort(), ['run-1', 'run-2']);
  assert.deepEqual(['run-1', 'run-2', 'run-3'].map((id) => onDisk(dir, id).status), ['crashed', 'crashed', 'running']);
});
