// Exponential moving average with TensorBoard's debiasing: early points are
// not dragged towards zero, and weight 0 returns the raw values.

export interface EmaState {
  last: number;
  /** Finite values seen so far. */
  count: number;
}

/** Feeds one value; returns its smoothed value. Non-finite values pass through and do not disturb the average. */
export function emaStep(state: EmaState, value: number, weight: number): number {
  if (!Number.isFinite(value)) return value;
  if (weight <= 0) return value;
  state.last = state.last * weight + (1 - weight) * value;
  state.count++;
  return state.last / (1 - Math.pow(weight, state.count));
}

/** Smooths a whole array (for tests and one-off use). */
export function emaSmooth(values: ArrayLike<number>, weight: number): Float64Array {
  const state: EmaState = { last: 0, count: 0 };
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = emaStep(state, values[i], weight);
  return out;
}
