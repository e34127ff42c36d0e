// Runs and sweeps on disk as the experiments view reads them: hyperparameters
// from each run's spec (a trial's applied values), results from run.json and
// metrics.jsonl, a sweep's trials from sweep.json.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../../helpers/cleanup';
import { bestEpochMetrics, experimentRow, specParameters } from '../../../../src/extension/experiments/experimentRows';
import { ExperimentsSource, type RunLocation } from '../../../../src/extension/experiments/experimentsSource';
import type { EpochEndEvent, RunRecord } from '../../../../src/shared/events';
import { isExperimentRow } from '../../../../src/shared/protocol/experiments';
import type { SweepRecord } from '../../../../src/shared/sweep';
import { mnistSpec } from '../../../../webview/harness/syntheticRun';

const root = tempDir('experiments-source-');
const runsDir = join(root, '.model-studio', 'runs');
const sweepsDir = join(root, '.model-studio', 'sweeps');

function record(id: string, change: (spec: ReturnType<typeof mnistSpec>) => void = () => undefined, extra: Partial<RunRecord> = {}): RunRecord {
  const spec = mnistSpec();
  change(spec);
  return {
    id,
    name: spec.name,
    specPath: join(root, 'mnist.train.json'),
    spec,
    status: 'completed',
    pid: 1,
    hostname: 'here',
    createdAt: '2026-12-02T10:00:00.000Z',
    updatedAt: '2026-12-02T10:05:00.000Z',
    epochs: 5,
    epochsCompleted: 5,
    finalMetrics: { loss: 0.05, acc: 0.98, val_loss: 0.09, val_acc: 0.975 },
    testMetrics: { loss: 0.08, acc: 0.977 },
    ...extra,
  };
}

function epochEnd(runId: string, epoch: number, valAcc: number, valLoss: number): EpochEndEvent {
  return { type: 'epochEnd', runId, time: 1000 + epoch, epoch, epochs: 5, metrics: { loss: 0.1, acc: 0.9, val_loss: valLoss, val_acc: valAcc }, durationMs: 10, samplesPerSecond: 100 };
}

function writeRun(r: RunRecord, events: EpochEndEvent[] = []): RunLocation {
  const folder = join(runsDir, r.id);
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'run.json'), JSON.stringify(r));
  writeFileSync(join(folder, 'metrics.jsonl'), events.map((e) => JSON.stringify(e)).join('\n') + (events.length ? '\n' : ''));
  return { record: r, runsDir };
}

test('a spec’s settings become parameters keyed by their spec paths; names, notes and data locations do not', () => {
  const spec = mnistSpec();
  spec.compile.optimizer = { type: 'sgd', learningRate: 0.1 };
  spec.data = { type: 'mnist', cacheDir: '/tmp/cache', subset: { train: 6000 } };
  const params = specParameters(spec);
  assert.equal(params['fit.batchSize'], 32);
  assert.equal(params['model.layers[1].units'], 128);
  assert.equal(params['model.layers[1].activation'], 'relu');
  assert.equal(params['model.layers[2].rate'], 0.2);
  assert.equal(params['model.layers[0].inputShape'], '[28,28]');
  assert.equal(params['compile.optimizer.type'], 'sgd');
  assert.equal(params['compile.optimizer.learningRate'], 0.1);
  assert.equal(params['compile.loss'], 'sparseCategoricalCrossentropy');
  assert.equal(params['data.subset.train'], 6000);
  assert.equal(params['data.type'], 'mnist');
  for (const key of Object.keys(params)) assert.doesNotMatch(key, /^(name|description)$|cacheDir|\$schema/, key);
  // A bare optimizer name is the same column as an optimizer object's type.
  assert.equal(specParameters(mnistSpec())['compile.optimizer.type'], 'adam');
});

test('results: the last epoch as is, the best validation epoch, the test set', () => {
  const best = bestEpochMetrics([epochEnd('r', 0, 0.95, 0.2), epochEnd('r', 1, 0.98, 0.07), epochEnd('r', 2, 0.97, 0.09)]);
  assert.deepEqual(best, { val_loss: 0.07, val_acc: 0.98 });
  const row = experimentRow(record('r'), best);
  assert.deepEqual(row.metrics, { loss: 0.05, acc: 0.98, val_loss: 0.09, val_acc: 0.975, best_val_loss: 0.07, best_val_acc: 0.98, test_loss: 0.08, test_acc: 0.977 });
  assert.ok(isExperimentRow(row));
});

test('a trial’s recorded values win over its spec and name its trial', () => {
  const trial = record('t', (spec) => (spec.fit.batchSize = 64), { trial: { sweepId: 'sw', trialId: '3', parameters: { 'fit.batchSize': 128, 'compile.optimizer.learningRate': 0.003 } } });
  const row = experimentRow(trial);
  assert.equal(row.params['fit.batchSize'], 128);
  assert.equal(row.params['compile.optimizer.learningRate'], 0.003);
  assert.deepEqual(row.trial, { sweepId: 'sw', trialId: '3' });
});

