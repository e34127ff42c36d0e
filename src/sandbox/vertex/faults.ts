// Faults a test (or a person trying the error paths) can inject: the next N
// calls of a method fail the way Google Cloud fails them, with the message
// and ErrorInfo the real service sends.
import * as grpc from '@grpc/grpc-js';
import { RpcError } from './status';

export type FaultKind = 'permission-denied' | 'service-disabled' | 'unavailable' | 'quota-exceeded' | 'deadline-exceeded' | 'internal';

export interface FaultRule {
  /** RPC method name, e.g. "DeployModel" or "GetOperation"; "*" matches every method. */
  method: string;
  fault: FaultKind;
  /** How many calls fail; default 1. Infinity keeps failing until cleared. */
  times?: number;
}

/** The IAM permission each method checks, as Vertex AI names them. */
export const METHOD_PERMISSIONS: Record<string, string> = {
  UploadModel: 'aiplatform.models.upload',
  GetModel: 'aiplatform.models.get',
  ListModels: 'aiplatform.models.list',
  ListModelVersions: 'aiplatform.models.list',
  DeleteModel: 'aiplatform.models.delete',
  DeleteModelVersion: 'aiplatform.models.delete',
  UpdateModel: 'aiplatform.models.update',
  MergeVersionAliases: 'aiplatform.models.update',
  ImportModelEvaluation: 'aiplatform.modelEvaluations.import',
  GetModelEvaluation: 'aiplatform.modelEvaluations.get',
  ListModelEvaluations: 'aiplatform.modelEvaluations.list',
  CreateEndpoint: 'aiplatform.endpoints.create',
  GetEndpoint: 'aiplatform.endpoints.get',
  ListEndpoints: 'aiplatform.endpoints.list',
  UpdateEndpoint: 'aiplatform.endpoints.update',
  DeleteEndpoint: 'aiplatform.endpoints.delete',
  DeployModel: 'aiplatform.endpoints.deploy',
  UndeployModel: 'aiplatform.endpoints.undeploy',
  MutateDeployedModel: 'aiplatform.endpoints.update',
  Predict: 'aiplatform.endpoints.predict',
  CreateBatchPredictionJob: 'aiplatform.batchPredictionJobs.create',
  GetBatchPredictionJob: 'aiplatform.batchPredictionJobs.get',
  ListBatchPredictionJobs: 'aiplatform.batchPredictionJobs.list',
  CancelBatchPredictionJob: 'aiplatform.batchPredictionJobs.cancel',
  GetOperation: 'aiplatform.operations.get',
  ListOperations: 'aiplatform.operations.list',
  CancelOperation: 'aiplatform.operations.cancel',
  WaitOperation: 'aiplatform.operations.get',
  DeleteOperation: 'aiplatform.operations.delete',
};

export interface CallContext {
  method: string;
  /** The resource the call names (name, parent or endpoint). */
  resource: string;
}

function projectOf(resource: string): string {
  return /^projects\/([^/]+)/.exec(resource)?.[1] ?? 'unknown-project';
}

export function faultError(fault: FaultKind, context: CallContext): RpcError {
  const project = projectOf(context.resource);
  switch (fault) {
    case 'permission-denied': {
      const permission = METHOD_PERMISSIONS[context.method] ?? 'aiplatform.unknown';
      return new RpcError(
        grpc.status.PERMISSION_DENIED,
        `Permission '${permission}' denied on resource '//aiplatform.googleapis.com/${context.resource}' (or it may not exist).`,
        { reason: 'IAM_PERMISSION_DENIED', domain: 'aiplatform.googleapis.com', metadata: { permission, resource: context.resource } },
      );
    }
    case 'service-disabled':
      return new RpcError(
        grpc.status.PERMISSION_DENIED,
        `Vertex AI API has not been used in project ${project} before or it is disabled. Enable it by visiting ` +
          `https://console.developers.google.com/apis/api/aiplatform.googleapis.com/overview?project=${project} then retry.`,
        {
          reason: 'SERVICE_DISABLED',
          domain: 'googleapis.com',
          metadata: { service: 'aiplatform.googleapis.com', consumer: `projects/${project}` },
        },
      );
    case 'unavailable':
      return new RpcError(grpc.status.UNAVAILABLE, 'The service is currently unavailable.');
    case 'deadline-exceeded':
      return new RpcError(grpc.status.DEADLINE_EXCEEDED, 'Deadline exceeded.');
    case 'quota-exceeded':
      return quotaExceeded('aiplatform.googleapis.com/online_prediction_requests_per_base_model', project);
    case 'internal':
      return new RpcError(grpc.status.INTERNAL, 'Internal error encountered.');
  }
}

export function quotaExceeded(metric: string, project: string, detail = ''): RpcError {
  return new RpcError(
    grpc.status.RESOURCE_EXHAUSTED,
    `The following quota metrics exceed quota limits: ${metric}${detail ? ` (${detail})` : ''}.`,
    { reason: 'RATE_LIMIT_EXCEEDED', domain: 'googleapis.com', metadata: { quota_metric: metric, consumer: `projects/${project}`, service: 'aiplatform.googleapis.com' } },
  );
}

export class Faults {
  private rules: Required<FaultRule>[] = [];

  constructor(initial: readonly FaultRule[] = []) {
    for (const rule of initial) this.add(rule);
  }

  add(rule: FaultRule): void {
    this.rules.push({ ...rule, times: rule.times ?? 1 });
  }

  clear(): void {
    this.rules = [];
  }

  /** The error to fail this call with, consuming one use of the matching rule. */
  take(context: CallContext): RpcError | undefined {
    const rule = this.rules.find((r) => r.method === context.method || r.method === '*');
    if (!rule) return undefined;
    rule.times -= 1;
    if (rule.times <= 0) this.rules = this.rules.filter((r) => r !== rule);
    return faultError(rule.fault, context);
  }
}
