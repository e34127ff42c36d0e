// `model-studio cloud hp-tuning-jobs create|list|describe|cancel|stream`, as
// `gcloud ai hp-tuning-jobs`: the spec's search section becomes the StudySpec.
import { cancelTuningJob, createTuningJob, describeTuningJob, listTuningJobs, type TuningJobSummary } from '../../cloud';
import { UserError } from '../../shared/errors';
import { parseCommandArgs } from '../../core/commandArgs';
import { listJobsVerb, oneJobVerb } from './jobVerbs';
import { fields, table, withInterrupt } from './output';
import { COMMON_OPTIONS, COMMON_USAGE, resolveTarget } from './target';
import { duration, money, TRAINING_OPTIONS, TRAINING_USAGE, trainingOptions } from './trainingOptions';
import { streamTuningJob, TUNING_STREAM_USAGE } from './tuningJobStream';
import { withClients } from './withClients';
import { withTrainingPrices } from './prices';
import type { VerbTable } from '../verbs';

const USAGE = {
  create: `model-studio cloud hp-tuning-jobs create ${TRAINING_USAGE} [--max-trial-count N] [--parallel-trial-count N] [--max-failed-trial-count N] ${COMMON_USAGE}`,
  list: `model-studio cloud hp-tuning-jobs list ${COMMON_USAGE}`,
  describe: `model-studio cloud hp-tuning-jobs describe JOB ${COMMON_USAGE}`,
  cancel: `model-studio cloud hp-tuning-jobs cancel JOB ${COMMON_USAGE}`,
};

export const tuningJobVerbs: VerbTable = {
  create: { run: create, usage: USAGE.create },
  list: { run: list, usage: USAGE.list },
  describe: { run: describe, usage: USAGE.describe },
  cancel: { run: cancel, usage: USAGE.cancel },
  stream: { run: streamTuningJob, usage: TUNING_STREAM_USAGE },
};

function count(flag: string, text: string | undefined, min: number): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) throw new UserError(`${flag} must be a whole number of at least ${min}, not '${text}'`);
  return value;
}

export function tuningFields(job: TuningJobSummary): string {
  const head = fields([
    ['name', job.name],
    ['displayName', job.displayName],
    ['state', job.state],
    ['error', job.error],
    ['metric', `${job.metric.name} (${job.metric.goal})`],
    ['trials', `${job.trials.length} of ${job.maxTrialCount}, ${job.parallelTrialCount} at a time`],
    ['best', job.best ? `trial ${job.best.trialId}: ${job.metric.name}=${job.best.value.toFixed(4)}` : undefined],
    ['machine', `${job.machine.machineType}${job.machine.acceleratorType ? ` + ${job.machine.acceleratorType} x${job.machine.acceleratorCount}` : ''}`],
    ['elapsed', duration(job.elapsedMs)],
    ['estimatedCost', money(job.estimatedCostUsd)],
    ['prices', job.priceSource],
    ['outputs', job.outputDir],
  ]);
  if (job.trials.length === 0) return head;
  const rows = job.trials.map((t) => [
    t.id,
    t.state,
    Object.entries(t.parameters).map(([k, v]) => `${k}=${v}`).join(' '),
    t.value === undefined ? '' : t.value.toFixed(4),
    t.id === job.best?.trialId ? 'best' : (t.reason ?? ''),
  ]);
  return `${head}\n\n${table(['TRIAL', 'STATE', 'PARAMETERS', job.metric.name.toUpperCase(), ''], rows)}`;
}

async function create(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(
    argv,
    { ...COMMON_OPTIONS, ...TRAINING_OPTIONS, 'max-trial-count': { type: 'string' }, 'parallel-trial-count': { type: 'string' }, 'max-failed-trial-count': { type: 'string' } },
    USAGE.create,
  );
  const target = resolveTarget(values);
  const options = trainingOptions(values, target, USAGE.create);
  const maxTrialCount = count('--max-trial-count', values['max-trial-count'], 1);
  const parallelTrialCount = count('--parallel-trial-count', values['parallel-trial-count'], 1);
  const maxFailedTrialCount = count('--max-failed-trial-count', values['max-failed-trial-count'], 0);
  return withClients(
    values,
    withTrainingPrices(async (clients, out) => {
      const job = await withInterrupt((signal) =>
        createTuningJob(clients, { ...options, maxTrialCount, parallelTrialCount, maxFailedTrialCount, signal, onProgress: (line) => out.progress(line) }),
      );
      out.result(job, () => `${tuningFields(job)}\nFollow it with \`model-studio cloud hp-tuning-jobs stream ${job.id}\``);
      return 0;
    }),
    target,
  );
}

function list(argv: string[]): Promise<number> {
  return listJobsVerb(argv, USAGE.list, withTrainingPrices(listTuningJobs), ['JOB_ID', 'DISPLAY_NAME', 'STATE', 'TRIALS', 'BEST', 'EST_COST'], (j) => [
    j.id,
    j.displayName,
    j.state,
    `${j.trials.length}/${j.maxTrialCount}`,
    j.best ? `${j.best.trialId} (${j.best.value.toFixed(4)})` : '',
    money(j.estimatedCostUsd),
  ], (jobs) => `Prices: ${jobs[0].priceSource}.`);
}

function describe(argv: string[]): Promise<number> {
  return oneJobVerb(argv, USAGE.describe, withTrainingPrices(describeTuningJob), tuningFields);
}

function cancel(argv: string[]): Promise<number> {
  return oneJobVerb(argv, USAGE.cancel, cancelTuningJob, (job) => `Requested cancellation of ${job.name} (now ${job.state}).`);
}