test('every run of the workspace, with best values read from metrics.jsonl, re-read only when run.json changes', async () => {
  const a = writeRun(record('run-a', (spec) => (spec.fit.batchSize = 32)), [epochEnd('run-a', 0, 0.96, 0.12), epochEnd('run-a', 1, 0.975, 0.09)]);
  const b = writeRun(record('run-b', (spec) => (spec.fit.batchSize = 64)), [epochEnd('run-b', 0, 0.97, 0.1)]);
  // A torn last line and a batch line are skipped.
  appendFileSync(join(runsDir, 'run-b', 'metrics.jsonl'), '{"type":"batchEnd","runId":"run-b"}\n{"type":"epochEnd","ru');
  const invalid = { record: { ...record('run-c'), status: 'exploded' } as unknown as RunRecord, runsDir };
  const runs = [a, b, invalid];
  const source = new ExperimentsSource({ runs: async () => runs, sweepsDirs: () => [sweepsDir] });
  const snapshot = await source.load({});
  assert.equal(snapshot.title, 'Experiments');
  assert.deepEqual(snapshot.rows.map((r) => r.id), ['run-a', 'run-b'], 'a record that fails its guard is left out');
  assert.deepEqual(snapshot.rows.map((r) => r.params['fit.batchSize']), [32, 64]);
  assert.equal(snapshot.rows[0].metrics.best_val_acc, 0.975);
  assert.equal(snapshot.rows[1].metrics.best_val_acc, 0.97);
  // New epochs on disk count once run.json says so (updatedAt), not before.
  appendFileSync(join(runsDir, 'run-a', 'metrics.jsonl'), JSON.stringify(epochEnd('run-a', 2, 0.99, 0.05)) + '\n');
  assert.equal((await source.load({})).rows[0].metrics.best_val_acc, 0.975, 'cached');
  runs[0] = { ...a, record: { ...a.record, updatedAt: '2026-12-02T10:06:00.000Z' } };
  assert.equal((await source.load({})).rows[0].metrics.best_val_acc, 0.99);
});

test('a sweep shows its trials (and the pinned baseline), with what it searched and its best', async () => {
  const sweep: SweepRecord = {
    id: 'mnist-sweep',
    name: 'mnist-mlp',
    specPath: join(root, 'mnist.train.json'),
    search: { metric: { name: 'val_acc', goal: 'maximize' }, maxTrials: 4, parameters: { 'compile.optimizer.learningRate': { type: 'double', min: 0.0001, max: 0.01, scale: 'log' }, 'fit.batchSize': { type: 'discrete', values: [32, 64] } } },
    status: 'running',
    createdAt: '2026-12-02T10:00:00.000Z',
    updatedAt: '2026-12-02T10:10:00.000Z',
    trials: [
      { trialId: '1', parameters: { 'compile.optimizer.learningRate': 0.001, 'fit.batchSize': 32 }, status: 'completed', runId: 'trial-1', value: 0.97 },
      // Listed in sweep.json but its run.json does not name the sweep (an older runner): still its trial.
      { trialId: '2', parameters: { 'compile.optimizer.learningRate': 0.01, 'fit.batchSize': 64 }, status: 'running', runId: 'trial-2' },
    ],
    best: { trialId: '1', runId: 'trial-1', value: 0.97 },
  };
  mkdirSync(join(sweepsDir, sweep.id), { recursive: true });
  writeFileSync(join(sweepsDir, sweep.id, 'sweep.json'), JSON.stringify(sweep));
  const runs = [
    writeRun(record('trial-1', () => undefined, { trial: { sweepId: sweep.id, trialId: '1', parameters: sweep.trials[0].parameters } })),
    writeRun(record('trial-2', () => undefined, { status: 'running' })),
    writeRun(record('other-run')),
    writeRun(record('baseline-run')),
  ];
  const source = new ExperimentsSource({ runs: async () => runs, sweepsDirs: () => [join(root, 'elsewhere'), sweepsDir] });
  const snapshot = await source.load({ sweepId: sweep.id }, 'baseline-run');
  assert.equal(snapshot.title, 'Sweep: mnist-mlp');
  assert.deepEqual(snapshot.rows.map((r) => r.id).sort(), ['baseline-run', 'trial-1', 'trial-2']);
  assert.deepEqual(snapshot.sweep?.scales, { 'compile.optimizer.learningRate': 'log', 'fit.batchSize': 'linear' });
  assert.equal(snapshot.sweep?.plannedTrials, 4);
  assert.deepEqual(snapshot.sweep?.best, { trialId: '1', runId: 'trial-1', value: 0.97 });
  assert.equal(snapshot.problem, undefined);

  const missing = await source.load({ sweepId: 'no-such-sweep' });
  assert.deepEqual(missing.rows, []);
  assert.match(missing.problem ?? '', /No sweep 'no-such-sweep' in this workspace: \.model-studio\/sweeps\/no-such-sweep\/sweep\.json is missing/);

  writeFileSync(join(sweepsDir, sweep.id, 'sweep.json'), '{"id": "mnist-sweep", "trials": 3}');
  await assert.rejects(source.load({ sweepId: sweep.id }), /sweep\.json is damaged \(it does not read as a sweep record\): restore it or delete the sweep folder/);
});
