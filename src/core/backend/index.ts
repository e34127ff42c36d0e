// Picks and starts the TF.js backend for a run. `auto` takes the fastest the
// machine has: native TensorFlow on a CUDA GPU, native TensorFlow on the CPU,
// WebAssembly, then pure JavaScript. A forced choice that is unavailable is
// the user's to fix, so it fails with a one-line UserError that says how.
import type { BackendChoice, BackendInfo, BackendName } from '../../shared/events';
import { UserError, errorMessage } from '../../shared/errors';
import { cpuDescription, gpuDescription } from './device';
import { defaultResolver, type NativePackage, type NativeResolver } from './resolver';
import { defaultSearchDirs } from './searchDirs';
import { applyIntraOpThreads, threadsDescription, type ThreadChoice } from './threads';
import type { LoadedBackend, Tf } from './types';
import { activateWasm, wasmFlavour } from './wasm';
import { installWasmKernels } from './wasmKernels/index';

export type { LoadedBackend, Tf } from './types';
export type { GpuInfo, NativePackage, NativeResolver } from './resolver';
export { defaultResolver, resolvePackageDir } from './resolver';
export { defaultSearchDirs, NATIVE_DIR_ENV, type SearchDirOptions } from './searchDirs';
export { installWasmKernels } from './wasmKernels/index';
export { INTRA_OP_THREADS_ENV, type ThreadChoice } from './threads';

export interface LoadBackendOptions {
  /** Folders to resolve native packages from, in order; see defaultSearchDirs. */
  searchDirs?: string[];
  resolver?: NativeResolver;
  log?: (message: string) => void;
  /** Folder with the .wasm binaries; found next to the bundle or in the package by default. */
  wasmFilesDir?: string;
  /** What native TensorFlow's threads are chosen from (./threads.ts): the run's largest layer; tests give the machine too. */
  threads?: ThreadChoice;
}

const NATIVE_CPU: NativePackage = '@tensorflow/tfjs-node';
const NATIVE_GPU: NativePackage = '@tensorflow/tfjs-node-gpu';

export const NATIVE_MISSING_MESSAGE =
  'The native TensorFlow backend is not installed: run `npm install @tensorflow/tfjs-node` in the workspace, ' +
  "or use the command 'Model Studio: Install Native TensorFlow Backend'";

export async function loadBackend(choice: BackendChoice, options: LoadBackendOptions = {}): Promise<LoadedBackend> {
  const resolver = options.resolver ?? defaultResolver;
  const searchDirs = options.searchDirs ?? defaultSearchDirs();
  const log = options.log ?? ((): void => {});
  const search = { resolver, searchDirs, log, threads: options.threads };
  switch (choice) {
    case 'tensorflow': {
      const found = await findNative(search);
      if ('tf' in found) return found;
      throw new UserError(found.failure ?? NATIVE_MISSING_MESSAGE, searchDirs.join('\n'));
    }
    case 'wasm':
      try {
        return await loadWasm(options.wasmFilesDir);
      } catch (error) {
        throw new UserError(
          `The WebAssembly backend could not start: ${errorMessage(error)}. Reinstall Model Studio, or use --backend cpu`,
        );
      }
    case 'cpu':
      return loadCpu();
    case 'auto': {
      const found = await findNative(search);
      if ('tf' in found) return found;
      if (found.failure) log(`${found.failure}; using WebAssembly instead`);
      try {
        return await loadWasm(options.wasmFilesDir);
      } catch (error) {
        log(`The WebAssembly backend could not start (${errorMessage(error)}); using the pure JavaScript backend`);
        return loadCpu();
      }
    }
    default:
      throw new UserError(`Unknown backend '${String(choice)}': use auto, tensorflow, wasm or cpu`);
  }
}

interface NativeMiss {
  /** Why a native package that was found did not load; undefined when none was found. */
  failure?: string;
}

interface NativeSearch {
  resolver: NativeResolver;
  searchDirs: readonly string[];
  log: (message: string) => void;
  threads?: ThreadChoice;
}

