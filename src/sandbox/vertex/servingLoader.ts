// Deployed models run the serving container's code in-process: the model is
// read from the version's artifact URI through the storage server (as Vertex
// AI copies artifacts into the container) and served by the same predictor,
// with the same input checks and dynamic batching, as the HTTP server.
import type { Storage } from '@google-cloud/storage';
import { createPredictor, loadLayersModelFromFolder, loadServingTf } from '../../serving';
import type { ObjectStore } from './context';
import type { LoadedModel, ModelLoader } from './predictors';

export function servingModelLoader(storage: Storage | undefined): ModelLoader {
  let tfReady: ReturnType<typeof loadServingTf> | undefined;
  return async (artifactUri: string): Promise<LoadedModel> => {
    if (artifactUri === '') throw new Error('the model version has no artifact URI');
    tfReady ??= loadServingTf();
    const { tf } = await tfReady;
    const model = await loadLayersModelFromFolder(tf, artifactUri, { storage });
    const predictor = createPredictor(tf, model);
    return {
      predict: async (instances, parameters) =>
        (await predictor.predict(parameters === null || parameters === undefined ? { instances } : { instances, parameters })).predictions,
      dispose: () => predictor.dispose(),
    };
  };
}

/** Object names under a gs:// folder, so uploads that point at nothing are refused. */
export function artifactLister(storage: Storage): (gsUri: string) => Promise<string[]> {
  return async (gsUri) => {
    const match = /^gs:\/\/([^/]+)\/?(.*)$/.exec(gsUri);
    if (!match) return [];
    const prefix = match[2] === '' || match[2].endsWith('/') ? match[2] : `${match[2]}/`;
    try {
      const [files] = await storage.bucket(match[1]).getFiles({ prefix, maxResults: 10, autoPaginate: false });
      return files.map((f) => f.name);
    } catch {
      return [];
    }
  };
}

/** gs:// objects through the storage server, for batch prediction jobs. */
export function objectStore(storage: Storage): ObjectStore {
  const parse = (gsUri: string): { bucket: string; path: string } => {
    const match = /^gs:\/\/([^/]+)\/(.+)$/.exec(gsUri);
    if (!match) throw new Error(`${gsUri} is not gs://BUCKET/PATH`);
    return { bucket: match[1], path: match[2] };
  };
  return {
    read: async (gsUri) => {
      const { bucket, path } = parse(gsUri);
      const [data] = await storage.bucket(bucket).file(path).download();
      return data;
    },
    write: async (gsUri, text) => {
      const { bucket, path } = parse(gsUri);
      await storage.bucket(bucket).file(path).save(text, { resumable: false, contentType: 'application/jsonl' });
    },
  };
}
