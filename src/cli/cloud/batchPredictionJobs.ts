// `model-studio cloud batch-prediction-jobs create|list|describe|cancel`, as
// `gcloud ai batch-prediction-jobs` (create waits for the job unless --async).
import {
  cancelBatchPredictionJob,
  createBatchPredictionJob,
  describeBatchPredictionJob,
  listBatchPredictionJobs,
  waitForBatchPredictionJob,
  type BatchPredictionJobSummary,
} from '../../cloud';
import { UserError } from '../../shared/errors';
import { parseCommandArgs, positiveInteger } from '../../core/commandArgs';
import { listJobsVerb, oneJobVerb } from './jobVerbs';
import { fields, withInterrupt } from './output';
import { COMMON_OPTIONS, COMMON_USAGE, waitTimeoutMs } from './target';
import { withClients } from './withClients';
import type { VerbTable } from '../verbs';

const USAGE = {
  create: `model-studio cloud batch-prediction-jobs create --model MODEL[@VERSION|@ALIAS] --input gs://B/in.jsonl --output gs://B/out/ --display-name N [--machine-type M] [--starting-replica-count N] [--max-replica-count N] [--async] ${COMMON_USAGE}`,
  list: `model-studio cloud batch-prediction-jobs list ${COMMON_USAGE}`,
  describe: `model-studio cloud batch-prediction-jobs describe JOB ${COMMON_USAGE}`,
  cancel: `model-studio cloud batch-prediction-jobs cancel JOB ${COMMON_USAGE}`,
};

export const batchPredictionJobVerbs: VerbTable = {
  create: { run: create, usage: USAGE.create },
  list: { run: list, usage: USAGE.list },
  describe: { run: describe, usage: USAGE.describe },
  cancel: { run: cancel, usage: USAGE.cancel },
};

export function batchJobFields(j: BatchPredictionJobSummary): string {
  return fields([
    ['name', j.name],
    ['displayName', j.displayName],
    ['state', j.state],
    ['model', `${j.model}@${j.modelVersionId}`],
    ['input', j.inputUris.join(', ')],
    ['outputDirectory', j.outputDirectory ?? j.outputUriPrefix],
    ['machineType', j.machineType],
    ['replicas', `${j.startingReplicaCount ?? 1}-${j.maxReplicaCount ?? j.startingReplicaCount ?? 1}`],
    ['completionStats', `${j.successfulCount} succeeded, ${j.failedCount} failed, ${j.incompleteCount} incomplete`],
    ['replicaHours', j.replicaHours.toFixed(4)],
    ['error', j.error],
    ['createTime', j.createTime],
    ['endTime', j.endTime],
  ]);
}

async function create(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(
    argv,
    {
      ...COMMON_OPTIONS,
      model: { type: 'string' },
      input: { type: 'string' },
      output: { type: 'string' },
      'display-name': { type: 'string' },
      'machine-type': { type: 'string' },
      'starting-replica-count': { type: 'string' },
      'max-replica-count': { type: 'string' },
      async: { type: 'boolean' },
    },
    USAGE.create,
  );
  for (const flag of ['model', 'input', 'output', 'display-name'] as const) {
    if (!values[flag]) throw new UserError(`Missing --${flag}. Usage: ${USAGE.create}`);
  }
  const startingReplicaCount = positiveInteger(values['starting-replica-count'], '--starting-replica-count');
  const maxReplicaCount = positiveInteger(values['max-replica-count'], '--max-replica-count');
  return withClients(values, async (clients, out) => {
    let job = await createBatchPredictionJob(clients, {
      displayName: values['display-name'] as string,
      model: values.model as string,
      input: values.input as string,
      output: values.output as string,
      machineType: values['machine-type'],
      startingReplicaCount,
      maxReplicaCount,
    });
    if (!values.async) {
      out.progress(`Created batch prediction job ${job.id}; waiting for it (Ctrl-C stops waiting, the job goes on)`);
      job = await withInterrupt((signal) =>
        waitForBatchPredictionJob(clients, job.id, {
          signal,
          timeoutMs: waitTimeoutMs(values.timeout),
          onProgress: (j) => out.progress(`${j.state.toLowerCase()} · ${j.successfulCount} succeeded, ${j.failedCount} failed, ${j.incompleteCount} to go`),
        }),
      );
    }
    out.result(job, () => batchJobFields(job));
    return job.state === 'FAILED' ? 1 : 0;
  });
}

function list(argv: string[]): Promise<number> {
  return listJobsVerb(argv, USAGE.list, listBatchPredictionJobs, ['JOB_ID', 'DISPLAY_NAME', 'STATE', 'MODEL', 'SUCCEEDED', 'FAILED', 'CREATED'], (j) => [
    j.id,
    j.displayName,
    j.state,
    `${j.model.slice(j.model.lastIndexOf('/') + 1)}@${j.modelVersionId}`,
    String(j.successfulCount),
    String(j.failedCount),
    j.createTime ?? '',
  ]);
}

function describe(argv: string[]): Promise<number> {
  return oneJobVerb(argv, USAGE.describe, describeBatchPredictionJob, batchJobFields);
}

function cancel(argv: string[]): Promise<number> {
  return oneJobVerb(argv, USAGE.cancel, cancelBatchPredictionJob, (job) => `Requested cancellation of batch prediction job ${job.id} (now ${job.state.toLowerCase()}).`);
}
