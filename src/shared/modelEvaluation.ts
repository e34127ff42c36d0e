// A run's test evaluation as a Vertex AI ModelEvaluation of the
// classification metrics schema (logLoss, confusionMatrix with its
// annotationSpecs and rows), and back: what the registry shows per version.
import type { ConfusionMatrix, Evaluation } from './events';

export const CLASSIFICATION_METRICS_SCHEMA = 'gs://google-cloud-aiplatform/schema/modelevaluation/classification_metrics_1.0.0.yaml';

/** The schema's metrics as JSON (google.protobuf.Value on the wire). */
export interface ClassificationMetrics {
  logLoss?: number;
  confusionMatrix?: {
    annotationSpecs: { id: string; displayName: string }[];
    /** rows[actual][predicted] = count, in annotationSpecs order. */
    rows: number[][];
  };
}

/** One evaluation of a model version, as the CLI prints it and the tree shows it. */
export interface EvaluationSummary {
  name: string;
  displayName: string;
  createTime?: string;
  /** Correct over all, from the confusion matrix. */
  accuracy?: number;
  logLoss?: number;
  confusionMatrix?: ConfusionMatrix;
  /** Test examples counted in the matrix. */
  samples?: number;
}

export function classificationMetrics(evaluation: Pick<Evaluation, 'metrics' | 'confusionMatrix'>): ClassificationMetrics {
  const metrics: ClassificationMetrics = {};
  const loss = evaluation.metrics.loss;
  if (typeof loss === 'number' && Number.isFinite(loss)) metrics.logLoss = loss;
  const matrix = evaluation.confusionMatrix;
  if (matrix) {
    metrics.confusionMatrix = {
      annotationSpecs: matrix.labels.map((label, i) => ({ id: String(i), displayName: label })),
      rows: matrix.matrix.map((row) => [...row]),
    };
  }
  return metrics;
}

function isMatrix(value: unknown): value is number[][] {
  return Array.isArray(value) && value.every((row) => Array.isArray(row) && row.every((n) => typeof n === 'number'));
}

/** Accuracy, log loss and the matrix from a ModelEvaluation's metrics (other schemas give what they share). */
export function readClassificationMetrics(metrics: unknown): Pick<EvaluationSummary, 'accuracy' | 'logLoss' | 'confusionMatrix' | 'samples'> {
  const m = (metrics ?? {}) as { logLoss?: unknown; confusionMatrix?: { annotationSpecs?: { displayName?: unknown }[]; rows?: unknown } };
  const out: Pick<EvaluationSummary, 'accuracy' | 'logLoss' | 'confusionMatrix' | 'samples'> = {};
  if (typeof m.logLoss === 'number') out.logLoss = m.logLoss;
  const rows = m.confusionMatrix?.rows;
  if (isMatrix(rows)) {
    const samples = rows.reduce((sum, row) => sum + row.reduce((a, b) => a + b, 0), 0);
    const correct = rows.reduce((sum, row, i) => sum + (row[i] ?? 0), 0);
    out.samples = samples;
    if (samples > 0) out.accuracy = correct / samples;
    out.confusionMatrix = { labels: (m.confusionMatrix?.annotationSpecs ?? []).map((s, i) => String(s.displayName ?? i)), matrix: rows };
  }
  return out;
}
