// Replaces a folder (a model, a checkpoint) so that a kill at any moment
// leaves one complete copy to find at the next start, never a half-written
// one in its place:
//   1. write every file into DIR.saving-ID and fsync it (a kill here: the
//      partial copy is only ever deleted);
//   2. rename it to DIR.ready-ID: complete from now on;
//   3. rename the current DIR to DIR.old-ID (if there is one);
//   4. rename DIR.ready-ID to DIR;
//   5. delete DIR.old-ID.
// recoverFolder() runs at the next start: it promotes the newest complete
// copy (ready, else DIR, else old) to DIR and deletes the rest. Readers only
// ever open DIR itself; the temporary names are never a checkpoint or a model.
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export type ReplaceStep = 'written' | 'ready' | 'setAside' | 'replaced';

export interface ReplaceOptions {
  /** Called after each step; tests throw here to stand for a kill at that point. */
  afterStep?: (step: ReplaceStep) => void | Promise<void>;
}

type TempKind = 'saving' | 'ready' | 'old';
// The random part is absent from the leftovers of older versions (DIR.saving-PID, DIR.old-PID).
const TEMP_PATTERN = /\.(saving|ready|old)-[0-9]+(?:-[0-9a-f]+)?$/;

/** True for the temporary names this protocol uses: never read them as content. */
export function isTempFolderName(name: string): boolean {
  return TEMP_PATTERN.test(name);
}

/** Writes a new copy of `dir` with `write(staging)` and swaps it in (steps above). */
export async function replaceFolder(dir: string, write: (staging: string) => Promise<void>, options: ReplaceOptions = {}): Promise<void> {
  const id = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const temp = (kind: TempKind): string => `${dir}.${kind}-${id}`;
  const parent = dirname(dir);
  await mkdir(parent, { recursive: true });
  const staging = temp('saving');
  await mkdir(staging);
  await write(staging);
  await syncPath(staging);
  await options.afterStep?.('written');
  await rename(staging, temp('ready'));
  await syncPath(parent);
  await options.afterStep?.('ready');
  const hadOld = await renameIfExists(dir, temp('old'));
  await options.afterStep?.('setAside');
  await rename(temp('ready'), dir);
  await syncPath(parent);
  await options.afterStep?.('replaced');
  if (hadOld) await rm(temp('old'), { recursive: true, force: true });
}

/**
 * Puts the newest complete copy of `dir` in place after a kill mid-save and
 * deletes the leftovers. Only when no process is writing this folder (the
 * next start of a run, or a reader of a run that is not training).
 */
export async function recoverFolder(dir: string): Promise<void> {
  const parent = dirname(dir);
  const leftovers = await tempCopies(parent, basename(dir));
  if (leftovers.length === 0) return;
  const newest = (kind: TempKind): string | undefined => leftovers.filter((l) => l.kind === kind).sort((a, b) => b.mtimeMs - a.mtimeMs)[0]?.path;
  const ready = newest('ready');
  const old = newest('old');
  const present = await isDirectory(dir);
  const promote = ready ?? (present ? undefined : old);
  if (promote) {
    if (present) await rm(dir, { recursive: true, force: true });
    await rename(promote, dir);
    await syncPath(parent);
  }
  for (const leftover of leftovers) {
    if (leftover.path !== promote) await rm(leftover.path, { recursive: true, force: true });
  }
}

/** Recovers every folder of `parent` that has leftovers of an interrupted save (the checkpoints of a run). */
export async function recoverFoldersIn(parent: string): Promise<void> {
  let names: string[];
  try {
    names = await readdir(parent);
  } catch {
    return;
  }
  const bases = new Set(names.filter(isTempFolderName).map((name) => name.replace(TEMP_PATTERN, '')));
  for (const base of bases) await recoverFolder(join(parent, base));
}

/** Opens a file for writing, writes it and flushes it to disk before returning. */
export async function writeFileSynced(path: string, data: string | Uint8Array): Promise<void> {
  const handle = await open(path, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

interface TempCopy {
  path: string;
  kind: TempKind;
  mtimeMs: number;
}

async function tempCopies(parent: string, base: string): Promise<TempCopy[]> {
  let names: string[];
  try {
    names = await readdir(parent);
  } catch {
    return [];
  }
  const copies: TempCopy[] = [];
  for (const name of names) {
    const match = TEMP_PATTERN.exec(name);
    if (!match || name.slice(0, match.index) !== base) continue;
    const path = join(parent, name);
    const info = await stat(path).catch(() => undefined);
    if (info) copies.push({ path, kind: match[1] as TempKind, mtimeMs: info.mtimeMs });
  }
  return copies;
}

async function renameIfExists(from: string, to: string): Promise<boolean> {
  try {
    await rename(from, to);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

async function isDirectory(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
}

/** fsync of a folder makes its renames durable; Windows cannot open folders, where this is a no-op. */
async function syncPath(path: string): Promise<void> {
  let handle;
  try {
    handle = await open(path, 'r');
    await handle.sync();
  } catch {
    // EISDIR/EPERM on Windows: renames there are durable by the file system's own journal.
  } finally {
    await handle?.close();
  }
}
