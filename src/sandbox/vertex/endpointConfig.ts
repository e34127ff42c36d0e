// Endpoint settings beyond traffic: a dedicated endpoint (its own DNS name;
// the shared regional host refuses it), the inference timeout, and
// request-response logging to BigQuery, checked as Vertex AI checks them.
import { createHash } from 'node:crypto';
import type { protos } from '@google-cloud/aiplatform';
import type { EndpointRef } from './names';
import type { StoredEndpoint, StoredLoggingConfig } from './state';
import { invalidArgument } from './status';

type IEndpoint = protos.google.cloud.aiplatform.v1.IEndpoint;
type IPredictRequestResponseLoggingConfig = protos.google.cloud.aiplatform.v1.IPredictRequestResponseLoggingConfig;

/** Vertex AI's limits on an inference timeout (seconds). */
const MAX_INFERENCE_TIMEOUT_S = 3600;
const BIGQUERY_TABLE = /^bq:\/\/[a-z][a-z0-9-]{4,28}[a-z0-9](\.[A-Za-z0-9_]{1,1024}){1,2}$/;

/** The project number Vertex AI puts in dedicated DNS names (stable for a project ID here). */
function projectNumber(project: string): string {
  if (/^[0-9]+$/.test(project)) return project;
  return String(parseInt(createHash('sha256').update(project).digest('hex').slice(0, 10), 16)).padStart(12, '1').slice(0, 12);
}

export function dedicatedDns(ref: EndpointRef): string {
  return `${ref.endpointId}.${ref.location}-${projectNumber(ref.project)}.prediction.vertexai.goog`;
}

export function checkInferenceTimeout(endpoint: IEndpoint): number | undefined {
  const timeout = endpoint.clientConnectionConfig?.inferenceTimeout;
  if (!timeout) return undefined;
  const seconds = Number(timeout.seconds ?? 0) + Number(timeout.nanos ?? 0) / 1e9;
  if (!(seconds > 0) || seconds > MAX_INFERENCE_TIMEOUT_S) {
    throw invalidArgument(`endpoint.client_connection_config.inference_timeout must be above 0 and at most ${MAX_INFERENCE_TIMEOUT_S} s, got ${seconds} s.`);
  }
  return seconds;
}

export function checkLoggingConfig(config: IPredictRequestResponseLoggingConfig | null | undefined, ref: EndpointRef, displayName: string): StoredLoggingConfig | undefined {
  if (!config) return undefined;
  const rate = Number(config.samplingRate ?? 0);
  if (!(rate >= 0 && rate <= 1)) throw invalidArgument(`predict_request_response_logging_config.sampling_rate must be from 0 to 1, got ${rate}.`);
  let table = config.bigqueryDestination?.outputUri ?? '';
  if (table !== '' && !BIGQUERY_TABLE.test(table)) {
    throw invalidArgument(`predict_request_response_logging_config.bigquery_destination.output_uri "${table}" must be bq://PROJECT.DATASET or bq://PROJECT.DATASET.TABLE.`);
  }
  // Vertex AI makes the table when only a dataset (or nothing) is given.
  const dataset = `logging_${displayName.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 100)}_${ref.endpointId}`;
  if (table === '') table = `bq://${ref.project}.${dataset}.request_response_logging`;
  else if (table.split('.').length === 2) table = `${table}.request_response_logging`;
  return { enabled: Boolean(config.enabled), samplingRate: rate, table };
}

export function endpointSettingsProto(endpoint: StoredEndpoint): IEndpoint {
  return {
    dedicatedEndpointEnabled: endpoint.dedicatedEndpointDns !== undefined,
    ...(endpoint.dedicatedEndpointDns ? { dedicatedEndpointDns: endpoint.dedicatedEndpointDns } : {}),
    ...(endpoint.inferenceTimeoutSeconds ? { clientConnectionConfig: { inferenceTimeout: { seconds: Math.floor(endpoint.inferenceTimeoutSeconds), nanos: Math.round((endpoint.inferenceTimeoutSeconds % 1) * 1e9) } } } : {}),
    ...(endpoint.logging
      ? { predictRequestResponseLoggingConfig: { enabled: endpoint.logging.enabled, samplingRate: endpoint.logging.samplingRate, bigqueryDestination: { outputUri: endpoint.logging.table } } }
      : {}),
  };
}
