// The experiments table's columns: who the run is, one column per
// hyperparameter that differs across the shown runs (a sweep's searched ones
// always), and one per result (last epoch, best epoch, test set). Every
// column reads its value from a row, so sorting, filtering, plots and CSV
// treat them all alike. No DOM.

import { isLowerBetter } from '../../src/shared/metrics';
import type { ExperimentRow, ParameterValue, SweepSummary } from '../../src/shared/protocol/experiments';

export type ColumnKind = 'run' | 'param' | 'metric';

export interface Column {
  /** Unique: `param:fit.batchSize`, `metric:val_acc`, `run:status`. */
  id: string;
  /** The parameter's spec path, the metric's name, or the run field. */
  name: string;
  kind: ColumnKind;
  /** Every value is a number (sorted and filtered as numbers, a continuous axis). */
  numeric: boolean;
  /** A log axis suits it (a searched log-scaled parameter, or positive values over two decades). */
  log: boolean;
  /** For metrics: a smaller value is better (losses). */
  lowerBetter: boolean;
  value(row: ExperimentRow): ParameterValue | undefined;
}

const runColumn = (name: string, numeric: boolean, value: (row: ExperimentRow) => ParameterValue | undefined): Column => ({
  id: `run:${name}`,
  name,
  kind: 'run',
  numeric,
  log: false,
  lowerBetter: false,
  value,
});

/** The run's own fields, in the order the table shows them (the CSV adds the id). */
export const RUN_COLUMNS = {
  name: runColumn('run', false, (row) => row.name),
  id: runColumn('id', false, (row) => row.id),
  status: runColumn('status', false, (row) => row.status),
  trial: runColumn('trial', false, (row) => row.trial?.trialId),
  epochs: runColumn('epochs', true, (row) => row.epochsCompleted),
  duration: runColumn('duration_s', true, (row) => (row.durationMs === undefined ? undefined : row.durationMs / 1000)),
  created: runColumn('created', false, (row) => row.createdAt),
};

/** Parameter paths whose values are not all the same (a path some runs lack counts as differing), in first-seen order. */
export function differingParameters(rows: readonly ExperimentRow[]): string[] {
  const first = new Map<string, ParameterValue>();
  const differs = new Set<string>();
  rows.forEach((row, index) => {
    for (const [path, value] of Object.entries(row.params)) {
      if (!first.has(path)) {
        first.set(path, value);
        if (index > 0) differs.add(path);
      } else if (first.get(path) !== value) differs.add(path);
    }
  });
  for (const path of first.keys()) if (!differs.has(path) && rows.some((row) => !(path in row.params))) differs.add(path);
  return [...first.keys()].filter((path) => differs.has(path));
}

const LOG_NAMES = /learningRate|(^|\.)lr$|decay|epsilon|\.l[12]$|momentum$/i;

function looksLogScaled(name: string, values: readonly number[]): boolean {
  if (values.length === 0 || values.some((v) => v <= 0)) return false;
  const ratio = Math.max(...values) / Math.min(...values);
  return ratio >= 100 || (LOG_NAMES.test(name) && ratio > 1);
}

function paramColumn(name: string, rows: readonly ExperimentRow[], sweep: SweepSummary | undefined): Column {
  const values = rows.map((row) => row.params[name]).filter((v): v is ParameterValue => v !== undefined);
  const numeric = values.length > 0 && values.every((v) => typeof v === 'number');
  const scale = sweep?.scales[name];
  const log = numeric && (scale === 'log' || scale === 'reverseLog' || (scale === undefined && looksLogScaled(name, values as number[])));
  return { id: `param:${name}`, name, kind: 'param', numeric, log, lowerBetter: false, value: (row) => row.params[name] };
}

/** loss, acc, …, then val_*, best_val_*, test_*: results read left to right from training to the test set. */
function metricRank(name: string): number {
  if (name.startsWith('test_')) return 3;
  if (name.startsWith('best_')) return 2;
  if (name.startsWith('val_')) return 1;
  return 0;
}

export function metricNames(rows: readonly ExperimentRow[]): string[] {
  const names = new Set<string>();
  for (const row of rows) for (const name of Object.keys(row.metrics)) names.add(name);
  const base = (name: string): string => name.replace(/^(best_|test_|val_)+/, '');
  return [...names].sort((a, b) => metricRank(a) - metricRank(b) || (base(a) === 'loss' ? -1 : base(b) === 'loss' ? 1 : base(a).localeCompare(base(b))));
}

export function metricColumn(name: string): Column {
  return { id: `metric:${name}`, name, kind: 'metric', numeric: true, log: false, lowerBetter: isLowerBetter(name), value: (row) => row.metrics[name] };
}

export interface TableColumns {
  /** Every column, in table order. */
  all: Column[];
  params: Column[];
  metrics: Column[];
  byId: Map<string, Column>;
}

/** The columns for these rows: a sweep's searched parameters first, then the others that differ. */
export function buildColumns(rows: readonly ExperimentRow[], sweep?: SweepSummary): TableColumns {
  const searched = Object.keys(sweep?.scales ?? {});
  const paramNames = [...new Set([...searched, ...differingParameters(rows)])];
  const params = paramNames.map((name) => paramColumn(name, rows, sweep));
  const metrics = metricNames(rows).map(metricColumn);
  const trial = rows.some((row) => row.trial) ? [RUN_COLUMNS.trial] : [];
  const all = [RUN_COLUMNS.name, RUN_COLUMNS.status, ...trial, ...params, ...metrics, RUN_COLUMNS.epochs, RUN_COLUMNS.duration, RUN_COLUMNS.created];
  return { all, params, metrics, byId: new Map(all.map((column) => [column.id, column])) };
}

/** The metric the plots and "best" use by default: the sweep's, else the most telling one there is. */
export function defaultMetric(metrics: readonly Column[], sweep?: SweepSummary): string | undefined {
  const names = metrics.map((m) => m.name);
  const preferred = [sweep?.metric.name, 'test_acc', 'best_val_acc', 'val_acc', 'acc', 'test_loss', 'val_loss', 'loss'];
  return preferred.find((name) => name !== undefined && names.includes(name)) ?? names[0];
}
