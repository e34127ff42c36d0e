// google.cloud.aiplatform.v1.ModelService evaluations: ImportModelEvaluation
// onto a model version (MODEL@VERSION, or the default version), with the
// classification metrics schema checked as Vertex AI reads it, and
// GetModelEvaluation / ListModelEvaluations.
import type { protos } from '@google-cloud/aiplatform';
import { fromProtoValue, toProtoValue, type JsonValue, type ProtoValue } from '../../cloud/value';
import { CLASSIFICATION_METRICS_SCHEMA } from '../../shared/modelEvaluation';
import type { SandboxContext } from './context';
import { nowIso, numericId, timestamp } from './ids';
import { checkDisplayName } from './names';
import type { ProtoObject } from './protos';
import { findModelVersion, page } from './resources';
import type { StoredEvaluation } from './state';
import { invalidArgument, notFound, resourceExhausted } from './status';

type IImportModelEvaluationRequest = protos.google.cloud.aiplatform.v1.IImportModelEvaluationRequest;
type IGetModelEvaluationRequest = protos.google.cloud.aiplatform.v1.IGetModelEvaluationRequest;
type IListModelEvaluationsRequest = protos.google.cloud.aiplatform.v1.IListModelEvaluationsRequest;

/** Input limits: evaluations kept per version, classes in a confusion matrix. */
const MAX_EVALUATIONS = 50;
const MAX_CLASSES = 1000;
const CLASSIFICATION_KEYS = new Set(['auPrc', 'auRoc', 'logLoss', 'confidenceMetrics', 'confusionMatrix']);

function checkClassificationMetrics(metrics: JsonValue): void {
  if (metrics === null || typeof metrics !== 'object' || Array.isArray(metrics)) {
    throw invalidArgument('model_evaluation.metrics must be an object of the classification metrics schema.');
  }
  const unknown = Object.keys(metrics).filter((k) => !CLASSIFICATION_KEYS.has(k));
  if (unknown.length > 0) throw invalidArgument(`model_evaluation.metrics has fields the classification metrics schema does not define: ${unknown.join(', ')}.`);
  const logLoss = metrics.logLoss;
  if (logLoss !== undefined && (typeof logLoss !== 'number' || logLoss < 0)) throw invalidArgument('model_evaluation.metrics.logLoss must be a number of at least 0.');
  const matrix = metrics.confusionMatrix;
  if (matrix === undefined) return;
  const specs = (matrix as { annotationSpecs?: JsonValue }).annotationSpecs;
  const rows = (matrix as { rows?: JsonValue }).rows;
  if (!Array.isArray(specs) || !Array.isArray(rows)) {
    throw invalidArgument('model_evaluation.metrics.confusionMatrix needs annotationSpecs and rows.');
  }
  if (specs.length > MAX_CLASSES) throw invalidArgument(`model_evaluation.metrics.confusionMatrix has ${specs.length} classes; at most ${MAX_CLASSES}.`);
  for (const spec of specs) {
    if (!spec || typeof spec !== 'object' || Array.isArray(spec) || typeof spec.displayName !== 'string') {
      throw invalidArgument('model_evaluation.metrics.confusionMatrix.annotationSpecs entries need a displayName.');
    }
  }
  if (rows.length !== specs.length || rows.some((row) => !Array.isArray(row) || row.length !== specs.length)) {
    throw invalidArgument(`model_evaluation.metrics.confusionMatrix.rows must be ${specs.length} x ${specs.length}, one row and one column per annotation spec.`);
  }
  for (const row of rows as JsonValue[][]) {
    if (row.some((n) => typeof n !== 'number' || n < 0 || !Number.isInteger(n))) {
      throw invalidArgument('model_evaluation.metrics.confusionMatrix.rows must hold whole counts of at least 0.');
    }
  }
}

function evaluationProto(evaluation: StoredEvaluation): ProtoObject {
  return {
    name: evaluation.name,
    displayName: evaluation.displayName,
    metricsSchemaUri: evaluation.metricsSchemaUri,
    metrics: toProtoValue(evaluation.metrics),
    createTime: timestamp(evaluation.createTime),
  };
}

export function importModelEvaluation(ctx: SandboxContext, request: IImportModelEvaluationRequest): ProtoObject {
  const { model, version } = findModelVersion(ctx.store.state, String(request.parent ?? ''));
  const evaluation = request.modelEvaluation ?? {};
  const displayName = checkDisplayName('model_evaluation.display_name', evaluation.displayName || 'evaluation');
  const schema = evaluation.metricsSchemaUri ?? '';
  if (schema === '') throw invalidArgument('model_evaluation.metrics_schema_uri is required.');
  const metrics = fromProtoValue(evaluation.metrics as ProtoValue | null | undefined);
  if (schema === CLASSIFICATION_METRICS_SCHEMA) checkClassificationMetrics(metrics);
  else if (!/^gs:\/\/google-cloud-aiplatform\/schema\/modelevaluation\/[a-z_]+_metrics_1\.0\.0\.yaml$/.test(schema)) {
    throw invalidArgument(`model_evaluation.metrics_schema_uri "${schema}" is not a Vertex AI model evaluation schema.`);
  }
  const stored = (version.evaluations ??= []);
  if (stored.length >= MAX_EVALUATIONS) throw resourceExhausted(`Model ${model.name}@${version.versionId} has ${MAX_EVALUATIONS} evaluations, the most it keeps.`);
  const created: StoredEvaluation = {
    name: `${model.name}/evaluations/${numericId()}`,
    displayName,
    metricsSchemaUri: schema,
    metrics,
    createTime: nowIso(),
  };
  stored.push(created);
  ctx.store.save();
  return evaluationProto(created);
}

export function getModelEvaluation(ctx: SandboxContext, request: IGetModelEvaluationRequest): ProtoObject {
  const name = String(request.name ?? '');
  const match = /^(projects\/[^/]+\/locations\/[^/]+\/models\/[^/@]+)\/evaluations\/([^/]+)$/.exec(name);
  if (!match) throw invalidArgument(`name "${name}" must look like projects/PROJECT/locations/LOCATION/models/MODEL/evaluations/EVALUATION.`);
  const { model } = findModelVersion(ctx.store.state, match[1]);
  for (const version of model.versions) {
    const found = version.evaluations?.find((e) => e.name === name);
    if (found) return evaluationProto(found);
  }
  throw notFound(`ModelEvaluation ${name} does not exist.`);
}

/** The evaluations of one version: MODEL@VERSION, or the default version for MODEL. */
export function listModelEvaluations(ctx: SandboxContext, request: IListModelEvaluationsRequest): ProtoObject {
  const { version } = findModelVersion(ctx.store.state, String(request.parent ?? ''));
  const { items, nextPageToken } = page((version.evaluations ?? []).map(evaluationProto), request.pageSize, request.pageToken);
  return { modelEvaluations: items, nextPageToken };
}
