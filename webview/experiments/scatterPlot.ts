// The chosen metric against one parameter: a point per run, coloured like its
// line in the parallel coordinates; a log x axis for log-scaled parameters
// (learning rates). Hidden runs are faint; selected runs ringed, the best one
// ringed boldly, the baseline a square. Hover names a point; click selects it.
// The axes are drawn once onto a layer of their own (text is slow to draw)
// and the points as pixels (./pointPixels.ts).

import type { ExperimentRow } from '../../src/shared/protocol/experiments';
import { formatCell } from './runTable';
import { parseRgb } from '../dashboard/theme';
import { copyLayer, drawLayer, PlotCanvas, rampStep, type PlotColors } from './plotCanvas';
import { PointPixels } from './pointPixels';
import type { Axis } from './scales';

export interface ScatterData {
  rows: readonly ExperimentRow[];
  shown: ReadonlySet<string>;
  x: Axis;
  y: Axis;
  selected: ReadonlySet<string>;
  baseline?: string;
  best?: string;
  colors: PlotColors;
}

const HEIGHT = 280;
const MARGIN = { left: 58, right: 18, top: 14, bottom: 38 };
const HIT = 8;

export class ScatterPlot {
  private readonly plot = new PlotCanvas('scatter', HEIGHT, 'The metric against a parameter', () => {
    if (this.data) this.draw(this.data);
  });
  private readonly tip: HTMLElement;
  private data: ScatterData | undefined;
  /** Screen positions of the last drawing, for hover and click. */
  private points: { row: ExperimentRow; x: number; y: number }[] = [];
  /** The points' pixels, copied onto the plot (putImageData would replace the axes under them). */
  private pointsLayer: HTMLCanvasElement | undefined;
  /** Grid, ticks and titles (text is slow to draw), and what they were drawn from. */
  private axesLayer: { inputs: unknown[]; canvas: HTMLCanvasElement } | undefined;

  constructor(private readonly onPick: (runId: string) => void) {
    this.tip = document.createElement('div');
    this.tip.className = 'plot-tip';
    this.tip.hidden = true;
    this.plot.element.append(this.tip);
    this.plot.canvas.addEventListener('mousemove', (event) => this.hover(event));
    this.plot.canvas.addEventListener('mouseleave', () => (this.tip.hidden = true));
    this.plot.canvas.addEventListener('click', (event) => {
      const hit = this.hit(event);
      if (hit) this.onPick(hit.row.id);
    });
  }

  get element(): HTMLElement {
    return this.plot.element;
  }

  draw(data: ScatterData): void {
    this.data = data;
    const ctx = this.plot.context();
    if (!ctx) return;
    const { x, y, colors } = data;
    const left = MARGIN.left;
    const right = this.plot.width - MARGIN.right;
    const top = MARGIN.top;
    const bottom = HEIGHT - MARGIN.bottom;
    const px = (p: number): number => left + p * (right - left);
    const py = (p: number): number => bottom - p * (bottom - top);
    const { canvas } = this.plot;
    const inputs = [canvas.width, canvas.height, this.plot.width, colors, x, y];
    const kept = this.axesLayer;
    if (!kept || kept.inputs.length !== inputs.length || kept.inputs.some((input, i) => input !== inputs[i])) {
      this.axesLayer = { inputs, canvas: drawLayer(kept?.canvas, canvas, this.plot.width, (layer) => this.drawAxes(layer, data, { left, right, top, bottom, px, py })) };
    }
    copyLayer(ctx, this.axesLayer?.canvas ?? canvas);
    this.points = [];
    const faint: { x: number; y: number }[] = [];
    const shown: { row: ExperimentRow; x: number; y: number; step: number }[] = [];
    for (const row of data.rows) {
      const xp = x.position(x.column.value(row));
      const yp = y.position(y.column.value(row));
      if (xp === undefined || yp === undefined) continue;
      const point = { row, x: px(xp), y: py(yp) };
      if (data.shown.has(row.id)) {
        shown.push({ ...point, step: rampStep(yp, 0, 1, y.column.lowerBetter) });
        this.points.push(point);
      } else faint.push(point);
    }
    const radius = shown.length > 1000 ? 2 : 3.5;
    this.drawPoints(ctx, faint, shown, radius, colors);
    ctx.strokeStyle = colors.palette.foreground;
    for (const p of this.points) {
      const { id } = p.row;
      if (id === data.baseline) {
        ctx.lineWidth = 1.5;
        ctx.strokeRect(p.x - 6, p.y - 6, 12, 12);
      }
      if (id === data.best || data.selected.has(id)) {
        ctx.lineWidth = id === data.best ? 2.5 : 1.5;
        ctx.beginPath();
        ctx.arc(p.x, p.y, id === data.best ? 8 : 6, 0, 2 * Math.PI);
        ctx.stroke();
      }
    }
    this.plot.element.dataset.points = String(this.points.length);
    const best = this.points.find((p) => p.row.id === data.best);
    if (best) this.plot.element.dataset.best = best.row.id;
    else delete this.plot.element.dataset.best;
  }

