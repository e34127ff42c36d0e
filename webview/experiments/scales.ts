// Axes for the plots: a column's values mapped to 0..1 (0 at the bottom or
// left) on a linear, logarithmic or categorical scale, back again for
// brushing, and a few readable tick labels. No DOM.

import type { ExperimentRow, ParameterValue } from '../../src/shared/protocol/experiments';
import type { Column } from './columns';
import type { Brush } from './filters';

export interface Axis {
  column: Column;
  kind: 'linear' | 'log' | 'category';
  /** Where a value sits, 0..1; undefined for a value the axis cannot show (no value, ≤ 0 on a log axis). */
  position(value: ParameterValue | undefined): number | undefined;
  /** The brush covering positions `from`..`to` (either order). */
  brush(from: number, to: number): Brush;
  /** Where a brush sits on the axis, as positions; undefined if it shows nothing there. */
  brushSpan(brush: Brush): [number, number] | undefined;
  ticks(): { at: number; label: string }[];
}

export function formatNumber(value: number): string {
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e5 || magnitude < 1e-3) return value.toExponential(1).replace('e+', 'e');
  return String(Number(value.toPrecision(3)));
}

function categoryAxis(column: Column, values: string[]): Axis {
  const categories = [...new Set(values)].sort(new Intl.Collator(undefined, { numeric: true }).compare);
  const at = (index: number): number => (categories.length === 1 ? 0.5 : index / (categories.length - 1));
  return {
    column,
    kind: 'category',
    position: (value) => {
      const index = value === undefined ? -1 : categories.indexOf(String(value));
      return index < 0 ? undefined : at(index);
    },
    brush: (from, to) => {
      const [low, high] = [Math.min(from, to), Math.max(from, to)];
      return { values: categories.filter((_, i) => at(i) >= low && at(i) <= high) };
    },
    brushSpan: (brush) => {
      if (!('values' in brush)) return undefined;
      const positions = brush.values.map((v) => categories.indexOf(v)).filter((i) => i >= 0).map(at);
      return positions.length ? [Math.min(...positions), Math.max(...positions)] : undefined;
    },
    ticks: () => categories.map((label, i) => ({ at: at(i), label })),
  };
}

function numericAxis(column: Column, values: number[], log: boolean): Axis {
  const shown = log ? values.filter((v) => v > 0) : values;
  const t = log ? Math.log10 : (v: number): number => v;
  const inverse = log ? (u: number): number => 10 ** u : (u: number): number => u;
  let low = shown.length ? t(Math.min(...shown)) : 0;
  let high = shown.length ? t(Math.max(...shown)) : 1;
  if (low === high) {
    // One value: give it room, centred.
    low -= log ? 0.5 : Math.abs(low) * 0.1 || 1;
    high += log ? 0.5 : Math.abs(high) * 0.1 || 1;
  }
  const position = (value: ParameterValue | undefined): number | undefined => {
    if (typeof value !== 'number' || (log && value <= 0)) return undefined;
    return (t(value) - low) / (high - low);
  };
  const valueAt = (p: number): number => inverse(low + p * (high - low));
  return {
    column,
    kind: log ? 'log' : 'linear',
    position,
    brush: (from, to) => ({ min: valueAt(Math.min(from, to)), max: valueAt(Math.max(from, to)) }),
    brushSpan: (brush) => {
      if ('values' in brush) return undefined;
      const a = position(brush.min) ?? 0;
      const b = position(brush.max) ?? 1;
      return [Math.max(0, Math.min(a, b)), Math.min(1, Math.max(a, b))];
    },
    ticks: () => {
      if (log) {
        // 1, 2 and 5 times the powers of ten inside the range; only the powers when that is too many.
        const inside: { value: number; power: boolean }[] = [];
        for (let decade = Math.floor(low); decade <= Math.ceil(high); decade++) {
          for (const m of [1, 2, 5]) {
            const value = m * 10 ** decade;
            if (Math.log10(value) >= low - 1e-9 && Math.log10(value) <= high + 1e-9) inside.push({ value, power: m === 1 });
          }
        }
        const powers = inside.filter((tick) => tick.power);
        const chosen = (inside.length > 8 && powers.length >= 2 ? powers : inside).map((tick) => tick.value);
        if (chosen.length >= 2) return chosen.map((v) => ({ at: (Math.log10(v) - low) / (high - low), label: formatNumber(v) }));
      }
      return [0, 0.5, 1].map((p) => ({ at: p, label: formatNumber(valueAt(p)) }));
    },
  };
}

/** The axis for a column over these rows; `log` overrides the column's own choice (the scatter's toggle). */
export function axisFor(column: Column, rows: readonly ExperimentRow[], log = column.log): Axis {
  const values = rows.map((row) => column.value(row)).filter((v): v is ParameterValue => v !== undefined);
  if (!column.numeric) return categoryAxis(column, values.map(String));
  return numericAxis(column, values as number[], log);
}
