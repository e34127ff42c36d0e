// Where native TensorFlow packages are looked for, in order: the user's
// workspace, Model Studio's own install (its optional dependency), and the
// folder that the extension installs the native backend into on request.
import { resolve } from 'node:path';

export const NATIVE_DIR_ENV = 'MODEL_STUDIO_NATIVE_DIR';

export interface SearchDirOptions {
  /** The user's workspace folder; defaults to the current directory. */
  workspace?: string;
  /** Folder the extension installs native packages into; defaults to $MODEL_STUDIO_NATIVE_DIR. */
  nativeDir?: string;
}

export function defaultSearchDirs(options: SearchDirOptions = {}): string[] {
  // __dirname is dist/ in the bundles and src/core/backend under tsx: both
  // resolve from Model Studio's own node_modules.
  const dirs = [resolve(options.workspace ?? process.cwd()), __dirname];
  const nativeDir = options.nativeDir ?? process.env[NATIVE_DIR_ENV];
  if (nativeDir) dirs.push(resolve(nativeDir));
  return [...new Set(dirs)];
}
