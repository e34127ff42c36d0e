// Stop in every phase, with the real trainer bundle as the extension runs it
// (TrainerProcess, IPC): while MNIST downloads, while it trains, validates,
// saves and evaluates. Each stop is sent when its phase has begun, must end
// the process within 2 s, and must leave the run in a state that reads right
// (and resumes right). The same phases again with the host gone instead: a
// trainer whose parent died must exit by itself.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunRecord, TrainerEvent } from '../../src/shared/events';
import type { TrainingSpec } from '../../src/shared/spec';
import { isProcessAlive, parseEvents } from '../../src/core/runStore';
import { TrainerProcess, type TrainerResult } from '../../src/extension/training/trainerProcess';
import { repoRoot } from '../helpers/cli';

const trainerPath = join(repoRoot, 'dist', 'trainer.js');
const parentPath = join(__dirname, 'trainerParent.mjs');
const STOP_WITHIN_MS = 2_000;

const dir = mkdtempSync(join(tmpdir(), 'ms-trainer-stop-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/**
 * One batch per epoch of a wide MLP (1,024 units): training is over at once,
 * while validating or evaluating 10,000 test images takes seconds, long
 * enough to stop in the middle of it.
 */
function wideSpec(changes: { epochs?: number; validate?: boolean; evaluate?: boolean; data?: TrainingSpec['data'] } = {}): TrainingSpec {
  return {
    name: 'wide-mlp',
    data: changes.data ?? { type: 'mnist', subset: { train: 32, test: 10_000 } },
    model: {
      layers: [
        { type: 'flatten', inputShape: [28, 28] },
        { type: 'dense', units: 1024, activation: 'relu' },
        { type: 'dense', units: 10, activation: 'softmax' },
      ],
    },
    compile: { optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] },
    fit: { epochs: changes.epochs ?? 1, batchSize: 32, seed: 3, ...(changes.validate ? { validationData: 'test' as const } : {}) },
    evaluate: { enabled: changes.evaluate ?? false },
  };
}

let specCount = 0;
function workspace(spec: TrainingSpec): { specPath: string; runsDir: string } {
  const ws = mkdtempSync(join(dir, 'ws-'));
  const specPath = join(ws, `spec-${++specCount}.train.json`);
  writeFileSync(specPath, JSON.stringify(spec));
  return { specPath, runsDir: join(ws, '.model-studio', 'runs') };
}

/** The events of one trainer, with a way to wait for the one that starts a phase. */
class EventLog {
  readonly events: TrainerEvent[] = [];
  private waiters: { predicate: (e: TrainerEvent) => boolean; resolve: (e: TrainerEvent) => void }[] = [];

  push(event: TrainerEvent): void {
    this.events.push(event);
    for (const waiter of this.waiters.filter((w) => w.predicate(event))) waiter.resolve(event);
    this.waiters = this.waiters.filter((w) => !w.predicate(event));
  }

  waitFor(predicate: (e: TrainerEvent) => boolean, what: string, timeoutMs = 120_000): Promise<TrainerEvent> {
    const seen = this.events.find(predicate);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${what} within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({ predicate, resolve: (e) => (clearTimeout(timer), resolve(e)) });
    });
  }
}

interface Phase {
  name: string;
  spec: () => TrainingSpec;
  /** Resolves once the trainer is in the phase. */
  begun: (log: EventLog) => Promise<unknown>;
}

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A server that sends the start of mnist.npz and then nothing: a download that stays in progress. */
let stalling: Server;
let downloadRequested: Promise<void>;
let requestSeen: () => void = () => undefined;
before(async () => {
  stalling = createServer((_request, response) => {
    response.writeHead(200, { 'content-length': String(11_490_434), 'content-type': 'application/octet-stream' });
    response.write(Buffer.alloc(4096));
    requestSeen();
  });
  await new Promise<void>((resolve) => stalling.listen(0, '127.0.0.1', resolve));
});
after(() => {
  stalling.closeAllConnections();
  stalling.close();
});

function expectDownload(): void {
  downloadRequested = new Promise((resolve) => (requestSeen = resolve));
}

const downloadSpec = (): TrainingSpec =>
  wideSpec({ data: { type: 'mnist', url: `http://127.0.0.1:${(stalling.address() as AddressInfo).port}/mnist.npz`, cacheDir: mkdtempSync(join(dir, 'cache-')) } });

const isBatch = (e: TrainerEvent): boolean => e.type === 'batchEnd';

