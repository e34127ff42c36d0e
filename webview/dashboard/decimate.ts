// Min/max decimation: for each pixel column, the lowest and the highest point
// (in their original order), plus the newest point, so a line through 100,000
// points looks the same as one through ~2 per pixel and costs a fraction to
// draw. Incremental: columns that are complete are kept between calls, so a
// live redraw only looks at the points of the last column and the new ones.

/** Index of the first x >= value in the ascending x[0..length). */
export function lowerBound(x: ArrayLike<number>, length: number, value: number): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (x[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export interface DecimateRequest {
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  /** Points [start, end) are drawn; x is ascending. */
  start: number;
  end: number;
  /** The x range the columns span. */
  xMin: number;
  xMax: number;
  columns: number;
  /** Changes whenever existing points change (e.g. truncated by a resume): the kept columns are dropped. */
  revision: number;
}

export class MinMaxDecimator {
  /** Indices of the points to draw, ascending; valid up to `count`. */
  indices = new Int32Array(256);
  /** For each index: the lowest and highest y of its pixel column, including the segment that enters it (the raw values' band). */
  low = new Float64Array(256);
  high = new Float64Array(256);
  count = 0;
  private key = '';
  /** Points of complete columns, and where the incomplete column starts. */
  private committed = 0;
  private resumeAt = 0;
  /** y of the last point before `resumeAt` (NaN: none): the line into a column crosses it too. */
  private resumePrevious = Number.NaN;
  private lastEnd = 0;

  /** Decimates; returns `count`. */
  update(request: DecimateRequest): number {
    const { x, y, start, end, xMin, xMax, columns } = request;
    const key = `${xMin}|${xMax}|${columns}|${start}|${request.revision}`;
    if (key !== this.key || end < this.lastEnd) {
      this.key = key;
      this.committed = 0;
      this.resumeAt = start;
      this.resumePrevious = Number.NaN;
    }
    this.lastEnd = end;
    let count = this.committed;
    const scale = columns / (xMax - xMin || 1);
    let column = -1;
    let minIndex = -1;
    let maxIndex = -1;
    let previous = this.resumePrevious;
    let lastFinite = -1;
    for (let i = this.resumeAt; i < end; i++) {
      const value = y[i];
      if (!(value === value && value !== Infinity && value !== -Infinity)) continue;
      let c = Math.floor((x[i] - xMin) * scale);
      c = c < 0 ? 0 : c >= columns ? columns - 1 : c;
      if (c !== column) {
        if (column >= 0) {
          // x only grows, so that column is complete: keep it for the next call.
          count = this.emitColumn(count, minIndex, maxIndex, y, previous);
          previous = y[lastFinite];
          this.committed = count;
          this.resumeAt = i;
          this.resumePrevious = previous;
        }
        column = c;
        minIndex = maxIndex = i;
      } else if (value < y[minIndex]) minIndex = i;
      else if (value > y[maxIndex]) maxIndex = i;
      lastFinite = i;
    }
    if (column >= 0) count = this.emitColumn(count, minIndex, maxIndex, y, previous);
    // The newest point, exactly: the line ends at the latest value.
    let last = end - 1;
    while (last >= this.resumeAt && !Number.isFinite(y[last])) last--;
    if (last >= start && (count === 0 || this.indices[count - 1] < last)) count = this.push(count, last, y[last], y[last]);
    this.count = count;
    return count;
  }

  /** `previous`: the value before the column; the band covers the line segment coming from it. */
  private emitColumn(count: number, minIndex: number, maxIndex: number, y: ArrayLike<number>, previous: number): number {
    const low = previous < y[minIndex] ? previous : y[minIndex];
    const high = previous > y[maxIndex] ? previous : y[maxIndex];
    if (minIndex === maxIndex) return this.push(count, minIndex, low, high);
    count = this.push(count, Math.min(minIndex, maxIndex), low, high);
    return this.push(count, Math.max(minIndex, maxIndex), low, high);
  }

  private push(count: number, index: number, low: number, high: number): number {
    if (count === this.indices.length) {
      const capacity = this.indices.length * 2;
      const indices = new Int32Array(capacity);
      indices.set(this.indices);
      this.indices = indices;
      for (const key of ['low', 'high'] as const) {
        const bigger = new Float64Array(capacity);
        bigger.set(this[key]);
        this[key] = bigger;
      }
    }
    this.indices[count] = index;
    this.low[count] = low;
    this.high[count] = high;
    return count + 1;
  }
}
