// The Training Jobs part of the Vertex AI tree as data: state, elapsed,
// machine and cost so far; trials with the best marked; what each node offers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CustomJobSummary, TuningJobSummary } from '../../../../src/cloud';
import { sectionNodes } from '../../../../src/extension/cloud/cloudShape';
import { acceleratorChoices, isActiveJob, trainingItemView, trainingJobNodes, trainingMachineChoices, trialNodes } from '../../../../src/extension/cloud/trainingShape';
import { BUNDLED_TRAINING_PRICES, trainingPriceSource, trainingPricesOf } from '../../../../src/shared/vertexTraining';

const machine = { machineType: 'n1-standard-4', acceleratorType: 'NVIDIA_TESLA_T4', acceleratorCount: 1, replicaCount: 1, spot: false, imageUri: 'img' };
const custom: CustomJobSummary = {
  kind: 'custom', name: 'projects/p/locations/r/customJobs/1', id: '1', displayName: 'mnist', state: 'running', machine,
  outputDir: 'gs://b/jobs/mnist/', elapsedMs: 125_000, estimatedCostUsd: 0.0216, priceSource: 'us-east1 training list prices from the Cloud Billing Catalog, read 2026-12-02', labels: {}, createTime: '2026-12-01T10:00:00.000Z',
};
const tuning: TuningJobSummary = {
  kind: 'tuning', name: 'projects/p/locations/r/hyperparameterTuningJobs/2', id: '2', displayName: 'sweep', state: 'succeeded', machine: { ...machine, acceleratorType: undefined, acceleratorCount: 0 },
  outputDir: 'gs://b/jobs/sweep/', metric: { name: 'val_acc', goal: 'maximize' }, maxTrialCount: 2, parallelTrialCount: 2, maxFailedTrialCount: 0,
  trials: [
    { id: '1', state: 'succeeded', parameters: { units: 8 }, value: 0.81, outputDir: 'gs://b/jobs/sweep/1/' },
    { id: '2', state: 'succeeded', parameters: { units: 64 }, value: 0.93, outputDir: 'gs://b/jobs/sweep/2/' },
  ],
  best: { trialId: '2', value: 0.93 }, elapsedMs: 3_700_000, estimatedCostUsd: 0.4, priceSource: trainingPriceSource(BUNDLED_TRAINING_PRICES), labels: {}, createTime: '2026-12-01T11:00:00.000Z',
};

test('the Vertex AI tree has a Training Jobs section; jobs list newest first', () => {
  assert.deepEqual(sectionNodes().map((n) => n.type), ['target', 'models', 'endpoints', 'trainingJobs', 'batchJobs']);
  assert.deepEqual(trainingJobNodes([custom, tuning]).map((n) => (n.type === 'trainingJob' ? n.job.id : '')), ['2', '1']);
});

test('a running custom job shows state, elapsed time, machine and cost so far, offers Cancel and opens its dashboard', () => {
  const view = trainingItemView({ type: 'trainingJob', job: custom });
  assert.equal(view.label, 'mnist');
  assert.equal(view.description, 'running · 2m 05s · n1-standard-4 + 1× T4 · ~$0.02 so far');
  assert.equal(view.contextValue, 'cloudTrainingJob custom active');
  assert.match(view.tooltip ?? '', /Estimated cost so far: \$0\.02 \(us-east1 training list prices from the Cloud Billing Catalog, read 2026-12-02;/);
  assert.equal(view.command?.command, 'modelStudio.openJobDashboard');
  assert.equal(trainingItemView({ type: 'trainingJob', job: { ...custom, state: 'succeeded' } }).contextValue, 'cloudTrainingJob custom hasModel');
  // Under a cent is "<$0.01", not "~<$0.01".
  assert.equal(trainingItemView({ type: 'trainingJob', job: { ...custom, estimatedCostUsd: 0.001 } }).description, 'running · 2m 05s · n1-standard-4 + 1× T4 · <$0.01 so far');
  assert.deepEqual([custom, tuning, { ...custom, state: 'queued' as const }, { ...custom, state: 'cancelled' as const }].map(isActiveJob), [true, false, true, false]);
});

test('a tuning job names its best trial; its trials show values and measurement, the best starred', () => {
  const view = trainingItemView({ type: 'trainingJob', job: tuning });
  assert.equal(view.description, 'succeeded · 1h 01m · n1-standard-4 · ~$0.40 so far · 2/2 trials · best val_acc=0.9300 (trial 2)');
  assert.equal(view.collapsible, 'collapsed');
  const trials = trialNodes(tuning).map((n) => trainingItemView(n));
  assert.equal(trials[1].description, 'succeeded · val_acc=0.9300 · ★ best · units=64');
  assert.equal(trials[1].icon.id, 'star-full');
  assert.equal(trials[0].contextValue, 'cloudTrial hasModel');
});

test('without catalog prices the pickers use the bundled us-central1 table, labelled as the offline fallback', () => {
  const prices = trainingPricesOf(undefined);
  assert.equal(prices, BUNDLED_TRAINING_PRICES);
  // A bundled prediction table (the catalog could not be read) and a catalog answer without training SKUs fall back too.
  assert.equal(trainingPricesOf({ kind: 'bundled', region: 'us-central1', date: '2024-12' }), BUNDLED_TRAINING_PRICES);
  assert.equal(trainingPricesOf({ kind: 'catalog', region: 'us-east1', date: '2026-12-02T03:00:00.000Z', training: { machines: [], accelerators: {} } }), BUNDLED_TRAINING_PRICES);
  assert.equal(trainingPriceSource(prices), 'bundled us-central1 training list prices of 2024-12 (the offline fallback, not read from the Cloud Billing Catalog)');
  const choices = acceleratorChoices('n1-standard-4', prices);
  assert.equal(choices[0].description, '~$0.22/h in all');
  assert.deepEqual(choices.find((c) => c.label === 'NVIDIA_TESLA_T4'), { label: 'NVIDIA_TESLA_T4', description: '+$0.40/h · ~$0.62/h in all', accelerator: { type: 'NVIDIA_TESLA_T4', count: 1 } });
  assert.deepEqual(acceleratorChoices('e2-standard-4', prices).map((c) => c.label), ['No accelerator']);
});

test('with training prices from the catalog the pickers show them, and say so; machines the catalog lacks show no price', () => {
  const prices = trainingPricesOf({
    kind: 'catalog',
    region: 'us-east1',
    date: '2026-12-02T03:00:00.000Z',
    training: { machines: [{ machineType: 'n1-standard-4', usdPerHour: 0.3, spotUsdPerHour: 0.1 }], accelerators: { NVIDIA_TESLA_T4: 0.5 } },
  });
  assert.equal(trainingPriceSource(prices), 'us-east1 training list prices from the Cloud Billing Catalog, read 2026-12-02');
  const machines = trainingMachineChoices(prices);
  assert.equal(machines.find((m) => m.machineType === 'n1-standard-4')?.description, '4 vCPU · 15 GB · ~$0.30/h');
  assert.equal(machines.find((m) => m.machineType === 'e2-standard-4')?.description, '4 vCPU · 16 GB · no list price');
  const gpus = acceleratorChoices('n1-standard-4', prices);
  assert.equal(gpus.find((c) => c.label === 'NVIDIA_TESLA_T4')?.description, '+$0.50/h · ~$0.80/h in all');
  assert.equal(gpus.find((c) => c.label === 'NVIDIA_TESLA_V100')?.description, 'no GPU list price · ~$0.30/h in all');
});
