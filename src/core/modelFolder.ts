// Saves and loads a TF.js LayersModel as a folder in the standard layout
// (model.json + one weights file), the same bytes tfjs-node's file:// handler
// writes, so plain `tf.loadLayersModel` reads it. We write it ourselves
// because only the native backend ships a file handler.
import { readFile } from 'node:fs/promises';
import { isAbsolute, join, normalize, posix, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LayersModel, io } from '@tensorflow/tfjs';
import type { Tf } from './backend/types';
import { UserError, errorMessage } from '../shared/errors';
import { replaceFolder, writeFileSynced, type ReplaceOptions } from './atomicFolder';

export const MODEL_JSON = 'model.json';
export const WEIGHTS_FILE = 'weights.bin';

export interface SaveModelOptions extends ReplaceOptions {
  includeOptimizer?: boolean;
  /** Small files saved with the model (a checkpoint's state.json): in place before the folder is. */
  extraFiles?: Record<string, string>;
}

/**
 * Writes the model into `dir` by the protocol of atomicFolder.ts: the
 * previous model stays until the new one is complete and on disk, and a kill
 * at any point leaves a complete copy that recoverFolder() puts back.
 */
export async function saveModelToFolder(tf: Tf, model: LayersModel, dir: string, options: SaveModelOptions = {}): Promise<void> {
  let artifacts: io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (saved: io.ModelArtifacts): Promise<io.SaveResult> => {
      artifacts = saved;
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(saved) };
    }),
    { includeOptimizer: options.includeOptimizer ?? false },
  );
  if (!artifacts) throw new Error(`TF.js saved no artifacts for ${dir}`);
  const modelJson = {
    format: 'layers-model',
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy ?? null,
    modelTopology: artifacts.modelTopology,
    trainingConfig: artifacts.trainingConfig,
    weightsManifest: [{ paths: [`./${WEIGHTS_FILE}`], weights: artifacts.weightSpecs ?? [] }],
    userDefinedMetadata: artifacts.userDefinedMetadata,
  };
  const weights = Buffer.from(toArrayBuffer(artifacts.weightData));
  await replaceFolder(
    dir,
    async (staging) => {
      await writeFileSynced(join(staging, WEIGHTS_FILE), weights);
      for (const [name, text] of Object.entries(options.extraFiles ?? {})) await writeFileSynced(join(staging, name), text);
      await writeFileSynced(join(staging, MODEL_JSON), JSON.stringify(modelJson));
    },
    options,
  );
}

/** Loads a model folder written by saveModelToFolder or by tfjs-node; a UserError names what is wrong. */
export async function loadModelFromFolder(tf: Tf, location: string, reader?: FolderReader): Promise<LayersModel> {
  const artifacts = await readModelArtifacts(location, reader);
  try {
    return await tf.loadLayersModel(tf.io.fromMemory(artifacts));
  } catch (error) {
    throw new UserError(`The model in ${location} could not be built: ${errorMessage(error)}`);
  }
}

/** Where a model folder's files come from: local disk here, Cloud Storage in serving. */
export interface FolderReader {
  read(relativePath: string): Promise<Buffer>;
}

export function localFolderReader(location: string): FolderReader {
  const dir = resolve(localFolderPath(location));
  return { read: (path) => readFile(join(dir, ...path.split('/'))) };
}

/**
 * The local path of a model location: a plain path, or a file: URL decoded the
 * platform's way (file:///C:/My%20Models/m is C:\My Models\m on Windows,
 * file://server/share/m a UNC path there; a host means nothing elsewhere).
 */
export function localFolderPath(location: string, platform: NodeJS.Platform = process.platform): string {
  if (!/^file:/i.test(location)) return location;
  try {
    return fileURLToPath(location, { windows: platform === 'win32' });
  } catch (error) {
    throw new UserError(`${location} is not a local file URL (${errorMessage(error)}): write file:///absolute/path, or the plain folder path`);
  }
}

export async function readModelArtifacts(location: string, reader: FolderReader = localFolderReader(location)): Promise<io.ModelArtifacts> {
  let modelJson: io.ModelJSON;
  try {
    modelJson = parseModelJson(await reader.read(MODEL_JSON));
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(
      `No readable ${MODEL_JSON} in ${location} (${errorMessage(error).split('\n')[0]}): point the model URI at the folder that holds ${MODEL_JSON} and its weight files (a run's model/ folder)`,
    );
  }
  const specs: io.WeightsManifestEntry[] = [];
  const buffers: Buffer[] = [];
  for (const group of modelJson.weightsManifest ?? []) {
    specs.push(...group.weights);
    for (const path of group.paths) {
      const relative = safeRelativePath(path, location);
      try {
        buffers.push(await reader.read(relative));
      } catch (error) {
        throw new UserError(`Weight file ${relative} listed in ${location}/${MODEL_JSON} cannot be read (${errorMessage(error).split('\n')[0]}): copy the whole model folder`);
      }
    }
  }
  const weights = Buffer.concat(buffers);
  return {
    modelTopology: modelJson.modelTopology,
    trainingConfig: modelJson.trainingConfig,
    weightSpecs: specs,
    weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer,
    userDefinedMetadata: modelJson.userDefinedMetadata,
  };
}


function toArrayBuffer(data: io.WeightData | undefined): ArrayBuffer {
  if (data === undefined) return new ArrayBuffer(0);
  if (Array.isArray(data)) {
    const total = data.reduce((n, b) => n + b.byteLength, 0);
    const out = new Uint8Array(total);
    let offset = 0;
    for (const b of data) {
      out.set(new Uint8Array(b), offset);
      offset += b.byteLength;
    }
    return out.buffer;
  }
  return data;
}

function parseModelJson(bytes: Buffer): io.ModelJSON {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new UserError(`${MODEL_JSON} is not valid JSON (${errorMessage(error)}): re-export the model`);
  }
  const json = parsed as Partial<io.ModelJSON> | null;
  if (!json || typeof json !== 'object' || typeof json.modelTopology !== 'object' || json.modelTopology === null) {
    throw new UserError(`${MODEL_JSON} has no modelTopology: it must be a TF.js LayersModel saved with model.save()`);
  }
  if (json.weightsManifest !== undefined && !Array.isArray(json.weightsManifest)) {
    throw new UserError(`${MODEL_JSON} has an invalid weightsManifest: re-export the model`);
  }
  return json as io.ModelJSON;
}

/** Weight paths are relative to the folder; anything that could leave it is refused. */
function safeRelativePath(path: unknown, location: string): string {
  const text = typeof path === 'string' ? path : '';
  const cleaned = posix.normalize(text.replace(/^\.\//, ''));
  if (
    !text ||
    /^[a-z][a-z0-9+.-]*:/i.test(text) ||
    isAbsolute(text) ||
    posix.isAbsolute(cleaned) ||
    cleaned === '..' ||
    cleaned.startsWith('../') ||
    normalize(cleaned).split(sep).includes('..')
  ) {
    throw new UserError(`${location}/${MODEL_JSON} names the weight file '${text.slice(0, 100)}', which is not inside the model folder: re-export the model`);
  }
  return cleaned;
}
