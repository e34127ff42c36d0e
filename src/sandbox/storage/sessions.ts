// Resumable upload sessions: POST opens one, PUTs append chunks described by
// Content-Range, 308 means "send more", and the last chunk commits the object.
// Sessions live on disk (uploads/<id>.json + <id>.part) so an upload can
// resume after the server restarts, as it can on GCS.
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { badRequest, GcsError, notFound } from './errors';
import { hashFile, readJson, removeQuietly, streamToFile, writeJsonAtomic } from './files';
import type { ObjectFields, ObjectRecord, Preconditions } from './records';
import type { Store } from './store';

const WEEK_MS = 7 * 24 * 3600 * 1000;
const SESSION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface SessionRecord {
  id: string;
  bucket: string;
  name: string;
  fields: ObjectFields;
  conditions: Preconditions;
  expectedSize?: number;
  created: number;
  done?: { generation: number };
}

interface Session {
  record: SessionRecord;
  received: number;
  busy: boolean;
}

export type ChunkResult = { done: false; received: number } | { done: true; object: ObjectRecord };

interface ContentRange {
  start?: number;
  end?: number;
  total?: number;
}

export class Sessions {
  private readonly sessions = new Map<string, Session>();

  private constructor(
    private readonly dir: string,
    private readonly store: Store,
    private readonly maxObjectBytes: number,
  ) {}

  static async open(dataDir: string, store: Store, maxObjectBytes: number): Promise<Sessions> {
    const sessions = new Sessions(join(dataDir, 'uploads'), store, maxObjectBytes);
    await mkdir(sessions.dir, { recursive: true });
    await sessions.load();
    return sessions;
  }

  async create(
    bucket: string,
    name: string,
    fields: ObjectFields,
    conditions: Preconditions,
    expectedSize: number | undefined,
  ): Promise<string> {
    this.store.getBucket(bucket);
    if (expectedSize !== undefined && expectedSize > this.maxObjectBytes) {
      throw new GcsError(413, `Object size ${expectedSize} exceeds the maximum of ${this.maxObjectBytes} bytes.`, 'uploadTooLarge');
    }
    const record: SessionRecord = { id: randomUUID(), bucket, name, fields, conditions, expectedSize, created: Date.now() };
    await writeJsonAtomic(this.jsonPath(record.id), record);
    this.sessions.set(record.id, { record, received: 0, busy: false });
    return record.id;
  }

  /** Appends one request's bytes and commits the object when the last byte is in. */
  async putChunk(id: string, body: Readable, rangeHeader: string | undefined, hashHeader: string | undefined): Promise<ChunkResult> {
    const session = this.get(id);
    const { record } = session;
    if (record.done) {
      body.resume();
      return { done: true, object: this.store.getObject(record.bucket, record.name, record.done.generation) };
    }
    if (session.busy) {
      body.resume();
      throw new GcsError(503, 'Another request is writing to this upload session; retry.', 'backendError');
    }
    session.busy = true;
    try {
      const range = parseContentRange(rangeHeader);
      if (range.total !== undefined && record.expectedSize !== undefined && range.total !== record.expectedSize) {
        throw badRequest(`Content-Range total ${range.total} does not match X-Upload-Content-Length ${record.expectedSize}.`);
      }
      if (range.start !== undefined) {
        if (range.start > session.received) {
          // A gap: report what we have so the client re-sends from there.
          body.resume();
          return { done: false, received: session.received };
        }
        session.received += await this.append(session, body, session.received - range.start);
      } else {
        body.resume();
      }
      const total = range.total ?? (range.start !== undefined && range.end === undefined ? session.received : undefined);
      if (total === undefined || session.received < total) return { done: false, received: session.received };
      if (session.received > total) {
        throw badRequest(`Received ${session.received} bytes but Content-Range declared a total of ${total}.`);
      }
      return { done: true, object: await this.finish(session, hashHeader) };
    } finally {
      session.busy = false;
    }
  }

