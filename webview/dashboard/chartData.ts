// Turns run states into what one uPlot chart draws: the lines (which run,
// which kind) and the aligned data (one shared x array; null where a line has
// no point). Lines are decimated to the chart's pixel width first, so the cost
// of a redraw depends on the width, not on the number of batches.

import { lowerBound, MinMaxDecimator } from './decimate';
import type { RunState } from './runState';
import type { Series } from './series';

/** What uPlot's setData takes: the shared x values, then one y array per line. */
export type ChartData = [Float64Array, ...(number | null)[][]];

/**
 * batch: per-batch train values (smoothed when smoothing is on); rawHigh/rawLow: when smoothing, the band of
 * the raw values behind it (per pixel column, highest and lowest), filled rather than stroked: cheap to draw.
 */
export type LineKind = 'batch' | 'rawHigh' | 'rawLow' | 'epoch' | 'val';

export function isRawBand(kind: LineKind): boolean {
  return kind === 'rawHigh' || kind === 'rawLow';
}

export interface ChartLine {
  runIndex: number;
  runId: string;
  kind: LineKind;
  label: string;
}

export interface BuildOptions {
  /** Pixel columns of the plot: decimation keeps about 2 points per column. */
  columns: number;
  smoothing: number;
  logScale: boolean;
  /** The x range shown: the whole run (0..epochs) or the zoomed-in part. */
  xMin: number;
  xMax: number;
}

const KIND_LABELS: Record<LineKind, string> = {
  batch: 'train',
  rawHigh: 'train (raw, highest)',
  rawLow: 'train (raw, lowest)',
  epoch: 'train (epoch)',
  val: 'validation',
};

/** The lines a chart of `metric` shows for these runs, in drawing order (raw lines first, under the rest). */
export function chartLines(runs: readonly RunState[], metric: string, smoothing: number): ChartLine[] {
  const lines: ChartLine[] = [];
  const compare = runs.length > 1;
  const add = (runIndex: number, kind: LineKind): void => {
    const run = runs[runIndex];
    lines.push({ runIndex, runId: run.id, kind, label: compare ? `${run.label || run.name} · ${KIND_LABELS[kind]}` : KIND_LABELS[kind] });
  };
  if (smoothing > 0) {
    runs.forEach((run, i) => {
      if (!run.batch.has(metric)) return;
      add(i, 'rawHigh');
      add(i, 'rawLow');
    });
  }
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
  if (kind === 'batch' || isRawBand(kind)) return run.batch.get(metric);
  return (kind === 'epoch' ? run.epochTrain : run.epochVal).get(metric);
}

/**
 * The x range of the whole chart, fitted to the data shown: epoch 0 to the
 * furthest point of any run, so a run stopped early does not squeeze the
 * others into a corner. A single run still training spans its planned epochs,
 * so the chart shows how far it has come.
 */
export function fullXRange(runs: readonly RunState[], metric: string): [number, number] {
  let max = 0;
  for (const run of runs) {
    for (const kind of ['batch', 'epoch', 'val'] as const) {
      const series = lineSeries(run, metric, kind);
      if (series?.length) max = Math.max(max, series.x[series.length - 1]);
    }
  }
  const live = runs.length === 1 && runs[0].status === 'running' ? runs[0].epochs ?? 0 : 0;
  return [0, Math.max(max, live) || runs[0]?.epochs || 1];
}

/** A y range that ignores the extreme 2% at each end of the main lines (TensorBoard's "ignore outliers"). */
export function robustYRange(data: ChartData, lines: readonly ChartLine[], scratch: Float64Array): [number, number] | undefined {
  let n = 0;
  let epochMin = Infinity;
  let epochMax = -Infinity;
  lines.forEach((line, i) => {
    if (isRawBand(line.kind)) return;
    const ys = data[i + 1] as (number | null)[];
    for (const y of ys) {
      if (y === null) continue;
      if (n < scratch.length) scratch[n++] = y;
      if (line.kind !== 'batch') {
        epochMin = Math.min(epochMin, y);
        epochMax = Math.max(epochMax, y);
      }
    }
  });
  if (n < 2) return undefined;
  const sorted = scratch.subarray(0, n).sort();
  // Per-epoch points are few and meaningful: always in view.
  const low = Math.min(sorted[Math.floor(0.02 * (n - 1))], epochMin);
  const high = Math.max(sorted[Math.ceil(0.98 * (n - 1))], epochMax);
  const pad = (high - low) * 0.08 || Math.abs(high) * 0.1 || 1;
  return [low - pad, high + pad];
}

