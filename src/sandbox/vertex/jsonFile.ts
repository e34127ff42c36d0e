// How the sandbox keeps its state files: JSON read whole at start, written
// whole through a temporary file renamed into place, so a crash never leaves
// half a file behind.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { UserError } from '../../shared/errors';

/** The JSON in `path`, or undefined when there is no file to read yet; text that is not JSON is a UserError saying `damaged`. */
export function readJsonFile(path: string, damaged: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new UserError(damaged);
  }
}

export function writeJsonFile(path: string, value: unknown): void {
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify(value, null, 1));
  renameSync(temp, path);
}
