import { UserError } from '../shared/errors';
import type { CloudClients } from './clients';
import type { PredictionServiceClient } from '@google-cloud/aiplatform/build/src/v1/prediction_service_client';
import { describeEndpoint } from './describeEndpoint';
import { Code, CloudUserError, explained, explainError, grpcCode, serverMessage } from './errors';
import { endpointResourceName, idOf } from './names';
import { MAX_PREDICT_BYTES, predictRequestSize } from './predictSize';
import { retryRead } from './retry';
import { fromProtoValue, toProtoValue, type JsonValue } from './value';

export interface PredictRequestBody {
  instances: unknown[];
  parameters?: unknown;
}

export interface PredictResult {
  predictions: JsonValue[];
  deployedModelId: string;
  model: string;
  modelVersionId: string;
  modelDisplayName: string;
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(2)} MB`;
}

/** Checks a parsed `--json-request` body: {"instances": [...], "parameters": {...}}. */
export function checkPredictBody(body: unknown): PredictRequestBody {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new UserError('A prediction request is a JSON object: {"instances": [...], "parameters": {...}}');
  }
  const { instances, parameters } = body as { instances?: unknown; parameters?: unknown };
  if (!Array.isArray(instances) || instances.length === 0) {
    throw new UserError('The prediction request needs a non-empty "instances" list: {"instances": [<instance>, ...]}');
  }
  return { instances, parameters };
}

/**
 * Sends instances to an endpoint. Payloads over 1.5 MB are refused before
 * sending. Predictions have no side effects, so transient failures are retried.
 */
export async function predict(clients: CloudClients, endpoint: string, body: PredictRequestBody, signal?: AbortSignal): Promise<PredictResult> {
  const name = endpointResourceName(clients.config, endpoint);
  const { instances, parameters } = checkPredictBody(body);
  const size = predictRequestSize(name, instances, parameters);
  if (size > MAX_PREDICT_BYTES) {
    throw new UserError(
      `The prediction request is ${megabytes(size)} (${size} bytes); Vertex AI accepts at most 1.5 MB (${MAX_PREDICT_BYTES} bytes): send fewer instances per request`,
    );
  }
  const request = {
    endpoint: name,
    instances: instances.map(toProtoValue),
    ...(parameters === undefined ? {} : { parameters: toProtoValue(parameters) }),
  };
  const context = { action: `predicting with endpoint ${idOf(name)}`, config: clients.config };
  const send = async (client: PredictionServiceClient): Promise<PredictResult> => {
    const [response] = await retryRead(() => client.predict(request as Parameters<typeof client.predict>[0]), { signal });
    return {
      predictions: (response.predictions ?? []).map((p) => fromProtoValue(p as Parameters<typeof fromProtoValue>[0])),
      deployedModelId: response.deployedModelId ?? '',
      model: response.model ?? '',
      modelVersionId: response.modelVersionId ?? '',
      modelDisplayName: response.modelDisplayName ?? '',
    };
  };
  const key = `${clients.config.apiEndpoint ?? clients.config.region} ${name}`;
  const dns = dedicatedHosts.get(key);
  try {
    return await send(dns ? clients.dedicatedPrediction(dns) : clients.prediction);
  } catch (error) {
    // A dedicated endpoint answers only at its own DNS name: read it once, then go there.
    if (dns || grpcCode(error) !== Code.FAILED_PRECONDITION || !/Dedicated Endpoint cannot be accessed through the shared/i.test(serverMessage(error))) {
      throw explainError(error, context);
    }
  }
  const { dedicatedEndpointDns } = await describeEndpoint(clients, name, signal);
  if (!dedicatedEndpointDns) throw new CloudUserError(`Endpoint ${idOf(name)} refused the shared host but has no dedicated DNS name yet; retry in a minute`, 'FAILED_PRECONDITION');
  dedicatedHosts.set(key, dedicatedEndpointDns);
  return explained(context, () => send(clients.dedicatedPrediction(dedicatedEndpointDns)));
}

/** Dedicated endpoints seen in this process: endpoint name -> DNS name. */
const dedicatedHosts = new Map<string, string>();
