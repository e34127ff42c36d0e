// Small file helpers: atomic JSON writes, hashing a file, and streaming a
// request body into a file under a size limit while hashing it.
import { createHash, type Hash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { Crc32c } from './crc32c';
import { tooLarge } from './errors';

export interface Hashes {
  md5Hash: string;
  crc32c: string;
  size: number;
}

export class Hasher {
  private readonly md5: Hash = createHash('md5');
  private readonly crc = new Crc32c();
  size = 0;

  update(chunk: Uint8Array): void {
    this.md5.update(chunk);
    this.crc.update(chunk);
    this.size += chunk.length;
  }

  digest(): Hashes {
    return { md5Hash: this.md5.digest('base64'), crc32c: this.crc.base64(), size: this.size };
  }
}

/** Writes JSON so that a crash leaves either the old or the new file, never half of one. */
export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await writeFile(tmp, JSON.stringify(value));
  await rename(tmp, path);
}

export async function readJson(path: string): Promise<unknown> {
  return JSON.parse(await readFile(path, 'utf8')) as unknown;
}

export async function hashFile(path: string, start = 0, end?: number): Promise<Hashes> {
  const hasher = new Hasher();
  const stream = createReadStream(path, end === undefined ? { start } : { start, end: end - 1 });
  for await (const chunk of stream) hasher.update(chunk as Buffer);
  return hasher.digest();
}

/**
 * Streams `source` into `path` (appending when `append`), refusing more than
 * `maxBytes`. Returns the number of bytes written. Skips the first `skip`
 * bytes (a resumable client re-sending bytes the server already has).
 */
export async function streamToFile(
  source: Readable,
  path: string,
  options: {
    maxBytes: number;
    /** The 413 message when more than maxBytes arrive; by default it names maxBytes as the object size limit. */
    tooLargeMessage?: string;
    append?: boolean;
    skip?: number;
    hasher?: Hasher;
  },
): Promise<number> {
  const out = createWriteStream(path, { flags: options.append ? 'a' : 'w' });
  let written = 0;
  let toSkip = options.skip ?? 0;
  try {
    for await (const raw of source) {
      let chunk = raw as Buffer;
      if (toSkip > 0) {
        const dropped = Math.min(toSkip, chunk.length);
        chunk = chunk.subarray(dropped);
        toSkip -= dropped;
      }
      if (chunk.length === 0) continue;
      written += chunk.length;
      if (written > options.maxBytes) {
        throw tooLarge(options.tooLargeMessage ?? `Upload exceeds the maximum object size of ${options.maxBytes} bytes.`);
      }
      options.hasher?.update(chunk);
      if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
    }
  } finally {
    await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
  }
  return written;
}

/** Reads a whole body as a Buffer, refusing more than `maxBytes`. */
export async function readBody(source: Readable, maxBytes: number, what: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of source) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw tooLarge(`${what} exceeds ${maxBytes} bytes.`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export async function removeQuietly(path: string): Promise<void> {
  await rm(path, { force: true, recursive: true }).catch(() => undefined);
}
