// Human-readable blocks for models and endpoints (gcloud prints YAML; these
// read the same way).
import { formatAutoscaling, formatSplit, type EndpointSummary, type ModelSummary } from '../../cloud';
import { fields } from './output';

export function modelFields(m: ModelSummary): string {
  return fields([
    ['name', m.name],
    ['displayName', m.displayName],
    ['versionId', m.versionId],
    ['versionAliases', m.versionAliases.join(', ')],
    ['description', m.description],
    ['versionDescription', m.versionDescription],
    ['containerImageUri', m.imageUri],
    ['artifactUri', m.artifactUri],
    ['labels', Object.entries(m.labels).map(([k, v]) => `${k}=${v}`).join(', ')],
    ['createTime', m.createTime],
    ['deployedModels', m.deployedTo.map((d) => `${d.deployedModelId} on ${d.endpoint}`).join('; ')],
  ]);
}

export function endpointFields(e: EndpointSummary): string {
  const deployed = e.deployedModels.map((d) =>
    fields([
      ['  - id', d.id],
      ['    displayName', d.displayName],
      ['    model', `${d.model}@${d.modelVersionId}`],
      ['    machineType', d.machineType],
      ['    accelerator', d.acceleratorType ? `${d.acceleratorType} x${d.acceleratorCount ?? 1}` : undefined],
      ['    replicas', `${d.minReplicaCount ?? 1}-${d.maxReplicaCount ?? d.minReplicaCount ?? 1}${d.spot ? ' (Spot VMs)' : ''}`],
      ['    autoscaling', formatAutoscaling(d.autoscaling)],
      ['    traffic', `${d.trafficPercent}%`],
    ]),
  );
  return [
    fields([
      ['name', e.name],
      ['displayName', e.displayName],
      ['description', e.description],
      ['trafficSplit', formatSplit(e.trafficSplit)],
      ['etag', e.etag],
      ['createTime', e.createTime],
      ['updateTime', e.updateTime],
    ]),
    deployed.length > 0 ? `deployedModels:\n${deployed.join('\n')}` : 'deployedModels: (none)',
  ].join('\n');
}
