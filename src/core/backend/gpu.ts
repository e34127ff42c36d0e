// Whether the machine has a CUDA GPU that @tensorflow/tfjs-node-gpu could
// use, told per platform. Linux and Windows ask nvidia-smi, which the NVIDIA
// driver installs (on PATH; on Windows also in System32 or, with older
// drivers, NVSMI); Linux then falls back to the driver's /proc files. macOS
// has no CUDA (and tfjs-node-gpu no macOS build), nor does any other platform.
// The host is injected so that tests cover every platform on one machine.
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import * as path from 'node:path';

export interface GpuInfo {
  name: string;
  /** Total memory in MiB, when the driver reports it. */
  memoryMiB?: number;
}

export interface GpuProbeHost {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  /** A program's stdout, or undefined when it is missing, fails or times out. */
  run(file: string, args: readonly string[]): Promise<string | undefined>;
  /** A file's text, or undefined when it cannot be read. */
  readText(file: string): Promise<string | undefined>;
  /** A folder's entries, or undefined when it does not exist. */
  list(folder: string): Promise<string[] | undefined>;
}

/** Where to look on a platform: nvidia-smi programs to try in order, then the Linux driver's folder. */
export interface GpuProbePlan {
  nvidiaSmi: string[];
  procDriverDir?: string;
}

const QUERY = ['--query-gpu=name,memory.total', '--format=csv,noheader,nounits'];

/** Windows environment names are case-insensitive; an injected env object is not. */
function envValue(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const key = Object.keys(env).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : env[key];
}

export function gpuProbePlan(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): GpuProbePlan {
  if (platform === 'linux') return { nvidiaSmi: ['nvidia-smi'], procDriverDir: '/proc/driver/nvidia' };
  if (platform === 'win32') {
    const systemRoot = envValue(env, 'SystemRoot') ?? 'C:\\Windows';
    const programFiles = envValue(env, 'ProgramW6432') ?? envValue(env, 'ProgramFiles') ?? 'C:\\Program Files';
    return {
      nvidiaSmi: [
        'nvidia-smi.exe',
        path.win32.join(systemRoot, 'System32', 'nvidia-smi.exe'),
        path.win32.join(programFiles, 'NVIDIA Corporation', 'NVSMI', 'nvidia-smi.exe'),
      ],
    };
  }
  return { nvidiaSmi: [] };
}

/** Whether a CUDA GPU can exist on the platform at all (tfjs-node-gpu has builds for Linux and Windows only). */
export function cudaPossible(platform: NodeJS.Platform): boolean {
  return platform === 'linux' || platform === 'win32';
}

/** Parses `nvidia-smi --query-gpu=name,memory.total --format=csv,noheader,nounits`. */
export function parseNvidiaSmi(output: string): GpuInfo | undefined {
  const first = output.split('\n').find((line) => line.trim() !== '');
  if (first === undefined) return undefined;
  const [name, memory] = first.split(',').map((field) => field.trim());
  if (!name) return undefined;
  const memoryMiB = Number(memory);
  return Number.isFinite(memoryMiB) && memoryMiB > 0 ? { name, memoryMiB } : { name };
}

/** Parses /proc/driver/nvidia/gpus/<bus>/information ("Model: \t NVIDIA ..."). */
export function parseProcGpuInformation(text: string): GpuInfo | undefined {
  const model = /^Model:\s*(.+)$/m.exec(text)?.[1]?.trim();
  return model ? { name: model } : undefined;
}

async function gpuFromProc(host: GpuProbeHost, root: string): Promise<GpuInfo | undefined> {
  const buses = await host.list(path.posix.join(root, 'gpus'));
  for (const bus of buses ?? []) {
    const text = await host.readText(path.posix.join(root, 'gpus', bus, 'information'));
    const info = text === undefined ? undefined : parseProcGpuInformation(text);
    if (info) return info;
  }
  // The driver folder exists but lists no readable GPU: still an NVIDIA driver.
  return (await host.list(root)) === undefined ? undefined : { name: 'NVIDIA GPU' };
}

export function nodeGpuProbeHost(): GpuProbeHost {
  return {
    platform: process.platform,
    env: process.env,
    run: (file, args) =>
      new Promise((resolve) => {
        execFile(file, args, { encoding: 'utf8', timeout: 5000, windowsHide: true }, (error, stdout) => resolve(error ? undefined : stdout));
      }),
    readText: (file) => readFile(file, 'utf8').catch(() => undefined),
    list: (folder) => readdir(folder).catch(() => undefined),
  };
}

/** The first CUDA GPU, or undefined when the machine has none (always on macOS). */
export async function detectCudaGpu(host: GpuProbeHost = nodeGpuProbeHost()): Promise<GpuInfo | undefined> {
  const plan = gpuProbePlan(host.platform, host.env);
  for (const program of plan.nvidiaSmi) {
    const output = await host.run(program, QUERY);
    const gpu = output === undefined ? undefined : parseNvidiaSmi(output);
    if (gpu) return gpu;
  }
  return plan.procDriverDir === undefined ? undefined : gpuFromProc(host, plan.procDriverDir);
}
