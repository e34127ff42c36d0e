// Seeded shuffling, so a run with `fit.seed` repeats and a resumed run
// continues the same sequence of epochs.

/** mulberry32: small, fast, good enough for shuffling. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The random sequence of one epoch of a run. */
export function epochRandom(seed: number, epoch: number): () => number {
  return seededRandom((seed ^ Math.imul(epoch + 1, 0x9e3779b1)) >>> 0);
}

/** The order of samples for one epoch: a permutation of 0..count-1. */
export function epochPermutation(count: number, seed: number, epoch: number): Int32Array {
  const random = epochRandom(seed, epoch);
  const order = new Int32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  return order;
}
