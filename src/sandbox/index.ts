// The local sandbox, the default cloud until the user picks a Google Cloud
// project: a Cloud-Storage-compatible HTTP server and a Vertex-AI-compatible
// gRPC server on 127.0.0.1 with random ports, their state under one folder.
// A small sandbox.json in that folder tells `sandbox status|stop`, the CLI's
// cloud commands and the extension where the running sandbox listens.
import { Storage } from '@google-cloud/storage';
import { mkdirSync, readFileSync, rmSync, writeFileSync, renameSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { startStorageServer, type StorageServer } from './storage';
import type { FaultRule } from './vertex/faults';
import { startVertexSandbox, type VertexSandbox } from './vertex/server';
import { artifactLister, servingModelLoader } from './vertex/serving-loader';

/** Project and region the sandbox targets by default (it accepts any). */
export const SANDBOX_PROJECT = 'model-studio-sandbox';
export const SANDBOX_REGION = 'us-central1';
/** The image URI models pushed to the sandbox record; the sandbox runs the serving code in-process. */
export const SANDBOX_SERVING_IMAGE = 'model-studio/tfjs-serving:local';
const INFO_FILE = 'sandbox.json';

export interface SandboxInfo {
  pid: number;
  /** HOST:PORT of the Vertex AI gRPC server. */
  apiEndpoint: string;
  /** http://127.0.0.1:PORT of the storage server. */
  storageEndpoint: string;
  project: string;
  region: string;
  dataDir: string;
  startedAt: string;
}

export interface SandboxOptions {
  /** Folder for all state; default defaultSandboxDir(). */
  dataDir?: string;
  vertexPort?: number;
  storagePort?: number;
  /** Duration of long-running operations; default 300 ms. */
  operationDelayMs?: number;
  faults?: FaultRule[];
  log?: (line: string) => void;
}

export interface Sandbox {
  info: SandboxInfo;
  vertex: VertexSandbox;
  storage: StorageServer;
  close(): Promise<void>;
}

/** $MODEL_STUDIO_SANDBOX_DIR, else ~/.model-studio/sandbox. */
export function defaultSandboxDir(): string {
  return process.env.MODEL_STUDIO_SANDBOX_DIR || join(homedir(), '.model-studio', 'sandbox');
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The running sandbox recorded in `dataDir`, or undefined when none runs. */
export function readSandboxInfo(dataDir = defaultSandboxDir()): SandboxInfo | undefined {
  try {
    const info = JSON.parse(readFileSync(join(dataDir, INFO_FILE), 'utf8')) as SandboxInfo;
    return typeof info.pid === 'number' && isAlive(info.pid) ? info : undefined;
  } catch {
    return undefined;
  }
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const dataDir = options.dataDir ?? defaultSandboxDir();
  const running = readSandboxInfo(dataDir);
  if (running && running.pid !== process.pid) {
    throw new Error(`A sandbox (pid ${running.pid}) already uses ${dataDir}, at ${running.apiEndpoint}`);
  }
  mkdirSync(dataDir, { recursive: true });
  const storage = await startStorageServer({ dataDir: join(dataDir, 'storage'), port: options.storagePort ?? 0 });
  let vertex: VertexSandbox;
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
    });
  } catch (error) {
    await storage.close();
    throw error;
  }
  const info: SandboxInfo = {
    pid: process.pid,
    apiEndpoint: vertex.address,
    storageEndpoint: storage.url,
    project: SANDBOX_PROJECT,
    region: SANDBOX_REGION,
    dataDir,
    startedAt: new Date().toISOString(),
  };
  const infoPath = join(dataDir, INFO_FILE);
  writeFileSync(`${infoPath}.tmp`, JSON.stringify(info, null, 2));
  renameSync(`${infoPath}.tmp`, infoPath);
  return {
    info,
    vertex,
    storage,
    close: async () => {
      try {
        const current = JSON.parse(readFileSync(infoPath, 'utf8')) as SandboxInfo;
        if (current.pid === process.pid && current.apiEndpoint === info.apiEndpoint) rmSync(infoPath, { force: true });
      } catch {
        // Already gone.
      }
      await Promise.all([vertex.close(), storage.close()]);
    },
  };
}
