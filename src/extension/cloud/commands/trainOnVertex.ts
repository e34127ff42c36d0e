// Model Studio: Train on Vertex AI (palette, a spec's CodeLens and context
// menu, a run's context menu): the spec goes to Vertex AI (or the local
// sandbox) as a custom job, or, when it has a search section and the user
// says so, as a tuning job. Pickers show the estimated price an hour; the
// upload and creation run in one progress notification.
import * as vscode from 'vscode';
import { basename } from 'node:path';
import { SANDBOX_BUCKET } from '../../../core/sandboxInfo';
import { readFile } from 'node:fs/promises';
import type { TrainingSpec } from '../../../shared/spec';
import { UserError } from '../../../shared/errors';
import { SANDBOX_TRAINER_IMAGE, trainingPriceSource, trainingPricesOf } from '../../../shared/vertexTraining';
import { runIdOf } from '../../tree/modelExplorer';
import { resolveSpec, saveIfDirty } from '../../specs/specFiles';
import type { CloudCommandContext } from '../cloudCommandContext';
import { ask, pick, withSteps } from '../cloudUi';
import { targetLabel } from '../target';
import { activePrices } from '../prices';
import { acceleratorChoices, trainingMachineChoices } from '../trainingShape';

const BUCKET_STATE_KEY = 'modelStudio.cloud.lastTrainingBucket';

/** The spec to send: a run's spec from the runs tree, else a spec file (CodeLens, explorer, editor, or picked). */
async function specFor(cloud: CloudCommandContext, arg: unknown): Promise<string> {
  const runId = runIdOf(arg);
  if (runId) {
    const entry = (await cloud.runs.runs()).find((e) => e.record.id === runId);
    if (entry) return entry.record.specPath;
  }
  const uri = await resolveSpec(arg);
  await saveIfDirty(uri);
  return uri.fsPath;
}

/** Name and search section only: the cloud layer validates the whole spec (ajv stays out of dist/extension.js). */
async function specSummary(specPath: string): Promise<Pick<TrainingSpec, 'name' | 'search'>> {
  try {
    const spec = JSON.parse(await readFile(specPath, 'utf8')) as Partial<TrainingSpec>;
    return { name: typeof spec.name === 'string' ? spec.name : basename(specPath, '.train.json'), search: spec.search };
  } catch (error) {
    throw new UserError(`${specPath} is not a readable JSON spec (${(error as Error).message}): fix it, then Train on Vertex AI again`);
  }
}

export async function trainOnVertex(cloud: CloudCommandContext, arg: unknown): Promise<void> {
  const specPath = await specFor(cloud, arg);
  const spec = await specSummary(specPath);
  const target = cloud.connection.target;
  const where = targetLabel(target);
  const kind = spec.search
    ? (
        await pick(
          [
            { label: '$(beaker) Tuning job', description: `the search section: ${Object.keys(spec.search.parameters).length} parameter(s), ${spec.search.maxTrials ?? 'default'} trials`, tuning: true },
            { label: '$(rocket) Custom job', description: 'the spec as it is, one run', tuning: false },
          ],
          `Train ${spec.name} on ${where}`,
          'A tuning job runs the trials of the search section; a custom job trains the spec once',
        )
      ).tuning
    : false;
  const prices = trainingPricesOf(activePrices());
  const source = trainingPriceSource(prices);
  const machine = (await pick(trainingMachineChoices(prices), `Machine for ${spec.name}`, `Estimated price an hour per replica: ${source}`)).machineType;
  const accelerator = (await pick(acceleratorChoices(machine, prices), `Accelerator on ${machine}`, `GPUs priced each (${source}); the trainer image uses them through tfjs-node-gpu`)).accelerator;
  const state = cloud.extension.workspaceState;
  const bucket =
    target.kind === 'sandbox'
      ? SANDBOX_BUCKET
      : await ask({
          title: 'Cloud Storage bucket for the spec, the data and the job\'s outputs',
          value: state.get<string>(BUCKET_STATE_KEY, `gs://${target.project}-model-studio`),
          prompt: `gs://BUCKET, in ${target.region}`,
          validateInput: (v) => (/^gs:\/\/[a-z0-9][a-z0-9._-]+[a-z0-9]\/?$/.test(v.trim()) ? undefined : 'gs://BUCKET'),
        });
  if (target.kind === 'project') await state.update(BUCKET_STATE_KEY, bucket);
  const configured = vscode.workspace.getConfiguration('modelStudio.cloud').get<string>('trainerImage', '');
  const imageUri =
    target.kind === 'sandbox'
      ? SANDBOX_TRAINER_IMAGE
      : configured ||
        (await ask({
          title: 'Trainer image (Artifact Registry)',
          prompt: 'The trainer image you pushed (README, "Training on Vertex AI"); set modelStudio.cloud.trainerImage to skip this question',
          placeHolder: `${target.region}-docker.pkg.dev/${target.project}/model-studio/trainer:latest`,
          validateInput: (v) => (v.trim() ? undefined : 'An image URI'),
        }));
  const displayName = `${spec.name}-${new Date().toISOString().slice(0, 16).replace(/[-:T]/g, '')}`;
  const clients = await cloud.clients();
  const job = await cloud.tree.whileBusy('cloud:trainingJobs', 'Creating…', () =>
    withSteps(`Training ${basename(specPath)} on ${where}`, 2, async (steps) => {
      steps.step(1, 'Uploading the spec and its files…');
      const options = {
        specPath,
        displayName,
        bucket,
        createBucket: target.kind === 'sandbox',
        imageUri,
        machineType: machine,
        accelerator,
        signal: steps.signal,
        onProgress: (line: string) => {
          steps.detail(line);
          if (line.startsWith('Uploaded')) steps.step(2, `Creating the ${kind ? 'tuning' : 'custom'} job…`);
        },
      };
      const host = cloud.connection.cloud();
      return kind ? host.createTuningJob(clients, options) : (await host.createCustomJob(clients, options)).job;
    }),
  );
  cloud.changed();
  cloud.log.info(`Created ${job.kind} job ${job.name} for ${specPath} on ${machine}${accelerator ? ` + ${accelerator.type}` : ''}`);
  const next = await vscode.window.showInformationMessage(`Created ${job.kind === 'tuning' ? 'tuning' : 'custom'} job ${job.displayName} (${job.id}) on ${where}: it is ${job.state}.`, ...(job.kind === 'custom' ? ['Open Dashboard'] : []));
  if (next === 'Open Dashboard') await vscode.commands.executeCommand('modelStudio.openJobDashboard', { kind: 'cloud', node: { type: 'trainingJob', job } });
}
