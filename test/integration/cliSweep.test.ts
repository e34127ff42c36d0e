// Sweeps through the real CLI and the real trainer bundle on small MNIST
// subsets: trials as runs with their values really applied, two at a time,
// the best by the goal; Ctrl+C stopping every trial and --resume finishing the
// sweep; a crashed sweep resumed; the median rule pruning a trial that cannot win; mistakes in one
// line. No trainer outlives a test, passing or failing.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunFinishedEvent, TrainerEvent } from '../../src/shared/events';
import type { SearchSpec, SweepEvent, SweepRecord } from '../../src/shared/sweep';
import { parseEvents } from '../../src/core/runStore';
import { defaultParallelTrials } from '../../src/core/sweep/parallelism';
import { planTrials } from '../../src/core/sweep/sampling';
import { collect, runCli, startCli, tempWorkspace, writeSpec } from '../helpers/cli';
import {
  checkpointLearningRate,
  cleanUp,
  denseUnits,
  liveTrainers,
  readRunJson,
  readSweepJson,
  sweepEvents,
  sweepSpec,
  waitForSweepEvent,
} from '../helpers/sweep';

const children: ChildProcess[] = [];
const workspaces: string[] = [];
after(() => cleanUp(children, workspaces));

function workspace(): string {
  const ws = tempWorkspace('ms-sweep-');
  workspaces.push(ws);
  return ws;
}

function start(args: string[], ws: string): ChildProcess {
  const child = startCli(args, ws);
  children.push(child);
  return child;
}

async function sweep(args: string[], ws: string): Promise<{ code: number | null; stderr: string; events: SweepEvent[] }> {
  const result = await collect(start(args, ws));
  return { code: result.code, stderr: result.stderr, events: sweepEvents(result.stdout) };
}

