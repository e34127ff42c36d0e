// Summaries shaped as the cloud layer returns them, for the cloud UI tests.
import type { DeployedModelSummary, EndpointSummary, ModelSummary } from '../../../../src/shared/cloudResources';

const PARENT = 'projects/model-studio-sandbox/locations/us-central1';

export function version(id: string, versionId: string, extra: Partial<ModelSummary> = {}): ModelSummary {
  return {
    name: `${PARENT}/models/${id}`,
    id,
    displayName: 'mnist-mlp',
    versionId,
    versionAliases: versionId === '1' ? ['default'] : [],
    labels: { 'model-studio-run': `run-${versionId}`, 'test-accuracy': '0_9712' },
    deployedTo: [],
    versionCreateTime: `2026-11-27T10:0${versionId}:00.000Z`,
    ...extra,
  };
}

export function deployed(id: string, versionId: string, trafficPercent: number, extra: Partial<DeployedModelSummary> = {}): DeployedModelSummary {
  return {
    id,
    model: `${PARENT}/models/111`,
    modelVersionId: versionId,
    displayName: 'mnist-mlp',
    machineType: 'n1-standard-4',
    minReplicaCount: 1,
    maxReplicaCount: 1,
    autoscaling: [],
    spot: false,
    trafficPercent,
    createTime: `2026-11-27T11:0${versionId}:00.000Z`,
    ...extra,
  };
}

export function endpoint(id: string, models: DeployedModelSummary[], displayName = 'mnist-endpoint'): EndpointSummary {
  return {
    name: `${PARENT}/endpoints/${id}`,
    id,
    displayName,
    etag: 'etag-1',
    trafficSplit: Object.fromEntries(models.map((m) => [m.id, m.trafficPercent])),
    deployedModels: models,
    labels: {},
  };
}
