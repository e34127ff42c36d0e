// Model Studio: Stop Local Sandbox: a shutdown request to the running sandbox
// (the same as `model-studio sandbox stop`), after a confirmation when cloud
// work of this window still runs. Its models and endpoints stay on disk.
import * as vscode from 'vscode';
import { UserCancelledError } from '../../../shared/errors';
import type { CloudCommandContext } from '../cloudCommandContext';

export async function stopSandbox(cloud: CloudCommandContext): Promise<void> {
  const info = cloud.connection.checkSandbox();
  if (!info) {
    void vscode.window.showInformationMessage('The local sandbox is not running.');
    return;
  }
  const running = cloud.connection.target.kind === 'sandbox' ? cloud.locks.holders : [];
  if (running.length > 0) {
    const answer = await vscode.window.showWarningMessage(
      `Stop the local sandbox while ${running.map((h) => h.activity).join(', ')} still runs?`,
      { modal: true, detail: 'That work fails when the sandbox stops; its models and endpoints stay on disk.' },
      'Stop',
    );
    if (answer !== 'Stop') throw new UserCancelledError();
  }
  await cloud.tree.whileBusy('cloud:target', 'Stopping…', async () =>
    vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Stopping the local sandbox…' }, () => cloud.connection.stopSandbox()),
  );
  void vscode.window.showInformationMessage(`Stopped the local sandbox. Its models and endpoints stay in ${info.dataDir}; it starts again on demand.`);
}
