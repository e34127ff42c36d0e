// Reads are retried on UNAVAILABLE and DEADLINE_EXCEEDED with exponential
// backoff; writes never are (the library configures every Vertex AI method as
// non-idempotent, and a blind retry could deploy twice).
import type { CallOptions } from 'google-gax';
import { Code, grpcCode } from './errors';

/** One attempt with a bounded deadline: the caller decides about retries. */
export const SINGLE_ATTEMPT: CallOptions = { retry: null, timeout: 30_000 };

export interface ReadRetryOptions {
  attempts?: number;
  initialDelayMs?: number;
  maxDelayMs?: number;
  signal?: AbortSignal;
}

export function isTransient(error: unknown): boolean {
  const code = grpcCode(error);
  return code === Code.UNAVAILABLE || code === Code.DEADLINE_EXCEEDED;
}

/** Waits `ms`, or rejects with the signal's reason when it aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortError(signal));
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    function onAbort(): void {
      clearTimeout(timer);
      reject(abortError(signal));
    }
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export function abortError(signal?: AbortSignal): Error {
  const reason: unknown = signal?.reason;
  if (reason instanceof Error && reason.name === 'AbortError') return reason;
  const error = new Error('The operation was cancelled');
  error.name = 'AbortError';
  return error;
}

export function isAbortError(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}

/** Runs a read, retrying transient failures with backoff (200 ms, 400 ms, ... up to 5 s). */
export async function retryRead<T>(read: () => Promise<T>, options: ReadRetryOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 4;
  let delay = options.initialDelayMs ?? 200;
  for (let attempt = 1; ; attempt++) {
    if (options.signal?.aborted) throw abortError(options.signal);
    try {
      return await read();
    } catch (error) {
      if (attempt >= attempts || !isTransient(error)) throw error;
    }
    await sleep(delay, options.signal);
    delay = Math.min(delay * 2, options.maxDelayMs ?? 5000);
  }
}
