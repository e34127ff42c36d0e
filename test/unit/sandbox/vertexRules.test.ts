import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { test } from 'node:test';
import { checkMachineSpec } from '../../../src/sandbox/vertex/machines';
import { checkLabels, parseEndpointName, parseModelName, parseParent } from '../../../src/sandbox/vertex/names';
import { RpcError } from '../../../src/sandbox/vertex/status';
import { checkUpdatedSplit, routeByTraffic, splitAfterDeploy, splitAfterUndeploy } from '../../../src/sandbox/vertex/traffic';

function code(fn: () => unknown): grpc.status | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof RpcError ? error.code : undefined;
  }
  return undefined;
}

test('DeployModel: "0" is the new model, the split must sum to 100, an empty split changes nothing', () => {
  assert.deepEqual(splitAfterDeploy({ a: 100 }, { a: 90, '0': 10 }, ['a'], 'b'), { a: 90, b: 10 });
  assert.deepEqual(splitAfterDeploy({ a: 100 }, {}, ['a'], 'b'), { a: 100 });
  assert.deepEqual(splitAfterDeploy({ a: 100 }, { a: 0, '0': 100 }, ['a'], 'b'), { b: 100 });
  assert.equal(code(() => splitAfterDeploy({}, { '0': 90 }, [], 'b')), grpc.status.INVALID_ARGUMENT);
  assert.equal(code(() => splitAfterDeploy({}, { x: 50, '0': 50 }, [], 'b')), grpc.status.INVALID_ARGUMENT);
});

test('UndeployModel: a model with traffic is refused with FAILED_PRECONDITION unless the request moves it', () => {
  assert.equal(code(() => splitAfterUndeploy({ a: 90, b: 10 }, {}, 'b', ['a'], 'e')), grpc.status.FAILED_PRECONDITION);
  assert.deepEqual(splitAfterUndeploy({ a: 90, b: 10 }, { a: 100 }, 'b', ['a'], 'e'), { a: 100 });
  assert.deepEqual(splitAfterUndeploy({ a: 100, b: 0 }, {}, 'b', ['a'], 'e'), { a: 100 });
  assert.deepEqual(splitAfterUndeploy({ a: 100 }, {}, 'a', [], 'e'), {}, 'the last model leaves an empty split');
  assert.equal(code(() => splitAfterUndeploy({ a: 50, b: 50 }, { a: 50, b: 50 }, 'b', ['a'], 'e')), grpc.status.INVALID_ARGUMENT);
});

test('UpdateEndpoint splits name deployed models only and sum to 100', () => {
  assert.deepEqual(checkUpdatedSplit({ a: 30, b: 70 }, ['a', 'b']), { a: 30, b: 70 });
  assert.equal(code(() => checkUpdatedSplit({ a: 30, b: 60 }, ['a', 'b'])), grpc.status.INVALID_ARGUMENT);
  assert.equal(code(() => checkUpdatedSplit({ a: 30.5, b: 69.5 }, ['a', 'b'])), grpc.status.INVALID_ARGUMENT);
});

test('requests are routed along the cumulative split', () => {
  const split = { a: 90, b: 10 };
  assert.equal(routeByTraffic(split, 0), 'a');
  assert.equal(routeByTraffic(split, 0.899), 'a');
  assert.equal(routeByTraffic(split, 0.9), 'b');
  assert.equal(routeByTraffic({}, 0.5), undefined);
});

test('resource names, labels and machine specs are checked as Vertex AI checks them', () => {
  assert.deepEqual(parseModelName('projects/p-1234/locations/us-central1/models/42@3'), { project: 'p-1234', location: 'us-central1', modelId: '42', version: '3' });
  assert.equal(parseEndpointName('projects/123/locations/europe-west4/endpoints/7').endpointId, '7');
  assert.equal(code(() => parseParent('projects/p/locations/us-central1')), grpc.status.INVALID_ARGUMENT, 'project IDs have 6-30 characters');
  assert.equal(code(() => parseModelName(`projects/p-1234/locations/us-central1/models/${'9'.repeat(600)}`)), grpc.status.INVALID_ARGUMENT);
  assert.equal(code(() => checkLabels('labels', { Upper: 'x' })), grpc.status.INVALID_ARGUMENT);
  assert.equal(code(() => checkLabels('labels', { acc: '0.97' })), grpc.status.INVALID_ARGUMENT);
  assert.equal(checkMachineSpec({ machineType: 'n1-standard-4' }).vcpus, 4);
  assert.equal(code(() => checkMachineSpec({ machineType: 'e2-standard-4', acceleratorType: 'NVIDIA_TESLA_T4', acceleratorCount: 1 })), grpc.status.INVALID_ARGUMENT);
  assert.equal(code(() => checkMachineSpec({ machineType: 'n1-standard-3' })), grpc.status.INVALID_ARGUMENT);
});

test('sandbox start --fault METHOD=KIND[*TIMES] injects failures, and names the kinds when wrong', async () => {
  const { parseFault } = await import('../../../src/cli/sandbox');
  assert.deepEqual(parseFault('DeployModel=permission-denied'), { method: 'DeployModel', fault: 'permission-denied', times: 1 });
  assert.deepEqual(parseFault('GetOperation=unavailable*3'), { method: 'GetOperation', fault: 'unavailable', times: 3 });
  assert.equal(parseFault('*=internal*always').times, Infinity);
  assert.throws(() => parseFault('DeployModel=boom'), /KIND one of permission-denied, service-disabled/);
});
