// `model-studio cloud hp-tuning-jobs stream JOB`: follows every trial's run
// while the tuning job runs, one line per trial event prefixed with the
// trial's id (or one JSON object a line with its trialId), then the job's
// final state, the best trial by the study's goal, and the job's error.
import { describeTuningJob, followTrials, type TuningJobSummary, type TuningTrialSummary } from '../../cloud';
import { followBase, STREAM_USAGE, streamVerb, type StreamPrinter } from './jobStream';
import { COMMON_USAGE } from './target';

export const TUNING_STREAM_USAGE = `model-studio cloud hp-tuning-jobs stream JOB ${STREAM_USAGE} ${COMMON_USAGE}`;

function trialLine(job: TuningJobSummary, trial: TuningTrialSummary): string {
  const value = trial.value === undefined ? '' : ` ${job.metric.name}=${trial.value.toFixed(4)}`;
  const parameters = Object.entries(trial.parameters).map(([k, v]) => `${k}=${v}`).join(' ');
  return `trial ${trial.id} ${trial.state}${value}${trial.reason ? `: ${trial.reason}` : ''}${trial.state === 'active' && parameters ? ` (${parameters})` : ''}`;
}

/** Prints each trial whose state changed since the last description. */
function trialStates(out: StreamPrinter): (job: TuningJobSummary) => void {
  const seen = new Map<string, string>();
  return (job) => {
    for (const trial of job.trials) {
      if (seen.get(trial.id) === trial.state) continue;
      seen.set(trial.id, trial.state);
      out.status({ type: 'trialState', job: job.name, trialId: trial.id, state: trial.state, parameters: trial.parameters, value: trial.value, reason: trial.reason }, trialLine(job, trial));
    }
  };
}

function finalLine(job: TuningJobSummary): string {
  const best = job.best ? `; best trial ${job.best.trialId} by ${job.metric.name} (${job.metric.goal}): ${job.best.value.toFixed(4)}` : '; no trial reported its metric';
  return `job ${job.id} ${job.state}${best}${job.error ? `; error: ${job.error}` : ''}`;
}

/** Follows the tuning job; exits 0 when it succeeded, 1 when it failed or was cancelled (its error on stderr). */
export function streamTuningJob(argv: string[]): Promise<number> {
  return streamVerb(
    argv,
    TUNING_STREAM_USAGE,
    (context) =>
      followTrials(context.clients.storage, {
        ...followBase(context, ({ clients, job, signal }) => describeTuningJob(clients, job, signal)),
        trials: (j) => j.trials,
        onPoll: trialStates(context.out),
        onEvent: (trialId, event) => context.out.event(event, `trial ${trialId}: `, { trialId }),
      }),
    (final, out) => out.status({ type: 'jobFinished', job: final.name, state: final.state, metric: final.metric, best: final.best, error: final.error }, finalLine(final)),
  );
}
