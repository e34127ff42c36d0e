// One chart card: title, legend with live values, and a uPlot canvas. Data is
// replaced with setData inside uPlot's batch (one synchronous draw); the
// chart is only rebuilt when its set of lines, the theme or the scale changes.
// Drag to zoom in (the data is re-decimated for the zoomed range), double-click
// to zoom out.

import uPlot from 'uplot';
import { ChartDataBuilder, chartLines, fullXRange, isRawBand, linesKey, robustYRange, type ChartData, type ChartLine } from './chartData';
import { h, replace } from './dom';
import { formatValue, metricTitle } from './format';
import type { RunState } from './runState';
import { withAlpha, type Palette } from './theme';

export interface ChartContext {
  runs: readonly RunState[];
  smoothing: number;
  logScale: boolean;
  ignoreOutliers: boolean;
  palette: Palette;
  fontFamily: string;
}

const HEIGHT = 220;

export class MetricChart {
  readonly element: HTMLElement;
  private readonly plotHost: HTMLElement;
  private readonly legend: HTMLElement;
  private readonly builder = new ChartDataBuilder();
  private plot: uPlot | undefined;
  private key = '';
  private lines: ChartLine[] = [];
  private data: ChartData | undefined;
  /** The zoomed-in x range; undefined: the whole run. */
  private range: [number, number] | undefined;
  private xView: [number, number] = [0, 1];
  private yView: [number, number] | undefined;
  private readonly yScratch = new Float64Array(16384);
  private bandFills = new Map<string, string>();
  private legendValues: HTMLElement[] = [];
  private context: ChartContext | undefined;
  private logScale = false;

  constructor(readonly metric: string) {
    this.legend = h('div', { class: 'legend' });
    this.plotHost = h('div', { class: 'plot' });
    this.element = h(
      'section',
      { class: 'chart-card', 'data-metric': metric },
      h('header', null, h('h3', null, metricTitle(metric)), this.legend),
      this.plotHost,
    );
    this.plotHost.addEventListener('dblclick', () => this.zoomOut());
  }

  /** Points drawn by the last update (for tests and the e2e check): x values in the aligned data. */
  get drawnPoints(): number {
    return this.data ? this.data[0].length : 0;
  }

  /** Rebuilds the lines if needed and redraws with the runs' current data. */
  update(context: ChartContext, rebuild = false): void {
    this.context = context;
    const lines = chartLines(context.runs, this.metric, context.smoothing);
    const key = linesKey(lines);
    const usesLog = context.logScale && this.metric === 'loss';
    if (rebuild || !this.plot || key !== this.key || usesLog !== this.logScale) {
      this.lines = lines;
      this.key = key;
      this.logScale = usesLog;
      this.create(context);
    }
    this.redraw();
  }

  /** Re-decimates and draws the current data; cheap enough to run every frame. `fresh`: forget kept decimations first. */
  redraw(fresh = false): void {
    const plot = this.plot;
    const context = this.context;
    if (!plot || !context) return;
    if (fresh) this.builder.reset();
    this.xView = this.range ?? fullXRange(context.runs, this.metric);
    this.data = this.builder.build(context.runs, this.metric, this.lines, {
      columns: Math.max(50, Math.round(plot.bbox.width / devicePixelRatio) || this.plotHost.clientWidth),
      smoothing: context.smoothing,
      logScale: this.logScale,
      xMin: this.xView[0],
      xMax: this.xView[1],
    });
    this.yView = context.ignoreOutliers && !this.logScale ? robustYRange(this.data, this.lines, this.yScratch) : fullYRange(this.data, this.logScale);
    const data = this.data as uPlot.AlignedData;
    // One synchronous draw; the scales' range functions read xView and yView.
    plot.batch(() => plot.setData(data, true));
    this.showValues(null);
    this.element.dataset.points = String(this.data[0].length);
    this.element.dataset.xMax = String(this.xView[1]);
    const last = this.lastValue('batch') ?? this.lastValue('epoch');
    if (last !== undefined) this.element.dataset.last = String(last);
  }

  resize(): void {
    const width = this.plotHost.clientWidth;
    if (this.plot && width > 0 && width !== this.plot.width) {
      this.plot.setSize({ width, height: HEIGHT });
      this.redraw();
    }
  }

  destroy(): void {
    this.plot?.destroy();
    this.plot = undefined;
  }

  private zoomOut(): void {
    if (!this.range) return;
    this.range = undefined;
    this.redraw();
  }

