// Model Studio: Push Model (on a training job or a trial): the model the job
// saved in its bucket (a tuning job's best trial unless a trial was chosen)
// goes to the Model Registry, labelled with the job and trial.
import * as vscode from 'vscode';
import { SANDBOX_SERVING_IMAGE } from '../../../core/sandboxInfo';
import type { CloudCommandContext } from '../cloudCommandContext';
import { ask, cloudNodeOf, withSteps } from '../cloudUi';
import { targetLabel } from '../target';
import { activeTrainingJob } from './cancelTrainingJob';
import { deployModel } from './deployModel';

export async function pushJobModel(cloud: CloudCommandContext, arg: unknown): Promise<void> {
  const node = cloudNodeOf(arg);
  const job = await activeTrainingJob(cloud, arg, 'Push the model of which job?', (j) => j.state === 'succeeded' || (j.kind === 'tuning' && j.best !== undefined));
  const trial = node?.type === 'trial' ? node.trial.id : undefined;
  const target = cloud.connection.target;
  const configured = vscode.workspace.getConfiguration('modelStudio.cloud').get<string>('servingImage', '');
  const imageUri =
    target.kind === 'sandbox'
      ? SANDBOX_SERVING_IMAGE
      : configured || (await ask({ title: 'Serving image (Artifact Registry)', prompt: 'The TF.js serving container (src/serving/Dockerfile)', validateInput: (v) => (v.trim() ? undefined : 'An image URI') }));
  const clients = await cloud.clients();
  const result = await withSteps(`Pushing the model of ${job.displayName}${trial ? ` (trial ${trial})` : ''} to ${targetLabel(target)}`, 1, async (steps) => {
    steps.step(1, 'Registering the model…');
    return cloud.connection.cloud().pushJobModel(clients, { job: job.name, trial, displayName: job.displayName.replace(/-\d{12}$/, ''), imageUri, wait: steps.wait() });
  });
  cloud.changed();
  const next = await vscode.window.showInformationMessage(`Pushed ${result.model.displayName} v${result.model.versionId}${result.trialId ? ` from trial ${result.trialId}` : ''}.`, 'Deploy to Endpoint…');
  if (next) await deployModel(cloud, { kind: 'cloud', node: { type: 'version', version: result.model } });
}
