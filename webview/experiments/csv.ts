// The table as CSV (RFC 4180): a header line of column names, one line per
// row, lines ended by CRLF; a field holding a comma, a double quote, CR or LF
// is quoted, with its double quotes doubled. Numbers keep full precision.
// No DOM.

import type { ExperimentRow, ParameterValue } from '../../src/shared/protocol/experiments';
import type { Column } from './columns';

export function csvField(value: ParameterValue | undefined): string {
  if (value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(columns: readonly Column[], rows: readonly ExperimentRow[]): string {
  const lines = [columns.map((column) => csvField(column.name)).join(',')];
  for (const row of rows) lines.push(columns.map((column) => csvField(column.value(row))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** `experiments-20261202-1015.csv`, or the sweep's name first. */
export function csvFileName(title: string, now = new Date()): string {
  const stamp = now.toISOString().slice(0, 16).replace(/[-:]/g, '').replace('T', '-');
  const base = title.replace(/^Sweep:?\s*/, 'sweep-').replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '').toLowerCase() || 'experiments';
  return `${base.slice(0, 100)}-${stamp}.csv`;
}