  private create(context: ChartContext): void {
    this.plot?.destroy();
    const { palette } = context;
    const axisFont = `11px ${context.fontFamily}`;
    const axis = (label?: string): uPlot.Axis => ({
      label,
      labelFont: axisFont,
      labelSize: label ? 18 : 0,
      font: axisFont,
      stroke: palette.muted,
      grid: { stroke: palette.grid, width: 1 },
      ticks: { stroke: palette.grid, width: 1, size: 4 },
    });
    const options: uPlot.Options = {
      width: Math.max(200, this.plotHost.clientWidth),
      height: HEIGHT,
      legend: { show: false },
      scales: {
        x: { time: false, range: () => this.xView },
        y: this.logScale
          ? { distr: 3, log: 10, range: (_u, min, max) => (this.yView ? uPlot.rangeLog(this.yView[0], this.yView[1], 10, true) : uPlot.rangeLog(min, max, 10, true)) }
          : { range: (_u, min, max) => this.yView ?? uPlot.rangeNum(min, max, 0.1, true) },
      },
      axes: [{ ...axis('epoch'), size: 28, gap: 4 }, { ...axis(), size: 52 }],
      series: [{}, ...this.lines.map((line) => this.seriesOptions(line, palette))],
      cursor: {
        drag: { x: true, y: false, setScale: false },
        points: { size: 6 },
        // The chart's own double-click resets to the decimated data's range; ours re-decimates.
        bind: { dblclick: () => () => null },
      },
      hooks: {
        // Under the lines: the axes are drawn, the series not yet.
        drawAxes: [(u) => this.drawBands(u)],
        setSelect: [(u) => this.onSelect(u)],
        setCursor: [(u) => this.showValues(u.cursor.idx ?? null)],
      },
    };
    // Resolved once per build: withAlpha reads computed styles, too slow for every frame.
    const compare = context.runs.length > 1;
    const alpha = palette.highContrast ? 0.4 : compare ? 0.14 : 0.24;
    this.bandFills = new Map(this.lines.filter((l) => l.kind === 'rawHigh').map((l) => [l.runId, withAlpha(lineColor(l, palette, compare), alpha)]));
    const empty = [new Float64Array(0), ...this.lines.map(() => [])] as uPlot.AlignedData;
    this.plot = new uPlot(options, empty, this.plotHost);
    this.renderLegend();
  }

  private seriesOptions(line: ChartLine, palette: Palette): uPlot.Series {
    const compare = (this.context?.runs.length ?? 1) > 1;
    const color = lineColor(line, palette, compare);
    const base: uPlot.Series = { label: line.label, stroke: color, width: 1.5, spanGaps: true, points: { show: false } };
    switch (line.kind) {
      case 'rawHigh':
      case 'rawLow':
        // Edges of the band that drawBands() fills; uPlot itself does not draw them.
        return { ...base, show: false };
      case 'batch':
        return base;
      case 'epoch':
        return { ...base, width: 2, dash: compare ? [6, 4] : undefined, points: { show: true, size: 7, fill: color, stroke: color } };
      case 'val':
        return { ...base, width: 2, dash: compare ? [2, 3] : [6, 4], points: { show: true, size: 7, fill: palette.background, stroke: color, width: 2 } };
    }
  }

  /**
   * Fills between each run's highest and lowest raw values as one polygon per run. uPlot's own bands clip
   * against the lower series, which costs several milliseconds per frame in software rendering.
   */
  private drawBands(u: uPlot): void {
    const xs = u.data[0];
    const { ctx } = u;
    const { left, top, width, height } = u.bbox;
    ctx.save();
    ctx.beginPath();
    ctx.rect(left, top, width, height);
    ctx.clip();
    this.lines.forEach((line, index) => {
      if (line.kind !== 'rawHigh') return;
      const lowIndex = this.lines.findIndex((l) => l.kind === 'rawLow' && l.runId === line.runId);
      if (lowIndex < 0) return;
      const highs = u.data[index + 1];
      const lows = u.data[lowIndex + 1];
      ctx.beginPath();
      let started = false;
      for (let i = 0; i < xs.length; i++) {
        const y = highs[i];
        if (y === null || y === undefined) continue;
        const px = u.valToPos(xs[i], 'x', true);
        const py = u.valToPos(y, 'y', true);
        if (started) ctx.lineTo(px, py);
        else ctx.moveTo(px, py);
        started = true;
      }
      for (let i = xs.length - 1; i >= 0; i--) {
        const y = lows[i];
        if (y === null || y === undefined) continue;
        ctx.lineTo(u.valToPos(xs[i], 'x', true), u.valToPos(y, 'y', true));
      }
      ctx.closePath();
      ctx.fillStyle = this.bandFills.get(line.runId) ?? 'transparent';
      ctx.fill();
    });
    ctx.restore();
  }

  private onSelect(u: uPlot): void {
    if (u.select.width < 3) return;
    const min = u.posToVal(u.select.left, 'x');
    const max = u.posToVal(u.select.left + u.select.width, 'x');
    u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
    this.range = [min, max];
    this.redraw();
  }

