// The cloud layer shared by the CLI and the extension (never imports vscode):
// Vertex AI through @google-cloud/aiplatform and Cloud Storage through
// @google-cloud/storage, with Application Default Credentials or, for the
// local sandbox and other compatible servers, plaintext and no credentials.
//
//   const clients = await CloudClients.connect({ project, region, apiEndpoint?, storageEndpoint?, insecure? });
//   await pushModel(clients, { runDir, bucket: 'gs://B', displayName, imageUri, parentModel?, createBucket? });
//   await createEndpoint(clients, { displayName });
//   await deployModel(clients, { endpoint, model, trafficPercent: 10 });   // others rescaled to 90
//   await updateTrafficSplit(clients, endpoint, { A: 50, B: 50 });         // etag-checked
//   await predict(clients, endpoint, { instances });
//   await clients.close();
//
// Every long-running call takes WaitOptions: onProgress, timeoutMs, signal
// (stop waiting; cancelOnAbort also cancels), and failures are CloudUserError
// (the user can fix it; exit 2), CredentialsError (sign in again; exit 2) or
// CloudError (outage; exit 1) with advice (src/shared/errors.ts).
export { CloudClients } from './clients';
export { checkConfig, apiAddress, parentOf, targetLabel, type CloudConfig } from './config';
export { NO_CREDENTIALS_MESSAGE } from './auth';
export { CloudError, CloudUserError, explainError, roleFor } from './errors';
export {
  waitForOperation,
  resumeOperation,
  describeOperation,
  cancelOperation,
  OperationWaitStopped,
  type OperationUpdate,
  type WaitOptions,
} from './operations';
export { modelResourceName, endpointResourceName, idOf, withoutVersion } from './names';
export type { ModelSummary, EndpointSummary, DeployedModelSummary } from './summaries';
export { rescale, splitForNewModel, splitWithout, splitAllTo, parseTrafficSplit, checkSplit, formatSplit, type TrafficSplit } from '../shared/traffic';
export { pushModel, parseBucketUri, labelValue, DEFAULT_PREDICT_ROUTE, DEFAULT_HEALTH_ROUTE, type PushModelOptions, type PushProgress, type PushResult } from './pushModel';
export { readRunModel, type RunModel } from './runModelFiles';
export { listModels } from './listModels';
export { describeModel, listModelVersions } from './describeModel';
export { deleteModel } from './deleteModel';
export { importEvaluation, listEvaluations, withEvaluations } from './evaluations';
export type { EvaluationSummary } from '../shared/modelEvaluation';
export { addVersionAliases, removeVersionAliases } from './versionAliases';
export { ALIAS_RULE, DEFAULT_ALIAS, aliasProblem, parseAliasList } from '../shared/versionAliases';
export { createEndpoint, type CreateEndpointOptions, type LoggingOptions } from './createEndpoint';
export { updateEndpointLogging } from './updateEndpointLogging';
export {
  createBatchPredictionJob,
  listBatchPredictionJobs,
  describeBatchPredictionJob,
  cancelBatchPredictionJob,
  waitForBatchPredictionJob,
  readBatchPredictionResults,
  type CreateBatchJobOptions,
  type BatchResultLine,
} from './batchPrediction';
export type { BatchPredictionJobSummary } from '../shared/cloudResources';
export { uploadInstancesFile, readBatchResultsPage, MAX_RESULTS_PAGE, type BatchResultRow, type BatchResultsPage } from './batchResults';
export { listEndpoints } from './listEndpoints';
export { describeEndpoint } from './describeEndpoint';
export { deleteEndpoint, type DeleteEndpointOptions } from './deleteEndpoint';
export { deployModel, DEFAULT_MACHINE_TYPE, type DeployModelOptions, type DeployResult } from './deployModel';
export { undeployModel } from './undeployModel';
export { mutateDeployedModel, type MutateDeployedModelOptions } from './mutateDeployedModel';
export { parseAutoscalingSpecs, formatAutoscaling, quotaNote, type AutoscalingTarget } from '../shared/autoscaling';
export { machineType, acceleratorProblem, MACHINE_TYPES } from '../shared/machineTypes';
export { updateTrafficSplit, TrafficConflictError, type UpdateTrafficOptions } from './updateTrafficSplit';
export { deployCanary, promoteCanary, rollbackCanary } from './canary';
export { predict, checkPredictBody, type PredictRequestBody, type PredictResult } from './predict';
export { MAX_PREDICT_BYTES, predictRequestSize } from './predictSize';
export { toProtoValue, fromProtoValue, type JsonValue } from './value';
export { loadPrices, billingFetch, pricesFromSkus, fetchVertexSkus, type LivePriceTable, type PricedMachine, type BillingFetch } from './livePrices';
export {
  createCustomJob,
  describeCustomJob,
  listCustomJobs,
  cancelCustomJob,
  checkTrainingBucket,
  type CustomJobSummary,
  type TrainingInputOptions,
  type TrainerMachineOptions,
} from './customJobs';
export { createTuningJob, describeTuningJob, listTuningJobs, cancelTuningJob, studySpecOf, bestTrial, type TuningJobSummary, type TuningTrialSummary, type TuningJobOptions } from './tuningJobs';
export { followJob, followTrials, MetricsTail, readJobRun, type FollowOptions, type FollowTrialsOptions } from './streamJob';
export { pushJobModel, JOB_LABEL, TRIAL_LABEL, type PushJobModelOptions, type PushJobModelResult } from './pushJobModel';
export { isFinalJobState, jobResourceName, explainJobError, type TrainingJobState, type JobMachine } from './trainingJobs';
export { stageInputs, uploadInputs, type StagedInputs, type UploadedInputs } from './jobInputs';
