// The HTTP front of the storage sandbox: injected faults, input limits on the
// URL, then the route table (routes.ts). State lives in Store (objects) and
// Sessions (resumable uploads); handlers are grouped by resource.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { GcsError } from './errors';
import { Faults, faultReason } from './faults';
import { sendError, type Limits } from './http';
import { parseTarget } from './paths';
import { checkQueryValues } from './query';
import { dispatch } from './routes';
import { Sessions } from './sessions';
import { Store } from './store';

export interface StorageServerOptions {
  /** Folder holding all state; created if missing, reused across restarts. */
  dataDir: string;
  /** 0 or omitted: a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Largest object accepted, default 512 MiB. */
  maxObjectBytes?: number;
  /** Largest JSON request body (metadata), default 1 MiB. */
  maxJsonBytes?: number;
  /** Told when each request starts; the function it returns, when its response is done or the connection dropped. */
  onRequest?: () => () => void;
}

export interface StorageServer {
  /** `http://127.0.0.1:PORT`: pass as `apiEndpoint`, or its host:port as STORAGE_EMULATOR_HOST. */
  url: string;
  port: number;
  /** Inject failures or delays into the next matching requests (tests). */
  faults: Faults;
  server: Server;
  close(): Promise<void>;
}

interface State {
  store: Store;
  sessions: Sessions;
  limits: Limits;
  faults: Faults;
}

export async function startStorageServer(options: StorageServerOptions): Promise<StorageServer> {
  const limits: Limits = {
    maxObjectBytes: options.maxObjectBytes ?? 512 * 1024 * 1024,
    maxJsonBytes: options.maxJsonBytes ?? 1024 * 1024,
  };
  const store = await Store.open(options.dataDir);
  const sessions = await Sessions.open(options.dataDir, store, limits.maxObjectBytes);
  const state: State = { store, sessions, limits, faults: new Faults() };
  const server = createServer((req, res) => {
    const ended = options.onRequest?.();
    if (ended) res.once('close', ended);
    handle(state, req, res).catch((error: unknown) => sendError(req, res, error));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('The storage sandbox is not listening on a TCP port.');
  const { port } = address;
  const host = options.host && options.host !== '0.0.0.0' ? options.host : '127.0.0.1';
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    faults: state.faults,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle(state: State, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const method = req.method ?? 'GET';
  const url = new URL(req.url ?? '/', 'http://sandbox');
  const fault = state.faults.take(method, url.pathname + url.search);
  if (fault?.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
  if (fault?.status) {
    throw new GcsError(fault.status, fault.message ?? `Injected fault: ${fault.status}`, faultReason(fault.status));
  }
  const target = parseTarget(url.pathname);
  checkQueryValues(url.searchParams);
  const { store, sessions, limits } = state;
  const base = `http://${req.headers.host ?? 'localhost'}`;
  await dispatch({ req, res, query: url.searchParams, base, store, sessions, limits }, method, target, url.pathname);
}
