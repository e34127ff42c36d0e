// The Training Jobs part of the Vertex AI tree as data: state, elapsed,
// machine and cost so far; trials with the best marked; what each node offers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CustomJobSummary, TuningJobSummary } from '../../../../src/cloud';
import { sectionNodes } from '../../../../src/extension/cloud/cloudShape';
import { acceleratorChoices, isActiveJob, trainingItemView, trainingJobNodes, trialNodes } from '../../../../src/extension/cloud/trainingShape';

const machine = { machineType: 'n1-standard-4', acceleratorType: 'NVIDIA_TESLA_T4', acceleratorCount: 1, replicaCount: 1, spot: false, imageUri: 'img' };
const custom: CustomJobSummary = {
  kind: 'custom', name: 'projects/p/locations/r/customJobs/1', id: '1', displayName: 'mnist', state: 'running', machine,
  outputDir: 'gs://b/jobs/mnist/', elapsedMs: 125_000, estimatedCostUsd: 0.0216, labels: {}, createTime: '2026-12-01T10:00:00.000Z',
};
const tuning: TuningJobSummary = {
  kind: 'tuning', name: 'projects/p/locations/r/hyperparameterTuningJobs/2', id: '2', displayName: 'sweep', state: 'succeeded', machine: { ...machine, acceleratorType: undefined, acceleratorCount: 0 },
  outputDir: 'gs://b/jobs/sweep/', metric: { name: 'val_acc', goal: 'maximize' }, maxTrialCount: 2, parallelTrialCount: 2, maxFailedTrialCount: 0,
  trials: [
    { id: '1', state: 'succeeded', parameters: { units: 8 }, value: 0.81, outputDir: 'gs://b/jobs/sweep/1/' },
    { id: '2', state: 'succeeded', parameters: { units: 64 }, value: 0.93, outputDir: 'gs://b/jobs/sweep/2/' },
  ],
  best: { trialId: '2', value: 0.93 }, elapsedMs: 3_700_000, estimatedCostUsd: 0.4, labels: {}, createTime: '2026-12-01T11:00:00.000Z',
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

test('the accelerator picker prices the machine with and without each GPU it takes', () => {
  const choices = acceleratorChoices('n1-standard-4');
  assert.equal(choices[0].description, '~$0.22/h in all');
  assert.deepEqual(choices.find((c) => c.label === 'NVIDIA_TESLA_T4'), { label: 'NVIDIA_TESLA_T4', description: '+$0.40/h · ~$0.62/h in all', accelerator: { type: 'NVIDIA_TESLA_T4', count: 1 } });
  assert.deepEqual(acceleratorChoices('e2-standard-4').map((c) => c.label), ['No accelerator']);
});
