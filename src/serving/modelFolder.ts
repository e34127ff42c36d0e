// Loads a TF.js LayersModel from a folder in the standard layout (model.json
// + the weight files its weightsManifest names), on local disk or in Cloud
// Storage (gs://BUCKET/PREFIX, the form Vertex AI passes as AIP_STORAGE_URI).
// The files are read here and handed to tf.io.fromMemory, because only the
// native backend ships a file:// handler and none reads gs://.
import { readFile } from 'node:fs/promises';
import { isAbsolute, join, normalize, posix, resolve, sep } from 'node:path';
import type { LayersModel, io } from '@tensorflow/tfjs';
import type { Storage } from '@google-cloud/storage';
import type { Tf } from '../trainer/backend/types';
import { UserError, errorMessage } from '../shared/errors';

export const MODEL_JSON = 'model.json';

export interface ModelFolderOptions {
  /** Client for gs:// folders; defaults to `new Storage()` (ADC, honours STORAGE_EMULATOR_HOST). */
  storage?: Storage;
}

/** Reads and builds the model; throws a UserError that names the folder and the fix. */
export async function loadLayersModelFromFolder(tf: Tf, location: string, options: ModelFolderOptions = {}): Promise<LayersModel> {
  const artifacts = await readModelArtifacts(location, options);
  try {
    return await tf.loadLayersModel(tf.io.fromMemory(artifacts));
  } catch (error) {
    throw new UserError(`The model in ${location} could not be built: ${errorMessage(error)}`);
  }
}

export async function readModelArtifacts(location: string, options: ModelFolderOptions = {}): Promise<io.ModelArtifacts> {
  const reader = location.startsWith('gs://') ? await gcsReader(location, options.storage) : localReader(location);
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

interface FolderReader {
  read(relativePath: string): Promise<Buffer>;
}

function localReader(location: string): FolderReader {
  const dir = resolve(location.startsWith('file://') ? location.slice('file://'.length) : location);
  return { read: (path) => readFile(join(dir, ...path.split('/'))) };
}

async function gcsReader(location: string, storage: Storage | undefined): Promise<FolderReader> {
  const match = /^gs:\/\/([^/]+)\/?(.*)$/.exec(location);
  if (!match) throw new UserError(`Invalid Cloud Storage URI '${location}': use gs://BUCKET/FOLDER`);
  const [, bucketName, rawPrefix] = match;
  const prefix = rawPrefix.replace(/\/+$/, '');
  const client = storage ?? new (await import('@google-cloud/storage')).Storage();
  const bucket = client.bucket(bucketName);
  return {
    read: async (path) => (await bucket.file(prefix ? `${prefix}/${path}` : path).download())[0],
  };
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
