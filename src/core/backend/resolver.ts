// Finding and loading the native TensorFlow packages. They cannot be bundled
// (they carry a compiled binding and libtensorflow), so they are resolved at
// run time from a list of folders. Tests inject their own NativeResolver,
// because the native packages cannot be installed on every machine.
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import type { Tf } from './types';
import { detectCudaGpu, type GpuInfo } from './gpu';

export { parseNvidiaSmi, parseProcGpuInformation, type GpuInfo } from './gpu';

export type NativePackage = '@tensorflow/tfjs-node' | '@tensorflow/tfjs-node-gpu';

export interface NativeResolver {
  /** Folder of the package when it resolves from one of the dirs (first wins), else undefined. */
  resolve(pkg: NativePackage, searchDirs: readonly string[]): string | undefined;
  /** The first CUDA GPU, or undefined when the machine has none. */
  detectGpu(): GpuInfo | undefined | Promise<GpuInfo | undefined>;
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

export const defaultResolver: NativeResolver = {
  resolve(pkg, searchDirs) {
    for (const dir of searchDirs) {
      const found = resolvePackageDir(pkg, dir);
      if (found) return found;
    }
    return undefined;
  },
  detectGpu() {
    return detectCudaGpu();
  },
  load(packageDir) {
    return createRequire(join(packageDir, 'package.json'))(packageDir) as Tf;
  },
};
