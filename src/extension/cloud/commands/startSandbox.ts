// Model Studio: Start Local Sandbox: starts it (if it is not running), with
// the idle limit of modelStudio.cloud.sandboxIdleMinutes, and shows what it holds.
import * as vscode from 'vscode';
import type { CloudCommandContext } from '../cloudCommandContext';
import { SANDBOX_TARGET, targetLabel } from '../target';

export async function startSandbox(cloud: CloudCommandContext): Promise<void> {
  const target = cloud.connection.target;
  if (target.kind === 'sandbox') {
    await cloud.clients();
    cloud.changed();
    return;
  }
  // Another target is chosen: start the sandbox anyway, and offer to switch to it.
  await cloud.tree.whileBusy('cloud:target', 'Starting…', async () =>
    vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Starting the local Vertex AI sandbox…' }, () => cloud.connection.startSandbox()),
  );
  const choice = await vscode.window.showInformationMessage(`The local sandbox runs. Cloud commands still go to ${targetLabel(target)}.`, 'Use Local Sandbox');
  if (choice) await cloud.connection.setTarget(SANDBOX_TARGET);
}
