// Waiting for Vertex AI long-running operations under our own control: each
// poll is one GetOperation with a bounded deadline, the interval backs off,
// transient failures are retried a few times, the whole wait has a deadline,
// and an AbortSignal stops waiting (and, if asked, cancels the operation).
// The operation's name is all it takes to resume after a dropped connection.
import type { protos } from '@google-cloud/aiplatform';
import type { Descriptors } from 'google-gax';
import type { CloudClients } from './clients';
import { CloudError, CloudUserError, explainError, type ErrorContext } from './errors';
import { isTransient, SINGLE_ATTEMPT, sleep } from './retry';
import { errorMessage } from '../shared/errors';

type IOperation = protos.google.longrunning.IOperation;

/** The long-running methods of ModelService and EndpointService that we call. */
export type LroMethod =
  | 'uploadModel'
  | 'deleteModel'
  | 'deleteModelVersion'
  | 'createEndpoint'
  | 'deleteEndpoint'
  | 'deployModel'
  | 'undeployModel'
  | 'mutateDeployedModel';

/** What a client needs for polling: both service clients have it. */
export interface OperationsClientLike {
  descriptors: Descriptors;
  getOperation(request: protos.google.longrunning.GetOperationRequest, options?: typeof SINGLE_ATTEMPT): Promise<[protos.google.longrunning.Operation]>;
  cancelOperation(request: protos.google.longrunning.CancelOperationRequest, options?: typeof SINGLE_ATTEMPT): Promise<unknown>;
}

export interface OperationUpdate {
  operation: string;
  done: boolean;
  elapsedMs: number;
  /** Decoded metadata as plain JSON (enums as names). */
  metadata: Record<string, unknown>;
  /** DeployModel's deployment stage, e.g. STARTING_MODEL_SERVER. */
  stage?: string;
}

export interface WaitOptions {
  onProgress?: (update: OperationUpdate) => void;
  /** Stop waiting after this long (the operation goes on). Default 60 minutes: custom-container deployments can take half an hour. */
  timeoutMs?: number;
  /** Stops waiting; with cancelOnAbort, also asks the server to cancel. */
  signal?: AbortSignal;
  cancelOnAbort?: boolean;
  /** First poll interval; it grows by half each poll up to maxPollMs. Default 250 ms / 10 s. */
  initialPollMs?: number;
  maxPollMs?: number;
  /** Consecutive UNAVAILABLE / DEADLINE_EXCEEDED polls before giving up. Default 5. */
  maxPollFailures?: number;
}

/** Waiting stopped before the operation finished; it may still be running. */
export class OperationWaitStopped extends CloudUserError {
  constructor(
    message: string,
    readonly operationName: string,
    /** Whether CancelOperation was sent. */
    readonly cancelRequested: boolean,
  ) {
    super(message, 'CANCELLED', operationName);
  }
}

interface PlainMessage {
  $type?: { toObject(message: unknown, options: Record<string, unknown>): Record<string, unknown> };
}

export function toPlain(message: unknown): Record<string, unknown> {
  const type = (message as PlainMessage | null)?.$type;
  return type ? type.toObject(message, { enums: String, longs: Number, defaults: false }) : ((message ?? {}) as Record<string, unknown>);
}

function bytesOf(value: Uint8Array | Buffer | string | null | undefined): Uint8Array {
  if (value === null || value === undefined) return new Uint8Array();
  return typeof value === 'string' ? Buffer.from(value, 'base64') : value;
}

export function resumeHint(name: string): string {
  return `resume with \`model-studio cloud operations wait ${name}\` or cancel with \`model-studio cloud operations cancel ${name}\``;
}

/** Polls `name` until it is done; returns the decoded response message. */
export async function waitForOperation<T>(
  client: OperationsClientLike,
  method: LroMethod,
  name: string,
  context: ErrorContext,
  options: WaitOptions = {},
): Promise<T> {
  const descriptor = client.descriptors.longrunning[method] as unknown as {
    responseDecoder(bytes: Uint8Array): unknown;
    metadataDecoder(bytes: Uint8Array): unknown;
  };
  const errorContext = { ...context, operation: name };
  const started = Date.now();
  const deadline = started + (options.timeoutMs ?? 60 * 60_000);
  let interval = options.initialPollMs ?? 250;
  let failures = 0;
  let lastMetadata = '';
  for (;;) {
    if (options.signal?.aborted) return stopWaiting(client, name, options);
    let operation: IOperation | undefined;
    try {
      [operation] = await client.getOperation({ name } as protos.google.longrunning.GetOperationRequest, SINGLE_ATTEMPT);
      failures = 0;
    } catch (error) {
      if (!isTransient(error) || ++failures >= (options.maxPollFailures ?? 5)) throw explainError(error, errorContext);
    }
    if (operation) {
      const metadata = operation.metadata?.value ? toPlain(descriptor.metadataDecoder(bytesOf(operation.metadata.value))) : {};
      const serialized = JSON.stringify(metadata);
      if (serialized !== lastMetadata || operation.done) {
        lastMetadata = serialized;
        const stage = typeof metadata.deploymentStage === 'string' ? metadata.deploymentStage : undefined;
        options.onProgress?.({ operation: name, done: Boolean(operation.done), elapsedMs: Date.now() - started, metadata, stage });
      }
      if (operation.done) {
        if (operation.error) {
          throw explainError({ code: operation.error.code ?? 2, message: operation.error.message ?? 'operation failed' }, errorContext);
        }
        const value = operation.response?.value;
        return (value ? descriptor.responseDecoder(bytesOf(value)) : {}) as T;
      }
    }
    if (Date.now() >= deadline) {
      throw new CloudError(`Stopped waiting for ${name} after ${Math.round((Date.now() - started) / 1000)} s; it goes on in Vertex AI: ${resumeHint(name)}`, 'DEADLINE_EXCEEDED', name);
    }
    try {
      await sleep(Math.min(interval, Math.max(0, deadline - Date.now())), options.signal);
    } catch {
      return stopWaiting(client, name, options);
    }
    interval = Math.min(interval * 1.5, options.maxPollMs ?? 10_000);
  }
}

