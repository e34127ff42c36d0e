// Turns the `instances` of a predict request into one Float32Array for the
// model's single input, checking every value. Each instance is either nested
// lists of exactly the input shape (28x28 for MNIST), a flat list with the
// same number of values, or {"<input name>": <either of those>}.
import { PredictError } from './errors';

export interface InputSpec {
  /** The input tensor's name (e.g. flatten_Flatten1_input). */
  name: string;
  /** Keys accepted in {"<name>": instance}: the name, and the tensor's if a second model with the same names gave it a _N suffix. */
  names: string[];
  /** Shape of one instance (the model's input shape without the batch dimension). */
  shape: number[];
  /** Number of values in one instance. */
  size: number;
}

export function inputSpec(name: string, shape: readonly (number | null)[]): InputSpec {
  const dims = shape.slice(1);
  if (dims.some((d) => d === null || d < 0)) {
    throw new Error(`Model input ${name} has shape [${shape.map((d) => d ?? 'None').join(', ')}]: serving needs a fixed shape for each instance`);
  }
  const fixed = dims as number[];
  const base = name.replace(/_\d+$/, '');
  return { name, names: [...new Set([name, base])], shape: fixed, size: fixed.reduce((a, b) => a * b, 1) };
}

/** Packs instances into `out` (count * spec.size values); throws PredictError(400) on bad input. */
export function packInstances(instances: readonly unknown[], spec: InputSpec): Float32Array {
  const out = new Float32Array(instances.length * spec.size);
  instances.forEach((raw, i) => {
    const instance = unwrap(raw, spec, i);
    const offset = i * spec.size;
    if (Array.isArray(instance) && spec.shape.length > 1 && instance.length === spec.size && !Array.isArray(instance[0])) {
      fillFlat(instance, out, offset, i);
      return;
    }
    try {
      fillNested(instance, spec.shape, 0, out, offset, [i]);
    } catch (error) {
      throw error instanceof ShapeMismatch ? wrongShape(instance, i, spec) : error;
    }
  });
  return out;
}

function unwrap(raw: unknown, spec: InputSpec, index: number): unknown {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return raw;
  const keys = Object.keys(raw);
  if (keys.length === 1 && spec.names.includes(keys[0])) return (raw as Record<string, unknown>)[keys[0]];
  throw new PredictError(
    400,
    `instances[${index}] is an object with keys [${keys.slice(0, 5).join(', ')}]; expected a list of numbers of shape [${spec.shape.join(', ')}] or {"${spec.name}": ...}`,
  );
}

function fillFlat(values: readonly unknown[], out: Float32Array, offset: number, index: number): void {
  for (let j = 0; j < values.length; j++) {
    const v = values[j];
    if (typeof v !== 'number') throw notNumber(v, `instances[${index}][${j}]`);
    out[offset + j] = v;
  }
}

/** Returns the offset after the filled values. */
function fillNested(
  value: unknown,
  shape: readonly number[],
  depth: number,
  out: Float32Array,
  offset: number,
  path: number[],
): number {
  if (depth === shape.length) {
    if (typeof value !== 'number') throw notNumber(value, at(path));
    out[offset] = value;
    return offset + 1;
  }
  if (!Array.isArray(value) || value.length !== shape[depth]) throw new ShapeMismatch();
  const stride = shape.slice(depth + 1).reduce((a, b) => a * b, 1);
  if (depth === shape.length - 1) {
    // Innermost list: a tight loop, no recursion per number.
    for (let j = 0; j < value.length; j++) {
      const v: unknown = value[j];
      if (typeof v !== 'number') throw notNumber(v, `${at(path)}[${j}]`);
      out[offset + j] = v;
    }
    return offset + value.length;
  }
  for (let j = 0; j < value.length; j++) {
    path.push(j);
    fillNested(value[j], shape, depth + 1, out, offset + j * stride, path);
    path.pop();
  }
  return offset + value.length * stride;
}

function at(path: number[]): string {
  return `instances${path.map((p) => `[${p}]`).join('')}`;
}

function notNumber(value: unknown, where: string): PredictError {
  const shown = JSON.stringify(value) ?? String(value);
  return new PredictError(400, `${where} is ${shown.length > 40 ? `${shown.slice(0, 40)}...` : shown}; expected a number`);
}

/** Thrown deep inside fillNested; packInstances turns it into a message about the whole instance. */
class ShapeMismatch extends Error {}

function wrongShape(instance: unknown, index: number, spec: InputSpec): PredictError {
  return new PredictError(
    400,
    `instances[${index}] has shape ${describeShape(instance)}; expected [${spec.shape.join(', ')}]` +
      (spec.shape.length > 1 ? ` or a flat list of ${spec.size} numbers` : ''),
  );
}

/** The shape along the first element of each level: enough to tell the user what they sent. */
function describeShape(instance: unknown): string {
  const dims: number[] = [];
  let value = instance;
  while (Array.isArray(value)) {
    dims.push(value.length);
    value = value[0];
  }
  if (dims.length === 0) return typeof value === 'number' ? '[] (a single number)' : `[] (${value === null ? 'null' : typeof value})`;
  return `[${dims.join(', ')}]`;
}
