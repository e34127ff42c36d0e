// The local sandbox, the default cloud until the user picks a Google Cloud
// project: a Cloud-Storage-compatible HTTP server and a Vertex-AI-compatible
// gRPC server on 127.0.0.1 with random ports, their state under one folder.
// A small sandbox.json in that folder tells `sandbox status|stop`, the CLI's
// cloud commands and the extension where the running sandbox listens, and
// where its control endpoint takes a shutdown request (control.ts).
import { Storage } from '@google-cloud/storage';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, renameSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { defaultSandboxDir, INFO_FILE, readSandboxInfo, SANDBOX_PROJECT, SANDBOX_REGION, type SandboxInfo } from '../core/sandboxInfo';
import { UserError } from '../shared/errors';
import { startControlServer, type ControlServer } from './control';
import { IdleWatch } from './idleWatch';
import { startStorageServer, type StorageServer } from './storage';
import type { FaultRule } from './vertex/faults';
import { startVertexSandbox, type VertexSandbox } from './vertex/server';
import { artifactLister, servingModelLoader } from './vertex/servingLoader';

export {
  SANDBOX_PROJECT,
  SANDBOX_REGION,
  SANDBOX_SERVING_IMAGE,
  SANDBOX_BUCKET,
  defaultSandboxDir,
  readSandboxInfo,
  type SandboxInfo,
} from '../core/sandboxInfo';

export interface SandboxOptions {
  /** Folder for all state; default defaultSandboxDir(). */
  dataDir?: string;
  vertexPort?: number;
  storagePort?: number;
  /** Duration of long-running operations; default 300 ms. */
  operationDelayMs?: number;
  faults?: FaultRule[];
  /** Stop after this many minutes without a request (fractions allowed); absent or 0: never. */
  idleMinutes?: number;
  log?: (line: string) => void;
  /** The trainer image's entry that training jobs run; default dist/vertexTrainer.js beside this bundle or in the repository. */
  trainerPath?: string;
  /** How long a training job stays queued and pending; default 200 ms. */
  jobQueueDelayMs?: number;
}

/** Why the sandbox asks its owner to close it. */
export type StopReason = 'a shutdown request' | 'no requests for the idle minutes';

export interface Sandbox {
  info: SandboxInfo;
  vertex: VertexSandbox;
  storage: StorageServer;
  /** Resolves at a shutdown request, or when idle for `idleMinutes`; the owner then calls close(). */
  stopRequested: Promise<StopReason>;
  close(): Promise<void>;
}

/** dist/vertexTrainer.js beside this bundle (dist/cli.js), or the repository's when run from source. */
function vertexTrainerBundle(): string | undefined {
  const candidates = [join(__dirname, 'vertexTrainer.js'), resolve(__dirname, '..', '..', 'dist', 'vertexTrainer.js')];
  return candidates.find((path) => existsSync(path));
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const dataDir = options.dataDir ?? defaultSandboxDir();
  const running = readSandboxInfo(dataDir);
  if (running && running.pid !== process.pid) {
    throw new UserError(`A sandbox (pid ${running.pid}) already runs from ${dataDir} at ${running.apiEndpoint}: use it, or stop it with \`model-studio sandbox stop\``);
  }
  mkdirSync(dataDir, { recursive: true });
  let requestStop: (reason: StopReason) => void = () => undefined;
  const stopRequested = new Promise<StopReason>((resolve) => (requestStop = resolve));
  const idleMinutes = options.idleMinutes && options.idleMinutes > 0 ? options.idleMinutes : undefined;
  const idle = new IdleWatch(idleMinutes && idleMinutes * 60_000, () => requestStop('no requests for the idle minutes'));
  const onRequest = (): (() => void) => idle.begin();
  const storage = await startStorageServer({ dataDir: join(dataDir, 'storage'), port: options.storagePort ?? 0, onRequest });
  let vertex: VertexSandbox | undefined;
  let control: ControlServer;
  try {
    control = await startControlServer({
      status: () => ({ pid: process.pid, idleForMs: idle.idleFor(), requestsInFlight: idle.requestsInFlight, idleMinutes, revision: vertex?.revision ?? 0 }),
      onShutdown: () => requestStop('a shutdown request'),
    });
  } catch (error) {
    idle.close();
    await storage.close();
    throw error;
  }
  try {
    const client = new Storage({ apiEndpoint: storage.url, projectId: SANDBOX_PROJECT });
    vertex = await startVertexSandbox({
      stateDir: join(dataDir, 'vertex'),
      port: options.vertexPort ?? 0,
      operationDelayMs: options.operationDelayMs,
      loadModel: servingModelLoader(client),
      listArtifacts: artifactLister(client),
      faults: options.faults,
      log: options.log,
      trainerPath: options.trainerPath ?? vertexTrainerBundle(),
      storageUrl: storage.url,
      jobQueueDelayMs: options.jobQueueDelayMs,
      onCall: onRequest,
    });
  } catch (error) {
    idle.close();
    await Promise.all([storage.close(), control.close()]);
    throw error;
  }
  const started = vertex;
  const info: SandboxInfo = {
    pid: process.pid,
    apiEndpoint: started.address,
    storageEndpoint: storage.url,
    project: SANDBOX_PROJECT,
    region: SANDBOX_REGION,
    dataDir,
    startedAt: new Date().toISOString(),
    control: control.control,
    ...(idleMinutes ? { idleMinutes } : {}),
  };
  const infoPath = join(dataDir, INFO_FILE);
  // Owner-only: it holds the control token.
  writeFileSync(`${infoPath}.tmp`, JSON.stringify(info, null, 2), { mode: 0o600 });
  renameSync(`${infoPath}.tmp`, infoPath);
  return {
    info,
    vertex: started,
    storage,
    stopRequested,
    close: async () => {
      idle.close();
      try {
        const current = JSON.parse(readFileSync(infoPath, 'utf8')) as SandboxInfo;
        if (current.pid === process.pid && current.apiEndpoint === info.apiEndpoint) rmSync(infoPath, { force: true });
      } catch {
        // Already gone.
      }
      // Vertex first: its training jobs' trainers save a checkpoint and copy it to storage as they stop.
      await started.close();
      await Promise.all([storage.close(), control.close()]);
    },
  };
}
