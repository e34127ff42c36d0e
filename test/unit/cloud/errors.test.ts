import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CloudError, CloudUserError, explainError, roleFor } from '../../../src/cloud/errors';

const config = { project: 'my-project', region: 'us-central1' };
const context = { action: 'deploying model 1 to endpoint 2', config };

test('PERMISSION_DENIED names the permission (from ErrorInfo or the message) and a role that grants it', () => {
  const withInfo = explainError({ code: 7, message: '7 PERMISSION_DENIED: denied', reason: 'IAM_PERMISSION_DENIED', errorInfoMetadata: { permission: 'aiplatform.endpoints.deploy' } }, context);
  assert.ok(withInfo instanceof CloudUserError);
  assert.match(withInfo.message, /^Permission denied: aiplatform\.endpoints\.deploy on project my-project \(while deploying model 1 to endpoint 2\)\. Grant your account roles\/aiplatform\.user/);
  const fromText = explainError({ code: 7, details: "Permission 'aiplatform.models.upload' denied on resource '//aiplatform.googleapis.com/projects/my-project/locations/us-central1' (or it may not exist)." }, context);
  assert.match(fromText.message, /aiplatform\.models\.upload .*roles\/aiplatform\.user/);
  assert.equal(roleFor('storage.objects.create'), 'roles/storage.objectAdmin');
  assert.equal(roleFor('storage.buckets.create'), 'roles/storage.admin');
});

test('SERVICE_DISABLED says which API to enable, with the command', () => {
  const error = explainError({ code: 7, reason: 'SERVICE_DISABLED', errorInfoMetadata: { service: 'aiplatform.googleapis.com' }, message: 'disabled' }, context);
  assert.match(error.message, /aiplatform\.googleapis\.com is not enabled in project my-project .*gcloud services enable aiplatform\.googleapis\.com --project my-project/);
});

test('NOT_FOUND, FAILED_PRECONDITION, RESOURCE_EXHAUSTED and ABORTED keep the server reason and say what to do', () => {
  assert.match(explainError({ code: 5, details: 'Endpoint x does not exist.' }, context).message, /Not found .*Endpoint x does not exist\. Check the ID, the project \(my-project\) and the region \(us-central1\)/);
  assert.match(explainError({ code: 9, details: 'undeploy it first.' }, context).message, /^Refused while deploying model 1 to endpoint 2: undeploy it first\.$/);
  const quota = explainError({ code: 8, details: 'The following quota metrics exceed quota limits: x.' }, context);
  assert.ok(quota instanceof CloudUserError && quota.status === 'RESOURCE_EXHAUSTED');
  assert.match(quota.message, /iam-admin\/quotas\?project=my-project/);
  assert.match(explainError({ code: 10, details: 'etag is stale' }, context).message, /^Conflict while/);
});

test('outages are CloudErrors (exit 1); against a local server they ask whether the sandbox runs', () => {
  const remote = explainError({ code: 14, details: 'unavailable' }, context);
  assert.ok(remote instanceof CloudError);
  assert.match(remote.message, /Could not reach Vertex AI in us-central1/);
  const local = explainError({ code: 14, details: 'No connection established. Last error: connect ECONNREFUSED' }, { ...context, config: { ...config, apiEndpoint: '127.0.0.1:9' }, operation: 'projects/p/locations/l/endpoints/1/operations/2' });
  assert.match(local.message, /the sandbox at 127\.0\.0\.1:9 \(is it running\?.*connection refused.*operations wait projects\/p\/locations\/l\/endpoints\/1\/operations\/2/);
});
