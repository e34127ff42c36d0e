// Every command goes through this wrapper: the registration is disposed with
// the extension, a failure is reported by its class (commandFailure.ts) with
// [Show Log], a user's cancellation stays quiet, and a double click (the same
// call again within half a second) runs once. Anything else runs: two pushes
// of two runs may go on at once, and a command that finds its resource busy
// says so (resourceLocks.ts).
import * as vscode from 'vscode';
import type { Log } from '../log';
import { reportCommandFailure } from './commandFailure';
import { argumentsKey, DoubleClickGuard } from './doubleClick';

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
  const guard = new DoubleClickGuard();
  const wrapped = async (...args: unknown[]): Promise<unknown> => {
    const ended = guard.start(argumentsKey(args));
    if (!ended) {
      log.debug(`${id}: a double click, ignored the second call`);
      return undefined;
    }
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
      ended();
    }
  };
  context.subscriptions.push(vscode.commands.registerCommand(id, wrapped));
}
