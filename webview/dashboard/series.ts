// A chart series that only grows: x and y in Float64Arrays that double when
// full, so appending a point allocates nothing, plus its EMA-smoothed copy
// kept up to date point by point.

import { emaStep, type EmaState } from './smoothing';

const INITIAL_CAPACITY = 256;

export class Series {
  x = new Float64Array(INITIAL_CAPACITY);
  y = new Float64Array(INITIAL_CAPACITY);
  /** y smoothed with `smoothing`; valid up to `length`. */
  smoothed = new Float64Array(INITIAL_CAPACITY);
  length = 0;
  /** Bumped when existing points change (truncation), so cached decimations are dropped. */
  revision = 0;
  private smoothing = 0;
  private ema: EmaState = { last: 0, count: 0 };

  push(x: number, y: number): void {
    if (this.length === this.x.length) this.grow();
    this.x[this.length] = x;
    this.y[this.length] = y;
    this.smoothed[this.length] = emaStep(this.ema, y, this.smoothing);
    this.length++;
  }

  /** The last y, or undefined when empty. */
  last(): number | undefined {
    return this.length ? this.y[this.length - 1] : undefined;
  }

  /** Keeps only points with x <= maxX (x is ascending): a resumed run redoes what came after its checkpoint. */
  truncateAfter(maxX: number): void {
    let n = this.length;
    while (n > 0 && this.x[n - 1] > maxX) n--;
    if (n !== this.length) {
      this.length = n;
      this.revision++;
      this.resmooth();
    }
  }

  setSmoothing(weight: number): void {
    if (weight === this.smoothing) return;
    this.smoothing = weight;
    this.resmooth();
  }

  private resmooth(): void {
    this.ema = { last: 0, count: 0 };
    for (let i = 0; i < this.length; i++) this.smoothed[i] = emaStep(this.ema, this.y[i], this.smoothing);
  }

  private grow(): void {
    const capacity = this.x.length * 2;
    for (const key of ['x', 'y', 'smoothed'] as const) {
      const bigger = new Float64Array(capacity);
      bigger.set(this[key]);
      this[key] = bigger;
    }
  }
}
