// Model Studio: Create Batch Prediction: a model version (from its row or
// picked) predicts a JSONL file of instances (a local file is uploaded to the
// bucket first; a gs:// URI can be typed) on the chosen machine, writing to a
// Cloud Storage folder; one cancellable progress follows the job to its end,
// then offers its results.
import { basename } from 'node:path';
import * as vscode from 'vscode';
import type { BatchPredictionJobSummary, ModelSummary } from '../../../cloud';
import { SANDBOX_BUCKET } from '../../../core/sandboxInfo';
import { DEFAULT_MACHINE_TYPE } from '../../../shared/cloudResources';
import { UserCancelledError, UserError } from '../../../shared/errors';
import { completionText } from '../batchShape';
import type { CloudCommandContext } from '../cloudCommandContext';
import { ask, cloudNodeOf, pick, withSteps } from '../cloudUi';
import { pickVersion } from '../pickers';
import { activePrices, machineChoices } from '../prices';
import { targetLabel } from '../target';
import { openBatchResults } from './openBatchResults';

const BUCKET_STATE_KEY = 'modelStudio.cloud.lastBucket';
const GS_FILE = /^gs:\/\/[a-z0-9][a-z0-9._-]{1,220}\/.+/;
const GS_FOLDER = /^gs:\/\/[a-z0-9][a-z0-9._-]{1,220}(\/.*)?$/;

function stamp(now: Date): string {
  return now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}

async function instancesSource(label: string): Promise<{ localFile: string } | { uri: string }> {
  const source = await pick(
    [
      { label: '$(file) Local JSONL file…', description: 'uploaded to the output bucket first', local: true },
      { label: '$(cloud) Cloud Storage URI…', description: 'gs://BUCKET/instances.jsonl', local: false },
    ],
    `Instances for ${label}`,
    'A JSONL file: one JSON instance per line, as the model takes it',
  );
  if (!source.local) {
    return { uri: await ask({ title: 'Instances in Cloud Storage', placeHolder: 'gs://BUCKET/instances.jsonl', validateInput: (v) => (GS_FILE.test(v.trim()) ? undefined : 'gs://BUCKET/PATH.jsonl') }) };
  }
  const files = await vscode.window.showOpenDialog({ canSelectMany: false, filters: { 'JSON Lines': ['jsonl', 'json'] }, title: `Instances for ${label} (JSONL, one instance per line)`, openLabel: 'Predict These' });
  if (!files?.[0]) throw new UserCancelledError();
  return { localFile: files[0].fsPath };
}

export async function createBatchPrediction(cloud: CloudCommandContext, arg: unknown): Promise<void> {
  const clients = await cloud.clients();
  const node = cloudNodeOf(arg);
  const version: ModelSummary = node?.type === 'version' ? node.version : node?.type === 'model' ? node.model : await pickVersion(cloud, clients, 'Batch prediction with which model');
  const label = `${version.displayName} v${version.versionId}`;
  const target = cloud.connection.target;
  const source = await instancesSource(label);
  const prices = activePrices();
  const machineType = (
    await pick(
      machineChoices(DEFAULT_MACHINE_TYPE),
      `Machine type for the batch prediction of ${label}`,
      `${prices.kind === 'catalog' ? `${prices.region} list prices` : `Estimated ${prices.region} prices (bundled, offline)`}; billed per replica while the job runs`,
    )
  ).machineType;
  const displayName = `${version.displayName}-batch-${stamp(new Date())}`;
  const state = cloud.extension.workspaceState;
  const bucket = target.kind === 'sandbox' ? SANDBOX_BUCKET : state.get<string>(BUCKET_STATE_KEY, `gs://${target.project}-model-studio`);
  const output = (
    await ask({
      title: 'Output location in Cloud Storage',
      value: `${bucket.replace(/\/$/, '')}/batch-predictions/${displayName}/`,
      prompt: `The job writes predictions_*.jsonl under a prediction-… folder here${'localFile' in source ? '; the instances file is uploaded beside it' : ''}`,
      validateInput: (v) => (GS_FOLDER.test(v.trim()) ? undefined : 'gs://BUCKET/FOLDER/'),
    })
  ).replace(/\/?$/, '/');
  if (target.kind === 'project') await state.update(BUCKET_STATE_KEY, `gs://${/^gs:\/\/([^/]+)/.exec(output)?.[1] ?? ''}`);

  const api = cloud.connection.cloud();
  const total = 'localFile' in source ? 3 : 2;
  const job = await withSteps(`Batch prediction of ${label} on ${targetLabel(target)}`, total, async (steps): Promise<BatchPredictionJobSummary> => {
    let input = 'uri' in source ? source.uri : '';
    if ('localFile' in source) {
      steps.step(1, `Uploading ${basename(source.localFile)}…`);
      input = await api.uploadInstancesFile(clients, source.localFile, `${output}instances/${basename(source.localFile)}`, {
        signal: steps.signal,
        onProgress: (p) => steps.detail(`${Math.round((100 * p.bytesDone) / Math.max(1, p.totalBytes))}%`),
      });
    }
    steps.step(total - 1, 'Creating the job…');
    const created = await api.createBatchPredictionJob(clients, { displayName, model: `${version.id}@${version.versionId}`, input, output, machineType });
    cloud.tree.refreshBatchJobs();
    steps.step(total, `Running ${created.id}…`);
    try {
      return await api.waitForBatchPredictionJob(clients, created.name, {
        signal: steps.signal,
        onProgress: (current) => steps.detail([current.state.toLowerCase(), completionText(current)].filter(Boolean).join(' · ')),
      });
    } catch (error) {
      if (!steps.signal.aborted) throw error;
      // Cancel in the notification cancels the job, as it does for every other cloud step.
      await api.cancelBatchPredictionJob(clients, created.name);
      cloud.tree.refreshBatchJobs();
      throw new UserCancelledError();
    }
  });
  cloud.tree.refreshBatchJobs();
  if (job.state === 'FAILED') throw new UserError(`Batch prediction ${job.displayName} failed: ${job.error ?? 'no reason given'}`);
  if (job.state !== 'SUCCEEDED') {
    void vscode.window.showInformationMessage(`Batch prediction ${job.displayName} ended ${job.state.toLowerCase()}.`);
    return;
  }
  const next = await vscode.window.showInformationMessage(
    `Batch prediction ${job.displayName} succeeded: ${job.successfulCount} predictions${job.failedCount ? `, ${job.failedCount} failed` : ''}.`,
    'Open Results',
  );
  if (next) await openBatchResults(cloud, { kind: 'cloud', node: { type: 'batchJob', job } });
}
