// Parallel coordinates: one vertical axis per differing parameter and the
// chosen metric last; each run is a line through its values, coloured by its
// metric (worse to better). Runs the filters hide are drawn faint underneath.
// Drag along an axis to brush it (the table shows only runs inside); click an
// axis to clear its brush. Lines are bucketed by colour: a few strokes for
// thousands of runs. Past MAX_SHOWN_LINES an even sample of each colour is
// drawn, each line as dark as the runs it stands for would make it, and the
// plot says so. The axes and their labels change only with the runs, the
// theme or the size: they are drawn once onto a layer of their own.

import type { ExperimentRow } from '../../src/shared/protocol/experiments';
import type { Brush } from './filters';
import { copyLayer, drawLayer, PlotCanvas, RAMP_STEPS, rampStep, type PlotColors } from './plotCanvas';
import type { Axis } from './scales';

export interface ParallelData {
  rows: readonly ExperimentRow[];
  /** Ids of the rows that pass the filters. */
  shown: ReadonlySet<string>;
  /** Parameters, then the metric. */
  axes: readonly Axis[];
  selected: ReadonlySet<string>;
  baseline?: string;
  best?: string;
  brushes: ReadonlyMap<string, Brush>;
  colors: PlotColors;
}

const HEIGHT = 280;
const MARGIN = { left: 36, right: 72, top: 34, bottom: 16 };
/** Hidden runs drawn at most (sampled evenly beyond). */
const MAX_FAINT_LINES = 300;
/**
 * Shown runs drawn at most: software rasterising costs about 9 µs a line, and
 * past this many translucent lines the plot is a density that a sample shows alike.
 */
export const MAX_SHOWN_LINES = 1000;
/** How close (px) to an axis a drag must start to brush it. */
const GRAB = 16;

export class ParallelCoordinates {
  private readonly plot = new PlotCanvas('parallel', HEIGHT, 'Parallel coordinates: parameters to the metric', () => this.redraw());
  private data: ParallelData | undefined;
  private drag: { axis: number; from: number; to: number } | undefined;
  /** The axes, titles and tick labels, and what they were drawn from. */
  private axesLayer: { inputs: unknown[]; canvas: HTMLCanvasElement } | undefined;

  constructor(private readonly onBrush: (columnId: string, brush: Brush | undefined) => void) {
    const canvas = this.plot.canvas;
    canvas.addEventListener('pointerdown', (event) => this.start(event));
    canvas.addEventListener('pointermove', (event) => this.move(event));
    canvas.addEventListener('pointerup', (event) => this.end(event));
    canvas.addEventListener('pointercancel', () => {
      this.drag = undefined;
      this.redraw();
    });
  }

  get element(): HTMLElement {
    return this.plot.element;
  }

  draw(data: ParallelData): void {
    this.data = data;
    this.redraw();
  }

  redraw(): void {
    const data = this.data;
    const ctx = this.plot.context();
    if (!data || !ctx) return;
    this.plot.element.dataset.axes = String(data.axes.length);
    // What was drawn, for tests (a canvas has no DOM of its lines).
    this.plot.element.dataset.lines = '0';
    this.plot.element.dataset.measured = '0';
    delete this.plot.element.dataset.best;
    if (data.axes.length < 2) {
      ctx.fillStyle = data.colors.palette.muted;
      ctx.font = data.colors.font;
      ctx.fillText('Parallel coordinates need a parameter that differs and a metric.', MARGIN.left, MARGIN.top);
      return;
    }
    this.drawLines(ctx, data);
    this.drawBrushes(ctx, data);
    copyLayer(ctx, this.axes(data));
  }

  /** x of each axis, in CSS pixels. */
  private axisX(count: number): number[] {
    const span = this.plot.width - MARGIN.left - MARGIN.right;
    return Array.from({ length: count }, (_, i) => MARGIN.left + (count === 1 ? span / 2 : (i * span) / (count - 1)));
  }

  private y(position: number): number {
    return MARGIN.top + (1 - position) * (HEIGHT - MARGIN.top - MARGIN.bottom);
  }

  private trace(ctx: CanvasRenderingContext2D, row: ExperimentRow, axes: readonly Axis[], xs: readonly number[]): void {
    let drawing = false;
    for (let i = 0; i < axes.length; i++) {
      const p = axes[i].position(axes[i].column.value(row));
      if (p === undefined) {
        drawing = false;
        continue;
      }
      if (drawing) ctx.lineTo(xs[i], this.y(p));
      else ctx.moveTo(xs[i], this.y(p));
      drawing = true;
    }
  }

