// What both plots share: a canvas sized to its box at the screen's pixel
// ratio, the theme's colours, and a colour ramp for the metric (worse to
// better), bucketed so thousands of lines are drawn as a few paths.

import { parseRgb, type Palette } from '../dashboard/theme';
import { h } from '../dashboard/dom';

export const RAMP_STEPS = 7;

export interface PlotColors {
  palette: Palette;
  /** RAMP_STEPS colours from the worst value to the best. */
  ramp: string[];
  /** Runs the filters hide. */
  faint: string;
  font: string;
}

function mix(a: string, b: string, t: number): string {
  const [r1, g1, b1] = parseRgb(a);
  const [r2, g2, b2] = parseRgb(b);
  const at = (x: number, y: number): number => Math.round(x + (y - x) * t);
  return `rgb(${at(r1, r2)}, ${at(g1, g2)}, ${at(b1, b2)})`;
}

export function plotColors(palette: Palette, fontFamily: string): PlotColors {
  // Orange (worse) to blue (better): apart on dark and light themes and for most colour-blind eyes.
  const worse = palette.lines[1];
  const better = palette.lines[0];
  const ramp = Array.from({ length: RAMP_STEPS }, (_, i) => mix(worse, better, i / (RAMP_STEPS - 1)));
  return { palette, ramp, faint: palette.grid, font: `11px ${fontFamily}` };
}

/** The ramp step of a value between worst and best (goal decides which end is which). */
export function rampStep(value: number, min: number, max: number, lowerBetter: boolean): number {
  if (!(max > min)) return RAMP_STEPS - 1;
  const t = (value - min) / (max - min);
  const goodness = lowerBetter ? 1 - t : t;
  return Math.max(0, Math.min(RAMP_STEPS - 1, Math.round(goodness * (RAMP_STEPS - 1))));
}

/** A canvas that fills its box's width, `height` CSS pixels tall, drawn at the screen's pixel ratio. */
export class PlotCanvas {
  readonly element: HTMLElement;
  readonly canvas: HTMLCanvasElement;
  width = 0;
  readonly height: number;
  /** The box's width as last observed (reading it mid-render would force a layout of the page). */
  private boxWidth: number | undefined;

  /** `onResize`: the box changed width; draw again. */
  constructor(className: string, height: number, label: string, onResize: () => void) {
    this.height = height;
    this.canvas = h('canvas', { role: 'img', 'aria-label': label });
    this.element = h('div', { class: `plot-box ${className}` }, this.canvas);
    new ResizeObserver((entries) => {
      const width = Math.floor(entries[0]?.contentRect.width ?? 0);
      if (width === this.boxWidth) return;
      this.boxWidth = width;
      onResize();
    }).observe(this.element);
  }

  /** A 2D context in CSS pixels, the canvas resized to its box first; undefined while the box is hidden. */
  context(): CanvasRenderingContext2D | undefined {
    this.boxWidth ??= this.element.clientWidth;
    const width = this.boxWidth;
    if (width <= 0) return undefined;
    const ratio = window.devicePixelRatio || 1;
    if (this.width !== width || this.canvas.width !== Math.round(width * ratio)) {
      this.width = width;
      this.canvas.width = Math.round(width * ratio);
      this.canvas.height = Math.round(this.height * ratio);
      this.canvas.style.width = `${width}px`;
      this.canvas.style.height = `${this.height}px`;
    }
    const ctx = this.canvas.getContext('2d');
    if (!ctx) return undefined;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, width, this.height);
    return ctx;
  }

  /** The pointer's position in CSS pixels of the canvas. */
  pointer(event: MouseEvent): { x: number; y: number } {
    const rect = this.canvas.getBoundingClientRect();
    return { x: event.clientX - rect.left, y: event.clientY - rect.top };
  }
}

/**
 * A canvas the size of `target` with what `draw` draws in CSS pixels: a plot's
 * parts that change rarely (axes, labels) are drawn once and copied in.
 */
export function drawLayer(reuse: HTMLCanvasElement | undefined, target: HTMLCanvasElement, cssWidth: number, draw: (ctx: CanvasRenderingContext2D) => void): HTMLCanvasElement {
  const layer = reuse ?? document.createElement('canvas');
  layer.width = target.width;
  layer.height = target.height;
  const ctx = layer.getContext('2d');
  if (ctx) {
    const ratio = target.width / cssWidth;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    draw(ctx);
  }
  return layer;
}

/** Copies a layer made by drawLayer onto the plot, pixel for pixel. */
export function copyLayer(ctx: CanvasRenderingContext2D, layer: HTMLCanvasElement): void {
  ctx.save();
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.drawImage(layer, 0, 0);
  ctx.restore();
}
