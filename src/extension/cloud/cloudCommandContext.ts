// What every cloud command works with, and the two things they all do: get
// clients for the current target (starting the sandbox on demand; missing
// credentials become the sign-in prompt) and show the new state after a change.
import * as vscode from 'vscode';
import type { CloudClients } from '../../cloud';
import { isCredentialsError, UserCancelledError } from '../../shared/errors';
import type { Log } from '../log';
import type { RunsModel } from '../runs/runsModel';
import type { CloudConnection } from './cloudConnection';
import type { CloudTree } from './cloudTree';
import { showSignInPrompt } from './signInPrompt';
import { targetLabel } from './target';
import { TrafficPanel } from './trafficPanel';

export class CloudCommandContext {
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

  /** After a change: the tree, and any open traffic editor, show the new state. */
  changed(): void {
    this.tree.refresh();
    TrafficPanel.reloadAll();
  }
}
