// fit.seed seeds dropout too, through the CLI on WebAssembly (trainOnBatch):
// two runs of a spec with a dropout layer train batch for batch to the same
// losses, and a run stopped in the middle of its epoch and resumed trains
// its remaining batches to the losses of the run that was never stopped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BatchEndEvent, RunFinishedEvent, RunRecord } from '../../src/shared/events';
import { parseEvents } from '../../src/core/runStore';
import { mnistSpec, tempWorkspace, trainUntil, writeSpec } from '../helpers/cli';

/** 150 batches of 32, dropout 0.2 after the hidden layer (mnistSpec), fit.seed 23. */
const spec = mnistSpec({ fit: { epochs: 1, batchSize: 32, seed: 23 }, evaluate: { enabled: false } }, { train: 4800, test: 100 });

/** Each batch's loss as metrics.jsonl records it, in step order. */
function batchLosses(ws: string, runId: string): Map<number, number> {
  const events = parseEvents(readFileSync(join(ws, '.model-studio', 'runs', runId, 'metrics.jsonl'), 'utf8'));
  return new Map(events.filter((e): e is BatchEndEvent => e.type === 'batchEnd').map((e) => [e.step, e.loss]));
}

async function trainSeeded(): Promise<Map<number, number>> {
  const ws = tempWorkspace('ms-seeded-dropout-');
  const events = await trainUntil(ws, ['train', writeSpec(ws, spec)]);
  assert.equal((events.at(-1) as RunFinishedEvent).status, 'completed');
  return batchLosses(ws, events[0].runId);
}

test('two WebAssembly runs of a spec with dropout and the same fit.seed train to the same loss at every batch, and a stopped and resumed run to the losses of the uninterrupted one', async () => {
  const first = await trainSeeded();
  const second = await trainSeeded();
  assert.equal(first.size, 150);
  assert.deepEqual([...second], [...first], 'the same loss at every step');

  const ws = tempWorkspace('ms-seeded-dropout-resume-');
  const stopped = await trainUntil(ws, ['train', writeSpec(ws, spec)], 49);
  const runId = stopped[0].runId;
  assert.equal((stopped.at(-1) as RunFinishedEvent).status, 'stopped');
  const record = JSON.parse(readFileSync(join(ws, '.model-studio', 'runs', runId, 'run.json'), 'utf8')) as RunRecord;
  assert.equal(record.spec.fit.seed, 23);
  const resumed = await trainUntil(ws, ['train', '--resume', runId]);
  assert.equal((resumed.at(-1) as RunFinishedEvent).status, 'completed');
  const resumedSteps = resumed.filter((e): e is BatchEndEvent => e.type === 'batchEnd').map((e) => e.step);
  assert.ok(resumedSteps[0] > 50 && resumedSteps.at(-1) === 150, `the resumed process trained steps ${resumedSteps[0]} to ${resumedSteps.at(-1)}`);
  const losses = batchLosses(ws, runId);
  assert.equal(losses.size, 150);
  for (const [step, loss] of first) {
    if (step < resumedSteps[0]) assert.equal(losses.get(step), loss, `step ${step}, before the stop`);
    // A resumed process continues from the checkpoint with float32 round-off (1e-7 here), as in cliResume.test.ts; another mask moves a loss by percents.
    else assert.ok(Math.abs(losses.get(step)! - loss) < 1e-5 * loss, `step ${step}: loss ${losses.get(step)} resumed, ${loss} uninterrupted`);
  }
});
