// Dropout masks are a function of the run's seed, the global step and the
// layer (its place among the model's dropout layers): a run with fit.seed
// repeats, and a resumed run draws at step k the masks the uninterrupted run
// drew there. The native fast path feeds the pair to a stateless random op;
// trainOnBatch sets the number as each TF.js Dropout layer's seed for the step.
import type { LayersModel } from '@tensorflow/tfjs';

/** murmur3's 32-bit finaliser: a bijection in which nearby inputs give unrelated outputs. */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Distinct for each layer of a run (an odd multiplier and mix are bijections of 32-bit words). */
function layerKey(runSeed: number, layer: number): number {
  return mix((mix(runSeed) + Math.imul(layer + 1, 0x9e3779b9)) >>> 0);
}

/** The two int32 words of a stateless random op's seed: distinct for every layer and step (below 2^31) of a run. */
export function dropoutSeedPair(runSeed: number, step: number, layer: number): [number, number] {
  return [layerKey(runSeed, layer) | 0, step | 0];
}

/** One number for TF.js's seeded random ops: distinct for every step (below 2^32) of a layer. */
export function dropoutSeed(runSeed: number, step: number, layer: number): number {
  return mix(layerKey(runSeed, layer) ^ mix(step >>> 0));
}

/** What TF.js's Dropout (and SpatialDropout1D) hands tf.dropout at each call; its typings call it private. */
interface SeededLayer {
  seed?: number | null;
}

const SEEDED_DROPOUT = new Set(['Dropout', 'SpatialDropout1D']);

type Layer = LayersModel['layers'][number];

/** The model's dropout layers in order, those of nested models included. */
function dropoutLayers(layers: Layer[]): Layer[] {
  return layers.flatMap((layer) => {
    if ('layers' in layer && Array.isArray(layer.layers)) return dropoutLayers(layer.layers as Layer[]);
    return SEEDED_DROPOUT.has(layer.getClassName()) ? [layer] : [];
  });
}

/**
 * Gives TF.js's dropout layers a seed of their own for each step. A fixed
 * seed would draw the same mask every batch, so the seed is set for the step
 * and unset after it: saved models and checkpoints carry none. A layer the
 * user seeded keeps its seed (and its fixed mask).
 */
export class DropoutSeeder {
  private readonly layers: { layer: SeededLayer; index: number }[];

  constructor(
    model: LayersModel,
    private readonly runSeed: number,
  ) {
    this.layers = dropoutLayers(model.layers)
      .map((layer, index) => ({ layer: layer as unknown as SeededLayer, index }))
      .filter(({ layer }) => layer.seed == null);
  }

  /** Runs one training step (`step`: the run's batches before it) with each layer seeded for it. */
  async during<T>(step: number, train: () => Promise<T>): Promise<T> {
    for (const { layer, index } of this.layers) layer.seed = dropoutSeed(this.runSeed, step, index);
    try {
      return await train();
    } finally {
      for (const { layer } of this.layers) layer.seed = undefined;
    }
  }
}
