// Small VS Code helpers the cloud commands share: the node a command was
// invoked on, pickers, confirmations, and one cancellable progress
// notification with numbered steps.
import * as vscode from 'vscode';
import { UserCancelledError } from '../../shared/errors';
import type { OperationUpdate, WaitOptions } from '../../cloud';
import type { CloudNode } from './cloudShape';
import type { Confirmation } from './confirmations';

/** The cloud node a tree command got, if any. */
export function cloudNodeOf(arg: unknown): CloudNode | undefined {
  if (typeof arg !== 'object' || arg === null) return undefined;
  const node = arg as { kind?: unknown; node?: CloudNode };
  return node.kind === 'cloud' && node.node ? node.node : undefined;
}

/** A quick pick; `placeHolder` says what to choose (VS Code shows it in the empty input). */
export async function pick<T extends vscode.QuickPickItem>(items: readonly T[], title: string, placeHolder: string): Promise<T> {
  const chosen = await vscode.window.showQuickPick(items, { title, placeHolder, ignoreFocusOut: true, matchOnDescription: true });
  if (!chosen) throw new UserCancelledError();
  return chosen;
}

export async function ask(options: vscode.InputBoxOptions): Promise<string> {
  const value = await vscode.window.showInputBox({ ignoreFocusOut: true, ...options });
  if (value === undefined) throw new UserCancelledError();
  return value.trim();
}

export function wholeNumber(min: number, max: number): (text: string) => string | undefined {
  return (text) => {
    const n = Number(text.trim());
    return Number.isInteger(n) && n >= min && n <= max ? undefined : `A whole number from ${min} to ${max}`;
  };
}

/** A modal warning with the confirmation's words; resolves to the chosen button or throws on cancel. */
export async function confirm(confirmation: Confirmation, ...extraButtons: string[]): Promise<string> {
  const choice = await vscode.window.showWarningMessage(confirmation.message, { modal: true, detail: confirmation.detail }, confirmation.button, ...extraButtons);
  if (!choice) throw new UserCancelledError();
  return choice;
}

export interface StepReporter {
  /** Starts step `n` of the total: "(2/3) Registering model…". */
  step(n: number, message: string): void;
  /** Detail within the current step: "(1/3) Uploading model files… 75%". */
  detail(text: string): void;
  signal: AbortSignal;
  /** WaitOptions that report an operation's stage and stop on Cancel (and cancel the operation). */
  wait(): WaitOptions;
}

/**
 * Runs `work` in one cancellable progress notification; Cancel aborts its
 * AbortSignal. `lease` (the command's resource lock) gets every message, so a
 * second click can say how far the first one got.
 */
export async function withSteps<T>(title: string, total: number, work: (steps: StepReporter) => Promise<T>, lease?: { report(state: string): void }): Promise<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
    const controller = new AbortController();
    const cancelled = token.onCancellationRequested(() => controller.abort());
    let current = '';
    const reporter: StepReporter = {
      step: (n, message) => {
        current = `(${n}/${total}) ${message}`;
        progress.report({ message: current });
        lease?.report(current);
      },
      detail: (text) => {
        progress.report({ message: `${current} ${text}` });
        lease?.report(`${current} ${text}`);
      },
      signal: controller.signal,
      wait: () => ({
        signal: controller.signal,
        cancelOnAbort: true,
        onProgress: (update: OperationUpdate) => {
          const stage = update.stage ? ` ${update.stage.toLowerCase().replace(/_/g, ' ')}` : '';
          const message = `${current}${stage} (${Math.round(update.elapsedMs / 1000)} s)`;
          progress.report({ message });
          lease?.report(message);
        },
      }),
    };
    try {
      return await work(reporter);
    } finally {
      cancelled.dispose();
    }
  });
}