  received(id: string): number {
    return this.get(id).received;
  }

  async cancel(id: string): Promise<void> {
    this.get(id);
    this.sessions.delete(id);
    await removeQuietly(this.partPath(id));
    await removeQuietly(this.jsonPath(id));
  }

  /** Appends a chunk's new bytes; on failure the part file is cut back to what was acknowledged. */
  private async append(session: Session, body: Readable, skip: number): Promise<number> {
    const part = this.partPath(session.record.id);
    try {
      return await streamToFile(body, part, {
        append: true,
        skip,
        maxBytes: this.maxObjectBytes - session.received,
        tooLargeMessage: `Upload exceeds the maximum object size of ${this.maxObjectBytes} bytes.`,
      });
    } catch (error) {
      // A retry or a resume after restart appends at the acknowledged size.
      await truncate(part, session.received).catch(() => undefined);
      throw error;
    }
  }

  private async finish(session: Session, hashHeader: string | undefined): Promise<ObjectRecord> {
    const { record } = session;
    const part = this.partPath(record.id);
    // An empty object has no part file yet.
    if (session.received === 0) await writeFile(part, '', { flag: 'a' });
    const hashes = await hashFile(part);
    checkClientHashes(hashHeader, hashes.md5Hash, hashes.crc32c);
    const object = await this.store.commitObject(record.bucket, record.name, part, hashes, record.fields, record.conditions);
    record.done = { generation: object.generation };
    await writeJsonAtomic(this.jsonPath(record.id), record);
    return object;
  }

  private get(id: string): Session {
    const session = SESSION_ID.test(id) ? this.sessions.get(id) : undefined;
    if (!session) throw notFound('No such upload session (it may have expired or been cancelled): start a new upload.');
    return session;
  }

  private jsonPath(id: string): string {
    return join(this.dir, `${id}.json`);
  }

  private partPath(id: string): string {
    return join(this.dir, `${id}.part`);
  }

  private async load(): Promise<void> {
    for (const file of await readdir(this.dir)) {
      if (!file.endsWith('.json')) continue;
      const id = file.slice(0, -'.json'.length);
      const record = (await readJson(join(this.dir, file)).catch(() => undefined)) as SessionRecord | undefined;
      if (!SESSION_ID.test(id) || !record || record.id !== id || Date.now() - record.created > WEEK_MS) {
        await removeQuietly(join(this.dir, file));
        await removeQuietly(this.partPath(id));
        continue;
      }
      const size = record.done ? 0 : await stat(this.partPath(id)).then((s) => s.size, () => 0);
      this.sessions.set(id, { record, received: size, busy: false });
    }
  }
}

/** `bytes 0-99/200`, `bytes 100-*\/*`, `bytes *\/200` (status query), `bytes *\/*`. */
export function parseContentRange(header: string | undefined): ContentRange {
  if (header === undefined) return { start: 0 };
  const match = /^bytes (?:(\d+)-(\d+|\*)|\*)\/(\d+|\*)$/.exec(header.trim());
  if (!match) throw badRequest(`Invalid Content-Range header: '${header.slice(0, 100)}'.`);
  const number = (text: string | undefined): number | undefined =>
    text === undefined || text === '*' ? undefined : Number(text);
  return { start: number(match[1]), end: number(match[2]), total: number(match[3]) };
}

/** The client may send X-Goog-Hash with the last chunk; a mismatch means corrupted bytes. */
export function checkClientHashes(header: string | undefined, md5Hash: string, crc32c: string): void {
  if (!header) return;
  for (const pair of header.split(',')) {
    const at = pair.indexOf('=');
    const kind = pair.slice(0, at).trim();
    const value = pair.slice(at + 1).trim();
    if ((kind === 'md5' && value !== md5Hash) || (kind === 'crc32c' && value !== crc32c)) {
      throw badRequest(`The ${kind} hash the client sent (${value}) does not match the received bytes (${kind === 'md5' ? md5Hash : crc32c}).`);
    }
  }
}
