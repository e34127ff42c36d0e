// Talking to a running sandbox's control endpoint (src/sandbox/control.ts):
// its status, and a shutdown request. Stopping is a request, never a signal:
// Windows has no SIGTERM (process.kill ends a process there at once, with no
// cleanup). The CLI's `sandbox stop` and the extension's Stop Local Sandbox
// both go through stopSandbox().
import { hasExited, type SandboxControl, type SandboxInfo } from './sandboxInfo';

export const CONTROL_PATHS = { shutdown: '/shutdown', status: '/status' } as const;

/** GET /status: how idle the sandbox is and how often its Vertex AI state changed. */
export interface SandboxStatus {
  pid: number;
  /** Milliseconds since the last request ended; 0 while one is in flight. */
  idleForMs: number;
  requestsInFlight: number;
  idleMinutes?: number;
  /** Grows with every change of models, endpoints and operations: a cheap "did anything change?". */
  revision: number;
}

async function call(control: SandboxControl, method: 'GET' | 'POST', path: string, timeoutMs: number): Promise<Response> {
  return fetch(new URL(path, control.url), {
    method,
    headers: { authorization: `Bearer ${control.token}` },
    signal: AbortSignal.timeout(timeoutMs),
  });
}

/** The sandbox's status, or undefined when it does not answer (stopped, or too old to have a control endpoint). */
export async function fetchSandboxStatus(info: SandboxInfo, timeoutMs = 2_000): Promise<SandboxStatus | undefined> {
  if (!info.control) return undefined;
  try {
    const response = await call(info.control, 'GET', CONTROL_PATHS.status, timeoutMs);
    return response.ok ? ((await response.json()) as SandboxStatus) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Asks the sandbox to shut down and waits until its process has ended (it
 * closes its servers and removes sandbox.json first). A sandbox without a
 * control endpoint (started by an older version) gets SIGTERM instead.
 */
export async function stopSandbox(info: SandboxInfo, options: { timeoutMs?: number } = {}): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  if (info.control) {
    let response: Response | undefined;
    try {
      response = await call(info.control, 'POST', CONTROL_PATHS.shutdown, 5_000);
    } catch {
      // No answer: it may be exiting already; the wait below tells.
    }
    if (response && !response.ok) {
      throw new Error(`The sandbox (pid ${info.pid}) refused the shutdown request (HTTP ${response.status}); its ${info.dataDir}/sandbox.json may belong to another sandbox`);
    }
  } else {
    process.kill(info.pid, 'SIGTERM');
  }
  const deadline = Date.now() + timeoutMs;
  while (!hasExited(info.pid)) {
    if (Date.now() > deadline) throw new Error(`The sandbox (pid ${info.pid}) did not stop within ${Math.round(timeoutMs / 1000)} s; see ${info.dataDir}/sandbox.log`);
    await new Promise((done) => setTimeout(done, 100));
  }
}
