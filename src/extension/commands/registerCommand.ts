// Every command goes through this wrapper: the registration is disposed with
// the extension, a failure becomes a notification with [Show Log], a user's
// cancellation stays quiet, and a second click while the first is still
// running is ignored.
import * as vscode from 'vscode';
import { errorMessage, isUserError } from '../../shared/errors';
import type { Log } from '../log';

/** Thrown (or rejected) when the user backs out of a picker or a confirmation. */
export class UserCancelledError extends Error {
  override readonly name = 'UserCancelledError';
  constructor() {
    super('Cancelled');
  }
}

export function isCancellation(error: unknown): boolean {
  return error instanceof UserCancelledError || error instanceof vscode.CancellationError;
}

export interface CommandContext {
  subscriptions: vscode.Disposable[];
  log: Log;
}

/** Shows an error for people: the message, and a button to the log with the details. */
export async function showError(log: Log, message: string): Promise<void> {
  const choice = await vscode.window.showErrorMessage(message, 'Show Log');
  if (choice === 'Show Log') log.show(true);
}

export function registerCommand(
  context: CommandContext,
  id: string,
  // Commands receive whatever VS Code passes (tree items, URIs, selections): each command checks its own.
  callback: (...args: unknown[]) => unknown,
): void {
  let running = false;
  const wrapped = async (...args: unknown[]): Promise<unknown> => {
    if (running) {
      context.log.debug(`${id}: ignored, the previous call is still running`);
      return undefined;
    }
    running = true;
    try {
      return await callback(...args);
    } catch (error) {
      if (isCancellation(error)) return undefined;
      const message = errorMessage(error);
      if (isUserError(error)) context.log.warn(`${id}: ${message}`);
      else context.log.error(`${id} failed`, error instanceof Error ? error : message);
      void showError(context.log, message);
      return undefined;
    } finally {
      running = false;
    }
  };
  context.subscriptions.push(vscode.commands.registerCommand(id, wrapped));
}
