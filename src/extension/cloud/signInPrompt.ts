// The sign-in prompt for missing or rejected Google Cloud credentials: the
// exact gcloud command to copy or run in a terminal, or the local sandbox
// instead.
import * as vscode from 'vscode';
import type { CredentialsError } from '../../shared/errors';
import type { CloudConnection } from './cloudConnection';
import { SANDBOX_TARGET } from './target';

/** `what` completes "No Google Cloud credentials …", e.g. "for project p (us-central1)". */
export async function showSignInPrompt(connection: CloudConnection, error: CredentialsError, what: string): Promise<void> {
  const login = error.loginCommand;
  const choice = await vscode.window.showWarningMessage(`No Google Cloud credentials ${what}. Sign in with: ${login}`, 'Copy Command', 'Run in Terminal', 'Use Local Sandbox');
  if (choice === 'Copy Command') await vscode.env.clipboard.writeText(login);
  if (choice === 'Run in Terminal') {
    const terminal = vscode.window.createTerminal('gcloud login');
    terminal.show();
    terminal.sendText(login);
  }
  if (choice === 'Use Local Sandbox') await connection.setTarget(SANDBOX_TARGET);
}
