import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatAutoscaling, parseAutoscalingSpecs, quotaNote } from '../../../src/shared/autoscaling';
import { acceleratorProblem, machineType } from '../../../src/shared/machineTypes';

test('--autoscaling-metric-specs reads gcloud\'s METRIC=TARGET list and refuses unknown metrics, bad targets and repeats', () => {
  assert.deepEqual(parseAutoscalingSpecs('cpu-usage=60, gpu-duty-cycle=70'), [
    { metric: 'cpu-usage', target: 60 },
    { metric: 'gpu-duty-cycle', target: 70 },
  ]);
  assert.equal(formatAutoscaling(parseAutoscalingSpecs('cpu-usage=60,request-counts-per-minute=500')), 'cpu-usage=60,request-counts-per-minute=500');
  assert.throws(() => parseAutoscalingSpecs('cpu=60'), /is not METRIC=TARGET/);
  assert.throws(() => parseAutoscalingSpecs('cpu-usage=101'), /from 1 to 100/);
  assert.throws(() => parseAutoscalingSpecs('cpu-usage=0'), /from 1 to 100/);
  assert.throws(() => parseAutoscalingSpecs('cpu-usage=50,cpu-usage=60'), /names cpu-usage twice/);
});

test('quota is explained on the maximum replica count', () => {
  assert.equal(quotaNote(4, 5), 'Quota is charged on the maximum replica count: 4 vCPUs x 5 replicas = 20 vCPUs of custom_model_serving_cpus.');
});

test('each machine type takes only its GPUs, in the counts it accepts', () => {
  const n1 = machineType('n1-standard-4');
  assert.ok(n1);
  assert.equal(acceleratorProblem(n1, 'NVIDIA_TESLA_T4', 2), undefined);
  assert.match(acceleratorProblem(n1, 'NVIDIA_TESLA_T4', 3) ?? '', /takes 1, 2, 4/);
  assert.equal(acceleratorProblem(n1, 'NVIDIA_TESLA_V100', 8), undefined);
  const g2 = machineType('g2-standard-48');
  assert.ok(g2);
  assert.equal(acceleratorProblem(g2, 'NVIDIA_L4', 4), undefined);
  assert.match(acceleratorProblem(g2, undefined, 0) ?? '', /comes with 4 NVIDIA_L4/);
  assert.equal(machineType('n1-standard-3'), undefined);
});
