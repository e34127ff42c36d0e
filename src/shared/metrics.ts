// Reading accuracy out of metrics maps and run records: TF.js names it
// `acc`, Keras `accuracy`, with `val_` for validation. One lookup, so the
// CLI, the tree, the status bar, the dashboard and push agree on the number.
import type { Metrics, RunRecord } from './events';

const ACCURACY_KEYS = ['acc', 'accuracy', 'sparse_categorical_accuracy', 'categorical_accuracy'];

/** The accuracy in a metrics map, whichever name the backend gave it; `prefix` 'val_' for validation. */
export function accuracyOf(metrics: Metrics | undefined, prefix = ''): number | undefined {
  if (!metrics) return undefined;
  for (const key of ACCURACY_KEYS) {
    const value = metrics[prefix + key];
    if (typeof value === 'number' && Number.isFinite(value)) return value;
  }
  return undefined;
}

/** Test accuracy of a finished run, when it was evaluated. */
export function testAccuracyOf(record: Pick<RunRecord, 'testMetrics'> | undefined): number | undefined {
  return accuracyOf(record?.testMetrics);
}

/** Where the best single accuracy of a run came from, and its value. */
export interface RunAccuracy {
  source: 'test' | 'val' | 'train';
  value: number;
}

/** The most telling accuracy a run has: test, else the last validation, else the last training value. */
export function bestKnownAccuracy(record: Pick<RunRecord, 'testMetrics' | 'finalMetrics'>): RunAccuracy | undefined {
  const test = accuracyOf(record.testMetrics);
  if (test !== undefined) return { source: 'test', value: test };
  const val = accuracyOf(record.finalMetrics, 'val_');
  if (val !== undefined) return { source: 'val', value: val };
  const train = accuracyOf(record.finalMetrics);
  return train !== undefined ? { source: 'train', value: train } : undefined;
}

/**
 * Whether a smaller value of the metric is better: losses and errors, also
 * as val_, test_ and best_ columns; everything else (accuracy, precision, …)
 * is better when bigger.
 */
export function isLowerBetter(metric: string): boolean {
  const base = metric.replace(/^(best_|test_|val_)+/, '');
  return /loss|error|mse|mae|squared|absolute|crossentropy/i.test(base);
}