  private drawLines(ctx: CanvasRenderingContext2D, data: ParallelData): void {
    const { axes, colors } = data;
    const xs = this.axisX(axes.length);
    const metric = axes[axes.length - 1];
    const many = data.rows.length > 500;
    // Hidden runs first, faint, under the rest; past a few thousand, an even sample of them shows the same shape.
    const hidden = data.rows.filter((row) => !data.shown.has(row.id));
    const stride = Math.ceil(hidden.length / MAX_FAINT_LINES);
    ctx.lineWidth = 1;
    ctx.strokeStyle = colors.faint;
    ctx.beginPath();
    for (let i = 0; i < hidden.length; i += stride) this.trace(ctx, hidden[i], axes, xs);
    ctx.stroke();
    // Shown runs, one path per colour step; runs without the metric in the muted colour.
    const buckets: ExperimentRow[][] = Array.from({ length: RAMP_STEPS + 1 }, () => []);
    for (const row of data.rows) {
      if (!data.shown.has(row.id)) continue;
      const p = metric.position(metric.column.value(row));
      buckets[p === undefined ? RAMP_STEPS : rampStep(p, 0, 1, metric.column.lowerBetter)].push(row);
    }
    const element = this.plot.element;
    const lines = buckets.reduce((sum, rows) => sum + rows.length, 0);
    element.dataset.lines = String(lines);
    // Lines through the metric's axis (the others stop short of it, muted).
    element.dataset.measured = String(lines - buckets[RAMP_STEPS].length);
    if (data.best && data.rows.some((row) => row.id === data.best)) element.dataset.best = data.best;
    const share = Math.min(1, MAX_SHOWN_LINES / lines);
    const alpha = many ? 0.35 : 0.85;
    // Width 1 is a hairline for the rasteriser: a wider stroke of one path with thousands of crossing
    // lines costs seconds (measured: 5,000 lines, 43 ms at width 1, 8.8 s at 1.5).
    ctx.lineWidth = data.rows.length > 100 ? 1 : 1.5;
    let drawn = 0;
    buckets.forEach((rows, step) => {
      if (rows.length === 0) return;
      const sample = evenSample(rows, Math.max(1, Math.round(rows.length * share)));
      drawn += sample.length;
      // A line standing for k runs is as dark as k overlapping lines would be.
      ctx.globalAlpha = 1 - (1 - alpha) ** (rows.length / sample.length);
      ctx.strokeStyle = step === RAMP_STEPS ? colors.palette.muted : colors.ramp[step];
      ctx.beginPath();
      for (const row of sample) this.trace(ctx, row, axes, xs);
      ctx.stroke();
    });
    ctx.globalAlpha = 1;
    element.dataset.drawn = String(drawn);
    if (drawn < lines) {
      ctx.fillStyle = colors.palette.muted;
      ctx.font = colors.font;
      ctx.textAlign = 'right';
      ctx.fillText(`an even sample of ${drawn.toLocaleString('en-US')} of ${lines.toLocaleString('en-US')} lines`, this.plot.width - 4, HEIGHT - 3);
      ctx.textAlign = 'left';
    }
    // Selected runs, the best and the baseline on top.
    const emphasis = (ids: ReadonlySet<string> | string[], width: number, dash: number[] = []): void => {
      const count = Array.isArray(ids) ? ids.length : ids.size;
      // Many wide lines in one path are slow to rasterise (see above): hairlines then.
      ctx.lineWidth = count > 50 ? 1 : width;
      ctx.setLineDash(dash);
      ctx.strokeStyle = colors.palette.foreground;
      ctx.beginPath();
      const wanted = new Set(ids);
      for (const row of data.rows) if (wanted.has(row.id)) this.trace(ctx, row, axes, xs);
      ctx.stroke();
    };
    emphasis(data.selected, 2);
    if (data.baseline) emphasis([data.baseline], 2, [6, 4]);
    if (data.best) emphasis([data.best], 3);
    ctx.setLineDash([]);
  }

  /** The brushed stretches of the axes (and the one being dragged). */
  private drawBrushes(ctx: CanvasRenderingContext2D, data: ParallelData): void {
    const { axes, colors } = data;
    const xs = this.axisX(axes.length);
    ctx.lineWidth = 1;
    axes.forEach((axis, i) => {
      const x = xs[i];
      const brush = data.brushes.get(axis.column.id);
      const span = this.drag?.axis === i ? ([Math.min(this.drag.from, this.drag.to), Math.max(this.drag.from, this.drag.to)] as [number, number]) : brush && axis.brushSpan(brush);
      if (!span) return;
      ctx.fillStyle = colors.palette.foreground;
      ctx.globalAlpha = 0.22;
      ctx.fillRect(x - 7, this.y(span[1]), 14, Math.max(2, this.y(span[0]) - this.y(span[1])));
      ctx.globalAlpha = 1;
      ctx.strokeStyle = colors.palette.foreground;
      ctx.strokeRect(x - 7, this.y(span[1]), 14, Math.max(2, this.y(span[0]) - this.y(span[1])));
    });
  }

  /** The layer of axes and labels for these axes, colours and size; drawn again only when one of them changed. */
  private axes(data: ParallelData): HTMLCanvasElement {
    const { canvas } = this.plot;
    const inputs = [canvas.width, canvas.height, this.plot.width, data.colors, ...data.axes];
    const kept = this.axesLayer;
    if (kept && kept.inputs.length === inputs.length && kept.inputs.every((input, i) => input === inputs[i])) return kept.canvas;
    this.axesLayer = { inputs, canvas: drawLayer(kept?.canvas, canvas, this.plot.width, (ctx) => this.drawAxes(ctx, data)) };
    return this.axesLayer.canvas;
  }

