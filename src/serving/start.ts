// Starts the serving server from a ServingConfig: loads TF.js, makes the
// storage client for gs:// URIs and waits for the model. Shared by
// `model-studio serve` and the container entry point.
import type { ServingConfig } from './config';
import { createServingServer, type ServingServer } from './server';
import { loadServingTf } from './tf';

export async function startServing(config: ServingConfig, log: (line: string) => void): Promise<ServingServer> {
  const { tf, info } = await loadServingTf(config.backend ?? 'auto', log);
  const storage = config.modelUri.startsWith('gs://') && config.storageEndpoint
    ? new (await import('@google-cloud/storage')).Storage({ apiEndpoint: config.storageEndpoint })
    : undefined;
  const serving = await createServingServer({ ...config, tf, storage });
  try {
    await serving.ready;
  } catch (error) {
    await serving.close();
    throw error;
  }
  log(
    `Serving ${config.modelUri} on http://${config.host}:${serving.port} (POST ${config.predictRoute}, GET ${config.healthRoute}; TF.js ${info.name} on ${info.device})`,
  );
  return serving;
}
