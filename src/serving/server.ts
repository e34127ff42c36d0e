// The HTTP server of Vertex AI's custom-container contract: GET health route
// (200 only once the model is loaded), POST predict route
// ({"instances": [...]} -> {"predictions": [...]}). It starts listening at
// once and loads the model in the background, as Vertex expects.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Storage } from '@google-cloud/storage';
import type { Tf } from '../core/backend/types';
import { UserError, errorMessage } from '../shared/errors';
import { PredictError } from './errors';
import { loadLayersModelFromFolder } from './modelFolder';
import { createPredictor, type Predictor } from './predictor';

/** Vertex AI refuses predict payloads over 1.5 MB; so do we. */
export const DEFAULT_MAX_BODY_BYTES = 1.5 * 1024 * 1024;

export interface ServingServerOptions {
  /** Folder with model.json: a local path or gs://BUCKET/FOLDER. */
  modelUri: string;
  /** 0 = a free port. */
  port: number;
  /** Default 127.0.0.1; the container listens on 0.0.0.0. */
  host?: string;
  predictRoute: string;
  healthRoute: string;
  tf: Tf;
  /** Client for gs:// model URIs; default `new Storage()`. */
  storage?: Storage;
  maxBodyBytes?: number;
  maxBatchSize?: number;
  batchWindowMs?: number;
}

export interface ServingServer {
  server: Server;
  url: string;
  port: number;
  /** Resolves once the model is loaded and warmed up; rejects if it cannot load. */
  ready: Promise<void>;
  /** The predictor once ready (for stats and in-process callers). */
  predictor(): Predictor | undefined;
  close(): Promise<void>;
}

export async function createServingServer(options: ServingServerOptions): Promise<ServingServer> {
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  let predictor: Predictor | undefined;
  let loadError: string | undefined;
  let closed = false;

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => sendError(req, res, error));
  });
  // Slow or stuck clients must not hold connections forever.
  server.requestTimeout = 60_000;
  server.headersTimeout = 20_000;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    if (path === options.healthRoute) {
      if (req.method !== 'GET' && req.method !== 'HEAD') throw methodNotAllowed('GET');
      req.resume();
      if (predictor) return sendJson(res, 200, { status: 'ok' });
      return sendJson(res, 503, { error: loadError ? `model failed to load: ${loadError}` : 'model is loading' });
    }
    if (path === options.predictRoute) {
      if (req.method !== 'POST') throw methodNotAllowed('POST');
      if (!predictor) throw new PredictError(503, loadError ? `model failed to load: ${loadError}` : 'model is loading; retry shortly');
      const body = parseJson(await readBody(req, maxBodyBytes));
      return sendJson(res, 200, await predictor.predict(body));
    }
    throw new PredictError(404, `no route ${path.slice(0, 100)}: POST ${options.predictRoute} or GET ${options.healthRoute}`);
  }

  const listenHost = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    const failed = (error: NodeJS.ErrnoException): void => reject(listenError(error, listenHost, options.port));
    server.once('error', failed);
    server.listen(options.port, listenHost, () => {
      server.off('error', failed);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = !options.host || options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host;

  const ready = (async (): Promise<void> => {
    try {
      const model = await loadLayersModelFromFolder(options.tf, options.modelUri, { storage: options.storage });
      const loaded = createPredictor(options.tf, model, { maxBatchSize: options.maxBatchSize, batchWindowMs: options.batchWindowMs });
      // One call compiles the kernels, so the first real request is not slow.
      const zeros = loaded.input.shape.length === 0 ? 0 : new Array<number>(loaded.input.size).fill(0);
      await loaded.predict({ instances: [zeros] });
      if (closed) loaded.dispose();
      else predictor = loaded;
    } catch (error) {
      loadError = errorMessage(error);
      throw error;
    }
  })();
  // Callers that never await `ready` still see the failure through /health.
  ready.catch(() => undefined);

  return {
    server,
    url: `http://${host}:${port}`,
    port,
    ready,
    predictor: () => predictor,
    close: () =>
      new Promise<void>((resolve) => {
        closed = true;
        predictor?.dispose();
        predictor = undefined;
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A port in use or an address this machine lacks is the caller's to fix, in one line. */
function listenError(error: NodeJS.ErrnoException, host: string, port: number): Error {
  if (error.code === 'EADDRINUSE') return new UserError(`Port ${port} on ${host} is in use: pass another --port (AIP_HTTP_PORT), or 0 for a free one.`);
  if (error.code === 'EACCES') return new UserError(`Port ${port} on ${host} needs privileges: pass a port above 1023 (--port or AIP_HTTP_PORT).`);
  if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND') {
    return new UserError(`Cannot listen on ${host}: it is not an address of this machine; pass --host 127.0.0.1 or 0.0.0.0.`);
  }
  return error;
}

function methodNotAllowed(allowed: string): PredictError {
  const error = new PredictError(405, `use ${allowed} on this route`);
  return Object.assign(error, { allow: allowed });
}

/** Collects the body with events (cheaper than an async iterator per request), up to maxBytes. */
function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) return Promise.reject(tooLarge(declared, maxBytes));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > maxBytes) {
        req.off('data', onData);
        reject(tooLarge(size, maxBytes));
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
    req.once('error', reject);
    // A client that disconnects mid-body: settle instead of waiting forever.
    req.once('close', () => reject(new PredictError(400, 'the client closed the connection before sending the whole body')));
  });
}

function tooLarge(size: number, maxBytes: number): PredictError {
  return new PredictError(
    413,
    `request body of ${size > maxBytes * 2 ? `more than ${maxBytes}` : size} bytes exceeds the limit of ${maxBytes} bytes: send fewer instances per request`,
  );
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new PredictError(400, `the request body is not valid JSON (${errorMessage(error)})`);
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function sendError(req: IncomingMessage, res: ServerResponse, error: unknown): void {
  try {
    answerError(req, res, error);
  } catch {
    res.destroy();
  }
}

function answerError(req: IncomingMessage, res: ServerResponse, error: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const status = error instanceof PredictError ? error.status : 500;
  const message = error instanceof PredictError ? error.message : `prediction failed: ${errorMessage(error)}`;
  const allow = (error as { allow?: string }).allow;
  if (allow) res.setHeader('Allow', allow);
  // A body we stopped reading would stall the connection: discard it and close.
  if (!req.complete) {
    res.setHeader('Connection', 'close');
    req.resume();
  }
  sendJson(res, status, { error: message });
}