  private drawAxes(ctx: CanvasRenderingContext2D, data: ParallelData): void {
    const { axes, colors } = data;
    const xs = this.axisX(axes.length);
    const room = axes.length > 1 ? xs[1] - xs[0] - 8 : 200;
    ctx.font = colors.font;
    axes.forEach((axis, i) => {
      const x = xs[i];
      ctx.strokeStyle = colors.palette.muted;
      ctx.lineWidth = 1;
      ctx.beginPath();
      ctx.moveTo(x, this.y(0));
      ctx.lineTo(x, this.y(1));
      ctx.stroke();
      ctx.fillStyle = colors.palette.foreground;
      ctx.textAlign = i === 0 ? 'left' : i === axes.length - 1 ? 'right' : 'center';
      const edge = i === 0 || i === axes.length - 1;
      ctx.fillText(fit(ctx, axisTitle(axis), edge ? room / 2 + 2 : room - 4), i === 0 ? x - 6 : i === axes.length - 1 ? x + 6 : x, 14);
      ctx.textAlign = 'left';
      const ticks = axis.ticks();
      const step = Math.max(1, Math.ceil(ticks.length / 8));
      // Labels over the lines get a halo in the background colour.
      ctx.lineWidth = 3;
      ctx.strokeStyle = colors.palette.background;
      ctx.fillStyle = colors.palette.muted;
      ticks.forEach((tick, t) => {
        if (t % step) return;
        const label = fit(ctx, tick.label, Math.min(64, room - 8));
        const y = this.y(tick.at) + (tick.at > 0.98 ? 9 : tick.at < 0.02 ? -2 : 4);
        ctx.strokeText(label, x + 4, y);
        ctx.fillText(label, x + 4, y);
      });
    });
  }

  private nearestAxis(x: number): number | undefined {
    const data = this.data;
    if (!data || data.axes.length < 2) return undefined;
    const xs = this.axisX(data.axes.length);
    let best: number | undefined;
    xs.forEach((ax, i) => {
      if (Math.abs(ax - x) <= GRAB && (best === undefined || Math.abs(ax - x) < Math.abs(xs[best] - x))) best = i;
    });
    return best;
  }

  private position(y: number): number {
    return Math.max(0, Math.min(1, 1 - (y - MARGIN.top) / (HEIGHT - MARGIN.top - MARGIN.bottom)));
  }

  private start(event: PointerEvent): void {
    const { x, y } = this.plot.pointer(event);
    const axis = this.nearestAxis(x);
    if (axis === undefined) return;
    this.plot.canvas.setPointerCapture(event.pointerId);
    this.drag = { axis, from: this.position(y), to: this.position(y) };
  }

  private move(event: PointerEvent): void {
    const { x, y } = this.plot.pointer(event);
    this.plot.canvas.style.cursor = this.drag || this.nearestAxis(x) !== undefined ? 'ns-resize' : 'default';
    if (!this.drag) return;
    this.drag.to = this.position(y);
    this.redraw();
  }

  private end(event: PointerEvent): void {
    const drag = this.drag;
    this.drag = undefined;
    const axis = drag && this.data?.axes[drag.axis];
    if (!drag || !axis) return;
    this.drag = undefined;
    const { y } = this.plot.pointer(event);
    drag.to = this.position(y);
    // A click (no drag) clears the axis' brush.
    const pixels = Math.abs(drag.to - drag.from) * (HEIGHT - MARGIN.top - MARGIN.bottom);
    this.onBrush(axis.column.id, pixels < 4 ? undefined : axis.brush(drag.from, drag.to));
  }
}

/** `count` of the rows, evenly spread (all of them when count >= rows). */
export function evenSample<T>(rows: readonly T[], count: number): readonly T[] {
  if (count >= rows.length) return rows;
  return Array.from({ length: count }, (_, i) => rows[Math.floor((i * rows.length) / count)]);
}

function axisTitle(axis: Axis): string {
  const name = axis.column.name;
  const parts = name.split('.');
  const short = parts.length > 2 ? parts.slice(-2).join('.') : name;
  return axis.kind === 'log' ? `${short} (log)` : short;
}

const fitted = new Map<string, string>();

/** The text cut with an ellipsis to fit `width` pixels (remembered: measuring text is slow). */
function fit(ctx: CanvasRenderingContext2D, text: string, width: number): string {
  const key = `${ctx.font}|${Math.round(width)}|${text}`;
  let result = fitted.get(key);
  if (result === undefined) {
    result = text;
    if (ctx.measureText(text).width > width) {
      let cut = text;
      while (cut.length > 1 && ctx.measureText(`${cut}…`).width > width) cut = cut.slice(0, -1);
      result = `${cut}…`;
    }
    if (fitted.size > 2000) fitted.clear();
    fitted.set(key, result);
  }
  return result;
}
