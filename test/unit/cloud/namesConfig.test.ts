import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apiAddress, checkConfig } from '../../../src/cloud/config';
import { endpointResourceName, idOf, modelResourceName, withoutVersion } from '../../../src/cloud/names';
import { labelValue, parseBucketUri } from '../../../src/cloud/pushModel';

const config = { project: 'my-project', region: 'europe-west4' };

test('MODEL and ENDPOINT accept an ID or a full resource name, as gcloud does', () => {
  assert.equal(modelResourceName(config, '123'), 'projects/my-project/locations/europe-west4/models/123');
  assert.equal(modelResourceName(config, '123@2'), 'projects/my-project/locations/europe-west4/models/123@2');
  const full = 'projects/other/locations/us-central1/models/9@default';
  assert.equal(modelResourceName(config, full), full);
  assert.equal(endpointResourceName(config, '77'), 'projects/my-project/locations/europe-west4/endpoints/77');
  assert.throws(() => endpointResourceName(config, '77@1'), /"77@1" is not an endpoint ID or resource name/);
  assert.throws(() => modelResourceName(config, 'projects/x/models/1'), /not a model ID or resource name/);
  assert.equal(idOf(full), '9@default');
  assert.equal(withoutVersion(full), 'projects/other/locations/us-central1/models/9');
});

test('the default API host is regional; custom endpoints are HOST:PORT', () => {
  assert.deepEqual(apiAddress(config), { host: 'europe-west4-aiplatform.googleapis.com', port: 443 });
  assert.deepEqual(apiAddress({ ...config, apiEndpoint: '127.0.0.1:8470' }), { host: '127.0.0.1', port: 8470 });
  assert.throws(() => apiAddress({ ...config, apiEndpoint: 'http://x:1' }), /is not HOST:PORT/);
});

test('bad projects, regions and storage endpoints are refused with the fix', () => {
  assert.throws(() => checkConfig({ project: 'My Project', region: 'us-central1' }), /not a valid project ID/);
  assert.throws(() => checkConfig({ project: 'my-project', region: 'central' }), /not a Vertex AI region/);
  assert.throws(() => checkConfig({ ...config, storageEndpoint: 'ftp://x' }), /not an http\(s\) URL/);
  assert.throws(() => checkConfig({ project: '', region: 'us-central1' }), /--project PROJECT/);
});

test('push targets gs://BUCKET/PREFIX/ (default prefix per run) and labels are sanitized', () => {
  assert.deepEqual(parseBucketUri('gs://models', 'run-1'), { bucket: 'models', prefix: 'model-studio/run-1/' });
  assert.deepEqual(parseBucketUri('gs://models/mnist/v2/', 'run-1'), { bucket: 'models', prefix: 'mnist/v2/' });
  assert.throws(() => parseBucketUri('gs://Bad_Bucket!', 'r'), /is not a Cloud Storage bucket/);
  assert.equal(labelValue('0.9712'), '0_9712');
  assert.equal(labelValue('2026-11-27T10:00 Run'), '2026-11-27t10_00_run');
});
