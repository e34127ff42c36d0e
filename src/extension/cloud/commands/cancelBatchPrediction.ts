// Model Studio: Cancel Batch Prediction: a running job (its row, or picked)
// goes through cancelling to cancelled; what it wrote so far stays.
import * as vscode from 'vscode';
import type { BatchPredictionJobSummary } from '../../../cloud';
import { UserError } from '../../../shared/errors';
import { batchNodeId, isActiveBatchJob } from '../batchShape';
import type { CloudCommandContext } from '../cloudCommandContext';
import { cloudNodeOf, pick } from '../cloudUi';

/** The job a row names, else one of the jobs that `filter` keeps, picked (newest first). */
export async function batchJobFrom(cloud: CloudCommandContext, arg: unknown, title: string, filter: (job: BatchPredictionJobSummary) => boolean, none: string): Promise<BatchPredictionJobSummary> {
  const node = cloudNodeOf(arg);
  if (node?.type === 'batchJob') return node.job;
  const clients = await cloud.clients();
  const jobs = (await cloud.connection.cloud().listBatchPredictionJobs(clients)).filter(filter).sort((a, b) => (b.createTime ?? '').localeCompare(a.createTime ?? ''));
  if (jobs.length === 0) throw new UserError(none);
  return (await pick(jobs.map((job) => ({ label: job.displayName || job.id, description: `${job.state.toLowerCase()} · ${job.id}`, job })), title, 'Batch prediction jobs, newest first')).job;
}

export async function cancelBatchPrediction(cloud: CloudCommandContext, arg: unknown): Promise<void> {
  const job = await batchJobFrom(cloud, arg, 'Cancel which batch prediction?', isActiveBatchJob, 'No batch prediction job is running.');
  const answer = await vscode.window.showWarningMessage(`Cancel batch prediction ${job.displayName}? Predictions it wrote so far stay in ${job.outputUriPrefix}.`, { modal: true }, 'Cancel Job');
  if (answer !== 'Cancel Job') return;
  const clients = await cloud.clients();
  const after = await cloud.tree.whileBusy(batchNodeId({ type: 'batchJob', job }), 'Cancelling…', () => cloud.connection.cloud().cancelBatchPredictionJob(clients, job.name));
  cloud.tree.refreshBatchJobs();
  void vscode.window.showInformationMessage(`Batch prediction ${job.displayName} is ${after.state.toLowerCase()}.`);
}
