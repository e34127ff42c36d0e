import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applicationDefaultAuth } from '../../../src/cloud/auth';
import { CloudClients } from '../../../src/cloud/clients';
import { CredentialsError, isCredentialsError, isUserError } from '../../../src/shared/errors';
import { withoutCredentials } from './noCredentials';

test('without Application Default Credentials it is a CredentialsError whose message says to run gcloud auth application-default login', () =>
  withoutCredentials(async () => {
    await assert.rejects(applicationDefaultAuth(), (error: Error) => {
      assert.ok(error instanceof CredentialsError && isCredentialsError(error) && isUserError(error));
      assert.equal(error.loginCommand, 'gcloud auth application-default login');
      assert.match(error.message, /^No Google Cloud credentials found: run `gcloud auth application-default login`/);
      return true;
    });
    await assert.rejects(CloudClients.connect({ project: 'my-project', region: 'us-central1' }), (error: Error) => isCredentialsError(error) && /gcloud auth application-default login/.test(error.message));
  }));

test('insecure mode needs no credentials and never reaches for the real Cloud Storage', async () => {
  const clients = await CloudClients.connect({ project: 'my-project', region: 'us-central1', apiEndpoint: '127.0.0.1:1', insecure: true });
  assert.throws(() => clients.storage, /--insecure needs --storage-endpoint/);
  await clients.close();
});
