// Human-readable blocks for models and endpoints (gcloud prints YAML; these
// read the same way).
import { formatAutoscaling, formatSplit, type EndpointSummary, type EvaluationSummary, type ModelSummary } from '../../cloud';
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
    ['evaluation', m.evaluation ? evaluationLine(m.evaluation) : undefined],
  ]);
}

/** "accuracy 0.9712, log loss 0.0931 on 10000 examples (Test set of run X)" */
export function evaluationLine(e: EvaluationSummary): string {
  const parts = [
    e.accuracy === undefined ? undefined : `accuracy ${e.accuracy.toFixed(4)}`,
    e.logLoss === undefined ? undefined : `log loss ${e.logLoss.toFixed(4)}`,
  ].filter(Boolean);
  return `${parts.join(', ') || 'no classification metrics'}${e.samples === undefined ? '' : ` on ${e.samples} examples`} (${e.displayName})`;
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
      ['dedicatedEndpointDns', e.dedicatedEndpointDns],
      ['inferenceTimeout', e.inferenceTimeoutSeconds === undefined ? undefined : `${e.inferenceTimeoutSeconds} s`],
      ['requestResponseLogging', e.logging ? `${e.logging.enabled ? 'on' : 'off'}, rate ${e.logging.samplingRate}${e.logging.table ? `, ${e.logging.table}` : ''}` : undefined],
      ['trafficSplit', formatSplit(e.trafficSplit)],
      ['etag', e.etag],
      ['createTime', e.createTime],
      ['updateTime', e.updateTime],
    ]),
    deployed.length > 0 ? `deployedModels:\n${deployed.join('\n')}` : 'deployedModels: (none)',
  ].join('\n');
}
