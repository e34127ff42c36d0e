// The sandbox's resources, persisted as one JSON file so they survive a
// restart. Writes go to a temporary file and are renamed into place, so a
// crash never leaves half a state behind.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../shared/errors';
import type { protos } from '@google-cloud/aiplatform';
import type { ProtoObject } from './protos';
import { readJsonFile, writeJsonFile } from './jsonFile';

export interface StoredEvaluation {
  name: string;
  displayName: string;
  metricsSchemaUri: string;
  /** The metrics as JSON (a google.protobuf.Value on the wire). */
  metrics: unknown;
  createTime: string;
}

export interface StoredModelVersion {
  versionId: string;
  displayName: string;
  description?: string;
  versionDescription?: string;
  containerSpec: protos.google.cloud.aiplatform.v1.IModelContainerSpec;
  artifactUri?: string;
  labels: Record<string, string>;
  versionAliases: string[];
  evaluations?: StoredEvaluation[];
  createTime: string;
  updateTime: string;
  etag: string;
}

export interface StoredModel {
  /** Full resource name without a version. */
  name: string;
  versions: StoredModelVersion[];
  defaultVersionId: string;
  nextVersionId: number;
  createTime: string;
}

export interface StoredDeployedModel {
  id: string;
  /** Model resource name without a version. */
  model: string;
  modelVersionId: string;
  displayName: string;
  dedicatedResources: protos.google.cloud.aiplatform.v1.IDedicatedResources;
  createTime: string;
}

export interface StoredLoggingConfig {
  enabled: boolean;
  samplingRate: number;
  /** bq://PROJECT.DATASET.TABLE */
  table: string;
}

export interface StoredEndpoint {
  name: string;
  /** Set for a dedicated endpoint: predictions go there, not to the shared host. */
  dedicatedEndpointDns?: string;
  inferenceTimeoutSeconds?: number;
  logging?: StoredLoggingConfig;
  displayName: string;
  description?: string;
  labels: Record<string, string>;
  deployedModels: StoredDeployedModel[];
  trafficSplit: Record<string, number>;
  etag: string;
  createTime: string;
  updateTime: string;
}

export type OperationKind =
  | 'uploadModel'
  | 'deleteModel'
  | 'deleteModelVersion'
  | 'createEndpoint'
  | 'deleteEndpoint'
  | 'deployModel'
  | 'undeployModel'
  | 'mutateDeployedModel';

export interface StoredOperation {
  name: string;
  kind: OperationKind;
  /** The validated request, as the handler will apply it. */
  request: ProtoObject;
  /** Fully qualified response and metadata message types. */
  responseType: string;
  metadataType: string;
  metadata: ProtoObject;
  createTime: string;
  updateTime: string;
  /** Epoch milliseconds when the work may finish. */
  readyAt: number;
  done: boolean;
  cancelRequested?: boolean;
  error?: { code: number; message: string };
  response?: ProtoObject;
}

export interface StoredBatchJob {
  name: string;
  displayName: string;
  /** Model resource name without a version. */
  model: string;
  modelVersionId: string;
  modelDisplayName: string;
  artifactUri: string;
  inputUris: string[];
  outputUriPrefix: string;
  dedicatedResources: protos.google.cloud.aiplatform.v1.IBatchDedicatedResources;
  state: 'JOB_STATE_PENDING' | 'JOB_STATE_RUNNING' | 'JOB_STATE_CANCELLING' | 'JOB_STATE_SUCCEEDED' | 'JOB_STATE_FAILED' | 'JOB_STATE_CANCELLED';
  outputDirectory?: string;
  error?: { code: number; message: string };
  completionStats: { successfulCount: number; failedCount: number; incompleteCount: number };
  replicaHours: number;
  labels: Record<string, string>;
  createTime: string;
  updateTime: string;
  startTime?: string;
  endTime?: string;
}

export interface SandboxState {
  version: 1;
  models: Record<string, StoredModel>;
  endpoints: Record<string, StoredEndpoint>;
  operations: Record<string, StoredOperation>;
  /** Added later: absent in older state files. */
  batchPredictionJobs?: Record<string, StoredBatchJob>;
}

const FILE = 'vertex-state.json';

export class StateFile {
  readonly state: SandboxState;
  /** Saves since the start: grows with every change, for the control endpoint's status. */
  revision = 0;

  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
    this.state = StateFile.read(join(dir, FILE));
  }

  private static read(path: string): SandboxState {
    const parsed = readJsonFile(path, `${path} is damaged (not JSON): delete it to start the sandbox with no models and endpoints`) as SandboxState | undefined;
    if (parsed === undefined) return { version: 1, models: {}, endpoints: {}, operations: {} };
    if (parsed.version !== 1) throw new UserError(`${path} has state version ${String(parsed.version)}, this sandbox reads version 1: delete it to start afresh`);
    return parsed;
  }

  save(): void {
    writeJsonFile(join(this.dir, FILE), this.state);
    this.revision++;
  }
}
