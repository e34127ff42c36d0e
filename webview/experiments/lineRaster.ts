// Thousands of translucent lines drawn in JavaScript into pixels, for the
// parallel coordinates: the browser's canvas strokes them one anti-aliased
// segment at a time (about 9 µs a 13-axis line with software raster, 45 ms
// for 5,000), while counting how many lines of one colour cross each pixel
// and blending that colour once per pixel costs a fraction of it. Lines are
// one pixel wide and not anti-aliased: past a thousand lines the plot is a
// density, where that does not show. Colours blend exactly as strokes of
// that alpha would (n lines: 1 - (1 - alpha)^n), layer over layer. No DOM.

export type Rgba = readonly [number, number, number, number];

/** Coverage after n overlapping strokes of one alpha, past which it is opaque to the eye. */
const MAX_COUNT = 255;

export class LineRaster {
  /** The counts of the layer being drawn, one per pixel. */
  private readonly counts: Uint8Array;
  /** Premultiplied RGBA, 0..1, of what the composited layers give. */
  private readonly image: Float32Array;
  private top: number;
  private bottom: number;

  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.counts = new Uint8Array(width * height);
    this.image = new Float32Array(width * height * 4);
    this.top = height;
    this.bottom = -1;
  }

  /**
   * A polyline in pixels: x0, y0, x1, y1, ... with x increasing (axes left to
   * right); a NaN y breaks it (a run without that value). Each column it
   * crosses gets the span of rows it passes through, so steep stretches stay
   * unbroken; a column where two segments meet counts once.
   */
  polyline(points: ArrayLike<number>): void {
    for (let i = 0; i + 3 < points.length; i += 2) {
      const y0 = points[i + 1];
      const y1 = points[i + 3];
      if (Number.isNaN(y0) || Number.isNaN(y1)) continue;
      if (points[i] <= points[i + 2]) this.segment(points[i], y0, points[i + 2], y1);
      else this.segment(points[i + 2], y1, points[i], y0);
    }
  }

  /** x0 <= x1. */
  private segment(x0: number, y0: number, x1: number, y1: number): void {
    const { width, height, counts } = this;
    const slope = x1 > x0 ? (y1 - y0) / (x1 - x0) : 0;
    const first = Math.max(0, Math.floor(x0));
    // Half-open: the column of x1 belongs to the next segment (or to the axis drawn over it).
    const end = Math.min(width, Math.max(first + 1, Math.floor(x1)));
    for (let column = first; column < end; column++) {
      const from = y0 + (Math.max(column, x0) - x0) * slope;
      const to = y0 + (Math.min(column + 1, x1) - x0) * slope;
      let row = Math.max(0, Math.floor(Math.min(from, to)));
      const last = Math.min(height - 1, Math.floor(Math.max(from, to)));
      if (row < this.top) this.top = row;
      if (last > this.bottom) this.bottom = last;
      for (; row <= last; row++) {
        const at = row * width + column;
        if (counts[at] < MAX_COUNT) counts[at]++;
      }
    }
  }

  /** Blends the lines drawn since the last layer, in `color` at `alpha`, over the image, and starts a new layer. */
  layer(color: Rgba, alpha: number): void {
    const { counts, image, width } = this;
    const a = Math.max(0, Math.min(1, alpha * color[3]));
    const coverage = new Float32Array(MAX_COUNT + 1);
    for (let n = 1; n <= MAX_COUNT; n++) coverage[n] = 1 - (1 - a) ** n;
    const [r, g, b] = [color[0] / 255, color[1] / 255, color[2] / 255];
    for (let i = this.top * width; i < (this.bottom + 1) * width; i++) {
      const n = counts[i];
      if (n === 0) continue;
      counts[i] = 0;
      const c = coverage[n];
      const keep = 1 - c;
      const p = i * 4;
      image[p] = r * c + image[p] * keep;
      image[p + 1] = g * c + image[p + 1] * keep;
      image[p + 2] = b * c + image[p + 2] * keep;
      image[p + 3] = c + image[p + 3] * keep;
    }
    this.top = this.height;
    this.bottom = -1;
  }

  /** The image as ImageData's bytes (straight RGBA). */
  pixels(): Uint8ClampedArray<ArrayBuffer> {
    const { image } = this;
    const out = new Uint8ClampedArray(image.length);
    for (let p = 0; p < image.length; p += 4) {
      const alpha = image[p + 3];
      if (alpha === 0) continue;
      out[p] = (image[p] / alpha) * 255 + 0.5;
      out[p + 1] = (image[p + 1] / alpha) * 255 + 0.5;
      out[p + 2] = (image[p + 2] / alpha) * 255 + 0.5;
      out[p + 3] = alpha * 255 + 0.5;
    }
    return out;
  }
}
