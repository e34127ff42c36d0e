// The WebAssembly backend. Its .wasm binaries are copied next to the bundles
// by scripts/build.mjs; from sources (tsx) they come from the installed
// package. Node has no wasm threads here, so it runs on one core.
import { existsSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import type { Tf } from './types';
import { errorMessage } from '../../shared/errors';

const WASM_FILE = 'tfjs-backend-wasm.wasm';

/** Folder that holds the .wasm binaries, or undefined when none is found. */
export function wasmFilesDir(candidates: readonly string[] = defaultWasmDirs()): string | undefined {
  return candidates.find((dir) => existsSync(join(dir, WASM_FILE)));
}

export function defaultWasmDirs(): string[] {
  const dirs = [__dirname];
  try {
    dirs.push(dirname(require.resolve(`@tensorflow/tfjs-backend-wasm/dist/${WASM_FILE}`)));
  } catch {
    // Bundled without node_modules: only the copies next to the bundle exist.
  }
  return dirs;
}

/**
 * Makes wasm the active backend of the bundled `tf`. Throws an Error that
 * says why when it cannot start.
 */
export async function activateWasm(tf: Tf, candidates: readonly string[] = defaultWasmDirs()): Promise<void> {
  const filesDir = wasmFilesDir(candidates);
  if (filesDir === undefined) {
    throw new Error(`its ${WASM_FILE} file is in none of ${candidates.join(', ')}`);
  }
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  try {
    // The prefix is concatenated with the file names, so it needs the separator.
    wasm.setWasmPaths(filesDir.endsWith(sep) ? filesDir : filesDir + sep);
  } catch {
    // setWasmPaths refuses once a start has aborted; the module stays broken.
    throw new Error('an earlier attempt to start it failed in this process');
  }
  let ok: boolean;
  try {
    ok = await tf.setBackend('wasm');
  } catch (error) {
    throw new Error(errorMessage(error));
  }
  if (!ok) throw new Error(`initialisation of the wasm binary from ${filesDir} failed`);
}

/** "WebAssembly SIMD, 1 thread", or without SIMD, as the running backend reports it. */
export async function wasmFlavour(tf: Tf): Promise<string> {
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  return simd ? 'WebAssembly SIMD, 1 thread' : 'WebAssembly, 1 thread';
}
