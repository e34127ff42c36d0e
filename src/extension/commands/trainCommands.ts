// Train, Train with…, Resume, Stop: the commands that start and end trainer processes.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { BackendChoice } from '../../shared/events';
import type { TrainRequest } from '../../shared/protocol/trainer';
import { UserCancelledError, UserError } from '../../shared/errors';
import { runIdOf } from '../tree/modelExplorer';
import { isResumable } from '../tree/treeShape';
import type { ExtensionServices } from '../services';
import { folderFor, readSettings, runsDirOf } from '../settings';
import { readSpecJson, resolveSpec, saveIfDirty, specName } from '../specs/specFiles';
import type { TrainingJob } from '../training/trainingManager';
import { chosenNumber, trainingValuesOf, validateBatchSize, validateEpochs, validateLearningRate } from './trainChoices';

/** What Train With… asks for; the rest of the request comes from the spec and its folder. */
export type TrainChoices = Pick<TrainRequest, 'epochs' | 'batchSize' | 'learningRate' | 'backend'>;

export async function trainSpec(services: ExtensionServices, arg: unknown, choices: TrainChoices = {}): Promise<TrainingJob> {
  const spec = await resolveSpec(arg);
  const folder = folderFor(spec);
  if (!folder) throw new UserError('Open a folder first: runs are saved in the workspace folder (.model-studio/runs).');
  await saveIfDirty(spec);
  const job = services.training.train({
    specPath: spec.fsPath,
    runsDir: runsDirOf(folder),
    cwd: folder.uri.fsPath,
    name: await specName(spec),
    ...choices,
  });
  if (readSettings(folder.uri).openDashboardOnTrain) services.dashboard.openForJob(job);
  return job;
}

export async function trainWith(services: ExtensionServices, arg: unknown): Promise<void> {
  const spec = await resolveSpec(arg);
  const file = path.basename(spec.fsPath);
  const current = trainingValuesOf(await readSpecJson(spec));
  const title = (step: number, what: string): string => `Train ${file} (${step}/4): ${what}`;
  const ask = async (step: number, what: string, prompt: string, validateInput: (value: string) => string | undefined): Promise<number | undefined> => {
    const answer = await vscode.window.showInputBox({ title: title(step, what), prompt, ignoreFocusOut: true, validateInput });
    if (answer === undefined) throw new UserCancelledError();
    return chosenNumber(answer);
  };
  const epochs = await ask(1, 'epochs', `Epochs to train; empty: the spec’s ${current.epochs ?? 'own value'}`, validateEpochs);
  const batchSize = await ask(2, 'batch size', `Samples per gradient step; empty: the spec’s ${current.batchSize ?? 32}`, validateBatchSize);
  const specRate = current.learningRate ?? `${current.optimizer ?? 'optimizer'} default`;
  const learningRate = await ask(3, 'learning rate', `The optimizer’s learning rate, e.g. 0.001; empty: the spec’s ${specRate}`, validateLearningRate);
  const backendSetting = readSettings(spec).backend;
  const backends: { label: BackendChoice; description: string }[] = [
    { label: 'auto', description: 'fastest available: native TensorFlow, then WebAssembly, then pure JS' },
    { label: 'tensorflow', description: 'native TensorFlow (install it with “Install Native TensorFlow Backend”)' },
    { label: 'wasm', description: 'WebAssembly, one CPU core' },
    { label: 'cpu', description: 'pure JavaScript, slowest' },
  ];
  const backend = await vscode.window.showQuickPick(
    backends.map((b) => ({ ...b, picked: b.label === backendSetting, detail: b.label === backendSetting ? 'current setting' : undefined })),
    { title: title(4, 'backend'), placeHolder: 'Where the training runs', ignoreFocusOut: true },
  );
  if (!backend) throw new UserCancelledError();
  await trainSpec(services, spec, { epochs, batchSize, learningRate, backend: backend.label });
}

export async function resumeRun(services: ExtensionServices, arg: unknown): Promise<void> {
  let runId = runIdOf(arg);
  if (!runId) {
    const resumable = (await services.runs.reload()).filter((e) => isResumable(e.record));
    if (resumable.length === 0) throw new UserError('No stopped or crashed run with a checkpoint to resume.');
    const picked = await vscode.window.showQuickPick(
      resumable.map((e) => ({
        label: e.record.id,
        description: `${e.record.status} · ${e.record.epochsCompleted}/${e.record.epochs} epochs`,
        id: e.record.id,
      })),
      { title: 'Resume which run?', ignoreFocusOut: true },
    );
    if (!picked) throw new UserCancelledError();
    runId = picked.id;
  }
  const entry = await services.runs.find(runId);
  if (!entry) throw new UserError(`Run ${runId} is not in the runs folder any more.`);
  if (!isResumable(entry.record)) {
    throw new UserError(`Run ${runId} is ${entry.record.status}${entry.record.lastCheckpoint ? '' : ' and has no checkpoint'}: only stopped or crashed runs with a checkpoint resume.`);
  }
  const job = services.training.train({
    specPath: entry.record.specPath,
    runsDir: entry.runsDir,
    cwd: entry.folder.uri.fsPath,
    name: entry.record.name,
    resume: runId,
  });
  if (readSettings(entry.folder.uri).openDashboardOnTrain) services.dashboard.openForJob(job);
}

export async function stopTraining(services: ExtensionServices, arg: unknown): Promise<void> {
  const active = services.training.active;
  const runId = runIdOf(arg);
  let job = runId ? services.training.findByRunId(runId) : undefined;
  if (!job && typeof arg === 'object' && arg !== null && 'kind' in arg && (arg as { kind: unknown }).kind === 'run') {
    // A queued or loading job has no run id yet: match its spec.
    const specPath = (arg as { view?: { specPath?: string } }).view?.specPath;
    job = active.find((j) => !j.runId && j.options.specPath === specPath);
  }
  if (!job) {
    if (active.length === 0) {
      void vscode.window.showInformationMessage('Nothing is training.');
      return;
    }
    if (active.length === 1) job = active[0];
    else {
      const picked = await vscode.window.showQuickPick(
        active.map((j) => ({ label: j.live.name, description: j.runId ?? j.live.phase, job: j })),
        { title: 'Stop which run?', ignoreFocusOut: true },
      );
      if (!picked) throw new UserCancelledError();
      job = picked.job;
    }
  }
  services.training.stop(job);
}
