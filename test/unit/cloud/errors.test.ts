import assert from 'node:assert/strict';
import { describe, it, test } from 'node:test';
import { Code, CloudError, CloudUserError, explainError, roleFor } from '../../../src/cloud/errors';
import { explainStorageError } from '../../../src/cloud/storageErrors';
import { isCredentialsError, isUserError, UserError } from '../../../src/shared/errors';
import { loadForeignErrors } from '../shared/errorsBundle';

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

describe('each gRPC status maps to one class of the taxonomy', () => {
  const user = ['INVALID_ARGUMENT', 'NOT_FOUND', 'ALREADY_EXISTS', 'PERMISSION_DENIED', 'RESOURCE_EXHAUSTED', 'FAILED_PRECONDITION', 'ABORTED'] as const;
  const internal = ['CANCELLED', 'UNKNOWN', 'DEADLINE_EXCEEDED', 'UNIMPLEMENTED', 'INTERNAL', 'UNAVAILABLE'] as const;

  for (const status of user) {
    it(`${status} is a CloudUserError (a UserError: exit 2, no stack) carrying its status`, () => {
      const error = explainError({ code: Code[status], details: 'server words.' }, context);
      assert.ok(error instanceof CloudUserError && isUserError(error), `${status}: ${error.name}`);
      assert.equal(error.status, status);
      assert.ok(!isCredentialsError(error));
    });
  }

  for (const status of internal) {
    it(`${status} is a CloudError (an internal failure: exit 1, logged with its stack)`, () => {
      const error = explainError({ code: Code[status], details: 'server words.' }, context);
      assert.ok(error instanceof CloudError && !isUserError(error), `${status}: ${error.name}`);
      assert.equal(error.status, status);
    });
  }

  it('UNAUTHENTICATED is a CredentialsError with the login command, message kept', () => {
    const error = explainError({ code: Code.UNAUTHENTICATED, details: 'Request had invalid authentication credentials.' }, context);
    assert.ok(isCredentialsError(error) && isUserError(error));
    assert.equal(error.message, 'Google Cloud rejected the credentials while deploying model 1 to endpoint 2: run `gcloud auth application-default login` and retry');
  });

  it('an error without a gRPC code is an internal failure', () => {
    const error = explainError(new TypeError('cannot read properties of undefined'), context);
    assert.ok(error instanceof CloudError && !isUserError(error));
    assert.match(error.message, /^Vertex AI failed while deploying model 1 to endpoint 2: UNKNOWN: cannot read properties/);
  });

  it('our own errors pass through unchanged, also when they come from another bundle', () => {
    const foreign = loadForeignErrors();
    for (const error of [new UserError('mine'), new foreign.UserError('theirs'), new foreign.CredentialsError('theirs'), new foreign.UserCancelledError()]) {
      assert.equal(explainError(error, context), error);
    }
  });
});

describe('Cloud Storage HTTP statuses map the same way', () => {
  it('401 is a CredentialsError; 403, 404, 409 and 429 are CloudUserErrors; the rest are CloudErrors', () => {
    const at = (code: number | string): Error => explainStorageError(Object.assign(new Error(`HTTP ${code}`), { code }), 'uploading model.json', config);
    assert.ok(isCredentialsError(at(401)));
    assert.match(at(401).message, /^Cloud Storage rejected the credentials while uploading model\.json: run `gcloud auth application-default login` and retry$/);
    for (const code of [403, 404, 409, 429]) assert.ok(at(code) instanceof CloudUserError && isUserError(at(code)), String(code));
    assert.ok(at(500) instanceof CloudError && !isUserError(at(500)));
    const refused = at('ECONNREFUSED');
    assert.ok(refused instanceof CloudError && /is the sandbox running/.test(refused.message));
  });
});
