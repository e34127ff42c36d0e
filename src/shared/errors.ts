// Errors for people, one taxonomy for the CLI and the extension:
// - UserError: the user's mistake or a condition they must fix (bad spec,
//   missing file, nothing to push, a resource gone). One line, no stack: the
//   CLI exits 2, the extension shows the message and logs no failure.
// - CredentialsError: a UserError for missing or rejected Application
//   Default Credentials; `loginCommand` is the fix.
// - UserCancelledError: the user backed out of a picker or a confirmation;
//   nothing is reported.
// - Anything else is our failure: logged with its stack, CLI exit 1.
// Recognise them with the is* checks below, never with instanceof: the
// extension host loads the cloud layer as a separate bundle (dist/cloud.js)
// with its own copy of these classes, so an error from there has a foreign
// prototype. `kind` survives that boundary.

export const LOGIN_COMMAND = 'gcloud auth application-default login';

/** How a failure is reported; inherited by subclasses unless they narrow it. */
export type ErrorKind = 'user' | 'credentials' | 'cancelled';

export class UserError extends Error {
  override readonly name: string = 'UserError';
  readonly kind: Exclude<ErrorKind, 'cancelled'> = 'user';
  constructor(
    message: string,
    /** Extra detail for logs; never shown instead of the message. */
    readonly detail?: string,
  ) {
    super(message);
  }
}

/** No usable Application Default Credentials: missing, expired or rejected. */
export class CredentialsError extends UserError {
  override readonly name: string = 'CredentialsError';
  override readonly kind = 'credentials';
  /** The command that signs in. */
  readonly loginCommand = LOGIN_COMMAND;
}

/** Thrown (or rejected) when the user backs out of a picker or a confirmation. */
export class UserCancelledError extends Error {
  override readonly name: string = 'UserCancelledError';
  readonly kind = 'cancelled';
  constructor() {
    super('Cancelled');
  }
}

function kindOf(error: unknown): unknown {
  if (typeof error !== 'object' || error === null || typeof (error as { message?: unknown }).message !== 'string') return undefined;
  return (error as { kind?: unknown }).kind;
}

/** A UserError (CredentialsError included) from any bundle. */
export function isUserError(error: unknown): error is UserError {
  const kind = kindOf(error);
  return error instanceof UserError || kind === 'user' || kind === 'credentials';
}

export function isCredentialsError(error: unknown): error is CredentialsError {
  return kindOf(error) === 'credentials';
}

export function isUserCancelled(error: unknown): error is UserCancelledError {
  return kindOf(error) === 'cancelled';
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
