// The floating-point operations of a spec's largest layer for one batch,
// estimated from the layer shapes without TF.js: enough to tell a model of
// small ops from one of large ops before TensorFlow starts, when its threads
// are chosen (../backend/threads.ts).
import { isModuleModel, type LayerSpec, type TrainingSpec } from '../../shared/spec';
import { inferLayerShapes, pair, product } from './layerShapes';

function kernelArea(kernelSize: number | [number, number]): number {
  return product(pair(kernelSize, 1));
}

/** Multiply-adds of one layer's forward pass for one sample (0 for the cheap elementwise and pooling layers). */
function multiplyAdds(layer: LayerSpec, input: readonly number[], output: readonly number[]): number {
  switch (layer.type) {
    case 'dense':
      return product(input) * layer.units;
    case 'conv2d':
      return product(output) * kernelArea(layer.kernelSize) * (input.at(-1) ?? 1);
    case 'depthwiseConv2d':
      return product(output) * kernelArea(layer.kernelSize);
    default:
      return 0;
  }
}

/**
 * FLOPs (two per multiply-add) of the forward pass of the spec's costliest
 * layer over a batch; undefined for a model from the user's own module,
 * whose layers are not known before it is built.
 */
export function largestLayerFlops(spec: TrainingSpec, sampleShape: readonly number[], batchSize: number): number | undefined {
  if (isModuleModel(spec.model)) return undefined;
  const layers = spec.model.layers;
  const shapes = inferLayerShapes(spec, layers, sampleShape, spec.name);
  let largest = 0;
  layers.forEach((layer, i) => {
    largest = Math.max(largest, multiplyAdds(layer, i === 0 ? sampleShape : shapes[i - 1], shapes[i]));
  });
  return 2 * largest * batchSize;
}
