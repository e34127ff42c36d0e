// Model Studio: Push Model to Vertex AI: a run's saved model becomes a new
// model (or a new version of one) in the Model Registry, files first, in one
// progress with three steps; then offers to deploy it.
import * as vscode from 'vscode';
import type { ModelSummary, PushResult } from '../../../cloud';
import { runDir } from '../../../core/runStore';
import { SANDBOX_BUCKET, SANDBOX_SERVING_IMAGE } from '../../../core/sandboxInfo';
import type { CloudCommandContext } from '../cloudCommandContext';
import { nodeId } from '../cloudShape';
import { ask, pick, withSteps } from '../cloudUi';
import { lockKey, type Lease } from '../../commands/resourceLocks';
import type { RunEntry } from '../../runs/runsModel';
import { pickRun } from '../pickers';
import { targetLabel } from '../target';
import { SERVING_GUIDE_TITLE } from './openServingImageGuide';
import { deployModel } from './deployModel';

const BUCKET_STATE_KEY = 'modelStudio.cloud.lastBucket';

export async function pushModel(cloud: CloudCommandContext, arg: unknown): Promise<void> {
  const entry = await pickRun(cloud.runs, arg, 'Push which run');
  const record = entry.record;
  const where = targetLabel(cloud.connection.target);
  // One push per run at a time: a second click says what the first is doing.
  const pushed = await cloud.exclusive([lockKey.run(record.id)], `pushing ${record.name} to ${where}`, (lease) => push(cloud, entry, lease));
  const next = await vscode.window.showInformationMessage(
    `Pushed ${pushed.displayName} v${pushed.versionId} (model ${pushed.id}) to ${where}.`,
    'Deploy to Endpoint…',
  );
  if (next) await deployModel(cloud, { kind: 'cloud', node: { type: 'version', version: pushed } });
}

async function push(cloud: CloudCommandContext, entry: RunEntry, lease: Lease): Promise<ModelSummary> {
  const record = entry.record;
  const clients = await cloud.clients();
  const target = cloud.connection.target;
  const models = await cloud.connection.cloud().listModels(clients);
  const same = models.filter((m) => m.displayName === record.name);
  const others = models.filter((m) => m.displayName !== record.name);
  const versionOf = (m: ModelSummary): { label: string; description: string; model: ModelSummary | undefined } => ({
    label: `$(versions) New version of ${m.displayName}`,
    description: `model ${m.id} · default v${m.versionId}`,
    model: m,
  });
  const choice = await pick(
    [...same.map(versionOf), { label: '$(add) New model', description: record.name, model: undefined }, ...others.map(versionOf)],
    `Push ${record.name} (${record.id}) to ${targetLabel(target)}`,
    'A new version of a model in the Model Registry, or a new model',
  );
  const displayName = choice.model ? choice.model.displayName : await ask({ title: 'Model name in the Model Registry', value: record.name, validateInput: (v) => (v.trim() ? undefined : 'A name') });
  const state = cloud.extension.workspaceState;
  const defaultBucket = target.kind === 'sandbox' ? SANDBOX_BUCKET : state.get<string>(BUCKET_STATE_KEY, `gs://${target.project}-model-studio`);
  const bucket =
    target.kind === 'sandbox'
      ? defaultBucket
      : await ask({ title: 'Cloud Storage bucket for the model files', value: defaultBucket, prompt: 'gs://BUCKET or gs://BUCKET/PREFIX; the files go under it' });
  if (target.kind === 'project') await state.update(BUCKET_STATE_KEY, bucket);
  const configuredImage = vscode.workspace.getConfiguration('modelStudio.cloud').get<string>('servingImage', '');
  const imageUri =
    target.kind === 'sandbox'
      ? SANDBOX_SERVING_IMAGE
      : configuredImage ||
        (await ask({
          title: 'Serving image in Artifact Registry',
          prompt: `The Model Studio serving image you built and pushed once (README: "The serving image"; Model Studio: ${SERVING_GUIDE_TITLE}). Set modelStudio.cloud.servingImage to skip this question.`,
          placeHolder: `us-central1-docker.pkg.dev/${target.project}/REPO/tfjs-serving:latest`,
          validateInput: (v) => (v.trim() ? undefined : 'An image URI'),
        }));

  const upload = (): Promise<PushResult> =>
    cloud.tree.whileBusy(choice.model ? nodeId({ type: 'model', model: choice.model }) : 'cloud:push', 'Pushing…', () =>
      withSteps(
        `Pushing ${record.name} to ${targetLabel(target)}`,
        3,
        async (steps) => {
          steps.step(1, 'Uploading model files…');
          let registering = false;
          const register = (): void => {
            if (!registering) steps.step(2, 'Registering model…');
            registering = true;
          };
          const pushed = await cloud.connection.cloud().pushModel(clients, {
            runDir: runDir(entry.runsDir, record.id),
            bucket,
            createBucket: target.kind === 'sandbox',
            displayName,
            imageUri,
            parentModel: choice.model?.name,
            onProgress: (p) => {
              if (p.step === 'bucket') steps.detail(p.message);
              else if (p.step === 'register') register();
              else if (p.fileIndex + 1 === p.fileCount && p.bytesDone >= p.totalBytes) register();
              else steps.detail(`${p.fileIndex + 1}/${p.fileCount} · ${Math.round((100 * p.bytesDone) / Math.max(1, p.totalBytes))}%`);
            },
            wait: { signal: steps.signal, cancelOnAbort: true },
          });
          register();
          steps.step(3, 'Listing the new version…');
          return pushed;
        },
        lease,
      ),
    );
  // A new version also holds its model, so it is not deleted meanwhile.
  const result = choice.model
    ? await cloud.exclusive([lockKey.model(choice.model.name)], `pushing a new version of ${choice.model.displayName}`, () => upload())
    : await upload();
  cloud.changed();
  cloud.log.info(`Pushed run ${record.id} as ${result.model.name} v${result.model.versionId} (${result.files.length} files, ${result.uploadedBytes} bytes)`);
  return result.model;
}
