// Every command goes through this wrapper: the registration is disposed with
// the extension, a failure is reported by its class (commandFailure.ts) with
// [Show Log], a user's cancellation stays quiet, and a second click while the
// first is still running is ignored.
import * as vscode from 'vscode';
import type { Log } from '../log';
import { reportCommandFailure } from './commandFailure';

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
  const { log } = context;
  let running = false;
  const wrapped = async (...args: unknown[]): Promise<unknown> => {
    if (running) {
      log.debug(`${id}: ignored, the previous call is still running`);
      return undefined;
    }
    running = true;
    try {
      return await callback(...args);
    } catch (error) {
      // VS Code's own cancellation (e.g. a closed progress) is as quiet as ours.
      if (error instanceof vscode.CancellationError) return undefined;
      reportCommandFailure(id, error, {
        warn: (line) => log.warn(line),
        error: (line, failure) => log.error(line, failure),
        notify: (message) => void showError(log, message),
      });
      return undefined;
    } finally {
      running = false;
    }
  };
  context.subscriptions.push(vscode.commands.registerCommand(id, wrapped));
}
