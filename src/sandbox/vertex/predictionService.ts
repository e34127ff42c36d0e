// google.cloud.aiplatform.v1.PredictionService.Predict: routes each request
// to a deployed model by the endpoint's traffic split and runs the model
// server loaded for it. A dedicated endpoint answers only at its own DNS name;
// the inference timeout bounds the model server; sampled requests and
// responses go to the logging table (a JSONL file per BigQuery table).
import { appendFileSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import type { protos } from '@google-cloud/aiplatform';
import { fromProtoValue, toProtoValue, type ProtoValue } from '../../cloud/value';
import type { SandboxContext } from './context';
import { parseEndpointName } from './names';
import { wireSize, type ProtoObject } from './protos';
import { findEndpoint, findModelVersion } from './resources';
import { failedPrecondition, invalidArgument, notFound, RpcError } from './status';
import type { StoredEndpoint } from './state';
import { routeByTraffic } from './traffic';
import { errorMessage } from '../../shared/errors';

/** Vertex AI's limit on a predict request. */
export const MAX_PREDICT_BYTES = 1.5 * 1024 * 1024;

/** A repeatable draw in [0, 1) for the n-th request to an endpoint. */
function draw(endpoint: string, n: number): number {
  let hash = 0x811c9dc5;
  for (const char of `${endpoint}#${n}`) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193);
  // One round of mulberry32 spreads the FNV hash evenly.
  let t = (hash + 0x6d2b79f5) | 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

export class PredictionRouter {
  private readonly counts = new Map<string, number>();

  next(endpoint: string): number {
    const n = this.counts.get(endpoint) ?? 0;
    this.counts.set(endpoint, n + 1);
    return draw(endpoint, n);
  }
}

type IPredictRequest = protos.google.cloud.aiplatform.v1.IPredictRequest;

/** Input limit: the most a logging table file may hold. */
const MAX_LOG_TABLE_BYTES = 64 * 1024 * 1024;

function fileBytes(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** Where a BigQuery logging table's rows go in the sandbox. */
export function loggingFile(stateDir: string, table: string): string {
  return join(stateDir, 'bigquery', `${table.replace(/^bq:\/\//, '')}.jsonl`);
}

function checkHost(endpoint: StoredEndpoint, host: string): void {
  const dns = endpoint.dedicatedEndpointDns;
  if (dns !== undefined && host !== dns) {
    throw failedPrecondition(
      `Dedicated Endpoint cannot be accessed through the shared Vertex AI domain ${host}. Please access the endpoint using its dedicated domain name '${dns}'.`,
    );
  }
  if (dns === undefined && host.endsWith('.prediction.vertexai.goog')) {
    throw notFound(`${host} serves one dedicated endpoint; Endpoint ${endpoint.name} is not it: send its predictions to the regional host.`);
  }
}

async function withTimeout<T>(work: Promise<T>, seconds: number | undefined): Promise<T> {
  if (seconds === undefined) return work;
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new RpcError(grpc.status.DEADLINE_EXCEEDED, `The prediction did not finish within the endpoint's inference timeout of ${seconds} s.`)), seconds * 1000);
  });
  try {
    return await Promise.race([work, limit]);
  } finally {
    clearTimeout(timer);
  }
}

export async function predict(ctx: SandboxContext, router: PredictionRouter, request: IPredictRequest, host: string): Promise<ProtoObject> {
  const size = wireSize(request as ProtoObject);
  if (size > MAX_PREDICT_BYTES) {
    throw invalidArgument(`Request payload size exceeds the limit: ${MAX_PREDICT_BYTES} bytes (this request has ${size}).`);
  }
  const name = String(request.endpoint ?? '');
  parseEndpointName(name);
  const endpoint = findEndpoint(ctx.store.state, name);
  checkHost(endpoint, host);
  const instances = ((request.instances ?? []) as ProtoValue[]).map(fromProtoValue);
  if (instances.length === 0) throw invalidArgument('instances must not be empty.');
  const id = routeByTraffic(endpoint.trafficSplit, router.next(name));
  const deployed = endpoint.deployedModels.find((d) => d.id === id);
  if (!deployed) {
    throw failedPrecondition(`Endpoint ${name} has no deployed model with traffic; deploy a model or update the traffic split.`);
  }
  const { version } = findModelVersion(ctx.store.state, `${deployed.model}@${deployed.modelVersionId}`);
  const server = await ctx.predictors.get(deployed.id, version.artifactUri ?? '');
  let predictions: unknown[];
  try {
    predictions = await withTimeout(server.predict(instances, fromProtoValue(request.parameters as ProtoValue | undefined)), endpoint.inferenceTimeoutSeconds);
  } catch (error) {
    if (error instanceof RpcError) throw error;
    const message = errorMessage(error);
    // The serving code marks bad input with an HTTP 4xx status, as its container would answer.
    const status = Number((error as { status?: unknown } | null)?.status);
    if (status >= 400 && status < 500) throw invalidArgument(`The model server rejected the request: ${message}`);
    throw new RpcError(grpc.status.INTERNAL, `The model server failed: ${message}`);
  }
  const logging = endpoint.logging;
  if (logging?.enabled && Math.random() < logging.samplingRate) {
    const file = loggingFile(ctx.store.dir, logging.table);
    mkdirSync(join(file, '..'), { recursive: true });
    // A table that reached its limit stops growing, as a full disk would not be our users' fault.
    if (fileBytes(file) < MAX_LOG_TABLE_BYTES) {
    const row = { endpoint: name, deployed_model_id: deployed.id, logging_time: new Date().toISOString(), request_payload: [JSON.stringify({ instances })], response_payload: [JSON.stringify({ predictions })] };
      appendFileSync(file, `${JSON.stringify(row)}\n`);
    }
  }
  return {
    predictions: predictions.map(toProtoValue),
    deployedModelId: deployed.id,
    model: deployed.model,
    modelVersionId: deployed.modelVersionId,
    modelDisplayName: version.displayName,
  };
}
