// Errors for people. A UserError is the user's mistake (bad spec, missing
// file, wrong flag): the CLI prints its message as one line and exits 2 with
// no stack trace. Anything else is our bug: exit 1, details in the log.

export class UserError extends Error {
  override readonly name = 'UserError';
  constructor(
    message: string,
    /** Extra detail for logs; never shown instead of the message. */
    readonly detail?: string,
  ) {
    super(message);
  }
}

export function isUserError(error: unknown): error is UserError {
  return error instanceof UserError || (error instanceof Error && error.name === 'UserError');
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