  /** Faint points, then the shown ones by colour step, as pixels (see ./pointPixels.ts) over the axes. */
  private drawPoints(ctx: CanvasRenderingContext2D, faint: { x: number; y: number }[], shown: { x: number; y: number; step: number }[], radius: number, colors: PlotColors): void {
    const { canvas } = this.plot;
    const ratio = canvas.width / this.plot.width;
    const pixels = new PointPixels(canvas.width, canvas.height);
    const device = (p: { x: number; y: number }): { x: number; y: number } => ({ x: p.x * ratio, y: p.y * ratio });
    pixels.squares(faint.map(device), 1.5 * ratio, parseRgb(colors.faint));
    colors.ramp.forEach((color, step) => pixels.squares(shown.filter((p) => p.step === step).map(device), radius * ratio, parseRgb(color)));
    const layer = (this.pointsLayer ??= document.createElement('canvas'));
    if (layer.width !== canvas.width || layer.height !== canvas.height) [layer.width, layer.height] = [canvas.width, canvas.height];
    layer.getContext('2d')?.putImageData(new ImageData(pixels.data, canvas.width, canvas.height), 0, 0);
    copyLayer(ctx, layer);
  }

  private drawAxes(
    ctx: CanvasRenderingContext2D,
    data: ScatterData,
    box: { left: number; right: number; top: number; bottom: number; px(p: number): number; py(p: number): number },
  ): void {
    const { x, y, colors } = data;
    ctx.font = colors.font;
    ctx.strokeStyle = colors.palette.grid;
    ctx.fillStyle = colors.palette.muted;
    ctx.lineWidth = 1;
    ctx.textAlign = 'center';
    for (const tick of x.ticks()) {
      const at = box.px(tick.at);
      ctx.beginPath();
      ctx.moveTo(at, box.top);
      ctx.lineTo(at, box.bottom);
      ctx.stroke();
      ctx.fillText(tick.label, at, box.bottom + 14);
    }
    ctx.textAlign = 'right';
    for (const tick of y.ticks()) {
      const at = box.py(tick.at);
      ctx.beginPath();
      ctx.moveTo(box.left, at);
      ctx.lineTo(box.right, at);
      ctx.stroke();
      ctx.fillText(tick.label, box.left - 6, at + 4);
    }
    ctx.fillStyle = colors.palette.foreground;
    ctx.textAlign = 'center';
    ctx.fillText(`${x.column.name}${x.kind === 'log' ? ' (log)' : ''}`, (box.left + box.right) / 2, HEIGHT - 6);
    ctx.save();
    ctx.translate(12, (box.top + box.bottom) / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.fillText(y.column.name, 0, 0);
    ctx.restore();
    ctx.textAlign = 'left';
  }

  private hit(event: MouseEvent): { row: ExperimentRow; x: number; y: number } | undefined {
    const { x, y } = this.plot.pointer(event);
    let best: { row: ExperimentRow; x: number; y: number } | undefined;
    let distance = HIT * HIT;
    for (const p of this.points) {
      const d = (p.x - x) ** 2 + (p.y - y) ** 2;
      if (d <= distance) {
        distance = d;
        best = p;
      }
    }
    return best;
  }

  private hover(event: MouseEvent): void {
    const hit = this.hit(event);
    const data = this.data;
    this.plot.canvas.style.cursor = hit ? 'pointer' : 'default';
    if (!hit || !data) {
      this.tip.hidden = true;
      return;
    }
    this.tip.textContent = `${hit.row.name} (${hit.row.trial ? `trial ${hit.row.trial.trialId}` : hit.row.id}) · ${data.x.column.name} ${formatCell(data.x.column, hit.row)} · ${data.y.column.name} ${formatCell(data.y.column, hit.row)}`;
    this.tip.hidden = false;
    this.tip.style.left = `${Math.min(hit.x + 10, this.plot.width - 260)}px`;
    this.tip.style.top = `${Math.max(0, hit.y - 30)}px`;
  }
}
