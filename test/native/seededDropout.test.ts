// fit.seed seeds dropout on native TensorFlow too, through the CLI as a user
// runs it: the MNIST MLP example (dropout 0.2) trains to the same loss at
// every batch in two runs, on the fast path (a stateless random op) and
// through trainOnBatch, and a fast-path run stopped in the middle of its
// epoch and resumed draws the masks the uninterrupted run drew.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BatchEndEvent, RunFinishedEvent } from '../../src/shared/events';
import { parseEvents } from '../../src/core/runStore';
import { FAST_PATH_ENV } from '../../src/trainer/fastPath';
import { collect, jsonEvents, runCli, startCli, tempWorkspace, waitForEvent } from '../helpers/cli';
import { exampleSpec, useNativeTensorFlow } from '../helpers/native';

before(async () => {
  await useNativeTensorFlow();
});

/** 100 batches of 32 from the example with fit.seed 23. */
const SUBSET = { train: 3200, test: 200 };

function batchLosses(ws: string, runId: string): Map<number, number> {
  const events = parseEvents(readFileSync(join(ws, '.model-studio', 'runs', runId, 'metrics.jsonl'), 'utf8'));
  return new Map(events.filter((e): e is BatchEndEvent => e.type === 'batchEnd').map((e) => [e.step, e.loss]));
}

async function trainSeeded(fastPath: boolean): Promise<Map<number, number>> {
  const ws = tempWorkspace('ms-native-seeded-');
  process.env[FAST_PATH_ENV] = fastPath ? '1' : '0';
  try {
    const result = await runCli(['train', exampleSpec(ws, 'mnist.train.json', SUBSET, 1, 23), '--json', '--backend', 'tensorflow'], ws);
    assert.equal(result.code, 0, result.stderr);
    if (fastPath) assert.doesNotMatch(result.stderr, /not the native fast path/, 'the fast path trained the run');
    const events = jsonEvents(result.stdout);
    assert.equal((events.at(-1) as RunFinishedEvent).status, 'completed');
    return batchLosses(ws, events[0].runId);
  } finally {
    delete process.env[FAST_PATH_ENV];
  }
}

test('two native runs of the MLP example with the same fit.seed train to the same loss at every batch, through trainOnBatch as on the fast path', async () => {
  const first = await trainSeeded(false);
  assert.equal(first.size, 100);
  assert.deepEqual([...(await trainSeeded(false))], [...first]);
});

test('on the fast path two seeded runs repeat, and a run stopped mid-epoch and resumed trains to the losses of the uninterrupted one', async () => {
  const first = await trainSeeded(true);
  assert.equal(first.size, 100);
  assert.deepEqual([...(await trainSeeded(true))], [...first], 'the same loss at every step');

  const ws = tempWorkspace('ms-native-seeded-resume-');
  const child = startCli(['train', exampleSpec(ws, 'mnist.train.json', SUBSET, 1, 23), '--json', '--backend', 'tensorflow'], ws);
  const done = collect(child);
  await waitForEvent(child, (e) => e.type === 'batchEnd' && e.step >= 40, 120_000);
  child.kill('SIGINT');
  const stopped = await done;
  assert.equal(stopped.code, 0, stopped.stderr);
  const stoppedEvents = jsonEvents(stopped.stdout);
  assert.equal((stoppedEvents.at(-1) as RunFinishedEvent).status, 'stopped');
  const runId = stoppedEvents[0].runId;
  const resumed = await runCli(['train', '--resume', runId, '--json', '--backend', 'tensorflow'], ws);
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.doesNotMatch(resumed.stderr, /not the native fast path/);
  const resumedSteps = jsonEvents(resumed.stdout)
    .filter((e): e is BatchEndEvent => e.type === 'batchEnd')
    .map((e) => e.step);
  assert.ok(resumedSteps[0] > 40 && resumedSteps.at(-1) === 100, `the resumed process trained steps ${resumedSteps[0]} to ${resumedSteps.at(-1)}`);
  const losses = batchLosses(ws, runId);
  assert.equal(losses.size, 100);
  for (const [step, loss] of first) {
    if (step < resumedSteps[0]) assert.equal(losses.get(step), loss, `step ${step}, before the stop`);
    // A resumed process continues from the checkpoint with float32 round-off; another mask moves a loss by percents.
    else assert.ok(Math.abs(losses.get(step)! - loss) < 1e-5 * loss, `step ${step}: loss ${losses.get(step)} resumed, ${loss} uninterrupted`);
  }
});
