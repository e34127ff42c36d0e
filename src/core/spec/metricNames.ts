// The names metrics are reported under. TF.js, like Keras 2.x before it,
// reports 'accuracy' as 'acc' (and 'val_acc'); the others keep their names.
import type { CompileSpec, MetricName } from '../../shared/spec';

export function metricLogName(metric: MetricName): string {
  return metric === 'accuracy' ? 'acc' : metric;
}

/** Every value an epoch reports: loss, metrics, and their val_ forms when validating. */
export function reportedNames(compile: CompileSpec, validating: boolean): string[] {
  const train = ['loss', ...(compile.metrics ?? []).map(metricLogName)];
  return validating ? [...train, ...train.map((name) => `val_${name}`)] : train;
}
