// The verbs every job collection shares (list, describe, cancel), as
// `gcloud ai custom-jobs|hp-tuning-jobs|batch-prediction-jobs` print them:
// a table or a result line, or the JSON document with --json.
import type { CloudClients } from '../../cloud';
import { UserError } from '../../shared/errors';
import { parseCommandArgs } from '../../core/commandArgs';
import { table } from './output';
import { COMMON_OPTIONS } from './target';
import { withClients } from './withClients';

/** The one JOB a verb acts on. */
export function oneJob(positionals: string[], usage: string): string {
  if (positionals.length !== 1) throw new UserError(`Expected one JOB. Usage: ${usage}`);
  return positionals[0];
}

/** `list`: one table row a job, or `Listed 0 items.`. */
export async function listJobsVerb<J>(
  argv: string[],
  usage: string,
  list: (clients: CloudClients) => Promise<J[]>,
  header: string[],
  row: (job: J) => string[],
  /** A line under the table (where its prices come from). */
  footer?: (jobs: J[]) => string,
): Promise<number> {
  const { values } = parseCommandArgs(argv, { ...COMMON_OPTIONS }, usage);
  return withClients(values, async (clients, out) => {
    const jobs = await list(clients);
    out.result(jobs, () => (jobs.length === 0 ? 'Listed 0 items.' : [table(header, jobs.map(row)), footer?.(jobs)].filter(Boolean).join('\n')));
    return 0;
  });
}

/** `describe JOB` or `cancel JOB`: calls `act` on the job and prints what it returns. */
export async function oneJobVerb<J>(argv: string[], usage: string, act: (clients: CloudClients, job: string) => Promise<J>, human: (job: J) => string): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, { ...COMMON_OPTIONS }, usage);
  const job = oneJob(positionals, usage);
  return withClients(values, async (clients, out) => {
    const found = await act(clients, job);
    out.result(found, () => human(found));
    return 0;
  });
}
