import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_SMOOTHING,
  MAX_COMPARED_RUNS,
  isHostToWebviewMessage,
  isWebviewToHostMessage,
  parseViewState,
} from '../../../../src/shared/protocol/dashboard';
import { isRunId } from '../../../../src/shared/protocol/guards';
import { toSummary } from '../../../../src/extension/dashboard/runHistories';
import { syntheticRun } from '../../../../webview/harness/syntheticRun';

test('webview messages: ready and well-formed requests pass', () => {
  assert.ok(isWebviewToHostMessage({ type: 'ready' }));
  assert.ok(isWebviewToHostMessage({ type: 'stop', requestId: 1, runId: 'mnist-mlp-20261127-104512-3fa2' }));
  assert.ok(isWebviewToHostMessage({ type: 'openFolder', requestId: 0, runId: 'a' }));
  assert.ok(isWebviewToHostMessage({ type: 'selectRuns', requestId: 7, runIds: ['a', 'b'] }));
  assert.ok(isWebviewToHostMessage({ type: 'pushRun', requestId: 2, runId: 'mnist-mlp-20261127-104512-3fa2' }));
  assert.ok(isWebviewToHostMessage({ type: 'resumeRun', requestId: 3, runId: 'mnist-mlp-20261127-104512-3fa2' }));
});

test('resumeRun needs a request id and a run id inside the runs folder', () => {
  for (const bad of [{ type: 'resumeRun', runId: 'a' }, { type: 'resumeRun', requestId: 1 }, { type: 'resumeRun', requestId: 1, runId: '../a' }, { type: 'resume', requestId: 1, runId: 'a' }]) {
    assert.equal(isWebviewToHostMessage(bad), false, JSON.stringify(bad));
  }
});

test('pushRun needs a request id and a run id inside the runs folder', () => {
  for (const bad of [{ type: 'pushRun', runId: 'a' }, { type: 'pushRun', requestId: 1 }, { type: 'pushRun', requestId: 1, runId: '../a' }, { type: 'pushRun', requestId: 1, runId: ['a'] }, { type: 'push', requestId: 1, runId: 'a' }]) {
    assert.equal(isWebviewToHostMessage(bad), false, JSON.stringify(bad));
  }
});

test('webview messages: unknown types, missing request ids and non-objects are rejected', () => {
  for (const bad of [null, 'ready', 42, [], {}, { type: 'eval' }, { type: 'stop', runId: 'a' }, { type: 'stop', requestId: -1, runId: 'a' }, { type: 'stop', requestId: 1.5, runId: 'a' }, { type: 'stop', requestId: '1', runId: 'a' }]) {
    assert.equal(isWebviewToHostMessage(bad), false, JSON.stringify(bad));
  }
});

test('run ids that could leave the runs folder are rejected', () => {
  for (const bad of ['../x', 'a/b', 'a\\b', '..', '.hidden', '', 'x'.repeat(201), 'a..b']) {
    assert.equal(isRunId(bad), false, bad);
    assert.equal(isWebviewToHostMessage({ type: 'stop', requestId: 1, runId: bad }), false, bad);
  }
});

test('selectRuns needs 1 to MAX_COMPARED_RUNS valid ids', () => {
  assert.equal(isWebviewToHostMessage({ type: 'selectRuns', requestId: 1, runIds: [] }), false);
  assert.equal(isWebviewToHostMessage({ type: 'selectRuns', requestId: 1, runIds: ['ok', '../etc'] }), false);
  const many = Array.from({ length: MAX_COMPARED_RUNS + 1 }, (_, i) => `run-${i}`);
  assert.equal(isWebviewToHostMessage({ type: 'selectRuns', requestId: 1, runIds: many }), false);
  assert.ok(isWebviewToHostMessage({ type: 'selectRuns', requestId: 1, runIds: many.slice(1) }));
});