  private renderLegend(): void {
    this.legendValues = [];
    const runs = this.context?.runs ?? [];
    const palette = this.context?.palette;
    if (!palette) return;
    const compare = runs.length > 1;
    const item = (line: ChartLine, index: number, label: string): HTMLElement => {
      const value = h('span', { class: 'legend-value' });
      this.legendValues[index] = value;
      return h('span', { class: `legend-item kind-${line.kind}` }, swatch(line.kind, lineColor(line, palette, compare)), h('span', { class: 'legend-label' }, label), value);
    };
    if (!compare) {
      replace(this.legend, ...this.lines.flatMap((line, index) => (isRawBand(line.kind) ? [] : [item(line, index, line.label)])));
      return;
    }
    if (runs.length > COMPACT_LEGEND_RUNS) {
      replace(this.legend, ...this.compactLegend(runs, palette));
      return;
    }
    // Compare mode: one group per run, in the run's colour; the dash tells the kind.
    const groups = runs.map((run, runIndex) => {
      const items = this.lines.flatMap((line, index) => (line.runIndex === runIndex && !isRawBand(line.kind) ? [item(line, index, SHORT_KIND[line.kind])] : []));
      return items.length ? h('span', { class: 'legend-run' }, h('span', { class: 'legend-run-name', title: run.id }, run.label || run.name), ...items) : null;
    });
    replace(this.legend, ...groups);
  }

  /**
   * Many runs: one entry per run (its colour, name and the value of its most
   * telling line: validation, else per epoch, else per batch), and once which
   * dash is which kind. The legend scrolls instead of pushing the plot away.
   */
  private compactLegend(runs: readonly RunState[], palette: Palette): HTMLElement[] {
    const kinds = (['batch', 'epoch', 'val'] as const).filter((kind) => this.lines.some((l) => l.kind === kind));
    const key = h('span', { class: 'legend-key' }, ...kinds.map((kind) => h('span', { class: 'legend-item' }, swatch(kind, palette.muted), SHORT_KIND[kind])));
    const entries = runs.map((run, runIndex) => {
      const own = this.lines.map((line, index) => ({ line, index })).filter(({ line }) => line.runIndex === runIndex && !isRawBand(line.kind));
      const main = own.find(({ line }) => line.kind === 'val') ?? own.find(({ line }) => line.kind === 'epoch') ?? own[0];
      if (!main) return null;
      const value = h('span', { class: 'legend-value' });
      this.legendValues[main.index] = value;
      return h(
        'span',
        { class: 'legend-item legend-compact', 'data-run-id': run.id, title: `${run.name} (${run.id}) · ${KIND_LABEL[main.line.kind]}` },
        swatch('batch', lineColor(main.line, palette, true)),
        h('span', { class: 'legend-run-name' }, run.name),
        value,
      );
    });
    return [key, h('div', { class: 'legend-runs' }, ...entries)];
  }

  /** Legend values at the hovered index, or the latest values when the cursor is away. */
  private showValues(index: number | null): void {
    const data = this.data;
    if (!data) return;
    this.lines.forEach((_, i) => {
      const cell = this.legendValues[i];
      if (!cell) return;
      const ys = data[i + 1] as (number | null)[];
      let at = index ?? ys.length - 1;
      while (at >= 0 && ys[at] === null) at--;
      cell.textContent = at >= 0 ? formatValue(ys[at]) : '–';
    });
  }

  private lastValue(kind: ChartLine['kind']): number | undefined {
    const index = this.lines.findIndex((l) => l.kind === kind);
    if (index < 0 || !this.data) return undefined;
    const ys = this.data[index + 1] as (number | null)[];
    for (let i = ys.length - 1; i >= 0; i--) if (ys[i] !== null) return ys[i] as number;
    return undefined;
  }
}

const SHORT_KIND: Record<ChartLine['kind'], string> = { batch: 'train', rawHigh: 'raw', rawLow: 'raw', epoch: 'epoch', val: 'val' };
const KIND_LABEL: Record<ChartLine['kind'], string> = { batch: 'train per batch', rawHigh: 'raw', rawLow: 'raw', epoch: 'train per epoch', val: 'validation' };
/** Beyond this many runs the legend lists one value per run. */
const COMPACT_LEGEND_RUNS = 6;

/** The whole data range, raw band included (uPlot's autoscale would skip the band, which it does not draw). */
function fullYRange(data: ChartData, logScale: boolean): [number, number] | undefined {
  let min = Infinity;
  let max = -Infinity;
  for (let s = 1; s < data.length; s++) {
    for (const y of data[s] as (number | null)[]) {
      if (y === null || (logScale && y <= 0)) continue;
      if (y < min) min = y;
      if (y > max) max = y;
    }
  }
  if (min > max) return undefined;
  if (logScale) return [min, max];
  const pad = (max - min) * 0.05 || Math.abs(max) * 0.1 || 1;
  return [min - pad, max + pad];
}

/** Single run: a colour per kind of line; compare mode: a colour per run (kinds differ by dash). */
function lineColor(line: ChartLine, palette: Palette, compare: boolean): string {
  if (compare) return palette.lines[line.runIndex % palette.lines.length];
  return line.kind === 'val' ? palette.validation : line.kind === 'epoch' ? palette.trainEpoch : palette.train;
}

function swatch(kind: ChartLine['kind'], color: string): HTMLElement {
  const element = h('span', { class: `swatch swatch-${kind}`, 'aria-hidden': 'true' });
  element.style.setProperty('--swatch', color);
  return element;
}
