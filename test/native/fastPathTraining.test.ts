// The native fast path end to end, through the CLI as a user runs it: the
// article's MLP trained one epoch on all of MNIST reaches the test accuracy
// that trainOnBatch reaches, and a run looks the same from outside (the same
// events with the same fields, a saved model, a checkpoint).
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { BatchEndEvent, EpochEndEvent, EvaluationEvent, TrainerEvent } from '../../src/shared/events';
import { FAST_PATH_ENV } from '../../src/trainer/fastPath';
import { jsonEvents, runCli, tempWorkspace, type CliResult } from '../helpers/cli';
import { exampleSpec, useNativeTensorFlow } from '../helpers/native';

before(async () => {
  await useNativeTensorFlow();
});

async function trainMlp(fastPath: boolean): Promise<{ result: CliResult; events: TrainerEvent[] }> {
  const ws = tempWorkspace('ms-fast-e2e-');
  const spec = exampleSpec(ws, 'mnist.train.json', { train: 60000, test: 10000 }, 1);
  process.env[FAST_PATH_ENV] = fastPath ? '1' : '0';
  try {
    const result = await runCli(['train', spec, '--json', '--backend', 'tensorflow'], ws);
    assert.equal(result.code, 0, result.stderr);
    return { result, events: jsonEvents(result.stdout) };
  } finally {
    delete process.env[FAST_PATH_ENV];
  }
}

const keys = (event: object): string => Object.keys(event).sort().join();

test('one epoch of the MNIST MLP on the fast path reaches the test accuracy of trainOnBatch (within 0.005), with the same events', async (t) => {
  const fast = await trainMlp(true);
  const reference = await trainMlp(false);
  assert.doesNotMatch(fast.result.stderr, /not the native fast path/, 'the fast path trained the run');

  const accuracy = (events: TrainerEvent[]): number => (events.find((e) => e.type === 'evaluation') as EvaluationEvent).metrics.acc;
  const [fastAccuracy, referenceAccuracy] = [accuracy(fast.events), accuracy(reference.events)];
  t.diagnostic(`test accuracy: fast path ${fastAccuracy}, trainOnBatch ${referenceAccuracy}`);
  assert.ok(fastAccuracy > 0.95, `fast path test accuracy ${fastAccuracy}`);
  assert.ok(Math.abs(fastAccuracy - referenceAccuracy) < 0.005, `test accuracy ${fastAccuracy} on the fast path, ${referenceAccuracy} through trainOnBatch`);

  assert.deepEqual(fast.events.map((e) => e.type), reference.events.map((e) => e.type), 'the same events in the same order');
  const batches = (events: TrainerEvent[]): BatchEndEvent[] => events.filter((e): e is BatchEndEvent => e.type === 'batchEnd');
  assert.equal(batches(fast.events).length, 1875);
  for (const [i, event] of batches(fast.events).entries()) {
    const other = batches(reference.events)[i];
    assert.equal(keys(event), keys(other));
    assert.equal(keys(event.metrics), keys(other.metrics));
    assert.equal(event.step, other.step);
    assert.ok(Number.isFinite(event.loss) && event.metrics.acc >= 0 && event.metrics.acc <= 1, `batch ${i}: ${JSON.stringify(event)}`);
  }
  const epoch = (events: TrainerEvent[]): EpochEndEvent => events.find((e): e is EpochEndEvent => e.type === 'epochEnd') as EpochEndEvent;
  assert.equal(keys(epoch(fast.events).metrics), keys(epoch(reference.events).metrics));
  assert.ok(Math.abs(epoch(fast.events).metrics.val_acc - epoch(reference.events).metrics.val_acc) < 0.005, 'validation accuracy');
});
