// Serving settings from Vertex AI's AIP_* variables, with overrides (CLI
// flags). Vertex sets AIP_HTTP_PORT, AIP_HEALTH_ROUTE, AIP_PREDICT_ROUTE and
// AIP_STORAGE_URI in the container; the defaults suit a local run.
import { UserError } from '../shared/errors';
import { BACKEND_CHOICES, type BackendChoice } from '../shared/events';


export interface ServingConfig {
  modelUri: string;
  port: number;
  host: string;
  predictRoute: string;
  healthRoute: string;
  /** Cloud Storage endpoint for gs:// model URIs (e.g. the local sandbox); default Google's, or STORAGE_EMULATOR_HOST. */
  storageEndpoint?: string;
  maxBatchSize?: number;
  batchWindowMs?: number;
  /** TF.js backend; default auto (native TensorFlow if installed, else WebAssembly). */
  backend?: BackendChoice;
}

export type ServingOverrides = Partial<Record<keyof ServingConfig, string>>;

export function servingConfig(env: NodeJS.ProcessEnv, overrides: ServingOverrides = {}, defaultHost = '127.0.0.1'): ServingConfig {
  const modelUri = overrides.modelUri ?? env.AIP_STORAGE_URI;
  if (!modelUri) {
    throw new UserError('No model to serve: set AIP_STORAGE_URI or pass --model-uri (a folder with model.json, local or gs://BUCKET/FOLDER).');
  }
  return {
    modelUri,
    port: port(overrides.port ?? env.AIP_HTTP_PORT ?? '8080'),
    host: overrides.host ?? defaultHost,
    predictRoute: route(overrides.predictRoute ?? env.AIP_PREDICT_ROUTE ?? '/predict', 'predict'),
    healthRoute: route(overrides.healthRoute ?? env.AIP_HEALTH_ROUTE ?? '/health', 'health'),
    storageEndpoint: overrides.storageEndpoint,
    maxBatchSize: count(overrides.maxBatchSize, '--max-batch-size', 1),
    batchWindowMs: count(overrides.batchWindowMs, '--batch-window-ms', 0),
    backend: backend(overrides.backend),
  };
}

function port(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw new UserError(`The HTTP port must be a number from 0 to 65535 (AIP_HTTP_PORT or --port), not '${text}'.`);
  }
  return n;
}

function route(text: string, what: string): string {
  if (!text.startsWith('/') || /[\s?#]/.test(text)) {
    throw new UserError(`The ${what} route must be a path starting with '/', not '${text}'.`);
  }
  return text;
}

function count(text: string | undefined, flag: string, min: number): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) throw new UserError(`${flag} must be a whole number of at least ${min}, not '${text}'.`);
  return n;
}

function backend(text: string | undefined): BackendChoice | undefined {
  if (text === undefined) return undefined;
  if (!(BACKEND_CHOICES as readonly string[]).includes(text)) {
    throw new UserError(`--backend must be one of ${BACKEND_CHOICES.join(', ')}, not '${text}'.`);
  }
  return text as BackendChoice;
}
