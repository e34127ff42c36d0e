// `model-studio cloud custom-jobs create|list|describe|cancel|stream`, as
// `gcloud ai custom-jobs`: the spec trains on Vertex AI (or the sandbox) in
// the trainer image; `stream` prints the run's events until the job ends.
import { cancelCustomJob, createCustomJob, describeCustomJob, followJob, listCustomJobs, type CustomJobSummary } from '../../cloud';
import { parseCommandArgs } from '../../core/commandArgs';
import { followBase, STREAM_USAGE, streamVerb } from './jobStream';
import { listJobsVerb, oneJobVerb } from './jobVerbs';
import { fields, withInterrupt } from './output';
import { COMMON_OPTIONS, COMMON_USAGE, resolveTarget } from './target';
import { duration, money, TRAINING_OPTIONS, TRAINING_USAGE, trainingOptions } from './trainingOptions';
import { withClients } from './withClients';
import { withTrainingPrices } from './prices';
import type { VerbTable } from '../verbs';

const USAGE = {
  create: `model-studio cloud custom-jobs create ${TRAINING_USAGE} ${COMMON_USAGE}`,
  list: `model-studio cloud custom-jobs list ${COMMON_USAGE}`,
  describe: `model-studio cloud custom-jobs describe JOB ${COMMON_USAGE}`,
  cancel: `model-studio cloud custom-jobs cancel JOB ${COMMON_USAGE}`,
  stream: `model-studio cloud custom-jobs stream JOB ${STREAM_USAGE} ${COMMON_USAGE}`,
};

export const customJobVerbs: VerbTable = {
  create: { run: create, usage: USAGE.create },
  list: { run: list, usage: USAGE.list },
  describe: { run: describe, usage: USAGE.describe },
  cancel: { run: cancel, usage: USAGE.cancel },
  stream: { run: stream, usage: USAGE.stream },
};

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
    ['prices', job.priceSource],
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
    withTrainingPrices(async (clients, out) => {
      const { job, inputs } = await withInterrupt((signal) => createCustomJob(clients, { ...options, signal, onProgress: (line) => out.progress(line) }));
      out.result({ ...job, uploaded: inputs.uploaded, skipped: inputs.skipped }, () => `${jobFields(job)}\nFollow it with \`model-studio cloud custom-jobs stream ${job.id}\``);
      return 0;
    }),
    target,
  );
}

function list(argv: string[]): Promise<number> {
  return listJobsVerb(
    argv,
    USAGE.list,
    withTrainingPrices(listCustomJobs),
    ['JOB_ID', 'DISPLAY_NAME', 'STATE', 'MACHINE', 'ELAPSED', 'EST_COST'],
    (j) => [j.id, j.displayName, j.state, j.machine.machineType, duration(j.elapsedMs), money(j.estimatedCostUsd)],
    (jobs) => `Prices: ${jobs[0].priceSource}.`,
  );
}

function describe(argv: string[]): Promise<number> {
  return oneJobVerb(argv, USAGE.describe, withTrainingPrices(describeCustomJob), jobFields);
}

function cancel(argv: string[]): Promise<number> {
  return oneJobVerb(argv, USAGE.cancel, cancelCustomJob, (job) => `Requested cancellation of ${job.name} (now ${job.state}).`);
}

/** Follows the job; exits 0 when it succeeded, 1 when it failed or was cancelled (its error on stderr). */
function stream(argv: string[]): Promise<number> {
  return streamVerb(
    argv,
    USAGE.stream,
    (context) =>
      followJob(context.clients.storage, {
        ...followBase(context, ({ clients, job, signal }) => describeCustomJob(clients, job, signal)),
        outputDir: (j) => j.outputDir,
        onEvent: (event) => context.out.event(event),
      }),
    (final, out) => out.status({ type: 'jobFinished', job: final.name, state: final.state, error: final.error }, `job ${final.id} ${final.state}${final.error ? `: ${final.error}` : ''}`),
  );
}
