// How a failed command is reported, decided by the error's class (recognised
// across bundles, see src/shared/errors.ts). No vscode import, so tests can
// drive it.
import { errorMessage, isUserCancelled, isUserError } from '../../shared/errors';

export interface FailureReporter {
  /** One log line for a condition the user must fix; not a failure of ours. */
  warn(line: string): void;
  /** Our failure: logged with its stack. */
  error(line: string, error: Error | string): void;
  /** What the user sees. */
  notify(message: string): void;
}

/** A cancellation stays quiet; a UserError is one warning line and its message; anything else is logged as a failure. */
export function reportCommandFailure(id: string, error: unknown, reporter: FailureReporter): void {
  if (isUserCancelled(error)) return;
  const message = errorMessage(error);
  if (isUserError(error)) reporter.warn(`${id}: ${message}`);
  else reporter.error(`${id} failed`, error instanceof Error ? error : message);
  reporter.notify(message);
}
