// When a multi-step cloud action fails half-way, the error says what now
// exists and how to remove it, so nothing is left behind silently.
import { CredentialsError, isCredentialsError, isUserError, UserError } from '../shared/errors';
import { CloudError, CloudUserError } from './errors';
import { OperationWaitStopped } from './operations';

/** The same kind of error with `advice` appended to its message. */
export function withAdvice(error: unknown, advice: string): Error {
  const message = `${error instanceof Error ? error.message.replace(/[.\s]+$/, '') : String(error)}. ${advice}`;
  if (error instanceof OperationWaitStopped) return new OperationWaitStopped(message, error.operationName, error.cancelRequested);
  if (error instanceof CloudUserError) return new CloudUserError(message, error.status, error.operation);
  if (error instanceof CloudError) return new CloudError(message, error.status, error.operation);
  if (isCredentialsError(error)) return new CredentialsError(message, error.detail);
  if (isUserError(error)) return new UserError(message, error.detail);
  return new Error(message, { cause: error });
}
