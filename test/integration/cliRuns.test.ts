// A run whose trainer is gone is never "running" for ever: not when its PID
// now belongs to another process, not when it was made on another machine;
// and a user can clear a stuck run from the CLI, then resume it. The real
// trainer, killed with -9, through the real CLI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunFinishedEvent, RunRecord, RunStartedEvent } from '../../src/shared/events';
import { HEARTBEAT_FILE, HEARTBEAT_STALE_MS } from '../../src/core/runLiveness';
import { collect, jsonEvents, mnistSpec, runCli, startCli, tempWorkspace, waitForEvent, writeSpec } from '../helpers/cli';

function listed(stdout: string, runId: string): RunRecord {
  const run = (JSON.parse(stdout) as RunRecord[]).find((r) => r.id === runId);
  assert.ok(run, `${runId} is listed`);
  return run;
}

test('a killed trainer whose PID was reused, or whose machine went silent, lists as crashed; --clear-stale and --mark-crashed free the run to resume', async () => {
  const ws = tempWorkspace('ms-runs-');
  const spec = writeSpec(ws, mnistSpec({ fit: { epochs: 2, batchSize: 32, seed: 4 } }, { train: 3200, test: 100 }));
  const child = startCli(['train', spec, '--json', '--backend', 'wasm'], ws);
  const done = collect(child);
  const started = (await waitForEvent(child, (e) => e.type === 'runStarted')) as RunStartedEvent;
  await waitForEvent(child, (e) => e.type === 'checkpointSaved');
  child.kill('SIGKILL');
  await done;
  const folder = join(ws, '.model-studio', 'runs', started.runId);
  const file = join(folder, 'run.json');
  const record = JSON.parse(readFileSync(file, 'utf8')) as RunRecord;
  assert.equal(record.status, 'running', 'kill -9 left the record as it was');
  assert.ok(existsSync(join(folder, HEARTBEAT_FILE)), 'the trainer kept a heartbeat');
  if (process.platform === 'linux') assert.match(record.processStart ?? '', /^[0-9a-f-]+:\d+$/, 'and wrote its start time');

  // The PID now belongs to another live process: kill(pid, 0) succeeds, yet the run crashed.
  const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
  try {
    writeFileSync(file, JSON.stringify({ ...record, pid: other.pid }));
    const runs = await runCli(['runs', '--json'], ws);
    assert.equal(runs.code, 0, runs.stderr);
    const run = listed(runs.stdout, started.runId);
    assert.equal(run.status, 'crashed', 'a reused PID is not the trainer');
    if (process.platform === 'linux') assert.match(run.reason ?? '', new RegExp(`PID ${other.pid} now belongs to another process`));
  } finally {
    other.kill('SIGKILL');
  }

  // Made on another machine: resolved by the heartbeat once it is stale.
  writeFileSync(file, JSON.stringify({ ...record, hostname: 'build-server-7' }));
  assert.equal(listed((await runCli(['runs', '--json'], ws)).stdout, started.runId).status, 'running', 'a fresh heartbeat: still training there');
  const stale = (Date.now() - HEARTBEAT_STALE_MS - 60_000) / 1000;
  utimesSync(join(folder, HEARTBEAT_FILE), stale, stale);
  assert.equal(listed((await runCli(['runs', '--json'], ws)).stdout, started.runId).status, 'crashed');

  // --clear-stale writes it down; the run resumes and finishes.
  const cleared = await runCli(['runs', '--clear-stale'], ws);
  assert.equal(cleared.code, 0, cleared.stderr);
  assert.match(cleared.stderr, new RegExp(`Marked 1 run\\(s\\) whose trainer is gone as crashed: ${started.runId}`));
  assert.equal((JSON.parse(readFileSync(file, 'utf8')) as RunRecord).status, 'crashed');
  const resumed = await runCli(['train', '--resume', started.runId, '--json', '--backend', 'wasm'], ws);
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.equal((jsonEvents(resumed.stdout).at(-1) as RunFinishedEvent).status, 'completed');
});

test('--mark-crashed clears a run no sign can judge (another machine, no heartbeat) and refuses a run that is training', async () => {
  const ws = tempWorkspace('ms-runs-mark-');
  const trained = await runCli(['train', writeSpec(ws, mnistSpec({ fit: { epochs: 1, batchSize: 64 } }, { train: 256, test: 64 })), '--json', '--backend', 'wasm'], ws);
  assert.equal(trained.code, 0, trained.stderr);
  const runId = jsonEvents(trained.stdout)[0].runId;
  const folder = join(ws, '.model-studio', 'runs', runId);
  const record = JSON.parse(readFileSync(join(folder, 'run.json'), 'utf8')) as RunRecord;

  // Stuck as written by an older version on another machine: no heartbeat, no start time.
  writeFileSync(join(folder, 'run.json'), JSON.stringify({ ...record, status: 'running', hostname: 'old-laptop', processStart: undefined }));
  rmSync(join(folder, HEARTBEAT_FILE), { force: true });
  assert.equal(listed((await runCli(['runs', '--json'], ws)).stdout, runId).status, 'running');
  const nothingStale = await runCli(['runs', '--clear-stale'], ws);
  assert.match(nothingStale.stderr, /No run is stuck as running/);
  const marked = await runCli(['runs', '--mark-crashed', runId], ws);
  assert.equal(marked.code, 0, marked.stderr);
  assert.match(marked.stderr, new RegExp(`Marked run ${runId} as crashed: resume it with \`model-studio train --resume ${runId}\` or delete it`));
  assert.match(marked.stdout, /crashed/);

  // This test process stands in for a trainer that is alive: refused, one line, exit 2.
  writeFileSync(join(folder, 'run.json'), JSON.stringify({ ...record, status: 'running', pid: process.pid, processStart: undefined }));
  writeFileSync(join(folder, HEARTBEAT_FILE), '');
  const refused = await runCli(['runs', '--mark-crashed', runId], ws);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /^Run '.+' is still training \(process \d+ on .+\): stop it instead\.\n$/);
});
