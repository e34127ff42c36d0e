// Typed-array conversions used by every loader. Plain loops and `set` only:
// per-element callbacks (Array.from(x, fn), map) made MNIST loading take seconds.

/** Numeric arrays a file can hold once decoded. */
export type NumericArray =
  | Uint8Array
  | Int8Array
  | Uint16Array
  | Int16Array
  | Uint32Array
  | Int32Array
  | Float32Array
  | Float64Array;

/** The first `length` values of `src` as float32, divided by `scale`. */
export function toFloat32(src: NumericArray, scale: number, length = src.length): Float32Array {
  const out = new Float32Array(length);
  if (src instanceof Uint8Array && scale !== 1) {
    // A 256-entry table gives exactly v / scale rounded to float32 per byte.
    const table = new Float32Array(256);
    for (let v = 0; v < 256; v++) table[v] = v / scale;
    for (let i = 0; i < length; i++) out[i] = table[src[i]];
    return out;
  }
  out.set(length === src.length ? src : src.subarray(0, length));
  if (scale !== 1) {
    const inv = 1 / scale;
    for (let i = 0; i < length; i++) out[i] *= inv;
  }
  return out;
}

/** Copies integer class labels into an Int32Array; returns the index of the first bad one, or -1. */
export function toClassIndices(src: NumericArray, length = src.length): { labels: Int32Array; bad: number; max: number } {
  const labels = new Int32Array(length);
  let max = -1;
  for (let i = 0; i < length; i++) {
    const v = src[i];
    if (!(v >= 0) || v !== Math.floor(v) || v > 0x7fffffff) return { labels, bad: i, max };
    labels[i] = v;
    if (v > max) max = v;
  }
  return { labels, bad: -1, max };
}

export function product(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}
