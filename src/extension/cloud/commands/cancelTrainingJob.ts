// Model Studio: Cancel Training Job: a custom or tuning job from the tree
// (or picked) goes through cancelling to cancelled; its trainer saves a
// checkpoint first.
import * as vscode from 'vscode';
import { UserError } from '../../../shared/errors';
import type { CloudCommandContext } from '../cloudCommandContext';
import { cloudNodeOf, pick } from '../cloudUi';
import type { TrainingJob } from '../trainingShape';
import { trainingNodeId } from '../trainingShape';

export async function activeTrainingJob(cloud: CloudCommandContext, arg: unknown, title: string, filter: (job: TrainingJob) => boolean): Promise<TrainingJob> {
  const node = cloudNodeOf(arg);
  if (node?.type === 'trainingJob') return node.job;
  if (node?.type === 'trial') return node.job;
  const clients = await cloud.clients();
  const host = cloud.connection.cloud();
  const jobs = [...(await host.listCustomJobs(clients)), ...(await host.listTuningJobs(clients))].filter(filter);
  if (jobs.length === 0) throw new UserError('No training job to act on: Train on Vertex AI first.');
  return (await pick(jobs.map((job) => ({ label: job.displayName, description: `${job.kind} · ${job.state} · ${job.id}`, job })), title, 'Custom and tuning jobs, newest first')).job;
}

export async function cancelTrainingJob(cloud: CloudCommandContext, arg: unknown): Promise<void> {
  const job = await activeTrainingJob(cloud, arg, 'Cancel which training job?', (j) => !['succeeded', 'failed', 'cancelled', 'expired'].includes(j.state));
  const answer = await vscode.window.showWarningMessage(`Cancel ${job.kind} job ${job.displayName}? Its trainer saves a checkpoint and stops.`, { modal: true }, 'Cancel Job');
  if (answer !== 'Cancel Job') return;
  const clients = await cloud.clients();
  const host = cloud.connection.cloud();
  const after = await cloud.tree.whileBusy(trainingNodeId({ type: 'trainingJob', job }), 'Cancelling…', (): Promise<TrainingJob> =>
    job.kind === 'tuning' ? host.cancelTuningJob(clients, job.name) : host.cancelCustomJob(clients, job.name),
  );
  cloud.changed();
  void vscode.window.showInformationMessage(`${job.displayName} is ${after.state}.`);
}
