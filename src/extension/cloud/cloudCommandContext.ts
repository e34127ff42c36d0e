// What every cloud command works with, and the three things they all do: get
// clients for the current target (starting the sandbox on demand; missing
// credentials become the sign-in prompt), hold the resources they change
// (a second push of the same run says what the first is doing), and show the
// new state after a change.
import * as vscode from 'vscode';
import type { CloudClients } from '../../cloud';
import { isCredentialsError, UserCancelledError } from '../../shared/errors';
import { busyMessage, ResourceBusy, ResourceLocks, type Lease, type LockHolder } from '../commands/resourceLocks';
import type { Log } from '../log';
import type { RunsModel } from '../runs/runsModel';
import type { CloudConnection } from './cloudConnection';
import type { CloudTree } from './cloudTree';
import { showSignInPrompt } from './signInPrompt';
import { targetLabel } from './target';
import { TrafficPanel } from './trafficPanel';

export class CloudCommandContext {
  readonly locks = new ResourceLocks();

  constructor(
    readonly extension: vscode.ExtensionContext,
    readonly connection: CloudConnection,
    readonly tree: CloudTree,
    readonly runs: RunsModel,
    readonly log: Log,
  ) {}

  /** Clients for the current target, starting the sandbox on demand; missing credentials show the sign-in prompt and cancel quietly. */
  async clients(): Promise<CloudClients> {
    const needsStart = this.connection.target.kind === 'sandbox' && !this.connection.sandboxInfo();
    try {
      if (!needsStart) return await this.connection.clients({ start: true });
      return await this.tree.whileBusy('cloud:target', 'Starting…', async () =>
        vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Starting the local Vertex AI sandbox…' }, () => this.connection.clients({ start: true })),
      );
    } catch (error) {
      if (!isCredentialsError(error)) throw error;
      void showSignInPrompt(this.connection, error, `for ${targetLabel(this.connection.target)}`);
      throw new UserCancelledError();
    }
  }

  /**
   * Runs `work` holding `keys` (lockKey.run/model/endpoint). When another
   * command holds one, says what it is doing and how far it got, waits until
   * it ends (so a caller such as the dashboard's Push button sees the real
   * end), and cancels quietly.
   */
  async exclusive<T>(keys: readonly string[], activity: string, work: (lease: Lease) => Promise<T>): Promise<T> {
    let lease: Lease;
    try {
      lease = this.locks.acquire(keys, activity);
    } catch (error) {
      if (!(error instanceof ResourceBusy)) throw error;
      await this.showBusy(error.holder);
      throw new UserCancelledError();
    }
    try {
      return await work(lease);
    } finally {
      lease.release();
    }
  }

  private async showBusy(holder: LockHolder): Promise<void> {
    const message = busyMessage(holder);
    this.log.info(message);
    // The running command's own progress notification may have been hidden: the list shows it again.
    void vscode.window.showInformationMessage(message, 'Show Progress').then((choice) => {
      if (choice) void vscode.commands.executeCommand('notifications.showList');
    });
    await holder.finished;
  }

  /** After a change: the tree, and any open traffic editor, show the new state. */
  changed(): void {
    this.tree.refresh();
    TrafficPanel.reloadAll();
  }
}
