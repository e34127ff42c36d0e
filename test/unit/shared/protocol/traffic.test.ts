// The traffic editor's protocol: what the host's state and the page's Apply
// look like, and what a tampered or broken message looks like.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isTrafficFromWebview, isTrafficToWebview, MAX_DEPLOYED_MODELS, trafficState } from '../../../../src/shared/protocol/traffic';
import { setShare } from '../../../../src/shared/trafficEditing';
import { deployed, endpoint } from '../../extension/cloud/fixtures';

const canary = endpoint('4455', [deployed('7001', '1', 90), deployed('7002', '2', 10, { machineType: undefined })]);
const ids = canary.deployedModels.map((d) => d.id);

test('the host’s state messages pass: fresh, applied, in conflict, with an error, and busy', () => {
  const state = trafficState(canary);
  assert.deepEqual(state.rows.map((r) => [r.id, r.current, r.machine]), [['7001', 90, 'n1-standard-4 ×1'], ['7002', 10, 'automatic ×1']]);
  assert.ok(isTrafficToWebview(state));
  assert.ok(isTrafficToWebview(trafficState(canary, { applied: 'Applied: mnist-mlp v1 50% · mnist-mlp v2 50%.' })));
  assert.ok(isTrafficToWebview(trafficState(canary, { conflict: 'Someone else changed the traffic…' })));
  assert.ok(isTrafficToWebview(trafficState({ ...canary, etag: '' }, { error: 'Vertex AI is unreachable' })));
  assert.ok(isTrafficToWebview(trafficState(endpoint('1', []))), 'an endpoint with nothing deployed');
  assert.ok(isTrafficToWebview({ type: 'busy', message: 'Applying…' }));
});

test('the page’s ready, reload and Apply (with a split made by moving a slider) pass', () => {
  const split = setShare({ '7001': 90, '7002': 10 }, ids, '7002', 35);
  assert.deepEqual(split, { '7001': 65, '7002': 35 });
  assert.ok(isTrafficFromWebview({ type: 'apply', etag: canary.etag, split }));
  assert.ok(isTrafficFromWebview({ type: 'ready' }));
  assert.ok(isTrafficFromWebview({ type: 'reload' }));
});

test('an Apply whose split or etag is malformed is rejected', () => {
  const bad = [
    { type: 'apply', split: { '7001': 100 } },
    { type: 'apply', etag: 42, split: { '7001': 100 } },
    { type: 'apply', etag: 'e'.repeat(1025), split: { '7001': 100 } },
    { type: 'apply', etag: 'etag-1' },
    { type: 'apply', etag: 'etag-1', split: [100] },
    { type: 'apply', etag: 'etag-1', split: { '7001': 101 } },
    { type: 'apply', etag: 'etag-1', split: { '7001': -1, '7002': 101 } },
    { type: 'apply', etag: 'etag-1', split: { '7001': 50.5, '7002': 49.5 } },
    { type: 'apply', etag: 'etag-1', split: { '7001': Number.NaN } },
    { type: 'apply', etag: 'etag-1', split: { '7001': '100' } },
    { type: 'apply', etag: 'etag-1', split: { '../7001': 100 } },
    { type: 'apply', etag: 'etag-1', split: { '': 100 } },
    { type: 'apply', etag: 'etag-1', split: Object.fromEntries(Array.from({ length: MAX_DEPLOYED_MODELS + 1 }, (_, i) => [`m${i}`, 0])) },
    { type: 'delete' },
    null,
  ];
  for (const each of bad) assert.equal(isTrafficFromWebview(each), false, JSON.stringify(each)?.slice(0, 100));
});

test('a state message with broken rows or an unbounded etag is rejected', () => {
  const state = trafficState(canary);
  const bad = [
    { ...state, etag: undefined },
    { ...state, etag: 'e'.repeat(1025) },
    { ...state, rows: [{ ...state.rows[0], current: 120 }] },
    { ...state, rows: [{ ...state.rows[0], id: 'a/b' }] },
    { ...state, rows: [{ ...state.rows[0], label: undefined }] },
    { ...state, error: 7 },
    { type: 'busy' },
  ];
  for (const each of bad) assert.equal(isTrafficToWebview(each), false, JSON.stringify(each).slice(0, 100));
});
