// The order of the table: sorted by any column (runs without a value last,
// whichever the direction), newest first by default, and the pinned baseline
// always on top, even when the filters would hide it. And which run is the
// best by a metric: the one to push or to turn into a spec. No DOM.

import type { ExperimentRow, ParameterValue, SweepSummary } from '../../src/shared/protocol/experiments';
import type { Column } from './columns';
import { RUN_COLUMNS } from './columns';

export interface SortOrder {
  column: Column;
  descending: boolean;
}

/** Newest first when nothing else is chosen. */
export const DEFAULT_SORT: SortOrder = { column: RUN_COLUMNS.created, descending: true };

/** One collator for every comparison: localeCompare with options builds one per call (slow for thousands of rows). */
const collator = new Intl.Collator(undefined, { numeric: true });

function compareValues(a: ParameterValue, b: ParameterValue): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  return collator.compare(a, b);
}

export function sortRows(rows: readonly ExperimentRow[], order: SortOrder): ExperimentRow[] {
  const { column, descending } = order;
  // Read each value once: sorting thousands of rows calls the comparator tens of thousands of times.
  const keyed = rows.map((row, index) => ({ row, index, value: column.value(row) }));
  keyed.sort((x, y) => {
    if (x.value === undefined || y.value === undefined) {
      if (x.value === y.value) return x.index - y.index;
      return x.value === undefined ? 1 : -1;
    }
    const c = compareValues(x.value, y.value);
    return (descending ? -c : c) || x.index - y.index;
  });
  return keyed.map((k) => k.row);
}

/** The rows in table order: the baseline first (taken from `all` when the filters hide it), then the sorted rest. */
export function displayRows(filtered: readonly ExperimentRow[], all: readonly ExperimentRow[], order: SortOrder, baseline: string | undefined): ExperimentRow[] {
  const sorted = sortRows(filtered, order);
  if (!baseline) return sorted;
  const pinned = all.find((row) => row.id === baseline);
  if (!pinned) return sorted;
  return [pinned, ...sorted.filter((row) => row.id !== baseline)];
}

/**
 * The same rows as displayRows(filtered, all, order, baseline), from `sorted`
 * (all rows in `order`) and the set of filtered rows: a filter change then
 * costs one pass instead of a sort (a stable sort of a subset keeps the
 * subset's order in the whole).
 */
export function displayShownRows(sorted: readonly ExperimentRow[], shown: ReadonlySet<ExperimentRow>, baseline: string | undefined): ExperimentRow[] {
  const pinned = baseline === undefined ? undefined : sorted.find((row) => row.id === baseline);
  const rows = sorted.filter((row) => row !== pinned && shown.has(row));
  return pinned ? [pinned, ...rows] : rows;
}

/** Runs that saved a model (what Push and Open as Spec want). */
export function hasModel(row: ExperimentRow): boolean {
  return row.status === 'completed' || row.status === 'stopped';
}

/**
 * The best run by `metric`: the sweep's own best when the metric is the one it
 * searched on, else the best value among runs with a model.
 */
export function bestRow(rows: readonly ExperimentRow[], metric: Column | undefined, sweep?: SweepSummary): ExperimentRow | undefined {
  if (!metric) return undefined;
  if (sweep?.best?.runId && sweep.metric.name === metric.name) {
    const best = rows.find((row) => row.id === sweep.best?.runId);
    if (best) return best;
  }
  const lowerBetter = sweep?.metric.name === metric.name ? sweep.metric.goal === 'minimize' : metric.lowerBetter;
  let best: ExperimentRow | undefined;
  let bestValue = 0;
  for (const row of rows) {
    const value = metric.value(row);
    if (typeof value !== 'number' || !hasModel(row)) continue;
    if (!best || (lowerBetter ? value < bestValue : value > bestValue)) {
      best = row;
      bestValue = value;
    }
  }
  return best;
}
