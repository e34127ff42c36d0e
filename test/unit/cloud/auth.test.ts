import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { applicationDefaultAuth } from '../../../src/cloud/auth';
import { CloudClients } from '../../../src/cloud/clients';
import { CredentialsError, isCredentialsError, isUserError } from '../../../src/shared/errors';

test('without Application Default Credentials it is a CredentialsError whose message says to run gcloud auth application-default login', async () => {
  const empty = mkdtempSync(join(tmpdir(), 'ms-no-adc-'));
  const keys = ['GOOGLE_APPLICATION_CREDENTIALS', 'HOME', 'CLOUDSDK_CONFIG', 'APPDATA', 'METADATA_SERVER_DETECTION'];
  const saved = Object.fromEntries(keys.map((key) => [key, process.env[key]]));
  delete process.env.GOOGLE_APPLICATION_CREDENTIALS;
  process.env.HOME = empty;
  process.env.CLOUDSDK_CONFIG = join(empty, 'gcloud');
  process.env.APPDATA = empty;
  // Skip the GCE metadata server probe: this machine is not on Google Cloud.
  process.env.METADATA_SERVER_DETECTION = 'none';
  try {
    await assert.rejects(applicationDefaultAuth(), (error: Error) => {
      assert.ok(error instanceof CredentialsError && isCredentialsError(error) && isUserError(error));
      assert.equal(error.loginCommand, 'gcloud auth application-default login');
      assert.match(error.message, /^No Google Cloud credentials found: run `gcloud auth application-default login`/);
      return true;
    });
    await assert.rejects(CloudClients.connect({ project: 'my-project', region: 'us-central1' }), (error: Error) => isCredentialsError(error) && /gcloud auth application-default login/.test(error.message));
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
});

test('insecure mode needs no credentials and never reaches for the real Cloud Storage', async () => {
  const clients = await CloudClients.connect({ project: 'my-project', region: 'us-central1', apiEndpoint: '127.0.0.1:1', insecure: true });
  assert.throws(() => clients.storage, /--insecure needs --storage-endpoint/);
  await clients.close();
});
