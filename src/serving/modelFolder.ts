// Loads a TF.js LayersModel from a folder in the standard layout, on local
// disk or in Cloud Storage (gs://BUCKET/PREFIX, the form Vertex AI passes as
// AIP_STORAGE_URI). The reading and checking is core/modelFolder's; this adds
// the Cloud Storage reader.
import type { LayersModel, io } from '@tensorflow/tfjs';
import type { Storage } from '@google-cloud/storage';
import type { Tf } from '../core/backend/types';
import { UserError } from '../shared/errors';
import { loadModelFromFolder, localFolderReader, readModelArtifacts as readArtifacts, type FolderReader } from '../core/modelFolder';

export { MODEL_JSON } from '../core/modelFolder';

export interface ModelFolderOptions {
  /** Client for gs:// folders; defaults to `new Storage()` (ADC, honours STORAGE_EMULATOR_HOST). */
  storage?: Storage;
}

/** Reads and builds the model; throws a UserError that names the folder and the fix. */
export async function loadLayersModelFromFolder(tf: Tf, location: string, options: ModelFolderOptions = {}): Promise<LayersModel> {
  return loadModelFromFolder(tf, location, await readerFor(location, options));
}

export async function readModelArtifacts(location: string, options: ModelFolderOptions = {}): Promise<io.ModelArtifacts> {
  return readArtifacts(location, await readerFor(location, options));
}

async function readerFor(location: string, options: ModelFolderOptions): Promise<FolderReader> {
  return location.startsWith('gs://') ? gcsReader(location, options.storage) : localFolderReader(location);
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
