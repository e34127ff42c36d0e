// registerCommand reports a failed command through reportCommandFailure; its
// decisions are pinned here without VS Code (the e2e suites click through the
// real notifications).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { reportCommandFailure, type FailureReporter } from '../../../../src/extension/commands/commandFailure';
import { CredentialsError, UserCancelledError, UserError } from '../../../../src/shared/errors';
import { loadForeignErrors } from '../../shared/errorsBundle';

interface Reported {
  warnings: string[];
  failures: { line: string; error: Error | string }[];
  shown: string[];
}

function report(error: unknown): Reported {
  const reported: Reported = { warnings: [], failures: [], shown: [] };
  const reporter: FailureReporter = {
    warn: (line) => reported.warnings.push(line),
    error: (line, failure) => reported.failures.push({ line, error: failure }),
    notify: (message) => reported.shown.push(message),
  };
  reportCommandFailure('modelStudio.pushModel', error, reporter);
  return reported;
}

describe('a failed command is reported by the class of its error', () => {
  const foreign = loadForeignErrors();

  it('a UserError shows its message and logs one warning line, no failure', () => {
    for (const error of [new UserError('No run has saved a model yet: train a spec first.'), new foreign.UserError('No run has saved a model yet: train a spec first.')]) {
      assert.deepEqual(report(error), {
        warnings: ['modelStudio.pushModel: No run has saved a model yet: train a spec first.'],
        failures: [],
        shown: ['No run has saved a model yet: train a spec first.'],
      });
    }
  });

  it('a CredentialsError from the cloud bundle is a user error too', () => {
    const reported = report(new foreign.CredentialsError('Google Cloud rejected the credentials: run `gcloud auth application-default login` and retry'));
    assert.equal(reported.failures.length, 0);
    assert.deepEqual(reported.shown, ['Google Cloud rejected the credentials: run `gcloud auth application-default login` and retry']);
    assert.equal(report(new CredentialsError('x')).failures.length, 0);
  });

  it('a cancellation, ours or the cloud bundle’s, reports nothing', () => {
    for (const error of [new UserCancelledError(), new foreign.UserCancelledError()]) {
      assert.deepEqual(report(error), { warnings: [], failures: [], shown: [] });
    }
  });

  it('anything else is logged as a failure with the error itself (its stack) and shown', () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'id')");
    const reported = report(bug);
    assert.deepEqual(reported.warnings, []);
    assert.equal(reported.failures.length, 1);
    assert.equal(reported.failures[0].line, 'modelStudio.pushModel failed');
    assert.equal(reported.failures[0].error, bug);
    assert.deepEqual(reported.shown, ["Cannot read properties of undefined (reading 'id')"]);
    assert.deepEqual(report('a thrown string').failures, [{ line: 'modelStudio.pushModel failed', error: 'a thrown string' }]);
  });
});