const PHASES: Phase[] = [
  { name: 'downloading MNIST', spec: downloadSpec, begun: () => downloadRequested },
  {
    name: 'training',
    spec: () => wideSpec({ data: { type: 'mnist', subset: { train: 60_000, test: 100 } } }),
    begun: (log) => log.waitFor(isBatch, 'first batch'),
  },
  // The only batch of the epoch is reported at once; validation starts right after it.
  { name: 'validating', spec: () => wideSpec({ validate: true }), begun: async (log) => (await log.waitFor(isBatch, 'the batch'), await delay(300)) },
  // The checkpoint is saved right after the epoch ends.
  { name: 'saving a checkpoint', spec: () => wideSpec({ epochs: 2 }), begun: (log) => log.waitFor((e) => e.type === 'epochEnd', 'the end of the epoch') },
  // The final checkpoint, then the model, then the test set.
  {
    name: 'evaluating the test set',
    spec: () => wideSpec({ evaluate: true }),
    begun: async (log) => (await log.waitFor((e) => e.type === 'checkpointSaved', 'the final checkpoint'), await delay(300)),
  },
];

const MNIST_SOURCE = 'MODEL_STUDIO_MNIST_SOURCE';
function envFor(phase: Phase): NodeJS.ProcessEnv {
  return { ...process.env, [MNIST_SOURCE]: phase.name === 'downloading MNIST' ? 'download' : 'package' };
}

function runFolderOf(runsDir: string, log: EventLog): string | undefined {
  const runId = log.events[0]?.runId;
  return runId ? join(runsDir, runId) : undefined;
}

function recordOf(folder: string): RunRecord {
  return JSON.parse(readFileSync(join(folder, 'run.json'), 'utf8')) as RunRecord;
}

/** Nothing half-written anywhere in the run folder, and the model and each checkpoint complete. */
function assertNothingHalfWritten(folder: string): void {
  const names = [...readdirSync(folder), ...readdirSync(join(folder, 'checkpoints')).map((n) => `checkpoints/${n}`)];
  assert.ok(names.every((n) => !/\.(saving|ready|old)-/.test(n)), `no temporary folders: ${names.join(', ')}`);
  if (existsSync(join(folder, 'model'))) assert.ok(existsSync(join(folder, 'model', 'weights.bin')) && existsSync(join(folder, 'model', 'model.json')));
  for (const name of readdirSync(join(folder, 'checkpoints'))) {
    for (const file of ['model.json', 'weights.bin', 'state.json']) assert.ok(existsSync(join(folder, 'checkpoints', name, file)), `${name}/${file}`);
  }
}

