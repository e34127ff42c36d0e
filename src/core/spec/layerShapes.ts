// Output shapes of a layer list, computed without TF.js, so that a model that
// cannot fit the data fails before any tensor exists, with the layer's path
// and the fix (a conv2d on [28, 28] needs a reshape to [28, 28, 1] first).
import { UserError } from '../../shared/errors';
import type { LayerSpec, TrainingSpec } from '../../shared/spec';
import { locationSuffix } from './jsonLocation';

export function formatShape(shape: readonly (number | null)[]): string {
  return `[${shape.map((d) => (d === null ? 'any' : String(d))).join(', ')}]`;
}

export function product(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

export function pair(value: number | [number, number] | undefined, fallback: number): [number, number] {
  if (value === undefined) return [fallback, fallback];
  return typeof value === 'number' ? [value, value] : value;
}

/** Output length of a sliding window along one axis, as TF.js computes it. */
function windowOutput(size: number, window: number, stride: number, padding: 'valid' | 'same' | undefined): number {
  return padding === 'same' ? Math.ceil(size / stride) : Math.floor((size - window) / stride) + 1;
}

/** Shape of one sample after each layer; throws a UserError where a layer cannot take its input. */
export function inferLayerShapes(spec: TrainingSpec, layers: readonly LayerSpec[], inputShape: readonly number[], file: string): number[][] {
  const shapes: number[][] = [];
  let current = [...inputShape];
  layers.forEach((layer, index) => {
    const label = `model.layers[${index}] (${layer.type})`;
    const where = locationSuffix(spec, ['model', 'layers', index]);
    const fail = (message: string): never => {
      throw new UserError(`${file}: ${label}${where} ${message}`);
    };
    const needsImage = (): [number, number, number] => {
      if (current.length !== 3) {
        const fix =
          current.length === 2
            ? `; put { "type": "reshape", "targetShape": ${formatShape([...current, 1])} } before it`
            : current.length === 1
              ? '; reshape the input to [height, width, channels] first'
              : '';
        fail(`needs samples of shape [height, width, channels] but gets ${formatShape(current)}${fix}`);
      }
      return current as [number, number, number];
    };
    const slide = (h: number, w: number, window: [number, number], strides: [number, number], padding: 'valid' | 'same' | undefined): [number, number] => {
      const out: [number, number] = [windowOutput(h, window[0], strides[0], padding), windowOutput(w, window[1], strides[1], padding)];
      if (out[0] < 1 || out[1] < 1) {
        fail(`gets ${h}x${w} images, too small for a ${window[0]}x${window[1]} window; use "padding": "same", a smaller window, or fewer pooling layers`);
      }
      return out;
    };
    switch (layer.type) {
      case 'dense':
        current = [...current.slice(0, -1), layer.units];
        break;
      case 'flatten':
        // TF.js (unlike Keras) rejects a flatten whose input is already flat.
        if (current.length < 2) fail(`gets ${formatShape(current)}, which is already flat; remove this layer`);
        current = [product(current)];
        break;
      case 'dropout':
      case 'activation':
      case 'batchNormalization':
        break;
      case 'reshape':
        if (product(layer.targetShape) !== product(current)) {
          fail(
            `cannot reshape ${formatShape(current)} (${product(current)} values) to ${formatShape(layer.targetShape)} (${product(layer.targetShape)} values); the number of values must stay the same`,
          );
        }
        current = [...layer.targetShape];
        break;
      case 'conv2d': {
        const [h, w] = needsImage();
        const [oh, ow] = slide(h, w, pair(layer.kernelSize, 1), pair(layer.strides, 1), layer.padding);
        current = [oh, ow, layer.filters];
        break;
      }
      case 'depthwiseConv2d': {
        const [h, w, c] = needsImage();
        const [oh, ow] = slide(h, w, pair(layer.kernelSize, 1), pair(layer.strides, 1), layer.padding);
        current = [oh, ow, c * (layer.depthMultiplier ?? 1)];
        break;
      }
      case 'maxPooling2d':
      case 'averagePooling2d': {
        const [h, w, c] = needsImage();
        const pool = pair(layer.poolSize, 2);
        const [oh, ow] = slide(h, w, pool, layer.strides === undefined ? pool : pair(layer.strides, 1), layer.padding);
        current = [oh, ow, c];
        break;
      }
      case 'globalAveragePooling2d':
      case 'globalMaxPooling2d':
        current = [needsImage()[2]];
        break;
    }
    shapes.push(current);
  });
  return shapes;
}
