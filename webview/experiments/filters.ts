// Which rows the table and the plots show: a free-text filter, a filter per
// column typed in its header (`>0.97`, `<=64`, `0.001..0.01`, `=32`, or
// text), and brushes drawn on the parallel-coordinates axes. A row shows when
// it passes all of them. No DOM.

import type { ExperimentRow, ParameterValue } from '../../src/shared/protocol/experiments';
import type { Column } from './columns';

/** A range (bounds inclusive unless open) or a piece of text to find. */
export type ColumnFilter = { kind: 'range'; min: number; max: number; minOpen: boolean; maxOpen: boolean } | { kind: 'text'; text: string };

/** A brushed stretch of an axis: numbers between min and max, or the categories it covers. */
export type Brush = { min: number; max: number } | { values: string[] };

export interface RowFilter {
  text: string;
  /** By column id. */
  columns: ReadonlyMap<string, ColumnFilter>;
  /** By column id. */
  brushes: ReadonlyMap<string, Brush>;
}

export const NO_FILTER: RowFilter = { text: '', columns: new Map(), brushes: new Map() };

const NUMBER = String.raw`[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?`;
const COMPARISON = new RegExp(`^(>=|<=|>|<|=)\\s*(${NUMBER})$`, 'i');
const BETWEEN = new RegExp(`^(${NUMBER})\\s*\\.\\.\\s*(${NUMBER})$`, 'i');

/** Reads what the user typed in a column's filter box; empty: no filter. */
export function parseColumnFilter(typed: string): ColumnFilter | undefined {
  const text = typed.trim();
  if (!text) return undefined;
  const range = (min: number, max: number, minOpen = false, maxOpen = false): ColumnFilter => ({ kind: 'range', min, max, minOpen, maxOpen });
  const between = BETWEEN.exec(text);
  if (between) {
    const [a, b] = [Number(between[1]), Number(between[2])];
    return range(Math.min(a, b), Math.max(a, b));
  }
  const comparison = COMPARISON.exec(text);
  if (comparison) {
    const value = Number(comparison[2]);
    switch (comparison[1]) {
      case '>':
        return range(value, Infinity, true);
      case '>=':
        return range(value, Infinity);
      case '<':
        return range(-Infinity, value, false, true);
      case '<=':
        return range(-Infinity, value);
      default:
        return range(value, value);
    }
  }
  if (new RegExp(`^${NUMBER}$`, 'i').test(text)) return range(Number(text), Number(text));
  return { kind: 'text', text: text.toLowerCase() };
}

export function matchesFilter(value: ParameterValue | undefined, filter: ColumnFilter): boolean {
  if (value === undefined) return false;
  if (filter.kind === 'text') return String(value).toLowerCase().includes(filter.text);
  if (typeof value !== 'number') return false;
  const aboveMin = filter.minOpen ? value > filter.min : value >= filter.min;
  const belowMax = filter.maxOpen ? value < filter.max : value <= filter.max;
  return aboveMin && belowMax;
}

export function inBrush(value: ParameterValue | undefined, brush: Brush): boolean {
  if (value === undefined) return false;
  if ('values' in brush) return brush.values.includes(String(value));
  return typeof value === 'number' && value >= brush.min && value <= brush.max;
}

const searchText = new WeakMap<ExperimentRow, string>();

/** What the free-text filter looks in: name, id, status, trial, and every parameter value. */
function textOf(row: ExperimentRow): string {
  let text = searchText.get(row);
  if (text === undefined) {
    text = [row.name, row.id, row.status, row.trial?.trialId ?? '', ...Object.values(row.params).map(String)].join('\n').toLowerCase();
    searchText.set(row, text);
  }
  return text;
}

/** The rows that pass every filter and brush; columns named by a filter but unknown are ignored. */
export function filterRows(rows: readonly ExperimentRow[], columns: ReadonlyMap<string, Column>, filter: RowFilter): ExperimentRow[] {
  const words = filter.text.toLowerCase().split(/\s+/).filter(Boolean);
  const checks: ((row: ExperimentRow) => boolean)[] = [];
  if (words.length) checks.push((row) => words.every((word) => textOf(row).includes(word)));
  for (const [id, columnFilter] of filter.columns) {
    const column = columns.get(id);
    if (column) checks.push((row) => matchesFilter(column.value(row), columnFilter));
  }
  for (const [id, brush] of filter.brushes) {
    const column = columns.get(id);
    if (column) checks.push((row) => inBrush(column.value(row), brush));
  }
  if (checks.length === 0) return [...rows];
  return rows.filter((row) => checks.every((check) => check(row)));
}
