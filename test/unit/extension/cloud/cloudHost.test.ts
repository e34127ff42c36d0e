// dist/cloud.js's own call: the project list behind Choose Cloud Target.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { listProjects } from '../../../../src/extension/cloud/cloudHost';
import { isCredentialsError } from '../../../../src/shared/errors';
import { withoutCredentials } from '../../cloud/noCredentials';

test('listing Google Cloud projects without credentials is a CredentialsError (the picker then offers to enter a project ID or to sign in)', () =>
  withoutCredentials(async () => {
    await assert.rejects(listProjects(), (error: Error) => isCredentialsError(error) && /^No Google Cloud credentials found: run `gcloud auth application-default login`/.test(error.message));
  }));
