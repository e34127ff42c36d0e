// Weight initializers. Keras starts kernels with glorotUniform (TF.js with
// glorotNormal); we follow Keras so results compare with its reference runs.
// With fit.seed every random initializer gets its own seed, so runs repeat.
import type { Tf } from '../../core/backend/types';
import type { InitializerName } from '../../shared/spec';

type Initializer = ReturnType<Tf['initializers']['zeros']>;

export function createInitializer(tf: Tf, name: InitializerName = 'glorotUniform', seed?: number): Initializer {
  const init = tf.initializers;
  const args = seed === undefined ? {} : { seed };
  switch (name) {
    case 'glorotUniform':
      return init.glorotUniform(args);
    case 'glorotNormal':
      return init.glorotNormal(args);
    case 'heUniform':
      return init.heUniform(args);
    case 'heNormal':
      return init.heNormal(args);
    case 'leCunUniform':
      return init.leCunUniform(args);
    case 'leCunNormal':
      return init.leCunNormal(args);
    case 'randomUniform':
      return init.randomUniform({ minval: -0.05, maxval: 0.05, ...args });
    case 'randomNormal':
      return init.randomNormal({ mean: 0, stddev: 0.05, ...args });
    case 'truncatedNormal':
      return init.truncatedNormal({ mean: 0, stddev: 0.05, ...args });
    case 'varianceScaling':
      return init.varianceScaling(args);
    case 'orthogonal':
      return init.orthogonal(args);
    case 'zeros':
      return init.zeros();
    case 'ones':
      return init.ones();
  }
}

/** A distinct, repeatable seed per layer (and per weight within it). */
export function layerSeed(seed: number | undefined, layerIndex: number, slot = 0): number | undefined {
  return seed === undefined ? undefined : seed + layerIndex * 1009 + slot;
}
