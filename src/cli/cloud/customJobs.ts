// `model-studio cloud custom-jobs create|list|describe|cancel|stream`, as
// `gcloud ai custom-jobs`: the spec trains on Vertex AI (or the sandbox) in
// the trainer image; `stream` prints the run's events until the job ends.
import { cancelCustomJob, createCustomJob, describeCustomJob, followJob, isFinalJobState, listCustomJobs, type CustomJobSummary } from '../../cloud';
import type { TrainerEvent } from '../../shared/events';
import { UserError } from '../../shared/errors';
import { parseCommandArgs } from '../../core/commandArgs';
import { listJobsVerb, oneJob, oneJobVerb } from './jobVerbs';
import { fields, withInterrupt } from './output';
import { COMMON_OPTIONS, COMMON_USAGE, resolveTarget } from './target';
import { duration, money, TRAINING_OPTIONS, TRAINING_USAGE, trainingOptions } from './trainingOptions';
import { withClients } from './withClients';

const USAGE = {
  create: `model-studio cloud custom-jobs create ${TRAINING_USAGE} ${COMMON_USAGE}`,
  list: `model-studio cloud custom-jobs list ${COMMON_USAGE}`,
  describe: `model-studio cloud custom-jobs describe JOB ${COMMON_USAGE}`,
  cancel: `model-studio cloud custom-jobs cancel JOB ${COMMON_USAGE}`,
  stream: `model-studio cloud custom-jobs stream JOB [--poll-interval SECONDS] ${COMMON_USAGE}`,
};

export async function customJobsCommand(verb: string | undefined, argv: string[]): Promise<number> {
  switch (verb) {
    case 'create':
      return create(argv);
    case 'list':
      return list(argv);
    case 'describe':
      return describe(argv);
    case 'cancel':
      return cancel(argv);
    case 'stream':
      return stream(argv);
    default:
      throw new UserError(`Unknown custom-jobs command '${verb ?? ''}': use create, list, describe, cancel or stream`);
  }
}

export function jobFields(job: CustomJobSummary): string {
  const m = job.machine;
  return fields([
    ['name', job.name],
    ['displayName', job.displayName],
    ['state', job.state],
    ['error', job.error],
    ['machine', `${m.machineType}${m.acceleratorType ? ` + ${m.acceleratorType} x${m.acceleratorCount}` : ''} x${m.replicaCount}${m.spot ? ' (Spot)' : ''}`],
    ['image', m.imageUri],
    ['created', job.createTime],
    ['started', job.startTime],
    ['ended', job.endTime],
    ['elapsed', duration(job.elapsedMs)],
    ['estimatedCost', money(job.estimatedCostUsd)],
    ['spec', job.specUri],
    ['outputs', job.outputDir],
  ]);
}

async function create(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(argv, { ...COMMON_OPTIONS, ...TRAINING_OPTIONS }, USAGE.create);
  const target = resolveTarget(values);
  const options = trainingOptions(values, target, USAGE.create);
  return withClients(
    values,
    async (clients, out) => {
      const { job, inputs } = await withInterrupt((signal) => createCustomJob(clients, { ...options, signal, onProgress: (line) => out.progress(line) }));
      out.result({ ...job, uploaded: inputs.uploaded, skipped: inputs.skipped }, () => `${jobFields(job)}\nFollow it with \`model-studio cloud custom-jobs stream ${job.id}\``);
      return 0;
    },
    target,
  );
}

function list(argv: string[]): Promise<number> {
  return listJobsVerb(argv, USAGE.list, listCustomJobs, ['JOB_ID', 'DISPLAY_NAME', 'STATE', 'MACHINE', 'ELAPSED', 'EST_COST'], (j) => [
    j.id,
    j.displayName,
    j.state,
    j.machine.machineType,
    duration(j.elapsedMs),
    money(j.estimatedCostUsd),
  ]);
}

function describe(argv: string[]): Promise<number> {
  return oneJobVerb(argv, USAGE.describe, describeCustomJob, jobFields);
}

function cancel(argv: string[]): Promise<number> {
  return oneJobVerb(argv, USAGE.cancel, cancelCustomJob, (job) => `Requested cancellation of ${job.name} (now ${job.state}).`);
}

function eventLine(event: TrainerEvent): string | undefined {
  switch (event.type) {
    case 'runStarted':
      return `run ${event.runId} started: ${event.epochs} epochs on ${event.backend.name}${event.initialEpoch > 0 ? `, resuming at epoch ${event.initialEpoch + 1}` : ''}`;
    case 'epochEnd':
      return `epoch ${event.epoch + 1}/${event.epochs} ${Object.entries(event.metrics).map(([k, v]) => `${k}=${v.toFixed(4)}`).join(' ')}`;
    case 'checkpointSaved':
      return `checkpoint ${event.path}`;
    case 'evaluation':
      return `test ${Object.entries(event.metrics).map(([k, v]) => `${k}=${v.toFixed(4)}`).join(' ')}`;
    case 'runFinished':
      return `run ${event.status}${event.reason ? `: ${event.reason}` : ''}`;
    default:
      return undefined;
  }
}

/** Follows the job; exits 0 when it succeeded, 1 when it failed or was cancelled (its error on stderr). */
async function stream(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, { ...COMMON_OPTIONS, 'poll-interval': { type: 'string' } }, USAGE.stream);
  const job = oneJob(positionals, USAGE.stream);
  const pollMs = values['poll-interval'] ? Number(values['poll-interval']) * 1000 : 2000;
  if (!Number.isFinite(pollMs) || pollMs <= 0) throw new UserError(`--poll-interval must be a number of seconds, not '${values['poll-interval']}'`);
  return withClients(values, async (clients) => {
    const json = values.json ?? false;
    const print = (value: unknown): void => void process.stdout.write(`${JSON.stringify(value)}\n`);
    const final = await withInterrupt((signal) =>
      followJob(clients.storage, {
        describe: () => describeCustomJob(clients, job, signal),
        stateOf: (j) => j.state,
        isFinal: (j) => isFinalJobState(j.state),
        outputDir: (j) => j.outputDir,
        onState: (j) => (json ? print({ type: 'jobState', job: j.name, state: j.state, time: Date.now() }) : process.stderr.write(`job ${j.id} ${j.state}\n`)),
        onEvent: (event) => {
          if (json) return print(event);
          const line = eventLine(event);
          if (line) process.stdout.write(`${line}\n`);
        },
        pollMs,
        signal,
      }),
    );
    if (json) print({ type: 'jobFinished', job: final.name, state: final.state, error: final.error, time: Date.now() });
    else process.stderr.write(`job ${final.id} ${final.state}${final.error ? `: ${final.error}` : ''}\n`);
    return final.state === 'succeeded' ? 0 : 1;
  });
}
