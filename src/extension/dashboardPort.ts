// INTEGRATION POINT with the dashboard module (src/extension/dashboard/,
// built alongside): adapts its DashboardPanel to the DashboardPort that the
// rest of the extension uses. One panel at a time; its runs folder follows
// the runs it shows.
import * as vscode from 'vscode';
import { listRuns } from '../core/runStore';
import type { TrainerEvent } from '../shared/events';
import { DashboardPanel } from './dashboard/dashboardPanel';
import { loadAvailable, loadRecords, loadRunHistories } from './dashboard/runHistories';
import type { DashboardPort, DashboardPortHost } from './dashboardBridge';

export function createDashboardPort(host: DashboardPortHost): DashboardPort {
  let panel: DashboardPanel | undefined;
  let runsDir: string | undefined;
  const dir = (): string => {
    if (!runsDir) throw new Error('No runs folder chosen for the dashboard yet.');
    return runsDir;
  };
  const panelHost = {
    extensionUri: host.context.extensionUri,
    loadRuns: (ids: readonly string[]) => loadRunHistories(dir(), ids),
    loadRecords: (ids: readonly string[]) => loadRecords(dir(), ids),
    listAvailable: () => loadAvailable(dir()),
    newestRunId: async () => (await listRuns(dir()))[0]?.id,
    stop: (runId: string) => host.stop(runId),
    openFolder: (runId: string) => host.openFolder(runId),
    logError: (message: string) => host.log.error(message),
  };
  return {
    async show(runIds: readonly string[], folder: string, preserveFocus: boolean): Promise<void> {
      runsDir = folder;
      panel ??= DashboardPanel.create(
        panelHost,
        () => {
          panel = undefined;
        },
        vscode.ViewColumn.Active,
        preserveFocus,
      );
      await panel.show(runIds, preserveFocus);
    },
    post(event: TrainerEvent): void {
      panel?.post(event);
    },
    runsChanged(): void {
      panel?.runsChanged();
    },
    dispose(): void {
      panel?.dispose();
    },
  };
}
