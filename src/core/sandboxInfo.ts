// Where a running sandbox listens, read from the sandbox.json it writes into
// its data folder. Light on purpose (no servers, no TF.js): the CLI's cloud
// commands and the extension read it to find their default target.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { isProcessAlive } from './runStore';

/** Project and region the sandbox targets by default (it accepts any). */
export const SANDBOX_PROJECT = 'model-studio-sandbox';
export const SANDBOX_REGION = 'us-central1';
/** The image URI models pushed to the sandbox record; the sandbox runs the serving code in-process. */
export const SANDBOX_SERVING_IMAGE = 'model-studio/tfjs-serving:local';
/** The bucket `models upload` uses on the sandbox when none is given. */
export const SANDBOX_BUCKET = 'gs://model-studio-sandbox';
export const INFO_FILE = 'sandbox.json';

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
  /** Where `sandbox stop` and the extension ask it to shut down (absent in sandboxes from before 0.1.1). */
  control?: SandboxControl;
  /** It stops itself after this many minutes without a request; absent: it runs until stopped. */
  idleMinutes?: number;
}

/** The sandbox's control endpoint: HTTP on 127.0.0.1, every call with `Authorization: Bearer TOKEN`. */
export interface SandboxControl {
  /** http://127.0.0.1:PORT */
  url: string;
  /** Random per start; sandbox.json is readable only by its owner. */
  token: string;
}

/** $MODEL_STUDIO_SANDBOX_DIR, else ~/.model-studio/sandbox. */
export function defaultSandboxDir(): string {
  return process.env.MODEL_STUDIO_SANDBOX_DIR || join(homedir(), '.model-studio', 'sandbox');
}

/** What `sandbox status --json` may print: the info without the control token. */
export function publicSandboxInfo(info: SandboxInfo): Omit<SandboxInfo, 'control'> & { controlUrl?: string } {
  const { control, ...rest } = info;
  return control ? { ...rest, controlUrl: control.url } : rest;
}

/**
 * Whether the process has ended. A zombie has: it only waits for its parent
 * to reap it, and a detached sandbox's parent is whatever adopted it (in a
 * container that may never reap). Linux shows the state in /proc/PID/stat.
 */
export function hasExited(pid: number): boolean {
  if (!isProcessAlive(pid)) return true;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 3, after the command name in parentheses (which may hold spaces or ')').
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z';
  } catch {
    return false;
  }
}

/** The running sandbox recorded in `dataDir`, or undefined when none runs there. */
export function readSandboxInfo(dataDir = defaultSandboxDir()): SandboxInfo | undefined {
  try {
    const info = JSON.parse(readFileSync(join(dataDir, INFO_FILE), 'utf8')) as SandboxInfo;
    return typeof info.pid === 'number' && !hasExited(info.pid) ? info : undefined;
  } catch {
    return undefined;
  }
}
