// Vertex AI resources as plain, JSON-ready values: what the CLI prints (and
// `--json` emits), what the extension's trees and panels show. The cloud
// layer makes them from the API's messages (src/cloud/summaries.ts).

import type { AutoscalingTarget } from './autoscaling';
import type { EvaluationSummary } from './modelEvaluation';

/** The machine a deployment gets when none is chosen: the article's, and Vertex AI's usual first choice. */
export const DEFAULT_MACHINE_TYPE = 'n1-standard-4';

/** The label on a pushed model that names the local run it came from. */
export const RUN_LABEL = 'model-studio-run';

export interface ModelSummary {
  name: string;
  id: string;
  displayName: string;
  versionId: string;
  versionAliases: string[];
  description?: string;
  versionDescription?: string;
  imageUri?: string;
  artifactUri?: string;
  labels: Record<string, string>;
  createTime?: string;
  versionCreateTime?: string;
  deployedTo: { endpoint: string; deployedModelId: string }[];
  /** The version's latest evaluation, when it was read (withEvaluations). */
  evaluation?: EvaluationSummary;
}

export interface DeployedModelSummary {
  id: string;
  model: string;
  modelVersionId: string;
  displayName: string;
  machineType?: string;
  acceleratorType?: string;
  acceleratorCount?: number;
  minReplicaCount?: number;
  maxReplicaCount?: number;
  /** Targets that scale replicas between min and max (Vertex AI's default: CPU 60%). */
  autoscaling: AutoscalingTarget[];
  /** Runs on Spot VMs (cheaper, may be preempted). */
  spot: boolean;
  trafficPercent: number;
  createTime?: string;
}

/** Request-response logging of an endpoint to BigQuery. */
export interface EndpointLogging {
  enabled: boolean;
  /** Fraction of requests logged, 0 to 1. */
  samplingRate: number;
  /** bq://PROJECT.DATASET.TABLE */
  table?: string;
}

export interface EndpointSummary {
  name: string;
  id: string;
  displayName: string;
  /** A dedicated endpoint's own DNS name (predictions go there, not to the regional host). */
  dedicatedEndpointDns?: string;
  inferenceTimeoutSeconds?: number;
  logging?: EndpointLogging;
  description?: string;
  etag: string;
  trafficSplit: Record<string, number>;
  deployedModels: DeployedModelSummary[];
  labels: Record<string, string>;
  createTime?: string;
  updateTime?: string;
}

export type BatchJobState = 'PENDING' | 'RUNNING' | 'CANCELLING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED' | 'UNKNOWN';

/** A batch prediction job as the CLI prints it and the editor lists it. */
export interface BatchPredictionJobSummary {
  name: string;
  id: string;
  displayName: string;
  /** Model resource name and the version the job ran. */
  model: string;
  modelVersionId: string;
  state: BatchJobState;
  inputUris: string[];
  outputUriPrefix: string;
  /** Where the predictions_*.jsonl files are, once the job wrote them. */
  outputDirectory?: string;
  machineType?: string;
  startingReplicaCount?: number;
  maxReplicaCount?: number;
  successfulCount: number;
  failedCount: number;
  incompleteCount: number;
  replicaHours: number;
  error?: string;
  createTime?: string;
  startTime?: string;
  endTime?: string;
}