/** The GPU package when a CUDA GPU is present, else the CPU package, else a miss. */
async function findNative({ resolver, searchDirs, log, threads: choice }: NativeSearch): Promise<LoadedBackend | NativeMiss> {
  let failure: string | undefined;
  const gpuDir = resolver.resolve(NATIVE_GPU, searchDirs);
  if (gpuDir !== undefined) {
    const gpu = await resolver.detectGpu();
    if (gpu === undefined) {
      log(`${NATIVE_GPU} is installed at ${gpuDir} but no CUDA GPU was found; not using it`);
    } else {
      try {
        const { tf, threads } = await activateNative(resolver, gpuDir, choice);
        const facts = nativeFacts(tf);
        if (facts.usingGpu === false) {
          // tfjs-node-gpu runs on the CPU when CUDA or cuDNN cannot be loaded; say so rather than name the GPU.
          log(`${NATIVE_GPU} found no usable CUDA device (are CUDA 11.2 and cuDNN 8.1 installed?); TensorFlow runs on the CPU`);
          const device = withVersion(`${cpuDescription()}, the GPU ${gpu.name} unused`, facts) + threads;
          return { tf, info: info(tf, 'tensorflow-gpu', device, gpuDir) };
        }
        return { tf, info: info(tf, 'tensorflow-gpu', withVersion(gpuDescription(gpu), facts) + threads, gpuDir) };
      } catch (error) {
        failure = loadFailure(NATIVE_GPU, gpuDir, error);
        log(failure);
      }
    }
  }
  const cpuDir = resolver.resolve(NATIVE_CPU, searchDirs);
  if (cpuDir !== undefined) {
    try {
      const { tf, threads } = await activateNative(resolver, cpuDir, choice);
      return { tf, info: info(tf, 'tensorflow', withVersion(cpuDescription(), nativeFacts(tf)) + threads, cpuDir) };
    } catch (error) {
      failure = loadFailure(NATIVE_CPU, cpuDir, error);
    }
  }
  return { failure };
}

function loadFailure(pkg: NativePackage, dir: string, error: unknown): string {
  const reason = errorMessage(error).split('\n')[0] ?? 'unknown error';
  return `The native TensorFlow backend ${pkg} at ${dir} failed to load (${reason}): reinstall it with \`npm install ${pkg}\``;
}

/** Loads a native package; `threads` is the device description's part about TensorFlow's threads. */
async function activateNative(
  resolver: NativeResolver,
  packageDir: string,
  choice: ThreadChoice | undefined,
): Promise<{ tf: Tf; threads: string }> {
  // TensorFlow's C++ info lines (CPU feature notes) would land on stderr at every run; warnings and errors still do.
  process.env.TF_CPP_MIN_LOG_LEVEL ??= '2';
  // Before the load: TensorFlow reads its thread settings once, as it starts.
  const threads = threadsDescription(applyIntraOpThreads(choice));
  const tf = resolver.load(packageDir);
  // tfjs-node registers and prefers its 'tensorflow' backend on load; make sure.
  if (tf.getBackend() !== 'tensorflow' && !(await tf.setBackend('tensorflow'))) {
    throw new Error("it registered no 'tensorflow' backend");
  }
  await tf.ready();
  return { tf, threads };
}

interface NativeFacts {
  /** The TensorFlow C library's version, e.g. "2.9.1" (what tfjs-node downloads) or "2.21.0". */
  version?: string;
  /** Whether TensorFlow placed its eager context on a GPU. */
  usingGpu?: boolean;
}

/** What tfjs-node's backend reports about the TensorFlow library under it. */
function nativeFacts(tf: Tf): NativeFacts {
  const backend = tf.backend() as unknown as { binding?: { TF_Version?: unknown }; isUsingGpuDevice?: unknown };
  const version = backend.binding?.TF_Version;
  return {
    version: typeof version === 'string' ? version : undefined,
    usingGpu: typeof backend.isUsingGpuDevice === 'boolean' ? backend.isUsingGpuDevice : undefined,
  };
}

function withVersion(device: string, facts: NativeFacts): string {
  return facts.version ? `${device}, TensorFlow ${facts.version}` : device;
}

async function bundledTf(): Promise<Tf> {
  const tf = await import('@tensorflow/tfjs');
  // PROD skips debug checks and the "install tfjs-node" banner: we choose backends ourselves.
  tf.env().set('PROD', true);
  return tf;
}

async function loadWasm(filesDir?: string): Promise<LoadedBackend> {
  const tf = await bundledTf();
  await activateWasm(tf, filesDir === undefined ? undefined : [filesDir]);
  installWasmKernels(tf);
  return { tf, info: info(tf, 'wasm', `${cpuDescription()}, ${await wasmFlavour(tf)}`) };
}

async function loadCpu(): Promise<LoadedBackend> {
  const tf = await bundledTf();
  if (!(await tf.setBackend('cpu'))) throw new Error('the pure JavaScript backend failed to start');
  return { tf, info: info(tf, 'cpu', `${cpuDescription()}, pure JavaScript`) };
}

function info(tf: Tf, name: BackendName, device: string, loadedFrom?: string): BackendInfo {
  const version = tf.version.tfjs ?? tf.version['tfjs-core'];
  return loadedFrom === undefined ? { name, device, version } : { name, device, version, loadedFrom };
}
