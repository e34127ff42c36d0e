// Model Studio: Open Dashboard on a training job or trial: the same dashboard
// as a local run, fed from the job's metrics.jsonl as it grows in the bucket
// (mirrored into the extension's storage while the job runs).
import * as vscode from 'vscode';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../../../shared/errors';
import type { DashboardBridge } from '../../dashboard/dashboardBridge';
import type { CloudCommandContext } from '../cloudCommandContext';
import { cloudNodeOf } from '../cloudUi';
import { JobRunMirror } from '../jobRunMirror';
import { activeTrainingJob } from './cancelTrainingJob';

const mirrors = new Map<string, JobRunMirror>();

export async function openJobDashboard(cloud: CloudCommandContext, dashboard: DashboardBridge, arg: unknown): Promise<void> {
  const node = cloudNodeOf(arg);
  const job = await activeTrainingJob(cloud, arg, 'Open the dashboard of which job?', () => true);
  const trial = node?.type === 'trial' ? node.trial : job.kind === 'tuning' ? job.trials.find((t) => t.id === job.best?.trialId) ?? job.trials[0] : undefined;
  if (job.kind === 'tuning' && !trial) throw new UserError(`Tuning job ${job.displayName} has no trial yet: open its dashboard once one runs.`);
  const outputDir = trial ? trial.outputDir : job.outputDir;
  const key = `${job.id}${trial ? `-${trial.id}` : ''}`;
  const runsDir = join(cloud.extension.globalStorageUri.fsPath, 'vertex-runs', key);
  mirrors.get(key)?.stop();
  await rm(runsDir, { recursive: true, force: true });
  const clients = await cloud.clients();
  const host = cloud.connection.cloud();
  let opened = false;
  const mirror = new JobRunMirror({
    cloud: host,
    clients,
    outputDir,
    runsDir,
    isActive: async () => {
      const current = job.kind === 'tuning' ? await host.describeTuningJob(clients, job.name) : await host.describeCustomJob(clients, job.name);
      return !['succeeded', 'failed', 'cancelled', 'expired'].includes(current.state);
    },
    onRun: (record) => {
      opened = true;
      dashboard.open([record.id], runsDir);
    },
    onEvent: (event) => dashboard.post(event),
    onError: (message) => cloud.log.warn(`Dashboard of ${job.displayName}: ${message}`),
  });
  mirrors.set(key, mirror);
  void vscode.window.setStatusBarMessage(`Following ${job.displayName}${trial ? ` trial ${trial.id}` : ''} on Vertex AI…`, 5000);
  void mirror.run().finally(() => {
    if (mirrors.get(key) === mirror) mirrors.delete(key);
    if (!opened) void vscode.window.showInformationMessage(`${job.displayName} has written no run yet: its trainer has not started training.`);
  });
}

/** Stops following every job (the extension deactivates). */
export function stopJobDashboards(): void {
  for (const mirror of mirrors.values()) mirror.stop();
  mirrors.clear();
}
