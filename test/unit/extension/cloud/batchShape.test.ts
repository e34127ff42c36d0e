// The Batch Predictions part of the Vertex AI tree as data: state, model
// version, completion stats, elapsed time and machine; what each job offers
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

test('a running job shows its state, model version, counts, elapsed time and machine, offers Cancel and has no results yet', () => {
  const view = batchItemView({ type: 'batchJob', job: running }, Date.parse('2026-12-01T10:01:05.000Z'), label);
  assert.equal(view.label, 'digits');
  assert.equal(view.description, 'running · mnist v2 · 40 done · 1 failed · 59 left · 1m 00s · n1-standard-4 ×1-3');
  assert.match(view.contextValue, /^cloudBatchJob\b.*\bactive\b/);
  assert.doesNotMatch(view.contextValue, /hasResults/);
  assert.equal(view.command, undefined);
  assert.equal(view.icon.id, 'loading~spin');
});

test('a succeeded job shows its elapsed time to its end and opens its results on click', () => {
  const view = batchItemView({ type: 'batchJob', job: succeeded }, Date.parse('2026-12-02T00:00:00.000Z'), label);
  assert.equal(view.description, 'succeeded · mnist v2 · 100 done · 2m 30s · n1-standard-4 ×1-3');
  assert.equal(view.contextValue, 'cloudBatchJob hasResults');
  assert.deepEqual(view.command, { command: 'modelStudio.openBatchResults', title: 'Open Results', withNode: true });
  assert.match(view.tooltip ?? '', /0\.040 replica-hours/);
  assert.equal(completionText({ ...running, successfulCount: 0, failedCount: 0, incompleteCount: 0 }), undefined);
});

test('the tree names the model a job ran by its display name', () => {
  const view = itemView(
    { type: 'batchJob', job: succeeded },
    { target: { kind: 'sandbox' }, busy: new Map(), now: Date.now(), models: [{ name: 'projects/p/locations/r/models/42', displayName: 'mnist-mlp' } as never] },
  );
  assert.match(view.description ?? '', /^succeeded · mnist-mlp v2 · /);
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
