// The trainer child process as the extension drives it: spawn, events, stop,
// crash before any event, user errors, a trainer that ignores stop, and the
// real trainer bundle (dist/trainer.js) on a small MNIST subset.
import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { TrainerEvent } from '../../../src/shared/events';
import { TrainerProcess } from '../../../src/extension/training/trainerProcess';

const fake = join(__dirname, 'fakeTrainer.cjs');
const request = { specPath: '/nowhere/fake.train.json', runsDir: '/nowhere/runs' };

function startFake(mode: string, options: { stopGraceMs?: number } = {}): { trainer: TrainerProcess; events: TrainerEvent[]; ignored: string[] } {
  const events: TrainerEvent[] = [];
  const ignored: string[] = [];
  const trainer = new TrainerProcess({
    trainerPath: fake,
    request,
    env: { ...process.env, FAKE_TRAINER: mode },
    onEvent: (e) => events.push(e),
    onMalformedMessage: (description) => ignored.push(description),
    ...options,
  });
  return { trainer, events, ignored };
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms`)), ms).unref())]);
}

describe('TrainerProcess with a protocol-speaking fake trainer', () => {
  it('delivers every event in order and reports a completed run with its id', async () => {
    const { trainer, events } = startFake('complete');
    const result = await withTimeout(trainer.exited, 10_000, 'a completing trainer');
    assert.equal(result.status, 'completed');
    assert.equal(result.exitCode, 0);
    assert.equal(result.runId, 'fake-run-0001');
    assert.equal(events[0].type, 'runStarted');
    assert.equal(events.at(-1)?.type, 'runFinished');
    assert.equal(events.filter((e) => e.type === 'batchEnd').length, 20);
    assert.deepEqual(result.finished?.testMetrics, { loss: 0.3, acc: 0.91 });
  });

  it('ignores and reports messages that break the protocol, and still completes with every real event', async () => {
    const { trainer, events, ignored } = startFake('malformed');
    const result = await withTimeout(trainer.exited, 10_000, 'a trainer sending malformed messages');
    assert.equal(result.status, 'completed', 'the oversized error message did not fail the run');
    assert.equal(result.userError, false);
    assert.equal(ignored.length, 8);
    for (const line of ignored) assert.match(line, /^Ignored a malformed message from the trainer: .{1,201}$/);
    assert.equal(events.filter((e) => e.type === 'batchEnd').length, 20, 'only the real batches arrive');
    assert.ok(events.every((e) => e.runId === 'fake-run-0001'));
    assert.equal(events.filter((e) => e.type === 'epochEnd').length, 2);
    assert.equal(events.at(-1)?.type, 'runFinished');
  });

  it('stops at the next batch when asked and reports the run as stopped', async () => {
    const { trainer, events } = startFake('slow');
    await withTimeout(
      new Promise<void>((resolve) => {
        const timer = setInterval(() => {
          if (events.some((e) => e.type === 'batchEnd')) {
            clearInterval(timer);
            resolve();
          }
        }, 5);
      }),
      10_000,
      'the first batch',
    );
    const asked = Date.now();
    trainer.stop();
    assert.equal(trainer.stopping, true);
    const result = await withTimeout(trainer.exited, 5_000, 'a stopped trainer');
    assert.equal(result.status, 'stopped');
    assert.equal(result.reason, 'Stopped by the user.');
    assert.ok(Date.now() - asked < 2_000, 'stop takes effect within two seconds');
  });

  it('settles as failed with the last stderr line when the trainer crashes before any event', async () => {
    const { trainer, events } = startFake('crash');
    const result = await withTimeout(trainer.exited, 10_000, 'a crashing trainer');
    assert.equal(result.status, 'failed');
    assert.equal(result.exitCode, 1);
    assert.equal(result.userError, false);
    assert.equal(result.runId, undefined);
    assert.equal(events.length, 0);
    assert.deepEqual(result.stderrTail, ['loading the spec', 'TypeError: boom at the very start']);
    assert.match(result.reason ?? '', /exited with code 1: TypeError: boom at the very start/);
  });

  it('reports a user error with the trainer’s one-line message', async () => {
    const { trainer } = startFake('usererror');
    const result = await withTimeout(trainer.exited, 10_000, 'a trainer with a user error');
    assert.equal(result.status, 'failed');
    assert.equal(result.userError, true);
    assert.equal(result.exitCode, 2);
    assert.equal(result.reason, '/nowhere/fake.train.json: "epochs" must be at least 1');
  });

  it('kills a trainer that ignores stop once the grace period is over', async () => {
    const { trainer, events } = startFake('hang', { stopGraceMs: 300 });
    await withTimeout(
      new Promise<void>((resolve) => {
        const timer = setInterval(() => events.length > 0 && (clearInterval(timer), resolve()), 5);
      }),
      10_000,
      'the first event',
    );
    trainer.stop();
    const result = await withTimeout(trainer.exited, 5_000, 'a hanging trainer');
    assert.equal(result.signal, 'SIGKILL');
    assert.equal(result.status, 'stopped');
    assert.match(result.reason ?? '', /did not stop in time/);
  });

  it('settles when the script does not exist (no hang on a broken install)', async () => {
    const trainer = new TrainerProcess({ trainerPath: join(tmpdir(), 'no-such-trainer.js'), request });
    const result = await withTimeout(trainer.exited, 10_000, 'a missing trainer');
    assert.equal(result.status, 'failed');
    assert.notEqual(result.exitCode, 0);
    assert.match(result.stderrTail.join('\n'), /Cannot find module/);
  });

  it('settles when the process exits without reading its request', async () => {
    const { trainer } = startFake('nostart');
    const result = await withTimeout(trainer.exited, 10_000, 'a trainer that exits at once');
    assert.equal(result.status, 'failed');
    assert.equal(result.exitCode, 3);
  });
});

describe('TrainerProcess with the real trainer bundle', () => {
  const trainerPath = join(__dirname, '..', '..', '..', 'dist', 'trainer.js');
  const dir = mkdtempSync(join(tmpdir(), 'ms-trainer-process-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  function writeSpec(name: string, spec: Record<string, unknown>): string {
    const path = join(dir, name);
    writeFileSync(path, JSON.stringify(spec));
    return path;
  }

  const mlp = (epochs: number, train: number): Record<string, unknown> => ({
    name: 'tiny-mlp',
    data: { type: 'mnist', subset: { train, test: 64 } },
    model: {
      layers: [
        { type: 'flatten', inputShape: [28, 28] },
        { type: 'dense', units: 16, activation: 'relu' },
        { type: 'dense', units: 10, activation: 'softmax' },
      ],
    },
    compile: { optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] },
    fit: { epochs, batchSize: 32 },
  });

  it('is built (npm run build) before these tests run', () => {
    assert.ok(existsSync(trainerPath), `${trainerPath} is missing: run npm run build`);
  });

  it('reports a bad spec as a user error with exit code 2', async () => {
    const specPath = writeSpec('bad.train.json', { ...mlp(1, 64), fit: { epochs: -1 } });
    const trainer = new TrainerProcess({ trainerPath, request: { specPath, runsDir: join(dir, 'runs') }, cwd: process.cwd() });
    const result = await withTimeout(trainer.exited, 20_000, 'the trainer on a bad spec');
    assert.equal(result.exitCode, 2);
    assert.equal(result.userError, true);
    assert.match(result.reason ?? '', /epochs/);
  });

  it('ignores and reports malformed requests from the host, then runs the next valid one', async () => {
    const child = fork(trainerPath, [], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], execArgv: [] });
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const received: unknown[] = [];
    child.on('message', (message) => received.push(message));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    child.send({ type: 'train', request: { specPath: 42, runsDir: dir } });
    child.send({ type: 'train', request: { specPath: join(dir, 'any.train.json'), runsDir: dir, epochs: 0 } });
    child.send({ type: 'train', request: { specPath: join(dir, 'any.train.json'), runsDir: dir, resume: '../elsewhere' } });
    child.send({ type: 'launch' });
    const specPath = writeSpec('bad-after-malformed.train.json', { ...mlp(1, 64), fit: { epochs: -1 } });
    child.send({ type: 'train', request: { specPath, runsDir: join(dir, 'runs') } });
    const code = await withTimeout(exited, 20_000, 'the trainer after malformed requests');
    assert.equal((stderr.match(/Ignored a malformed message from the host/g) ?? []).length, 4, stderr);
    assert.equal(code, 2, 'the valid request ran: its spec is a user error');
    assert.deepEqual(received.map((m) => (m as { type: string }).type), ['error']);
  });

  it('trains, then stops a second run within seconds, keeping it as stopped', async () => {
    const specPath = writeSpec('tiny.train.json', mlp(1, 256));
    const events: TrainerEvent[] = [];
    const ignored: string[] = [];
    const done = await withTimeout(
      new TrainerProcess({
        trainerPath,
        request: { specPath, runsDir: join(dir, 'runs'), backend: 'wasm' },
        cwd: process.cwd(),
        onEvent: (e) => events.push(e),
        onMalformedMessage: (description) => ignored.push(description),
      }).exited,
      60_000,
      'a tiny training',
    );
    assert.equal(done.status, 'completed', done.reason);
    assert.ok(done.runId);
    assert.deepEqual(ignored, [], 'every message of the real trainer passes the protocol’s guard');
    assert.deepEqual([...new Set(events.map((e) => e.type))], ['runStarted', 'batchEnd', 'epochEnd', 'checkpointSaved', 'evaluation', 'runFinished']);

    const long = writeSpec('long.train.json', mlp(200, 2000));
    const seen: TrainerEvent[] = [];
    const trainer = new TrainerProcess({ trainerPath, request: { specPath: long, runsDir: join(dir, 'runs'), backend: 'wasm' }, cwd: process.cwd(), onEvent: (e) => seen.push(e) });
    await withTimeout(
      new Promise<void>((resolve) => {
        const timer = setInterval(() => seen.some((e) => e.type === 'batchEnd') && (clearInterval(timer), resolve()), 20);
      }),
      60_000,
      'the first batch of a long run',
    );
    const asked = Date.now();
    trainer.stop();
    const stopped = await withTimeout(trainer.exited, 20_000, 'stopping a real trainer');
    assert.equal(stopped.status, 'stopped', stopped.reason);
    assert.equal(stopped.exitCode, 0);
    assert.ok(Date.now() - asked < 5_000, `stopped in ${Date.now() - asked} ms`);
  });
});
