// HTTP plumbing the handlers share: the exchange a handler works on, bodies
// read under size limits, JSON replies, and errors in the GCS JSON format.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorMessage } from '../../shared/errors';
import { badRequest, GcsError, tooLarge } from './errors';
import { readBody } from './files';
import { isJsonObject, type JsonObject } from './json';
import type { Sessions } from './sessions';
import type { Store } from './store';

export interface Limits {
  /** Largest object accepted. */
  maxObjectBytes: number;
  /** Largest JSON request body (metadata). */
  maxJsonBytes: number;
}

/** One request, as a handler sees it. */
export interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  query: URLSearchParams;
  /** The origin the client reached us at, for selfLink, mediaLink and Location. */
  base: string;
  store: Store;
  sessions: Sessions;
  limits: Limits;
}

const JSON_TYPE = 'application/json; charset=UTF-8';

export function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Refuses a body whose declared Content-Length is over `limit` before reading it. */
export function checkLength(req: IncomingMessage, limit: number): void {
  const length = Number(req.headers['content-length']);
  if (Number.isFinite(length) && length > limit) throw tooLarge(`Request body of ${length} bytes exceeds the limit of ${limit} bytes.`);
}

/** The request body as a JSON object ({} when empty), at most `maxJsonBytes`. */
export async function readJsonBody(x: Exchange): Promise<JsonObject> {
  const limit = x.limits.maxJsonBytes;
  checkLength(x.req, limit);
  const raw = await readBody(x.req, limit, 'JSON request body');
  if (raw.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch {
    throw badRequest('Request body is not valid JSON.');
  }
  if (!isJsonObject(parsed)) throw badRequest('Request body must be a JSON object.');
  return parsed;
}

export function notSupported(method: string, what: string): GcsError {
  return new GcsError(501, `${method} ${what.slice(0, 200)} is not supported by the storage sandbox.`, 'notImplemented');
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': JSON_TYPE, 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

export function sendEmpty(res: ServerResponse, status: number): void {
  res.writeHead(status, { 'Content-Length': 0 });
  res.end();
}

/** Answers with `error` as a GCS JSON error (a 500 for anything that is not a GcsError). */
export function sendError(req: IncomingMessage, res: ServerResponse, error: unknown): void {
  try {
    answerError(req, res, error);
  } catch {
    res.destroy();
  }
}

function answerError(req: IncomingMessage, res: ServerResponse, error: unknown): void {
  const gcs =
    error instanceof GcsError ? error : new GcsError(500, `Storage sandbox error: ${errorMessage(error)}`, 'backendError');
  if (res.headersSent) {
    res.destroy();
    return;
  }
  // A body we stopped reading (too large, bad request) would stall the
  // connection: drain it and close the connection after answering.
  if (!req.complete) {
    res.setHeader('Connection', 'close');
    req.resume();
  }
  sendJson(res, gcs.status, gcs.toJSON());
}
