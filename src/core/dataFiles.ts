// File access for the loaders: every missing or unreadable file becomes a
// one-line UserError that names the file and says what to check.
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { UserError } from '../shared/errors';

export function resolveDataPath(baseDir: string, path: string): string {
  return isAbsolute(path) ? path : resolve(baseDir, path);
}

/** Reads a whole file in one call (the data sets here are read whole anyway). */
export function readDataFile(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw fileError(path, error);
  }
}

export function fileError(path: string, error: unknown): UserError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') {
    return new UserError(
      `Data file not found: ${path}; fix the path in the spec's "data" section (relative paths start at the spec's folder)`,
    );
  }
  if (code === 'EISDIR') return new UserError(`Expected a file but found a folder: ${path}; point the spec's "data" at a file`);
  if (code === 'EACCES' || code === 'EPERM') return new UserError(`Cannot read ${path}: permission denied; make the file readable`);
  return new UserError(`Cannot read ${path}: ${(error as Error).message}`);
}

/** Unpacks gzip when the bytes start with its magic number (1f 8b), else returns them as they are. */
export function gunzipIfNeeded(bytes: Buffer, path: string): Buffer {
  if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  try {
    return gunzipSync(bytes);
  } catch (error) {
    throw new UserError(`${path} looks gzipped but does not unpack (${(error as Error).message}); download it again`);
  }
}
