// The scatter's points written straight into pixels: thousands of small
// squares filled through a canvas path cost about 2 µs each to rasterise in
// software (10 ms for 5,000), writing their pixels costs a few nanoseconds a
// pixel. Squares snap to whole pixels; a later colour covers an earlier one,
// and a translucent colour is blended once where its squares overlap, as one
// filled path would be. No DOM.

export type Rgba = readonly [number, number, number, number];

export class PointPixels {
  /** RGBA bytes, straight alpha, as ImageData holds them. */
  readonly data: Uint8ClampedArray<ArrayBuffer>;
  private readonly words: Uint32Array;

  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.data = new Uint8ClampedArray(width * height * 4);
    this.words = new Uint32Array(this.data.buffer);
  }

  /** Squares of side 2 * half centred on each point (all in device pixels), in one colour; alpha 0..1. */
  squares(points: readonly { x: number; y: number }[], half: number, [r, g, b, alpha]: Rgba): void {
    const { width, height, words } = this;
    const a = Math.round(Math.max(0, Math.min(1, alpha)) * 255);
    // ImageData is bytes R, G, B, A; a little-endian word holds them in reverse.
    const word = LITTLE_ENDIAN ? ((a << 24) | (b << 16) | (g << 8) | r) >>> 0 : ((r << 24) | (g << 16) | (b << 8) | a) >>> 0;
    for (const p of points) {
      const left = Math.max(0, Math.round(p.x - half));
      const right = Math.min(width, Math.round(p.x + half));
      const top = Math.max(0, Math.round(p.y - half));
      const bottom = Math.min(height, Math.round(p.y + half));
      for (let row = top; row < bottom; row++) words.fill(word, row * width + left, row * width + right);
    }
  }
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
