// Builds and compiles the model a spec describes: a sequential model from the
// Keras-style layer list, or whatever the user's module returns.
import type { LayersModel } from '@tensorflow/tfjs';
import { errorMessage, isUserError, UserError } from '../../shared/errors';
import { isModuleModel, type TrainingSpec } from '../../shared/spec';
import type { Tf } from '../../core/backend/types';
import { compileModel, isCompiled } from './compile';
import { createLayer } from './layers';
import { buildFromModule } from './userModule';

export interface BuildInfo {
  /** Shape of one input sample; the first layer's input shape by default. */
  sampleShape: number[];
  numClasses?: number;
  /** The spec's folder: model.module is relative to it. */
  baseDir: string;
  /** A learning rate chosen for this run (already in spec.compile): a module that compiles its own model cannot take it. */
  learningRateOverride?: number;
}

export async function buildModel(tf: Tf, spec: TrainingSpec, info: BuildInfo): Promise<LayersModel> {
  const seed = spec.fit.seed;
  if (isModuleModel(spec.model)) {
    const model = await buildFromModule(tf, spec.model, info.baseDir, { sampleShape: info.sampleShape, numClasses: info.numClasses, seed });
    if (!isCompiled(model)) compileModel(tf, model, spec.compile);
    else if (info.learningRateOverride !== undefined) {
      throw new UserError(
        `The learning rate ${info.learningRateOverride} cannot apply: ${spec.model.module} compiles its own model, so its optimizer sets the rate; ` +
          `return the model uncompiled (the spec's "compile" then applies) or change the rate in the module.`,
      );
    }
    return model;
  }
  const model = tf.sequential();
  spec.model.layers.forEach((layer, index) => {
    const inputShape = index === 0 ? (layer.inputShape ?? info.sampleShape) : undefined;
    try {
      model.add(createLayer(tf, layer, index, inputShape, seed));
    } catch (error) {
      if (isUserError(error)) throw error;
      // checkSpecAgainstData catches shape problems first; this covers what it cannot know.
      throw new UserError(`model.layers[${index}] (${layer.type}) cannot be built: ${errorMessage(error).split('\n')[0]}`, String(error));
    }
  });
  compileModel(tf, model, spec.compile);
  return model;
}
