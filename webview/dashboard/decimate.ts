// Min/max decimation: at most four points per pixel column (first, lowest,
// highest, last, in their original order), so a line through 100,000 points looks
// the same as one through ~4 per pixel and costs a fraction to draw.

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

export interface DecimateOutput {
  x: Float64Array;
  y: Float64Array;
}

/**
 * Writes the decimated points of x/y[start..end) into out (grown if needed)
 * and returns how many there are. Points whose y is not finite are skipped.
 * `buckets` is the number of pixel columns that x[start]..x[end-1] spans.
 */
export function decimateMinMax(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  start: number,
  end: number,
  buckets: number,
  out: DecimateOutput,
): number {
  const n = end - start;
  ensureCapacity(out, Math.min(n, 4 * buckets));
  let count = 0;
  const emit = (i: number): void => {
    out.x[count] = x[i];
    out.y[count] = y[i];
    count++;
  };
  if (n <= 4 * buckets) {
    for (let i = start; i < end; i++) if (Number.isFinite(y[i])) emit(i);
    return count;
  }
  const x0 = x[start];
  const span = x[end - 1] - x0 || 1;
  const scale = buckets / span;
  // Per bucket: its first and last point (so lines join up between columns
  // and the newest value is drawn exactly), its lowest and its highest.
  let bucket = -1;
  let first = -1;
  let last = -1;
  let minIndex = -1;
  let maxIndex = -1;
  const picked = [0, 0, 0, 0];
  const flush = (): void => {
    if (first < 0) return;
    picked[0] = first;
    picked[1] = minIndex;
    picked[2] = maxIndex;
    picked[3] = last;
    sortFour(picked);
    for (let k = 0; k < 4; k++) if (k === 0 || picked[k] !== picked[k - 1]) emit(picked[k]);
  };
  for (let i = start; i < end; i++) {
    const value = y[i];
    if (!Number.isFinite(value)) continue;
    const b = Math.min(buckets - 1, Math.floor((x[i] - x0) * scale));
    if (b !== bucket) {
      flush();
      bucket = b;
      first = last = minIndex = maxIndex = i;
      continue;
    }
    last = i;
    if (value < y[minIndex]) minIndex = i;
    else if (value > y[maxIndex]) maxIndex = i;
  }
  flush();
  return count;
}

/** Insertion sort of four numbers, without the comparator closure that Array.sort would need. */
function sortFour(a: number[]): void {
  for (let i = 1; i < 4; i++) {
    const v = a[i];
    let j = i - 1;
    while (j >= 0 && a[j] > v) {
      a[j + 1] = a[j];
      j--;
    }
    a[j + 1] = v;
  }
}

function ensureCapacity(out: DecimateOutput, needed: number): void {
  if (out.x.length >= needed) return;
  const capacity = Math.max(needed, out.x.length * 2, 64);
  out.x = new Float64Array(capacity);
  out.y = new Float64Array(capacity);
}
