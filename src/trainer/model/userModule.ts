// The model from the user's own TS/JS module, transpiled on the fly so users
// write TypeScript with no build step. Its imports of @tensorflow/* get our
// `tf`: a second TF.js copy would build tensors that our backend cannot train.
import { stat } from 'node:fs/promises';
import { basename, relative, resolve } from 'node:path';
import type { LayersModel } from '@tensorflow/tfjs';
import { errorMessage, UserError } from '../../shared/errors';
import type { ModuleModelSpec } from '../../shared/spec';
import type { Tf } from '../../core/backend/types';
import { loadModuleGraph } from './moduleGraph';

/** What the user's function receives besides `tf`. */
export interface ModelModuleInfo {
  /** Shape of one input sample, e.g. [28, 28]: give it to the first layer's inputShape. */
  sampleShape: number[];
  /** Number of classes for classification data: the size of the last layer. */
  numClasses?: number;
  /** fit.seed, for initializers. */
  seed?: number;
}

function firstLine(text: string): string {
  return text.split('\n')[0].trim();
}

/** Loads the module's files, then runs it; a throw while it runs is the user's to fix. */
async function loadExports(path: string, tf: Tf, label: string): Promise<Record<string, unknown>> {
  const graph = await loadModuleGraph(path);
  try {
    return graph.run(tf);
  } catch (error) {
    throw new UserError(`${label} threw while loading: ${firstLine(errorMessage(error))}`, error instanceof Error ? error.stack : undefined);
  }
}

function describe(value: unknown): string {
  if (value === undefined) return 'undefined (is a return statement missing?)';
  if (value === null) return 'null';
  if (typeof value === 'object') return `an object of type ${value.constructor?.name ?? 'Object'}`;
  return `a ${typeof value}`;
}

function isLayersModel(tf: Tf, value: unknown): value is LayersModel {
  return value instanceof tf.LayersModel;
}

/** Loads spec.model.module relative to `baseDir`, calls its export and returns the model it builds. */
export async function buildFromModule(tf: Tf, spec: ModuleModelSpec, baseDir: string, info: ModelModuleInfo): Promise<LayersModel> {
  const path = resolve(baseDir, spec.module);
  const shown = relative(process.cwd(), path) || basename(path);
  const label = `model.module ${shown}`;
  const found = await stat(path).catch(() => undefined);
  if (!found?.isFile()) {
    throw new UserError(`model.module ${spec.module} not found (looked for ${path}); the path is relative to the spec's folder`);
  }
  const exports = await loadExports(path, tf, label);
  const exportName = spec.export ?? 'buildModel';
  const fn = exports[exportName];
  if (fn === undefined) {
    const functions = Object.keys(exports).filter((key) => typeof exports[key] === 'function');
    const hint = functions.length
      ? `it exports ${functions.map((f) => `'${f}'`).join(', ')}; set model.export to the one that builds the model`
      : `export a function: export function ${exportName}(tf, info) { return tf.sequential(...) }`;
    throw new UserError(`${shown} has no export '${exportName}'; ${hint}`);
  }
  if (typeof fn !== 'function') {
    throw new UserError(`${shown}: export '${exportName}' is ${describe(fn)}, not a function; export a function (tf, info) => tf.LayersModel`);
  }
  let result: unknown;
  try {
    result = await (fn as (tf: Tf, info: ModelModuleInfo) => unknown)(tf, info);
  } catch (error) {
    throw new UserError(`${exportName}() in ${shown} threw: ${firstLine(errorMessage(error))}`, error instanceof Error ? error.stack : undefined);
  }
  if (!isLayersModel(tf, result)) {
    throw new UserError(`${exportName}() in ${shown} returned ${describe(result)}, not a tf.LayersModel; return tf.sequential({ layers: [...] }) or tf.model({ inputs, outputs })`);
  }
  return result;
}