/** What each phase leaves when stopped there: the run reads as stopped (or, stopped while testing, completed) at the right place. */
function assertStateAfterStop(phase: Phase, runsDir: string, log: EventLog): void {
  const folder = runFolderOf(runsDir, log);
  if (phase.name === 'downloading MNIST') {
    assert.equal(folder, undefined, 'no run began');
    assert.ok(!existsSync(runsDir) || readdirSync(runsDir).length === 0, 'and no run folder was made');
    return;
  }
  assert.ok(folder);
  assertNothingHalfWritten(folder);
  const record = recordOf(folder);
  const persisted = parseEvents(readFileSync(join(folder, 'metrics.jsonl'), 'utf8'));
  const state = (name: string): { epochsCompleted: number; batchInEpoch: number } =>
    JSON.parse(readFileSync(join(folder, 'checkpoints', name, 'state.json'), 'utf8')) as { epochsCompleted: number; batchInEpoch: number };
  const checkpoint = (record.lastCheckpoint ?? '').replace('checkpoints/', '');
  switch (phase.name) {
    case 'training':
      assert.equal(record.status, 'stopped');
      assert.equal(state(checkpoint).batchInEpoch, persisted.filter(isBatch).length, 'the checkpoint is at the last batch trained');
      break;
    case 'validating':
      assert.equal(record.status, 'stopped');
      assert.equal(persisted.filter((e) => e.type === 'epochEnd').length, 0, 'the epoch did not end');
      assert.deepEqual([state(checkpoint).epochsCompleted, state(checkpoint).batchInEpoch], [0, 1], 'every batch trained, validation left to do');
      break;
    case 'saving a checkpoint':
      assert.equal(record.status, 'stopped');
      assert.equal(record.epochsCompleted, 1);
      assert.equal(state(checkpoint).epochsCompleted, 1);
      break;
    case 'evaluating the test set':
      assert.equal(record.status, 'completed', 'every epoch was trained');
      assert.match(record.reason ?? '', /Stopped before the test-set evaluation: evaluate the model with `model-studio evaluate /);
      assert.equal(persisted.filter((e) => e.type === 'evaluation').length, 0);
      assert.ok(existsSync(join(folder, 'model', 'model.json')));
      break;
  }
}

describe('Stop takes effect within 2 s in every phase', () => {
  for (const phase of PHASES) {
    test(`while ${phase.name}`, async () => {
      if (phase.name === 'downloading MNIST') expectDownload();
      const { specPath, runsDir } = workspace(phase.spec());
      const log = new EventLog();
      const trainer = new TrainerProcess({ trainerPath, request: { specPath, runsDir, backend: 'wasm' }, cwd: repoRoot, env: envFor(phase), onEvent: (e) => log.push(e) });
      let begun = false;
      const early = trainer.exited.then((r) => {
        if (!begun) throw new Error(`the trainer ended before the phase began: ${r.status} ${r.reason ?? ''} ${r.stderrTail.join('\n')}`);
      });
      await Promise.race([phase.begun(log), early]);
      begun = true;
      const asked = Date.now();
      trainer.stop();
      const result: TrainerResult = await trainer.exited;
      const took = Date.now() - asked;
      assert.ok(took < STOP_WITHIN_MS, `stopped ${took} ms after the request`);
      assert.equal(result.exitCode, 0, `${result.reason ?? ''}\n${result.stderrTail.join('\n')}`);
      assert.equal(result.status, phase.name === 'evaluating the test set' ? 'completed' : 'stopped');
      assertStateAfterStop(phase, runsDir, log);
    });
  }

  test('a run stopped while validating resumes with its validation and ends the epoch', async () => {
    const { specPath, runsDir } = workspace(wideSpec({ validate: true }));
    const log = new EventLog();
    const first = new TrainerProcess({ trainerPath, request: { specPath, runsDir, backend: 'wasm' }, cwd: repoRoot, onEvent: (e) => log.push(e) });
    await log.waitFor(isBatch, 'the batch');
    await delay(300);
    first.stop();
    assert.equal((await first.exited).status, 'stopped');
    const runId = log.events[0].runId;
    const resumed = new EventLog();
    const second = new TrainerProcess({ trainerPath, request: { specPath, runsDir, backend: 'wasm', resume: runId }, cwd: repoRoot, onEvent: (e) => resumed.push(e) });
    const result = await second.exited;
    assert.equal(result.status, 'completed', result.reason);
    assert.deepEqual(resumed.events.filter((e) => e.type === 'runStarted').map((e) => e.type === 'runStarted' && [e.initialEpoch, e.initialBatch]), [[0, 1]]);
    assert.equal(resumed.events.filter(isBatch).length, 0, 'no batch trained twice');
    const epochEnd = resumed.events.find((e) => e.type === 'epochEnd');
    assert.ok(epochEnd?.type === 'epochEnd' && epochEnd.metrics.val_acc !== undefined && epochEnd.metrics.acc !== undefined, 'the epoch ends with its validation');
  });
});

/** Starts the trainer under a stand-in host process that the test can kill. */
function underDisposableHost(phase: Phase, log: EventLog): { host: ChildProcess; trainerPid: Promise<number>; runsDir: string } {
  const { specPath, runsDir } = workspace(phase.spec());
  const host = fork(parentPath, [trainerPath], { cwd: repoRoot, env: envFor(phase), stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const trainerPid = new Promise<number>((resolve) => {
    host.on('message', (message: TrainerEvent | { type: 'trainerPid'; pid: number }) => {
      if (message.type === 'trainerPid') resolve(message.pid);
      else log.push(message);
    });
  });
  host.send({ type: 'train', request: { specPath, runsDir, backend: 'wasm' } });
  return { host, trainerPid, runsDir };
}

/** Gone, or a zombie: it has exited, and its reaping is up to init now that its parent is dead. */
function hasExited(pid: number): boolean {
  if (!isProcessAlive(pid)) return true;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat[stat.lastIndexOf(')') + 2] === 'Z';
  } catch {
    return process.platform === 'linux';
  }
}

async function exitedWithin(pid: number, ms: number): Promise<number> {
  const start = Date.now();
  while (!hasExited(pid)) {
    if (Date.now() - start > ms) return Date.now() - start;
    await delay(25);
  }
  return Date.now() - start;
}

describe('A trainer whose host is gone exits by itself in every phase', () => {
  for (const phase of PHASES.filter((p) => p.name !== 'saving a checkpoint')) {
    test(`while ${phase.name}`, async () => {
      if (phase.name === 'downloading MNIST') expectDownload();
      const log = new EventLog();
      const { host, trainerPid, runsDir } = underDisposableHost(phase, log);
      const pid = await trainerPid;
      try {
        await phase.begun(log);
        host.kill('SIGKILL');
        const took = await exitedWithin(pid, 10_000);
        assert.ok(took < STOP_WITHIN_MS, `the trainer outlived its host by ${took} ms`);
        const folder = runFolderOf(runsDir, log);
        if (folder) {
          assert.notEqual(recordOf(folder).status, 'running', 'it wrote how the run ended');
          assertNothingHalfWritten(folder);
        }
      } finally {
        if (!hasExited(pid)) process.kill(pid, 'SIGKILL');
      }
    });
  }

  test('before it was told what to train', async () => {
    const host = fork(parentPath, [trainerPath], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    const pid = await new Promise<number>((resolve) => host.on('message', (m: { type: string; pid: number }) => m.type === 'trainerPid' && resolve(m.pid)));
    // Time to load the bundle (a second or more on a busy machine): then it waits for its request.
    await delay(4_000);
    host.kill('SIGKILL');
    const took = await exitedWithin(pid, 10_000);
    assert.ok(took < STOP_WITHIN_MS, `the trainer outlived its host by ${took} ms`);
  });
});