/** Reuses its decimations and buffers between builds: a redraw allocates only the arrays handed to uPlot. */
export class ChartDataBuilder {
  private readonly decimators = new Map<string, MinMaxDecimator>();
  private union = new Float64Array(1024);

  /** Drops the kept decimations (the next build decimates every point again). */
  reset(): void {
    this.decimators.clear();
  }

  build(runs: readonly RunState[], metric: string, lines: readonly ChartLine[], options: BuildOptions): ChartData {
    // Raw and smoothed batch lines share one decimation: the same points, two y arrays.
    const sources = new Map<string, { series: Series; decimator: MinMaxDecimator }>();
    let total = 0;
    for (const line of lines) {
      const family = isRawBand(line.kind) ? 'batch' : line.kind;
      const key = `${line.runId}/${family}`;
      const series = lineSeries(runs[line.runIndex], metric, line.kind);
      if (!series || sources.has(key)) continue;
      let decimator = this.decimators.get(key);
      if (!decimator) this.decimators.set(key, (decimator = new MinMaxDecimator()));
      const start = Math.max(0, lowerBound(series.x, series.length, options.xMin) - 1);
      const end = Math.min(series.length, lowerBound(series.x, series.length, options.xMax) + 1);
      total += decimator.update({ x: series.x, y: series.y, start, end: Math.max(start, end), xMin: options.xMin, xMax: options.xMax, columns: Math.max(1, options.columns), revision: series.revision });
      sources.set(key, { series, decimator });
    }
    // Forget decimations of runs no longer shown.
    for (const key of this.decimators.keys()) if (!sources.has(key)) this.decimators.delete(key);
    const x = this.mergeX([...sources.values()], total);
    const data: ChartData = [x];
    for (const line of lines) {
      const source = sources.get(`${line.runId}/${isRawBand(line.kind) ? 'batch' : line.kind}`);
      if (!source) {
        data.push(new Array<number | null>(x.length).fill(null));
        continue;
      }
      const { series, decimator } = source;
      const pick = (k: number, index: number): number =>
        line.kind === 'rawHigh' ? decimator.high[k] : line.kind === 'rawLow' ? decimator.low[k] : line.kind === 'batch' && options.smoothing > 0 ? series.smoothed[index] : series.y[index];
      data.push(this.align(x, series, decimator, pick, options.logScale));
    }
    return data;
  }

  /** Sorted, de-duplicated x values of every source. */
  private mergeX(sources: { series: Series; decimator: MinMaxDecimator }[], total: number): Float64Array {
    if (this.union.length < total) this.union = new Float64Array(total * 2);
    let n = 0;
    for (const { series, decimator } of sources) {
      for (let k = 0; k < decimator.count; k++) this.union[n++] = series.x[decimator.indices[k]];
    }
    const sorted = this.union.subarray(0, n).sort();
    let unique = 0;
    for (let i = 0; i < n; i++) if (i === 0 || sorted[i] !== sorted[unique - 1]) sorted[unique++] = sorted[i];
    return sorted.slice(0, unique);
  }

  private align(x: Float64Array, series: Series, decimator: MinMaxDecimator, pick: (k: number, index: number) => number, logScale: boolean): (number | null)[] {
    const out = new Array<number | null>(x.length).fill(null);
    let j = 0;
    for (let k = 0; k < decimator.count; k++) {
      const index = decimator.indices[k];
      const px = series.x[index];
      while (x[j] < px) j++;
      const value = pick(k, index);
      out[j] = (logScale && value <= 0) || !Number.isFinite(value) ? null : value;
    }
    return out;
  }
}
