// Model evaluations in the registry: the run's test evaluation imported onto
// the version at push (classification metrics schema), and read back per
// version so versions compare without the local runs.
import type { protos } from '@google-cloud/aiplatform';
import type { CloudClients } from './clients';
import { explained } from './errors';
import { modelResourceName, withoutVersion } from './names';
import { retryRead, SINGLE_ATTEMPT } from './retry';
import { isoTime, type ModelSummary } from './summaries';
import { fromProtoValue, toProtoValue, type ProtoValue } from './value';
import type { Evaluation } from '../shared/events';
import { CLASSIFICATION_METRICS_SCHEMA, classificationMetrics, readClassificationMetrics, type EvaluationSummary } from '../shared/modelEvaluation';

type IModelEvaluation = protos.google.cloud.aiplatform.v1.IModelEvaluation;

function evaluationSummary(evaluation: IModelEvaluation): EvaluationSummary {
  return {
    name: evaluation.name ?? '',
    displayName: evaluation.displayName ?? '',
    createTime: isoTime(evaluation.createTime),
    ...readClassificationMetrics(fromProtoValue(evaluation.metrics as ProtoValue | null | undefined)),
  };
}

/** ImportModelEvaluation of a run's test evaluation onto MODEL@VERSION. */
export async function importEvaluation(clients: CloudClients, modelVersion: string, evaluation: Evaluation, displayName: string): Promise<EvaluationSummary> {
  const parent = modelResourceName(clients.config, modelVersion);
  return explained({ action: `importing the test evaluation into ${parent}`, config: clients.config }, async () => {
    const [created] = await clients.models.importModelEvaluation(
      {
        parent,
        modelEvaluation: {
          displayName,
          metricsSchemaUri: CLASSIFICATION_METRICS_SCHEMA,
          metrics: toProtoValue(classificationMetrics(evaluation)) as protos.google.protobuf.IValue,
        },
      },
      SINGLE_ATTEMPT,
    );
    return evaluationSummary(created);
  });
}

/** The evaluations of one version (MODEL@VERSION, MODEL@ALIAS, or MODEL for its default version), oldest first. */
export async function listEvaluations(clients: CloudClients, model: string, signal?: AbortSignal): Promise<EvaluationSummary[]> {
  const parent = modelResourceName(clients.config, model);
  return explained({ action: `listing evaluations of ${parent}`, config: clients.config }, async () => {
    const [evaluations] = await retryRead(() => clients.models.listModelEvaluations({ parent }), { signal });
    return evaluations.map(evaluationSummary);
  });
}

/** Versions with their latest evaluation attached (one read per version, in parallel). */
export async function withEvaluations(clients: CloudClients, versions: readonly ModelSummary[], signal?: AbortSignal): Promise<ModelSummary[]> {
  return Promise.all(
    versions.map(async (version) => {
      const evaluations = await listEvaluations(clients, `${withoutVersion(version.name)}@${version.versionId}`, signal);
      const latest = evaluations.at(-1);
      return latest ? { ...version, evaluation: latest } : { ...version };
    }),
  );
}
