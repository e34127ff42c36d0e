import type { CloudClients } from './clients';
import { explained } from './errors';
import { UserError } from '../shared/errors';
import { operationName, waitForOperation, type OperationsClientLike, type WaitOptions } from './operations';
import { endpointSummary, type EndpointSummary } from './summaries';

export interface CreateEndpointOptions {
  displayName: string;
  description?: string;
  labels?: Record<string, string>;
  /** Caller-chosen ID; Vertex AI picks one when omitted. */
  endpointId?: string;
  /** A dedicated endpoint: its own DNS name, no shared regional host. */
  dedicated?: boolean;
  /** How long one prediction may take (Vertex AI's inference timeout). */
  inferenceTimeoutSeconds?: number;
  /** Request-response logging to BigQuery. */
  logging?: LoggingOptions;
}

export interface LoggingOptions {
  enabled: boolean;
  samplingRate: number;
  /** bq://PROJECT.DATASET[.TABLE]; Vertex AI makes one when omitted. */
  table?: string;
}

/** The logging config as Vertex AI takes it, checked first so a typo is one line. */
export function loggingConfig(options: LoggingOptions): { enabled: boolean; samplingRate: number; bigqueryDestination?: { outputUri: string } } {
  if (!(options.samplingRate >= 0 && options.samplingRate <= 1)) {
    throw new UserError(`The request-response logging rate must be from 0 to 1 (a fraction of requests), not ${options.samplingRate}`);
  }
  if (options.table !== undefined && !/^bq:\/\/[^.\s]+\.[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)?$/.test(options.table)) {
    throw new UserError(`"${options.table}" is not a BigQuery table: use bq://PROJECT.DATASET.TABLE (or bq://PROJECT.DATASET)`);
  }
  return { enabled: options.enabled, samplingRate: options.samplingRate, ...(options.table ? { bigqueryDestination: { outputUri: options.table } } : {}) };
}

export async function createEndpoint(clients: CloudClients, options: CreateEndpointOptions, wait: WaitOptions = {}): Promise<EndpointSummary> {
  const timeout = options.inferenceTimeoutSeconds;
  if (timeout !== undefined && !(timeout > 0 && timeout <= 3600)) throw new UserError(`The inference timeout must be above 0 and at most 3600 seconds, not ${timeout}`);
  const logging = options.logging ? loggingConfig(options.logging) : undefined;
  const context = { action: `creating endpoint "${options.displayName}"`, config: clients.config };
  const operation = await explained(context, async () => {
    const [lro] = await clients.endpoints.createEndpoint({
      parent: clients.parent,
      endpointId: options.endpointId,
      endpoint: {
        displayName: options.displayName,
        description: options.description,
        labels: options.labels,
        ...(options.dedicated ? { dedicatedEndpointEnabled: true } : {}),
        ...(timeout === undefined ? {} : { clientConnectionConfig: { inferenceTimeout: { seconds: Math.floor(timeout), nanos: Math.round((timeout % 1) * 1e9) } } }),
        ...(logging ? { predictRequestResponseLoggingConfig: logging } : {}),
      },
    });
    return operationName(lro);
  });
  const endpoint = await waitForOperation<Parameters<typeof endpointSummary>[0]>(
    clients.endpoints as unknown as OperationsClientLike,
    'createEndpoint',
    operation,
    context,
    wait,
  );
  return endpointSummary(endpoint);
}
