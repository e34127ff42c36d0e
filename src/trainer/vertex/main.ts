// Entry of the trainer image (the Dockerfile's `trainer` target, dist/vertexTrainer.js):
// the same trainer as the laptop's, run as a Vertex AI custom job or tuning
// trial. It downloads the spec's folder from gs://, trains, copies run.json,
// metrics.jsonl and checkpoints up as it goes, saves model/ to AIP_MODEL_DIR,
// resumes from its checkpoints after a restart, and reports the search
// metric in the hypertune format. Exit: 0 trained, 2 the user's mistake, 1 otherwise.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TrainerEvent } from '../../shared/events';
import { errorMessage, isUserError, UserError } from '../../shared/errors';
import { ENV } from '../../shared/vertexTraining';
import { loadSpec } from '../../core/spec';
import { train } from '../train';
import { downloadFolder, parseGsUri, trainerStorage } from './gcs';
import { HypertuneReporter } from './hypertune';
import { jobOutputs, OutputSync, restoreRun } from './outputs';
import { parseTrainerArgs, trialParameters } from './trialArgs';

const log = (line: string): void => void process.stderr.write(`${line}\n`);

async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  // Everything the job keeps lives in the bucket; the local copy goes when the job ends.
  const work = await mkdtemp(join(tmpdir(), 'model-studio-job-'));
  try {
    return await trainJob(argv, env, work);
  } finally {
    await rm(work, { recursive: true, force: true, maxRetries: 3 });
  }
}

async function trainJob(argv: string[], env: NodeJS.ProcessEnv, work: string): Promise<number> {
  const args = parseTrainerArgs(argv);
  const outputs = jobOutputs(env);
  const storage = trainerStorage(env);
  const runsDir = join(work, 'runs');

  // The spec's folder holds what `custom-jobs create` uploaded beside it: the user module, local data files.
  const spec = parseGsUri(args.specUri);
  const folder = { bucket: spec.bucket, path: spec.path.replace(/[^/]*$/, '') };
  const inputs = join(work, 'inputs');
  const specName = spec.path.slice(folder.path.length);
  const downloaded = await downloadFolder(storage, folder, inputs);
  if (!downloaded.includes(specName)) throw new UserError(`${args.specUri} does not exist: create the job again so it uploads the spec, or fix --spec`);
  const specPath = join(inputs, ...specName.split('/'));
  const loaded = await loadSpec(specPath);
  const parameters = trialParameters(loaded, args.values);
  const trial = parameters && { sweepId: env[ENV.jobId] || 'vertex-tuning-job', trialId: env[ENV.trialId] || '1', parameters };

  const restored = await restoreRun(storage, outputs, runsDir, log);
  if (restored.kind === 'completed') {
    log(`Run ${restored.record.id} already completed: nothing to train.`);
    return 0;
  }
  const metric = loaded.search?.metric.name;
  const hypertune = metric !== undefined ? HypertuneReporter.fromEnv(env) : undefined;
  const sync = new OutputSync(storage, outputs, runsDir, log);
  const stop = new AbortController();
  // Vertex AI sends SIGTERM on cancel and before a preemption: save a checkpoint and copy it up.
  process.on('SIGTERM', () => stop.abort());
  process.on('SIGINT', () => stop.abort());

  let step = 0;
  const emit = (event: TrainerEvent): void => {
    sync.onEvent(event);
    if (event.type === 'batchEnd') step = event.step;
    if (event.type === 'epochEnd') {
      const values = Object.entries(event.metrics).map(([name, value]) => `${name}=${value.toFixed(4)}`);
      process.stdout.write(`epoch ${event.epoch + 1}/${event.epochs} ${values.join(' ')}\n`);
      const value = metric === undefined ? undefined : event.metrics[metric];
      if (hypertune && metric !== undefined && value !== undefined) hypertune.report(metric, value, step);
    }
  };
  let finished;
  try {
    finished = await train(
      { specPath, runsDir, epochs: args.epochs, resume: restored.kind === 'resume' ? restored.runId : undefined, trial },
      { emit, stop: stop.signal, log },
    );
  } finally {
    await sync.finish();
  }
  if (finished.status === 'completed') return 0;
  log(finished.status === 'stopped' ? `Stopped: ${finished.reason ?? 'the job was cancelled'}` : `Training failed: ${finished.reason ?? 'unknown reason'}`);
  return 1;
}

main(process.argv.slice(2), process.env).then(
  (code) => process.exit(code),
  (error: unknown) => {
    // The last line of stderr is the job's error: one line, the user's to fix when it is a UserError.
    if (!isUserError(error)) log(error instanceof Error ? (error.stack ?? error.message) : String(error));
    log(errorMessage(error).replace(/\s*\n\s*/g, ' '));
    process.exit(isUserError(error) ? 2 : 1);
  },
);
