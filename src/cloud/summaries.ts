// Plain, JSON-ready views of Vertex AI resources, for the CLI's output (and
// `--json`) and the extension's trees.
import type { protos } from '@google-cloud/aiplatform';
import type { DeployedModelSummary, EndpointSummary, ModelSummary } from '../shared/cloudResources';
import { idOf } from './names';
import { metricOf } from '../shared/autoscaling';

export type { DeployedModelSummary, EndpointSummary, ModelSummary };

type IModel = protos.google.cloud.aiplatform.v1.IModel;
type IEndpoint = protos.google.cloud.aiplatform.v1.IEndpoint;
type IDeployedModel = protos.google.cloud.aiplatform.v1.IDeployedModel;
type ITimestamp = protos.google.protobuf.ITimestamp;

export function isoTime(value: ITimestamp | null | undefined): string | undefined {
  if (!value || value.seconds === null || value.seconds === undefined) return undefined;
  const seconds = Number(String(value.seconds));
  return new Date(seconds * 1000 + Math.round(Number(value.nanos ?? 0) / 1e6)).toISOString();
}

function seconds(duration: protos.google.protobuf.IDuration | null | undefined): number | undefined {
  if (!duration) return undefined;
  const value = Number(String(duration.seconds ?? 0)) + Number(duration.nanos ?? 0) / 1e9;
  return value > 0 ? value : undefined;
}

function optional(text: string | null | undefined): string | undefined {
  return text ? text : undefined;
}

export function modelSummary(model: IModel): ModelSummary {
  const name = model.name ?? '';
  return {
    name,
    id: idOf(name),
    displayName: model.displayName ?? '',
    versionId: model.versionId ?? '',
    versionAliases: model.versionAliases ?? [],
    description: optional(model.description),
    versionDescription: optional(model.versionDescription),
    imageUri: optional(model.containerSpec?.imageUri),
    artifactUri: optional(model.artifactUri),
    labels: { ...(model.labels ?? {}) },
    createTime: isoTime(model.createTime),
    versionCreateTime: isoTime(model.versionCreateTime),
    deployedTo: (model.deployedModels ?? []).map((ref) => ({ endpoint: ref.endpoint ?? '', deployedModelId: ref.deployedModelId ?? '' })),
  };
}

function deployedSummary(deployed: IDeployedModel, split: Record<string, number>): DeployedModelSummary {
  const resources = deployed.dedicatedResources;
  const accelerator = resources?.machineSpec?.acceleratorType;
  const acceleratorType = accelerator && String(accelerator) !== 'ACCELERATOR_TYPE_UNSPECIFIED' ? String(accelerator) : undefined;
  return {
    id: deployed.id ?? '',
    model: deployed.model ?? '',
    modelVersionId: deployed.modelVersionId ?? '',
    displayName: deployed.displayName ?? '',
    machineType: optional(resources?.machineSpec?.machineType),
    acceleratorType,
    acceleratorCount: acceleratorType ? (resources?.machineSpec?.acceleratorCount ?? undefined) : undefined,
    minReplicaCount: resources?.minReplicaCount ?? undefined,
    maxReplicaCount: resources?.maxReplicaCount ?? undefined,
    autoscaling: (resources?.autoscalingMetricSpecs ?? []).flatMap((spec) => {
      const metric = metricOf(spec.metricName ?? '');
      return metric ? [{ metric, target: spec.target ?? 60 }] : [];
    }),
    spot: resources?.spot ?? false,
    trafficPercent: split[deployed.id ?? ''] ?? 0,
    createTime: isoTime(deployed.createTime),
  };
}

export function endpointSummary(endpoint: IEndpoint): EndpointSummary {
  const name = endpoint.name ?? '';
  const trafficSplit = Object.fromEntries(Object.entries(endpoint.trafficSplit ?? {}).map(([id, percent]) => [id, Number(percent)]));
  return {
    name,
    id: idOf(name),
    displayName: endpoint.displayName ?? '',
    description: optional(endpoint.description),
    dedicatedEndpointDns: endpoint.dedicatedEndpointEnabled ? optional(endpoint.dedicatedEndpointDns) : undefined,
    inferenceTimeoutSeconds: seconds(endpoint.clientConnectionConfig?.inferenceTimeout),
    logging: endpoint.predictRequestResponseLoggingConfig
      ? {
          enabled: endpoint.predictRequestResponseLoggingConfig.enabled ?? false,
          samplingRate: endpoint.predictRequestResponseLoggingConfig.samplingRate ?? 0,
          table: optional(endpoint.predictRequestResponseLoggingConfig.bigqueryDestination?.outputUri),
        }
      : undefined,
    etag: endpoint.etag ?? '',
    trafficSplit,
    deployedModels: (endpoint.deployedModels ?? []).map((d) => deployedSummary(d, trafficSplit)),
    labels: { ...(endpoint.labels ?? {}) },
    createTime: isoTime(endpoint.createTime),
    updateTime: isoTime(endpoint.updateTime),
  };
}