/** Polls `check` every 200 ms until it holds. */
async function until(what: string, check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function finishedOf(events: SweepEvent[]): Extract<SweepEvent, { type: 'sweepFinished' }> {
  const last = events.at(-1);
  assert.equal(last?.type, 'sweepFinished', `the last event is sweepFinished: ${JSON.stringify(last)}`);
  return last as Extract<SweepEvent, { type: 'sweepFinished' }>;
}

/** The most trials that ran at once, from the order of their start and finish events. */
function mostAtOnce(events: SweepEvent[]): number {
  let running = 0;
  let most = 0;
  for (const event of events) {
    if (event.type === 'trialStarted') most = Math.max(most, ++running);
    if (event.type === 'trialFinished' && event.runId) running--;
  }
  return most;
}

test('a 4-trial grid sweep, 2 at a time: each trial is a run with its own values in its saved model (64 units, a 64-unit layer), and the best wins by the goal', async () => {
  const ws = workspace();
  const search: SearchSpec = {
    metric: { name: 'val_acc', goal: 'maximize' },
    algorithm: 'grid',
    parameters: {
      'model.layers[1].units': { type: 'discrete', values: [8, 64] },
      'compile.optimizer.learningRate': { type: 'discrete', values: [0.0003, 0.01] },
    },
  };
  const specPath = writeSpec(ws, sweepSpec(search), 'grid.train.json');
  const { code, stderr, events } = await sweep(['sweep', specPath, '--parallel', '2', '--backend', 'wasm', '--json'], ws);
  assert.equal(code, 0, stderr);
  const started = events[0];
  assert.ok(started.type === 'sweepStarted' && started.trials === 4 && started.parallelTrials === 2, JSON.stringify(started));
  const finished = finishedOf(events);
  assert.equal(finished.status, 'completed');
  assert.deepEqual(finished.counts, { completed: 4 });
  assert.equal(mostAtOnce(events), 2, 'two trials trained at once, never more');

  const record = readSweepJson(ws, started.sweepId);
  assert.equal(record.status, 'completed');
  assert.deepEqual(
    record.trials.map((t) => t.parameters),
    [
      { 'model.layers[1].units': 8, 'compile.optimizer.learningRate': 0.0003 },
      { 'model.layers[1].units': 8, 'compile.optimizer.learningRate': 0.01 },
      { 'model.layers[1].units': 64, 'compile.optimizer.learningRate': 0.0003 },
      { 'model.layers[1].units': 64, 'compile.optimizer.learningRate': 0.01 },
    ],
  );
  for (const trial of record.trials) {
    assert.ok(trial.runId, `trial ${trial.trialId} has its run`);
    const runFolder = join(ws, '.model-studio', 'runs', trial.runId);
    const run = readRunJson(ws, trial.runId);
    assert.equal(run.status, 'completed');
    assert.deepEqual(run.trial, { sweepId: record.id, trialId: trial.trialId, parameters: trial.parameters }, 'run.json records its trial');
    assert.equal(run.spec.search, undefined, 'a trial trains as an ordinary run');
    // The values were really applied: the saved model's layer and the optimizer its checkpoint saved.
    const units = trial.parameters['model.layers[1].units'] as number;
    const learningRate = trial.parameters['compile.optimizer.learningRate'];
    assert.deepEqual(run.spec.compile.optimizer, { type: 'adam', learningRate });
    assert.deepEqual(denseUnits(join(runFolder, 'model', 'model.json')), [units, 10], `trial ${trial.trialId}'s saved model has a ${units}-unit layer`);
    assert.equal(checkpointLearningRate(runFolder, run.lastCheckpoint ?? ''), learningRate);
    const weights = readFileSync(join(runFolder, 'model', 'weights.bin')).length;
    assert.equal(weights, 4 * (784 * units + units + units * 10 + 10), 'its weights are that many');
    assert.equal(trial.value, run.finalMetrics?.val_acc, "the trial's value is its run's final val_acc");
    assert.deepEqual(trial.metricHistory?.length, 2);
  }
  // The best by the goal: the highest val_acc, the earlier trial on a tie.
  const values = record.trials.map((t) => t.value as number);
  const bestIndex = values.indexOf(Math.max(...values));
  assert.deepEqual(record.best, { trialId: record.trials[bestIndex].trialId, runId: record.trials[bestIndex].runId, value: values[bestIndex] });
  assert.deepEqual(liveTrainers(ws), [], 'no trainer left running');

  const listed = await runCli(['sweeps', '--json'], ws);
  assert.equal(listed.code, 0, listed.stderr);
  const sweeps = JSON.parse(listed.stdout) as SweepRecord[];
  assert.deepEqual(sweeps.map((s) => [s.id, s.status, s.best?.trialId]), [[record.id, 'completed', record.best?.trialId]]);
  const table = await runCli(['sweeps'], ws);
  assert.match(table.stdout, new RegExp(`${record.id}\\s+completed\\s+4/4\\s+val_acc 0\\.\\d{3} \\(trial ${record.best?.trialId}`));
});

test('Ctrl+C stops every trial, each saved like a stopped run; --resume continues them from their checkpoints and finishes the sweep', async () => {
  const ws = workspace();
  const search: SearchSpec = {
    metric: { name: 'val_acc', goal: 'maximize' },
    algorithm: 'random',
    maxTrials: 4,
    seed: 11,
    parameters: { 'compile.optimizer.learningRate': { type: 'double', min: 0.001, max: 0.01, scale: 'log' } },
  };
  const specPath = writeSpec(ws, sweepSpec(search, { epochs: 3, train: 4000 }), 'stop.train.json');
  const child = start(['sweep', specPath, '--parallel', '2', '--backend', 'wasm', '--json'], ws);
  const done = collect(child);
  // Both first trials through an epoch (each has a checkpoint), then Ctrl+C.
  const seen = await waitForSweepEvent(child, (_e, all) => new Set(all.filter((e) => e.type === 'trialEpoch').map((e) => (e as { trialId: string }).trialId)).size >= 2, 240_000);
  const sweepId = (seen[0] as Extract<SweepEvent, { type: 'sweepStarted' }>).sweepId;
  const stopAt = Date.now();
  child.kill('SIGINT');
  const result = await done;
  assert.equal(result.code, 0, result.stderr);
  assert.ok(Date.now() - stopAt < 15_000, `stopped in ${Date.now() - stopAt} ms`);
  const events = sweepEvents(result.stdout);
  assert.equal(finishedOf(events).status, 'stopped');

  const stopped = readSweepJson(ws, sweepId);
  assert.equal(stopped.status, 'stopped');
  assert.equal(stopped.reason, 'Stopped by the user.');
  const interrupted = stopped.trials.filter((t) => t.status === 'stopped');
  assert.ok(interrupted.length >= 1, `trials stopped mid-run: ${stopped.trials.map((t) => t.status).join(', ')}`);
  for (const trial of interrupted) {
    const run = readRunJson(ws, trial.runId ?? '');
    assert.equal(run.status, 'stopped');
    assert.ok(run.lastCheckpoint, `trial ${trial.trialId}'s run kept a checkpoint`);
    assert.ok(run.epochsCompleted < 3);
  }
  assert.ok(stopped.trials.some((t) => t.status === 'pending'), 'trials not started yet wait');
  assert.deepEqual(liveTrainers(ws), [], 'every trainer stopped with the sweep');

  const resumed = await sweep(['sweep', '--resume', sweepId, '--backend', 'wasm', '--json'], ws);
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.equal(finishedOf(resumed.events).status, 'completed');
  const restarts = resumed.events.filter((e): e is Extract<SweepEvent, { type: 'trialStarted' }> => e.type === 'trialStarted');
  for (const trial of interrupted) {
    const again = restarts.find((e) => e.trialId === trial.trialId);
    assert.ok(again?.resumed, `trial ${trial.trialId} resumed`);
    assert.equal(again.runId, trial.runId, 'in the same run, from its checkpoint');
  }
  const final = readSweepJson(ws, sweepId);
  assert.equal(final.status, 'completed');
  assert.deepEqual(final.trials.map((t) => t.status), ['completed', 'completed', 'completed', 'completed']);
  // Completed trials were kept; each run trained its 3 epochs once, however many processes it took.
  const earlierCompleted = stopped.trials.filter((t) => t.status === 'completed').map((t) => t.trialId);
  for (const id of earlierCompleted) assert.ok(!restarts.some((e) => e.trialId === id), `completed trial ${id} is not trained again`);
  for (const trial of final.trials) {
    const persisted: TrainerEvent[] = parseEvents(readFileSync(join(ws, '.model-studio', 'runs', trial.runId ?? '', 'metrics.jsonl'), 'utf8'));
    assert.deepEqual(persisted.filter((e) => e.type === 'epochEnd').map((e) => (e.type === 'epochEnd' ? e.epoch : -1)), [0, 1, 2], `trial ${trial.trialId}`);
    assert.equal((persisted.at(-1) as RunFinishedEvent).status, 'completed');
    assert.equal(trial.metricHistory?.length, 3);
  }
  assert.ok(final.best && final.trials.every((t) => (t.value as number) <= (final.best?.value as number)));
  assert.deepEqual(liveTrainers(ws), []);
});

test('a crashed sweep (its process and trainers killed) reads as crashed; --resume finishes it with the trials it needs; by default the machine decides how many train at once', async () => {
  const ws = workspace();
  const search: SearchSpec = {
    metric: { name: 'val_acc', goal: 'maximize' },
    algorithm: 'random',
    maxTrials: 4,
    seed: 5,
    parameters: { 'compile.optimizer.learningRate': { type: 'double', min: 0.001, max: 0.01, scale: 'log' } },
  };
  const specPath = writeSpec(ws, sweepSpec(search, { epochs: 3, train: 4000 }), 'crash.train.json');
  // Neither --parallel nor parallelTrials: cores and free memory decide (free memory moves, so either reading counts).
  const machineBefore = defaultParallelTrials(4).count;
  const child = start(['sweep', specPath, '--backend', 'wasm', '--json'], ws);
  const done = collect(child);
  const seen = await waitForSweepEvent(child, (e) => e.type === 'trialEpoch' && e.epoch === 0, 240_000);
  const started = seen[0] as Extract<SweepEvent, { type: 'sweepStarted' }>;
  assert.ok([machineBefore, defaultParallelTrials(4).count].includes(started.parallelTrials), `parallelTrials ${started.parallelTrials} is what the machine allows`);
  const first = seen.at(-1) as Extract<SweepEvent, { type: 'trialEpoch' }>;
  // Its first epoch's checkpoint on disk (saved just after the epoch's event), then the crash: the sweep and every trainer killed outright.
  await until(`trial ${first.trialId}'s first checkpoint`, () => readRunJson(ws, first.runId).lastCheckpoint !== undefined, 60_000);
  child.kill('SIGKILL');
  for (const pid of liveTrainers(ws)) process.kill(pid, 'SIGKILL');
  await done;
  // A trainer that had not yet written its run.json sees its host gone and stops by itself.
  await until('no trainer left', () => liveTrainers(ws).length === 0, 60_000);

  const listed = await runCli(['sweeps', '--json'], ws);
  assert.equal(listed.code, 0, listed.stderr);
  const [crashed] = JSON.parse(listed.stdout) as SweepRecord[];
  assert.equal(crashed.id, started.sweepId);
  assert.equal(crashed.status, 'crashed', 'a running sweep whose process is gone reads as crashed');
  const interrupted = crashed.trials.find((t) => t.trialId === first.trialId);
  assert.equal(interrupted?.runId, first.runId);
  assert.ok(readRunJson(ws, first.runId).epochsCompleted < 3, 'the crash came before the trial ended');
  const completedBefore = crashed.trials.filter((t) => t.status === 'completed').map((t) => t.trialId);

  const resumed = await sweep(['sweep', '--resume', crashed.id, '--backend', 'wasm', '--json'], ws);
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.equal(finishedOf(resumed.events).status, 'completed');
  const restarts = resumed.events.filter((e): e is Extract<SweepEvent, { type: 'trialStarted' }> => e.type === 'trialStarted');
  const again = restarts.find((e) => e.trialId === first.trialId);
  assert.ok(again?.resumed, `trial ${first.trialId} continued from its checkpoint`);
  assert.equal(again.runId, first.runId, 'in the same run');
  for (const id of completedBefore) assert.ok(!restarts.some((e) => e.trialId === id), `completed trial ${id} is not trained again`);
  assert.equal(restarts.length, 4 - completedBefore.length, 'every trial the sweep still needed, and only those');

  const final = readSweepJson(ws, crashed.id);
  assert.equal(final.status, 'completed');
  assert.deepEqual(final.trials.map((t) => t.status), ['completed', 'completed', 'completed', 'completed']);
  for (const trial of final.trials) {
    const run = readRunJson(ws, trial.runId ?? '');
    assert.equal(run.status, 'completed');
    assert.equal(run.epochsCompleted, 3, `trial ${trial.trialId} trained its 3 epochs`);
    assert.deepEqual(run.trial, { sweepId: final.id, trialId: trial.trialId, parameters: trial.parameters });
  }
  assert.ok(final.best && final.trials.every((t) => (t.value as number) <= (final.best?.value as number)));
  assert.deepEqual(liveTrainers(ws), []);
});

test('the median rule prunes a trial that cannot win (a learning rate of 1e-7 against good ones)', async () => {
  const ws = workspace();
  const search: SearchSpec = {
    metric: { name: 'val_loss', goal: 'minimize' },
    algorithm: 'random',
    maxTrials: 3,
    parameters: { 'compile.optimizer.learningRate': { type: 'discrete', values: [1e-7, 0.003, 0.01] } },
    medianStopping: { afterEpochs: 1, minTrials: 2 },
  };
  // A seed whose third trial is the hopeless one, so two good trials complete first (one trial at a time).
  const seed = Array.from({ length: 1000 }, (_, s) => s).find((s) => {
    const rates = planTrials({ ...search, seed: s }, s).map((t) => t['compile.optimizer.learningRate']);
    return rates[2] === 1e-7 && rates[0] !== 1e-7 && rates[1] !== 1e-7;
  });
  assert.ok(seed !== undefined);
  const specPath = writeSpec(ws, sweepSpec({ ...search, seed }, { epochs: 4 }), 'prune.train.json');
  const { code, stderr, events } = await sweep(['sweep', specPath, '--parallel', '1', '--backend', 'wasm', '--json'], ws);
  assert.equal(code, 0, stderr);
  assert.equal(finishedOf(events).status, 'completed');
  const record = readSweepJson(ws, (events[0] as { sweepId: string }).sweepId);
  assert.deepEqual(record.trials.map((t) => t.status), ['completed', 'completed', 'pruned']);
  const pruned = record.trials[2];
  assert.match(pruned.reason ?? '', /^Pruned by the median rule: val_loss \d+(\.\d+)? after epoch 1 is above the median \d+(\.\d+)? of 2 completed trials\.$/);
  assert.equal(pruned.epochsCompleted, 1, 'stopped after its first epoch, not at its fourth');
  const run = readRunJson(ws, pruned.runId ?? '');
  assert.equal(run.status, 'stopped');
  assert.equal(run.reason, pruned.reason, "the run's record says why it stopped");
  assert.ok(run.lastCheckpoint, 'saved like any stopped run');
  // The best by the goal: the lowest val_loss among the completed trials, never the pruned one.
  const completed = record.trials.slice(0, 2);
  const best = completed.reduce((a, b) => ((b.value as number) < (a.value as number) ? b : a));
  assert.equal(record.best?.trialId, best.trialId);
  assert.deepEqual(liveTrainers(ws), []);
});

test('mistakes are one line with exit 2: no search section, a bad flag, an unknown sweep, data every trial would miss', async () => {
  const ws = workspace();
  const plain = writeSpec(ws, { ...sweepSpec({ metric: { name: 'acc', goal: 'maximize' }, parameters: {} }), search: undefined }, 'plain.train.json');
  const noSearch = await sweep(['sweep', plain], ws);
  assert.equal(noSearch.code, 2);
  assert.match(noSearch.stderr.trim(), /^\S+plain\.train\.json has no "search" section: add one to sweep its values .*model-studio train`\.$/);

  const searched = writeSpec(ws, sweepSpec({ metric: { name: 'acc', goal: 'maximize' }, parameters: { 'fit.batchSize': { type: 'discrete', values: [16, 32] } } }), 's.train.json');
  const badFlag = await sweep(['sweep', searched, '--parallel', '0'], ws);
  assert.equal(badFlag.code, 2);
  assert.equal(badFlag.stderr.trim(), "--parallel must be a whole number of at least 1, not '0'.");
  const unknown = await sweep(['sweep', '--resume', 'no-such-sweep'], ws);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr.trim(), /^No sweep 'no-such-sweep' in .*: list sweeps with `model-studio sweeps`\.$/);

  const missing = sweepSpec({ metric: { name: 'acc', goal: 'maximize' }, parameters: { 'fit.batchSize': { type: 'discrete', values: [16, 32] } } });
  missing.data = { type: 'idx', train: { images: 'nowhere-images.idx', labels: 'nowhere-labels.idx' } };
  const result = await sweep(['sweep', writeSpec(ws, missing, 'missing.train.json'), '--backend', 'wasm', '--json'], ws);
  assert.equal(result.code, 2, result.stderr);
  const lines = result.stderr.trim().split('\n');
  assert.equal(lines.length, 1, result.stderr);
  assert.match(lines[0], /nowhere-images\.idx/);
  assert.equal(finishedOf(result.events).status, 'failed');
  assert.deepEqual(liveTrainers(ws), []);
});
