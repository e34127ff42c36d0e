// gRPC errors as Google APIs send them: a status code, a message, and a
// google.rpc.Status with an ErrorInfo in the `grpc-status-details-bin`
// trailer, which google-gax decodes into `reason` and `errorInfoMetadata`.
import * as grpc from '@grpc/grpc-js';
import { encodeMessage, packAny } from './protos';
import { errorMessage } from '../../shared/errors';

export interface ErrorInfo {
  reason: string;
  domain?: string;
  metadata?: Record<string, string>;
}

export class RpcError extends Error {
  constructor(
    readonly code: grpc.status,
    message: string,
    readonly errorInfo?: ErrorInfo,
  ) {
    super(message);
  }
}

export const invalidArgument = (message: string): RpcError => new RpcError(grpc.status.INVALID_ARGUMENT, message);
export const notFound = (message: string): RpcError => new RpcError(grpc.status.NOT_FOUND, message);
export const failedPrecondition = (message: string): RpcError => new RpcError(grpc.status.FAILED_PRECONDITION, message);
export const alreadyExists = (message: string): RpcError => new RpcError(grpc.status.ALREADY_EXISTS, message);
export const resourceExhausted = (message: string): RpcError => new RpcError(grpc.status.RESOURCE_EXHAUSTED, message);
export const aborted = (message: string): RpcError => new RpcError(grpc.status.ABORTED, message);

/** The error object a grpc-js handler passes to its callback. */
export function toServiceError(error: unknown): Partial<grpc.StatusObject> {
  const rpc =
    error instanceof RpcError
      ? error
      : new RpcError(grpc.status.INTERNAL, `Internal error in the sandbox: ${errorMessage(error)}`);
  const metadata = new grpc.Metadata();
  if (rpc.errorInfo) {
    const status = encodeMessage('google.rpc.Status', {
      code: rpc.code,
      message: rpc.message,
      details: [
        packAny('google.rpc.ErrorInfo', {
          reason: rpc.errorInfo.reason,
          domain: rpc.errorInfo.domain ?? 'googleapis.com',
          metadata: rpc.errorInfo.metadata ?? {},
        }),
      ],
    });
    metadata.set('grpc-status-details-bin', status);
  }
  return { code: rpc.code, details: rpc.message, metadata };
}