test('host messages: the four kinds pass, malformed ones do not', () => {
  assert.ok(isHostToWebviewMessage({ type: 'init', runs: [], available: [] }));
  assert.ok(isHostToWebviewMessage({ type: 'events', events: [] }));
  assert.ok(isHostToWebviewMessage({ type: 'runsChanged', records: [], available: [] }));
  assert.ok(isHostToWebviewMessage({ type: 'reply', requestId: 3 }));
  assert.ok(isHostToWebviewMessage({ type: 'reply', requestId: 3, error: 'no such run' }));
  assert.equal(isHostToWebviewMessage({ type: 'init', runs: [] }), false);
  assert.equal(isHostToWebviewMessage({ type: 'events', events: 'x' }), false);
  assert.equal(isHostToWebviewMessage({ type: 'reply', requestId: 3, error: 5 }), false);
  assert.equal(isHostToWebviewMessage({ type: 'batchEnd' }), false);
});

test('host messages built from real runs pass; one malformed event, record or summary rejects the message', () => {
  const run = syntheticRun({ runId: 'mnist-mlp-20261127-093000-1a2b', batchesPerEpoch: 30, epochs: 2 });
  const history = { runId: run.record.id, record: run.record, events: run.events };
  const available = [toSummary(run.record)];
  assert.ok(isHostToWebviewMessage({ type: 'init', runs: [history], runsDir: '/ws/.model-studio/runs', available }));
  assert.ok(isHostToWebviewMessage({ type: 'init', runs: [{ runId: 'new-run', events: [] }], available: [] }), 'a run without run.json yet');
  assert.ok(isHostToWebviewMessage({ type: 'events', events: run.events.slice(5, 25) }));
  assert.ok(isHostToWebviewMessage({ type: 'runsChanged', records: [run.record], available }));

  const brokenEvent = { ...run.events[3], step: Number.NaN };
  assert.equal(isHostToWebviewMessage({ type: 'events', events: [run.events[2], brokenEvent] }), false);
  assert.equal(isHostToWebviewMessage({ type: 'init', runs: [{ ...history, events: [...run.events, { type: 'batchEnd' }] }], available }), false);
  assert.equal(isHostToWebviewMessage({ type: 'init', runs: [{ ...history, record: { ...run.record, status: 'lost' } }], available }), false);
  assert.equal(isHostToWebviewMessage({ type: 'runsChanged', records: [{ ...run.record, epochs: -1 }], available }), false);
  assert.equal(isHostToWebviewMessage({ type: 'runsChanged', records: [], available: [{ ...available[0], id: '../x' }] }), false);
  assert.equal(isHostToWebviewMessage({ type: 'init', runs: [history], runsDir: 42, available }), false);
});

test('saved view state is read defensively: bad ids dropped, defaults filled in', () => {
  assert.equal(parseViewState(undefined), undefined);
  assert.equal(parseViewState({ smoothing: 0.5 }), undefined);
  assert.deepEqual(parseViewState({ runIds: ['a', '../b', 3] }), { runIds: ['a'], smoothing: DEFAULT_SMOOTHING, logScale: false, ignoreOutliers: true });
  assert.deepEqual(parseViewState({ runIds: [], smoothing: 0.3, logScale: true, ignoreOutliers: false }), { runIds: [], smoothing: 0.3, logScale: true, ignoreOutliers: false });
  assert.equal(parseViewState({ runIds: [], smoothing: 1 })?.smoothing, DEFAULT_SMOOTHING);
  assert.equal(parseViewState({ runIds: [], runsDir: '/work/.model-studio/runs' })?.runsDir, '/work/.model-studio/runs');
  assert.equal(parseViewState({ runIds: [], runsDir: 'C:\\ws\\.model-studio\\runs' })?.runsDir, 'C:\\ws\\.model-studio\\runs');
  assert.equal(parseViewState({ runIds: [], runsDir: 'relative/runs' })?.runsDir, undefined, 'only absolute paths');
});
