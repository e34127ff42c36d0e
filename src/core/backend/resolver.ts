// Finding and loading the native TensorFlow packages. They cannot be bundled
// (they carry a compiled binding and libtensorflow), so they are resolved at
// run time from a list of folders. Tests inject their own NativeResolver,
// because the native packages cannot be installed on every machine.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import type { Tf } from './types';

export type NativePackage = '@tensorflow/tfjs-node' | '@tensorflow/tfjs-node-gpu';

export interface GpuInfo {
  name: string;
  /** Total memory in MiB, when the driver reports it. */
  memoryMiB?: number;
}

export interface NativeResolver {
  /** Folder of the package when it resolves from one of the dirs (first wins), else undefined. */
  resolve(pkg: NativePackage, searchDirs: readonly string[]): string | undefined;
  /** The first CUDA GPU, or undefined when the machine has none. */
  detectGpu(): GpuInfo | undefined;
  /** Loads the package at the folder; the module is the `tf` namespace. Throws when it cannot load. */
  load(packageDir: string): Tf;
}

/** Resolves `pkg` as code in `dir` would: dir/node_modules, then its parents'. */
export function resolvePackageDir(pkg: string, dir: string): string | undefined {
  try {
    const requireFromDir = createRequire(join(resolve(dir), 'noop.js'));
    return dirname(requireFromDir.resolve(`${pkg}/package.json`));
  } catch {
    return undefined;
  }
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

function gpuFromNvidiaSmi(): GpuInfo | undefined {
  try {
    const output = execFileSync(
      'nvidia-smi',
      ['--query-gpu=name,memory.total', '--format=csv,noheader,nounits'],
      { encoding: 'utf8', timeout: 5000, stdio: ['ignore', 'pipe', 'ignore'] },
    );
    return parseNvidiaSmi(output);
  } catch {
    return undefined;
  }
}

function gpuFromProc(root = '/proc/driver/nvidia'): GpuInfo | undefined {
  if (!existsSync(root)) return undefined;
  try {
    for (const bus of readdirSync(join(root, 'gpus'))) {
      const info = parseProcGpuInformation(readFileSync(join(root, 'gpus', bus, 'information'), 'utf8'));
      if (info) return info;
    }
  } catch {
    // The driver folder exists but lists no readable GPU: still an NVIDIA driver.
  }
  return { name: 'NVIDIA GPU' };
}

export const defaultResolver: NativeResolver = {
  resolve(pkg, searchDirs) {
    for (const dir of searchDirs) {
      const found = resolvePackageDir(pkg, dir);
      if (found) return found;
    }
    return undefined;
  },
  detectGpu() {
    return gpuFromNvidiaSmi() ?? gpuFromProc();
  },
  load(packageDir) {
    return createRequire(join(packageDir, 'package.json'))(packageDir) as Tf;
  },
};
