// The sandbox's control endpoint: a tiny HTTP server on 127.0.0.1 with two
// calls, GET /status and POST /shutdown, each with `Authorization: Bearer
// TOKEN` (a random token per start, kept in sandbox.json, which only its
// owner can read). A request instead of a signal stops the sandbox the same
// way on every platform; the token keeps a web page in a browser (which
// cannot set that header without a CORS preflight we never answer) or a
// stale sandbox.json from stopping the wrong sandbox.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { CONTROL_PATHS, type SandboxStatus } from '../core/sandboxControl';
import type { SandboxControl } from '../core/sandboxInfo';

export interface ControlServer {
  control: SandboxControl;
  close(): Promise<void>;
}

export interface ControlOptions {
  status(): SandboxStatus;
  /** Called once, after the shutdown request has been answered. */
  onShutdown(): void;
  /** Default 127.0.0.1. */
  host?: string;
}

function authorized(req: IncomingMessage, token: string): boolean {
  const given = Buffer.from(req.headers.authorization ?? '');
  const expected = Buffer.from(`Bearer ${token}`);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function reply(res: ServerResponse, status: number, body: object): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

export async function startControlServer(options: ControlOptions): Promise<ControlServer> {
  const token = randomBytes(24).toString('base64url');
  let shuttingDown = false;
  const server = createServer((req, res) => {
    // Neither call has a body: drop any, unread.
    req.resume();
    const path = new URL(req.url ?? '/', 'http://control').pathname;
    const allowed = path === CONTROL_PATHS.status ? 'GET' : path === CONTROL_PATHS.shutdown ? 'POST' : undefined;
    if (!allowed) return reply(res, 404, { error: `No such control call: ${path}` });
    if (req.method !== allowed) {
      res.setHeader('allow', allowed);
      return reply(res, 405, { error: `${path} takes ${allowed}` });
    }
    if (!authorized(req, token)) return reply(res, 401, { error: 'Missing or wrong token: read it from the sandbox.json of the sandbox to control' });
    if (path === CONTROL_PATHS.status) return reply(res, 200, options.status());
    reply(res, 202, { stopping: true });
    if (!shuttingDown) {
      shuttingDown = true;
      res.once('finish', () => options.onShutdown());
    }
  });
  server.requestTimeout = 5_000;
  server.headersTimeout = 5_000;
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('The sandbox control endpoint is not listening on a TCP port.');
  return {
    control: { url: `http://${host}:${address.port}`, token },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
