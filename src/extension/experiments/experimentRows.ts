// A run as a row of the experiments table: its hyperparameters read from the
// spec it trained with (run.json's `spec`; a sweep trial's holds the values
// applied), keyed by the spec path as validation errors print it, and its
// results (last epoch, best epoch, test set). No vscode, no file access.

import { formatPath, type JsonPath } from '../../core/spec/jsonLocation';
import type { EpochEndEvent, Metrics, RunRecord } from '../../shared/events';
import { isLowerBetter } from '../../shared/metrics';
import type { ExperimentRow, ParameterValue } from '../../shared/protocol/experiments';
import type { TrainingSpec } from '../../shared/spec';

/** A spec gives a row at most this many parameters (a huge model's first ones); a trial's add to them within the protocol's 500. */
export const MAX_ROW_PARAMS = 300;
const MAX_TEXT = 1000;
/** Names and notes, not settings. */
const SKIPPED_KEYS = new Set(['name', 'description', '$schema']);

/**
 * The settings of the model and its training: every number, string and flag
 * under model, compile, fit and earlyStopping, plus the data's kind and
 * subset (where the data lives is not a setting). Arrays of plain values (an
 * input shape, a metrics list) are one value.
 */
export function specParameters(spec: TrainingSpec): Record<string, ParameterValue> {
  const out: Record<string, ParameterValue> = {};
  let count = 0;
  const put = (path: JsonPath, value: ParameterValue): void => {
    if (count >= MAX_ROW_PARAMS) return;
    out[formatPath(path)] = typeof value === 'string' ? value.slice(0, MAX_TEXT) : value;
    count++;
  };
  const visit = (value: unknown, path: JsonPath): void => {
    if (typeof value === 'number') {
      if (Number.isFinite(value)) put(path, value);
    } else if (typeof value === 'string') put(path, value);
    else if (typeof value === 'boolean') put(path, String(value));
    else if (Array.isArray(value)) {
      if (value.every((v) => typeof v === 'number' || typeof v === 'string')) put(path, JSON.stringify(value));
      else value.forEach((item, i) => visit(item, [...path, i]));
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, item] of Object.entries(value)) if (!SKIPPED_KEYS.has(key)) visit(item, [...path, key]);
    }
  };
  visit(spec.data.type, ['data', 'type']);
  visit(spec.data.subset, ['data', 'subset']);
  visit(spec.model, ['model']);
  // "adam" and { "type": "sgd", "learningRate": 0.1 } are one column, compile.optimizer.type.
  const { optimizer, ...compile } = spec.compile;
  visit(typeof optimizer === 'string' ? { type: optimizer } : optimizer, ['compile', 'optimizer']);
  visit(compile, ['compile']);
  visit(spec.fit, ['fit']);
  visit(spec.earlyStopping, ['earlyStopping']);
  return out;
}

/** The best value of each validation metric over the epochs: the lowest loss, the highest accuracy. */
export function bestEpochMetrics(epochs: readonly Pick<EpochEndEvent, 'metrics'>[]): Metrics {
  const best: Metrics = {};
  for (const { metrics } of epochs) {
    for (const [name, value] of Object.entries(metrics)) {
      if (!name.startsWith('val_') || typeof value !== 'number' || !Number.isFinite(value)) continue;
      const kept = best[name];
      if (kept === undefined || (isLowerBetter(name) ? value < kept : value > kept)) best[name] = value;
    }
  }
  return best;
}

/** Results by column: the last epoch's values as they are, `test_*` from the test set, `best_*` over the epochs. */
export function runMetrics(record: Pick<RunRecord, 'finalMetrics' | 'testMetrics'>, best: Metrics = {}): Record<string, number> {
  const out: Record<string, number> = {};
  const add = (prefix: string, metrics: Metrics | undefined): void => {
    for (const [name, value] of Object.entries(metrics ?? {})) if (typeof value === 'number' && Number.isFinite(value)) out[prefix + name] = value;
  };
  add('', record.finalMetrics);
  add('best_', best);
  add('test_', record.testMetrics);
  return out;
}

export function experimentRow(record: RunRecord, best: Metrics = {}): ExperimentRow {
  // A trial's recorded values win: they are what the sweep chose, whatever the spec shows.
  const params = specParameters(record.spec);
  for (const [path, value] of Object.entries(record.trial?.parameters ?? {})) {
    if (typeof value === 'string' || Number.isFinite(value)) params[path] = value;
  }
  const row: ExperimentRow = {
    id: record.id,
    name: record.name,
    status: record.status,
    createdAt: record.createdAt,
    epochs: record.epochs,
    epochsCompleted: record.epochsCompleted,
    params,
    metrics: runMetrics(record, best),
  };
  if (record.durationMs !== undefined) row.durationMs = record.durationMs;
  if (record.trial) row.trial = { sweepId: record.trial.sweepId, trialId: record.trial.trialId };
  return row;
}
