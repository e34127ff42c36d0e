// google.cloud.aiplatform.v1.PredictionService.Predict: routes each request
// to a deployed model by the endpoint's traffic split and runs the model
// server loaded for it.
import * as grpc from '@grpc/grpc-js';
import { fromProtoValue, toProtoValue, type ProtoValue } from '../../cloud/value';
import type { SandboxContext } from './context';
import { parseEndpointName } from './names';
import { wireSize, type ProtoObject } from './protos';
import { findEndpoint, findModelVersion } from './resources';
import { failedPrecondition, invalidArgument, RpcError } from './status';
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

export async function predict(ctx: SandboxContext, router: PredictionRouter, request: ProtoObject): Promise<ProtoObject> {
  const size = wireSize(request);
  if (size > MAX_PREDICT_BYTES) {
    throw invalidArgument(`Request payload size exceeds the limit: ${MAX_PREDICT_BYTES} bytes (this request has ${size}).`);
  }
  const name = String(request.endpoint ?? '');
  parseEndpointName(name);
  const endpoint = findEndpoint(ctx.store.state, name);
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
    predictions = await server.predict(instances, fromProtoValue(request.parameters as ProtoValue | undefined));
  } catch (error) {
    const message = errorMessage(error);
    // The serving code marks bad input with an HTTP 4xx status, as its container would answer.
    const status = Number((error as { status?: unknown } | null)?.status);
    if (status >= 400 && status < 500) throw invalidArgument(`The model server rejected the request: ${message}`);
    throw new RpcError(grpc.status.INTERNAL, `The model server failed: ${message}`);
  }
  return {
    predictions: predictions.map(toProtoValue),
    deployedModelId: deployed.id,
    model: deployed.model,
    modelVersionId: deployed.modelVersionId,
    modelDisplayName: version.displayName,
  };
}
