// Reading, listing and cancelling custom and tuning jobs: the same calls to
// JobService for both kinds, each read retried and every error explained.
import type { CloudClients } from './clients';
import { explained } from './errors';
import { retryRead } from './retry';
import { jobResourceName, type JobCollection } from './trainingJobs';

/** How one kind of training job is called and summarized. */
export interface TrainingJobKind<Job, Summary> {
  collection: JobCollection;
  /** As messages name it: "custom job", "tuning job". */
  noun: string;
  get(clients: CloudClients, name: string): Promise<Job>;
  list(clients: CloudClients): Promise<Job[]>;
  cancel(clients: CloudClients, name: string): Promise<unknown>;
  summary(job: Job, clients: CloudClients): Summary;
}

export async function describeTrainingJob<Job, Summary>(clients: CloudClients, kind: TrainingJobKind<Job, Summary>, job: string, signal?: AbortSignal): Promise<Summary> {
  const name = jobResourceName(clients.config, kind.collection, job);
  return explained({ action: `reading ${kind.noun} ${name}`, config: clients.config }, async () => {
    const found = await retryRead(() => kind.get(clients, name), { signal });
    return kind.summary(found, clients);
  });
}

export async function listTrainingJobs<Job, Summary>(clients: CloudClients, kind: TrainingJobKind<Job, Summary>, signal?: AbortSignal): Promise<Summary[]> {
  return explained({ action: `listing ${kind.noun}s in ${clients.parent}`, config: clients.config }, async () => {
    const jobs = await retryRead(() => kind.list(clients), { signal });
    return jobs.map((job) => kind.summary(job, clients));
  });
}

/** Asks Vertex AI to cancel; the job goes through cancelling to cancelled. */
export async function cancelTrainingJob<Job, Summary>(clients: CloudClients, kind: TrainingJobKind<Job, Summary>, job: string): Promise<Summary> {
  const name = jobResourceName(clients.config, kind.collection, job);
  await explained({ action: `cancelling ${kind.noun} ${name}`, config: clients.config }, async () => {
    await kind.cancel(clients, name);
  });
  return describeTrainingJob(clients, kind, name);
}
