// Turns run states into what one uPlot chart draws: the lines (which run,
// which kind) and the aligned data (one shared x array; null where a line has
// no point). Batch lines are decimated to the chart's pixel width first, so
// the cost of a redraw depends on the width, not on the number of batches.

import { decimateMinMax, lowerBound, type DecimateOutput } from './decimate';
import type { RunState } from './runState';
import type { Series } from './series';

/** What uPlot's setData takes: the shared x values, then one y array per line. */
export type ChartData = [Float64Array, ...(number | null)[][]];

/** batch: per-batch train values (smoothed when smoothing is on); batchRaw: the raw ones behind them. */
export type LineKind = 'batch' | 'batchRaw' | 'epoch' | 'val';

export interface ChartLine {
  runIndex: number;
  runId: string;
  kind: LineKind;
  label: string;
}

export interface BuildOptions {
  /** Pixel columns of the plot: decimation keeps at most ~4 points per column. */
  buckets: number;
  smoothing: number;
  logScale: boolean;
  /** Visible x range when zoomed in; the whole run otherwise. */
  xMin?: number;
  xMax?: number;
}

const KIND_LABELS: Record<LineKind, string> = {
  batch: 'train',
  batchRaw: 'train (raw)',
  epoch: 'train (epoch)',
  val: 'validation',
};

/** The lines a chart of `metric` shows for these runs, in drawing order (raw lines first, under the rest). */
export function chartLines(runs: readonly RunState[], metric: string, smoothing: number): ChartLine[] {
  const lines: ChartLine[] = [];
  const compare = runs.length > 1;
  const add = (runIndex: number, kind: LineKind): void => {
    const run = runs[runIndex];
    lines.push({ runIndex, runId: run.id, kind, label: compare ? `${run.name} · ${KIND_LABELS[kind]}` : KIND_LABELS[kind] });
  };
  if (smoothing > 0) runs.forEach((run, i) => run.batch.has(metric) && add(i, 'batchRaw'));
  runs.forEach((run, i) => {
    if (run.batch.has(metric)) add(i, 'batch');
    if (run.epochTrain.has(metric)) add(i, 'epoch');
    if (run.epochVal.has(metric)) add(i, 'val');
  });
  return lines;
}

/** Identifies the set of lines: when it changes the chart is rebuilt, otherwise only its data is replaced. */
export function linesKey(lines: readonly ChartLine[]): string {
  return lines.map((l) => `${l.runId}/${l.kind}`).join('|');
}

export function lineSeries(run: RunState, metric: string, kind: LineKind): Series | undefined {
  if (kind === 'batch' || kind === 'batchRaw') return run.batch.get(metric);
  return (kind === 'epoch' ? run.epochTrain : run.epochVal).get(metric);
}

/** Reuses its scratch buffers between builds: a redraw allocates only the arrays handed to uPlot. */
export class ChartDataBuilder {
  private scratch: DecimateOutput[] = [];
  private counts: number[] = [];
  private union = new Float64Array(1024);

  build(runs: readonly RunState[], metric: string, lines: readonly ChartLine[], options: BuildOptions): ChartData {
    let total = 0;
    lines.forEach((line, i) => {
      const out = (this.scratch[i] ??= { x: new Float64Array(64), y: new Float64Array(64) });
      const series = lineSeries(runs[line.runIndex], metric, line.kind);
      this.counts[i] = series ? this.decimate(series, line.kind, options, out) : 0;
      total += this.counts[i];
    });
    const x = this.mergeX(lines.length, total);
    const data: ChartData = [x];
    lines.forEach((_, i) => data.push(this.align(x, this.scratch[i], this.counts[i], options.logScale)));
    return data;
  }

  private decimate(series: Series, kind: LineKind, options: BuildOptions, out: DecimateOutput): number {
    const y = kind === 'batch' && options.smoothing > 0 ? series.smoothed : series.y;
    let start = 0;
    let end = series.length;
    if (options.xMin !== undefined && options.xMax !== undefined) {
      // One point beyond each edge, so lines run to the border of a zoomed chart.
      start = Math.max(0, lowerBound(series.x, series.length, options.xMin) - 1);
      end = Math.min(series.length, lowerBound(series.x, series.length, options.xMax) + 1);
    }
    return decimateMinMax(series.x, y, start, Math.max(start, end), Math.max(1, options.buckets), out);
  }

  /** Sorted, de-duplicated x values of every line. */
  private mergeX(lineCount: number, total: number): Float64Array {
    if (this.union.length < total) this.union = new Float64Array(total * 2);
    let n = 0;
    for (let i = 0; i < lineCount; i++) {
      this.union.set(this.scratch[i].x.subarray(0, this.counts[i]), n);
      n += this.counts[i];
    }
    const sorted = this.union.subarray(0, n).sort();
    let unique = 0;
    for (let i = 0; i < n; i++) if (i === 0 || sorted[i] !== sorted[unique - 1]) sorted[unique++] = sorted[i];
    return sorted.slice(0, unique);
  }

  private align(x: Float64Array, points: DecimateOutput, count: number, logScale: boolean): (number | null)[] {
    const y = new Array<number | null>(x.length).fill(null);
    let j = 0;
    for (let i = 0; i < count; i++) {
      const px = points.x[i];
      while (x[j] < px) j++;
      const value = points.y[i];
      y[j] = logScale && value <= 0 ? null : value;
    }
    return y;
  }
}
