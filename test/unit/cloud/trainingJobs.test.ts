// The spec's search section as a Vertex AI StudySpec, the best trial by the
// goal, job names from IDs, and job errors explained in one line.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bestTrial, studySpecOf, type TuningTrialSummary } from '../../../src/cloud/tuningJobs';
import { explainJobError, jobResourceName, jobState } from '../../../src/cloud/trainingJobs';
import { parameterIdOf } from '../../../src/shared/vertexTraining';

const config = { project: 'my-proj', region: 'us-central1' };

test('the search section becomes a StudySpec: metric and goal, parameter ids, value specs with their scale types, algorithm', () => {
  const study = studySpecOf({
    metric: { name: 'val_loss', goal: 'minimize' },
    algorithm: 'random',
    parameters: {
      'compile.optimizer.learningRate': { type: 'double', min: 0.0001, max: 0.01, scale: 'log' },
      'model.layers[1].units': { type: 'integer', min: 32, max: 256, scale: 'reverseLog' },
      'fit.batchSize': { type: 'discrete', values: [32, 64] },
      'compile.optimizer.type': { type: 'categorical', values: ['adam', 'sgd'] },
    },
  });
  assert.deepEqual(study.metrics, [{ metricId: 'val_loss', goal: 'MINIMIZE' }]);
  assert.equal(study.algorithm, 'RANDOM_SEARCH');
  assert.deepEqual(study.parameters, [
    { parameterId: 'compile_optimizer_learningRate', doubleValueSpec: { minValue: 0.0001, maxValue: 0.01 }, scaleType: 'UNIT_LOG_SCALE' },
    { parameterId: 'model_layers_1_units', integerValueSpec: { minValue: 32, maxValue: 256 }, scaleType: 'UNIT_REVERSE_LOG_SCALE' },
    { parameterId: 'fit_batchSize', discreteValueSpec: { values: [32, 64] } },
    { parameterId: 'compile_optimizer_type', categoricalValueSpec: { values: ['adam', 'sgd'] } },
  ]);
  assert.equal(studySpecOf({ metric: { name: 'val_acc', goal: 'maximize' }, parameters: { 'fit.batchSize': { type: 'discrete', values: [1, 2] } } }).algorithm, 'ALGORITHM_UNSPECIFIED', "'default' is Vertex AI's own search");
});

test('what Vertex AI would refuse is refused first, in one line: a double in a grid, two paths with one id', () => {
  assert.throws(
    () => studySpecOf({ metric: { name: 'val_acc', goal: 'maximize' }, algorithm: 'grid', parameters: { 'model.layers[2].rate': { type: 'double', min: 0, max: 0.5 } } }),
    /^UserError: Vertex AI's grid search takes no double parameters: give search.parameters\["model.layers\[2\].rate"\] discrete values/,
  );
  assert.throws(
    () => studySpecOf({ metric: { name: 'val_acc', goal: 'maximize' }, parameters: { 'a.b': { type: 'discrete', values: [1] }, 'a_b': { type: 'discrete', values: [2] } } }),
    /both become the Vertex AI parameter id "a_b"/,
  );
  assert.equal(parameterIdOf('model.layers[1].units'), 'model_layers_1_units');
});

test('the best trial follows the goal and skips trials without a measurement', () => {
  const trial = (id: string, state: TuningTrialSummary['state'], value?: number): TuningTrialSummary => ({ id, state, value, parameters: {}, outputDir: `gs://b/${id}/` });
  const trials = [trial('1', 'succeeded', 0.9), trial('2', 'succeeded', 0.95), trial('3', 'infeasible'), trial('4', 'active', 0.99), trial('5', 'succeeded', 0.7)];
  assert.deepEqual(bestTrial(trials, 'maximize'), { trialId: '2', value: 0.95 });
  assert.deepEqual(bestTrial(trials, 'minimize'), { trialId: '5', value: 0.7 });
  assert.equal(bestTrial([trial('1', 'infeasible')], 'maximize'), undefined);
});

test('job names from IDs, states in words, errors people can act on', () => {
  assert.equal(jobResourceName(config, 'customJobs', '123'), 'projects/my-proj/locations/us-central1/customJobs/123');
  assert.equal(jobResourceName(config, 'hyperparameterTuningJobs', 'projects/p/locations/r/hyperparameterTuningJobs/9'), 'projects/p/locations/r/hyperparameterTuningJobs/9');
  assert.throws(() => jobResourceName(config, 'customJobs', 'a/b'), /is not a job ID or resource name/);
  assert.equal(jobState('JOB_STATE_CANCELLING'), 'cancelling');
  const machine = { machineType: 'n1-standard-4', acceleratorType: 'NVIDIA_TESLA_V100', acceleratorCount: 1, replicaCount: 1, spot: false, imageUri: 'us-docker.pkg.dev/p/r/trainer:1' };
  assert.match(explainJobError('Unable to pull image us-docker.pkg.dev/p/r/trainer:1: manifest unknown', machine, config), /^The trainer image us-docker\.pkg\.dev\/p\/r\/trainer:1 was not found: build and push it/);
  assert.match(explainJobError('The following quota metrics exceed quota limits: aiplatform.googleapis.com/custom_model_training_nvidia_v100_gpus', machine, config), /^Not enough NVIDIA_TESLA_V100 quota in us-central1: request more at https:\/\/console\.cloud\.google\.com\/iam-admin\/quotas\?project=my-proj/);
  assert.match(explainJobError("The user does not have permission iam.serviceAccounts.actAs on\n trainer@my-proj.iam.gserviceaccount.com", machine, config), /^The job's service account lacks a permission: grant it roles\/aiplatform\.user .*roles\/iam\.serviceAccountUser.*\(The user does not have permission iam\.serviceAccounts\.actAs on trainer@/);
});
