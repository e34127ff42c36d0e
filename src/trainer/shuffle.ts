// Seeded shuffling, so a run with `fit.seed` repeats and a resumed run
// continues the same sequence of epochs.
import { seededRandom } from '../shared/seededRandom';

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
