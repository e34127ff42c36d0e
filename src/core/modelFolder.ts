// Saves and loads a TF.js LayersModel as a folder in the standard layout
// (model.json + one weights file), the same bytes tfjs-node's file:// handler
// writes, so plain `tf.loadLayersModel` reads it. We write it ourselves
// because only the native backend ships a file handler.
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LayersModel, io } from '@tensorflow/tfjs';
import type { Tf } from '../trainer/backend/types';

export const MODEL_JSON = 'model.json';
export const WEIGHTS_FILE = 'weights.bin';

/**
 * Writes the model into `dir`, replacing what was there only once the new
 * files are complete (a crash mid-save leaves the previous model intact).
 */
export async function saveModelToFolder(
  tf: Tf,
  model: LayersModel,
  dir: string,
  options: { includeOptimizer?: boolean } = {},
): Promise<void> {
  const staging = `${dir}.saving-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  await model.save(
    tf.io.withSaveHandler(async (artifacts: io.ModelArtifacts): Promise<io.SaveResult> => {
      const weights = toArrayBuffer(artifacts.weightData);
      const modelJson = {
        format: 'layers-model',
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy ?? null,
        modelTopology: artifacts.modelTopology,
        trainingConfig: artifacts.trainingConfig,
        weightsManifest: [{ paths: [`./${WEIGHTS_FILE}`], weights: artifacts.weightSpecs ?? [] }],
        userDefinedMetadata: artifacts.userDefinedMetadata,
      };
      await writeFile(join(staging, WEIGHTS_FILE), Buffer.from(weights));
      await writeFile(join(staging, MODEL_JSON), JSON.stringify(modelJson));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
    { includeOptimizer: options.includeOptimizer ?? false },
  );
  const old = `${dir}.old-${process.pid}`;
  await rm(old, { recursive: true, force: true });
  await rename(dir, old).catch(() => undefined);
  await rename(staging, dir);
  await rm(old, { recursive: true, force: true });
}

/** Loads a model folder written by saveModelToFolder or by tfjs-node. */
export async function loadModelFromFolder(tf: Tf, dir: string): Promise<LayersModel> {
  return tf.loadLayersModel(tf.io.fromMemory(await readModelArtifacts(dir)));
}

export async function readModelArtifacts(dir: string): Promise<io.ModelArtifacts> {
  const modelJson = JSON.parse(await readFile(join(dir, MODEL_JSON), 'utf8')) as io.ModelJSON;
  const specs: io.WeightsManifestEntry[] = [];
  const buffers: Buffer[] = [];
  for (const group of modelJson.weightsManifest) {
    specs.push(...group.weights);
    for (const path of group.paths) buffers.push(await readFile(join(dir, path)));
  }
  const weights = Buffer.concat(buffers);
  return {
    modelTopology: modelJson.modelTopology,
    trainingConfig: modelJson.trainingConfig,
    weightSpecs: specs,
    weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
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
