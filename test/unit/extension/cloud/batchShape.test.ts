// The Batch Predictions part of the Vertex AI tree as data: the state and the
// completion stats first, then model version and elapsed time, the name and
// machine in the tooltip; what each job offers
// (Cancel while it runs, its results once written); and each result as the
// viewer shows it (digits as pixels, probabilities as the top classes).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BatchPredictionJobSummary } from '../../../../src/cloud';
import { batchItemView, batchJobNodes, completionText, resultView } from '../../../../src/extension/cloud/batchShape';
import { itemView } from '../../../../src/extension/cloud/cloudShape';
import { isBatchToWebview } from '../../../../src/shared/protocol/batchResults';

const running: BatchPredictionJobSummary = {
  name: 'projects/p/locations/r/batchPredictionJobs/11', id: '11', displayName: 'digits', model: 'projects/p/locations/r/models/42', modelVersionId: '2',
  state: 'RUNNING', inputUris: ['gs://b/in.jsonl'], outputUriPrefix: 'gs://b/out/', machineType: 'n1-standard-4', startingReplicaCount: 1, maxReplicaCount: 3,
  successfulCount: 40, failedCount: 1, incompleteCount: 59, replicaHours: 0, createTime: '2026-12-01T10:00:00.000Z', startTime: '2026-12-01T10:00:05.000Z',
};
const succeeded: BatchPredictionJobSummary = {
  ...running, name: 'projects/p/locations/r/batchPredictionJobs/12', id: '12', state: 'SUCCEEDED', successfulCount: 100, failedCount: 0, incompleteCount: 0,
  outputDirectory: 'gs://b/out/prediction-mnist-2026', createTime: '2026-12-01T11:00:00.000Z', startTime: '2026-12-01T11:00:00.000Z', endTime: '2026-12-01T11:02:30.000Z', replicaHours: 0.04,
};
const label = (job: BatchPredictionJobSummary): string => `mnist v${job.modelVersionId}`;

test('batch jobs list newest first', () => {
  assert.deepEqual(batchJobNodes([running, succeeded]).map((n) => (n.type === 'batchJob' ? n.job.id : '')), ['12', '11']);
});

// The label is the creation time in local time, as the Runs rows show theirs.
const clock = (iso: string): string => new Date(iso).toTimeString().slice(0, 8);

test('a running job: its creation time, then the state and the counts first, offers Cancel and has no results yet', () => {
  const view = batchItemView({ type: 'batchJob', job: running }, Date.parse('2026-12-01T10:01:05.000Z'), label);
  assert.equal(view.label, clock(running.createTime ?? ''));
  assert.equal(view.description, 'running · 40/100 done · 1 failed · mnist v2 · 1m 00s');
  assert.equal(completionText(running), '40/100 done · 1 failed');
  // The tooltip keeps every fact the row leaves out.
  for (const fact of ['**digits**', '`11`', 'State: running', 'elapsed 1m 00s', 'Model: mnist v2', 'Machine: n1-standard-4 ×1-3', 'Predictions: 40, failed: 1, left: 59', 'gs://b/in.jsonl', 'gs://b/out/']) {
    assert.ok(view.tooltip?.includes(fact), `the tooltip has ${fact}: ${view.tooltip}`);
  }
  assert.match(view.contextValue, /^cloudBatchJob\b.*\bactive\b/);
  assert.doesNotMatch(view.contextValue, /hasResults/);
  assert.equal(view.command, undefined);
  assert.equal(view.icon.id, 'loading~spin');
});

test('a succeeded job shows its elapsed time to its end and opens its results on click', () => {
  const view = batchItemView({ type: 'batchJob', job: succeeded }, Date.parse('2026-12-01T11:05:00.000Z'), label);
  assert.equal(view.description, 'succeeded · 100 done · mnist v2 · 2m 30s');
  assert.equal(view.contextValue, 'cloudBatchJob hasResults');
  assert.deepEqual(view.command, { command: 'modelStudio.openBatchResults', title: 'Open Results', withNode: true });
  assert.match(view.tooltip ?? '', /0\.040 replica-hours/);
  assert.equal(completionText({ ...running, successfulCount: 0, failedCount: 0, incompleteCount: 0 }), undefined);
  assert.equal(completionText({ ...succeeded, successfulCount: 98, failedCount: 2 }), '98 done · 2 failed');
});

test('a job from an earlier day is labelled with its date; one without a creation time by its name', () => {
  const earlier = batchItemView({ type: 'batchJob', job: succeeded }, Date.parse('2026-12-05T12:00:00.000Z'), label);
  assert.match(earlier.label, /^Dec [12] \d\d:\d\d$/);
  assert.equal(batchItemView({ type: 'batchJob', job: { ...succeeded, createTime: undefined } }, Date.now(), label).label, 'digits');
});

test('at the default side bar width the state and the done count come first, within the first 31 characters of the row', () => {
  // ~31 characters of label and description fit a batch job row at the default 300 px; the counts must be among them.
  const now = Date.parse('2026-12-01T10:01:05.000Z');
  for (const job of [running, succeeded, { ...running, state: 'PENDING' as const, successfulCount: 0, failedCount: 0, incompleteCount: 0 }]) {
    const view = batchItemView({ type: 'batchJob', job }, now, () => 'a-long-model-display-name v12');
    const row = `${view.label} ${view.description}`;
    const essential = [job.state.toLowerCase(), completionText(job)?.split(' · ')[0]].filter(Boolean).join(' · ');
    assert.ok(view.description?.startsWith(essential) && row.indexOf(essential) + essential.length <= 31, `essential first: ${row}`);
  }
});

test('the tree names the model a job ran by its display name', () => {
  const view = itemView(
    { type: 'batchJob', job: succeeded },
    { target: { kind: 'sandbox' }, busy: new Map(), now: Date.now(), models: [{ name: 'projects/p/locations/r/models/42', displayName: 'mnist-mlp' } as never] },
  );
  assert.match(view.description ?? '', /^succeeded · 100 done · mnist-mlp v2 · /);
});

test('a result shows an MNIST instance as pixels with its top classes; other values as short text; errors as they are', () => {
  const pixels = Array.from({ length: 784 }, (_, i) => (i % 7) / 6);
  const probabilities = [0.01, 0.02, 0.9, 0.03, 0, 0, 0.04, 0, 0, 0];
  const digit = resultView({ index: 3, instance: Array.from({ length: 28 }, (_, r) => pixels.slice(r * 28, r * 28 + 28)), prediction: probabilities });
  assert.deepEqual(digit.pixels, pixels);
  assert.deepEqual(digit.top.map((t) => t.cls), [2, 6, 3]);
  assert.equal(digit.instance, undefined);
  const other = resultView({ index: 4, instance: { text: 'x'.repeat(1000) }, prediction: { score: 1 } });
  assert.equal(other.pixels, undefined);
  assert.ok((other.instance ?? '').length <= 300 && other.instance?.endsWith('…'));
  assert.equal(other.raw, '{"score":1}');
  assert.deepEqual(resultView({ index: 5, instance: [1, 2], error: 'bad instance' }), { index: 5, pixels: undefined, instance: '[1,2]', top: [], raw: undefined, error: 'bad instance' });
  assert.match(resultView({ index: 6, tooLarge: true }).error ?? '', /over 1 MB/);
  // What the host posts passes the webview's guard.
  assert.ok(isBatchToWebview({ type: 'page', offset: 0, rows: [digit, other], more: false }));
  assert.equal(isBatchToWebview({ type: 'page', offset: 0, rows: [{ ...digit, pixels: [1, 2] }], more: false }), false);
});
