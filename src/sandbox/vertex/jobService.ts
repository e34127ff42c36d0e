// google.cloud.aiplatform.v1.JobService for training: custom jobs and
// hyperparameter tuning jobs, run by the JobEngine. Other JobService methods
// (batch prediction, data labeling, ...) answer UNIMPLEMENTED.
import type { JobEngine } from './jobEngine';
import { cancelCustomJob, createCustomJob, getCustomJob, listCustomJobs, resumeCustomJobs } from './customJobs';
import type { ProtoObject } from './protos';
import { cancelTuningJob, createTuningJob, getTuningJob, listTuningJobs, resumeTuningJobs } from './tuningJobs';

/** A handler takes its method's request type (protos.google.cloud.aiplatform.v1.I...Request); the server trusts the decoded message to be that type. */
export type JobHandler = (engine: JobEngine, request: never) => ProtoObject;

export const JOB_SERVICE_HANDLERS: Record<string, JobHandler> = {
  CreateCustomJob: createCustomJob,
  GetCustomJob: getCustomJob,
  ListCustomJobs: listCustomJobs,
  CancelCustomJob: cancelCustomJob,
  CreateHyperparameterTuningJob: createTuningJob,
  GetHyperparameterTuningJob: getTuningJob,
  ListHyperparameterTuningJobs: listTuningJobs,
  CancelHyperparameterTuningJob: cancelTuningJob,
};

/** After a restart: waiting jobs wait again, running ones start again and resume from their checkpoints. */
export function resumeJobs(engine: JobEngine): void {
  resumeCustomJobs(engine);
  resumeTuningJobs(engine);
}
