import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CredentialsError,
  errorMessage,
  isCredentialsError,
  isUserCancelled,
  isUserError,
  LOGIN_COMMAND,
  UserCancelledError,
  UserError,
} from '../../../src/shared/errors';
import { loadForeignErrors } from './errorsBundle';

describe('the error taxonomy', () => {
  it('a UserError is a user error and nothing more', () => {
    const error = new UserError('Missing --run RUN', 'detail for the log');
    assert.equal(error.name, 'UserError');
    assert.equal(error.detail, 'detail for the log');
    assert.ok(isUserError(error));
    assert.ok(!isCredentialsError(error) && !isUserCancelled(error));
  });

  it('a CredentialsError is a UserError that carries the exact login command', () => {
    const error = new CredentialsError('No Google Cloud credentials found');
    assert.ok(error instanceof UserError);
    assert.ok(isUserError(error) && isCredentialsError(error) && !isUserCancelled(error));
    assert.equal(error.name, 'CredentialsError');
    assert.equal(error.loginCommand, 'gcloud auth application-default login');
    assert.equal(LOGIN_COMMAND, 'gcloud auth application-default login');
  });

  it('a cancellation is neither a user error nor a failure to report', () => {
    const error = new UserCancelledError();
    assert.ok(isUserCancelled(error));
    assert.ok(!isUserError(error) && !isCredentialsError(error));
  });

  it('anything else is an internal failure', () => {
    for (const error of [new Error('boom'), new TypeError('x is undefined'), 'a string', undefined, null, { kind: 'user' }]) {
      assert.ok(!isUserError(error) && !isCredentialsError(error) && !isUserCancelled(error), String(error));
    }
  });

  it('a subclass keeps its parent’s kind unless it narrows it', () => {
    class QuotaError extends UserError {
      override readonly name: string = 'QuotaError';
    }
    assert.ok(isUserError(new QuotaError('quota')));
    assert.ok(!isCredentialsError(new QuotaError('quota')));
  });

  it('errorMessage reads errors and anything else', () => {
    assert.equal(errorMessage(new UserError('one line')), 'one line');
    assert.equal(errorMessage(42), '42');
  });
});

describe('across a bundle boundary (instanceof fails there)', () => {
  const foreign = loadForeignErrors();

  it('the other bundle’s classes really are different classes', () => {
    assert.notEqual(foreign.UserError, UserError);
    assert.ok(!(new foreign.UserError('x') instanceof UserError));
    assert.ok(!(new foreign.CredentialsError('x') instanceof CredentialsError));
  });

  it('its UserError, CredentialsError and UserCancelledError are still recognised by kind', () => {
    assert.ok(isUserError(new foreign.UserError('bad flag')));
    assert.ok(!isCredentialsError(new foreign.UserError('bad flag')));
    const credentials = new foreign.CredentialsError('No Google Cloud credentials found');
    assert.ok(isUserError(credentials) && isCredentialsError(credentials));
    assert.equal((credentials as CredentialsError).loginCommand, LOGIN_COMMAND);
    assert.ok(isUserCancelled(new foreign.UserCancelledError()) && !isUserError(new foreign.UserCancelledError()));
  });

  it('and the other bundle recognises ours the same way', () => {
    assert.ok(foreign.isUserError(new UserError('x')));
    assert.ok(foreign.isCredentialsError(new CredentialsError('x')));
    assert.ok(foreign.isUserCancelled(new UserCancelledError()));
    assert.ok(!foreign.isUserError(new Error('x')));
  });

  it('an error object with a foreign prototype but our kind is recognised; the name alone is not enough', () => {
    const lookalike = Object.assign(Object.create(null) as object, { name: 'CredentialsError', kind: 'credentials', message: 'No credentials' });
    assert.ok(isCredentialsError(lookalike) && isUserError(lookalike));
    const nameOnly = Object.assign(new Error('x'), { name: 'UserError' });
    assert.ok(!isUserError(nameOnly));
  });
});