async function stopWaiting(client: OperationsClientLike, name: string, options: WaitOptions): Promise<never> {
  if (options.cancelOnAbort) {
    try {
      await client.cancelOperation({ name } as protos.google.longrunning.CancelOperationRequest, SINGLE_ATTEMPT);
    } catch (error) {
      throw new OperationWaitStopped(`Stopped waiting for ${name}, but cancelling it failed (${errorMessage(error)}); ${resumeHint(name)}`, name, false);
    }
    throw new OperationWaitStopped(`Cancelled ${name}; Vertex AI stops it as soon as it can (\`model-studio cloud operations describe ${name}\` shows the outcome)`, name, true);
  }
  throw new OperationWaitStopped(`Stopped waiting for ${name}; it goes on in Vertex AI: ${resumeHint(name)}`, name, false);
}

const METHOD_BY_METADATA: Record<string, LroMethod> = {
  UploadModelOperationMetadata: 'uploadModel',
  DeployModelOperationMetadata: 'deployModel',
  UndeployModelOperationMetadata: 'undeployModel',
  MutateDeployedModelOperationMetadata: 'mutateDeployedModel',
  CreateEndpointOperationMetadata: 'createEndpoint',
  DeleteOperationMetadata: 'deleteEndpoint',
};

/** The service client that owns an operation name (…/models/… or …/endpoints/…). */
export function clientForOperation(clients: CloudClients, name: string): OperationsClientLike {
  if (!/^projects\/[^/]+\/locations\/[^/]+\/.+\/operations\/[^/]+$/.test(name)) {
    throw new CloudUserError(`"${name}" is not an operation name: expected projects/P/locations/L/.../operations/ID`, 'INVALID_ARGUMENT');
  }
  return (/\/models\//.test(name) ? clients.models : clients.endpoints) as unknown as OperationsClientLike;
}

/** Reads an operation once: done or not, its metadata, and the method it belongs to. */
export async function describeOperation(clients: CloudClients, name: string): Promise<{ operation: IOperation; method: LroMethod }> {
  const client = clientForOperation(clients, name);
  const context = { action: `reading operation ${name}`, config: clients.config };
  let operation: IOperation;
  try {
    [operation] = await client.getOperation({ name } as protos.google.longrunning.GetOperationRequest, SINGLE_ATTEMPT);
  } catch (error) {
    throw explainError(error, context);
  }
  const typeName = operation.metadata?.type_url?.split('.').pop() ?? '';
  const isModel = /\/models\//.test(name);
  const method = METHOD_BY_METADATA[typeName] ?? (isModel ? 'deleteModel' : 'deleteEndpoint');
  return { operation, method: method === 'deleteEndpoint' && isModel ? 'deleteModel' : method };
}

/** Resumes waiting for any operation by name, e.g. after a dropped connection. */
export async function resumeOperation(clients: CloudClients, name: string, options: WaitOptions = {}): Promise<Record<string, unknown>> {
  const { method } = await describeOperation(clients, name);
  const response = await waitForOperation<unknown>(clientForOperation(clients, name), method, name, { action: `waiting for ${name}`, config: clients.config }, options);
  return toPlain(response);
}

/** Asks Vertex AI to cancel an operation. */
export async function cancelOperation(clients: CloudClients, name: string): Promise<void> {
  const client = clientForOperation(clients, name);
  try {
    await client.cancelOperation({ name } as protos.google.longrunning.CancelOperationRequest, SINGLE_ATTEMPT);
  } catch (error) {
    throw explainError(error, { action: `cancelling ${name}`, config: clients.config, operation: name });
  }
}

/** The name of an operation a client call started. */
export function operationName(operation: { name?: string | null }): string {
  if (!operation.name) throw new CloudError('Vertex AI started an operation but sent no operation name', 'INTERNAL');
  return operation.name;
}
