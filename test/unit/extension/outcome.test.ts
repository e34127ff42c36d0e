// What the notification says when a run ends, and which buttons it offers.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RunFinishedEvent } from '../../../src/shared/events';
import { queuedRun, type LiveRun } from '../../../src/extension/training/liveRun';
import { outcomeMessage, specPositionIn } from '../../../src/extension/training/outcome';
import type { TrainerResult } from '../../../src/core/trainerProcess';

const live: LiveRun = { ...queuedRun('mnist-mlp', '/ws/mnist.train.json'), phase: 'finished', runId: 'r1', epochs: 5 };

function result(status: TrainerResult['status'], extra: Partial<TrainerResult> = {}, finished?: Partial<RunFinishedEvent>): TrainerResult {
  return {
    status,
    runId: 'r1',
    userError: false,
    exitCode: status === 'failed' ? 1 : 0,
    signal: null,
    stderrTail: [],
    finished: finished && { type: 'runFinished', runId: 'r1', time: 1, status, epochsCompleted: 5, finalMetrics: {}, durationMs: 72_000, ...finished },
    ...extra,
  };
}

describe('run outcome notifications', () => {
  it('announces a completed run with its duration and test accuracy', () => {
    const message = outcomeMessage(live, result('completed', {}, { testMetrics: { acc: 0.97712, loss: 0.07 } }));
    assert.deepEqual(message, { severity: 'info', text: 'mnist-mlp finished in 1:12: test accuracy 0.9771.', actions: ['Open Dashboard'] });
  });

  it('offers Resume for a run stopped before its last epoch', () => {
    const message = outcomeMessage(live, result('stopped', {}, { epochsCompleted: 2 }));
    assert.equal(message.text, 'mnist-mlp stopped after 2 of 5 epochs; Resume continues from its checkpoint.');
    assert.deepEqual(message.actions, ['Resume', 'Open Dashboard']);
  });

  it('shows a user error as the trainer’s sentence with Open Spec', () => {
    const message = outcomeMessage(live, result('failed', { userError: true, exitCode: 2, runId: undefined, reason: 'mnist.train.json: unknown layer type "dense2" at model.layers[1]; did you mean "dense"?' }));
    assert.equal(message.severity, 'error');
    assert.equal(message.text, 'mnist-mlp: mnist.train.json: unknown layer type "dense2" at model.layers[1]; did you mean "dense"?');
    assert.deepEqual(message.actions, ['Open Spec', 'Show Log']);
  });

  it('shows an internal failure with Show Log first', () => {
    const message = outcomeMessage(live, result('failed', { runId: undefined, reason: 'The trainer exited with code 1: TypeError: boom.' }));
    assert.equal(message.text, 'mnist-mlp failed: The trainer exited with code 1: TypeError: boom.');
    assert.deepEqual(message.actions, ['Show Log']);
  });

  it('does not offer Open Dashboard while the dashboard shows the run', () => {
    const completed = outcomeMessage(live, result('completed', {}, { testMetrics: { acc: 0.97712 } }), { dashboardShowsRun: true });
    assert.deepEqual(completed.actions, []);
    const stopped = outcomeMessage(live, result('stopped', {}, { epochsCompleted: 2 }), { dashboardShowsRun: true });
    assert.deepEqual(stopped.actions, ['Resume']);
    const failed = outcomeMessage(live, result('failed', { reason: 'The loss became NaN.' }), { dashboardShowsRun: true });
    assert.deepEqual(failed.actions, ['Show Log']);
  });
});

describe('the place a spec error names', () => {
  it('reads "(line 11, column 26)" and "at line 3, column 23" from the trainer’s sentence', () => {
    assert.deepEqual(specPositionIn("x.train.json: Unknown field 'unitz' at model.layers[1].unitz (line 11, column 26); did you mean 'units'?"), { line: 11, column: 26 });
    assert.deepEqual(specPositionIn('x.train.json: invalid JSON at line 3, column 23: trailing comma'), { line: 3, column: 23 });
  });

  it('names no place when the sentence has none (a module’s own file:line:column is another file)', () => {
    assert.equal(specPositionIn('model.module does not compile: model.ts:3:7: Expected ";"'), undefined);
    assert.equal(specPositionIn(undefined), undefined);
  });
});
