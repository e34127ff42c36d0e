// The storage state on disk, mirrored in memory for fast lookups and listing.
//
//   dataDir/buckets/<bucket>/bucket.json
//   dataDir/buckets/<bucket>/objects/<sha256(name)>.json          object record
//   dataDir/buckets/<bucket>/objects/<sha256(name)>.<generation>   object bytes
//   dataDir/tmp/                                                 bodies being received
//
// Object names never reach the file system (only their hash does), so no name
// can escape the data folder. Bucket names are validated before use.
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { badRequest, conflict, notFound, preconditionFailed } from './errors';
import { readJson, removeQuietly, writeJsonAtomic, type Hashes } from './files';
import { isJsonObject } from './json';
import { checkBucketName, checkObjectName } from './names';
import type { BucketRecord, ObjectFields, ObjectRecord, Preconditions } from './records';

interface BucketState {
  record: BucketRecord;
  objects: Map<string, ObjectRecord>;
  sorted?: string[];
}

export interface ListOptions {
  prefix?: string;
  delimiter?: string;
  pageToken?: string;
  maxResults?: number;
  startOffset?: string;
  endOffset?: string;
}

export interface ListResult {
  items: ObjectRecord[];
  prefixes: string[];
  nextPageToken?: string;
}

export class Store {
  private readonly buckets = new Map<string, BucketState>();
  private lastGeneration = 0;
  /** Commits run one at a time so the record on disk always matches memory. */
  private commitChain: Promise<unknown> = Promise.resolve();

  private constructor(readonly dataDir: string) {}

  static async open(dataDir: string): Promise<Store> {
    const store = new Store(dataDir);
    await mkdir(join(dataDir, 'buckets'), { recursive: true });
    await removeQuietly(join(dataDir, 'tmp'));
    await mkdir(join(dataDir, 'tmp'), { recursive: true });
    await store.load();
    return store;
  }

  tmpFile(): string {
    return join(this.dataDir, 'tmp', randomUUID());
  }

  // Buckets

  async createBucket(record: BucketRecord): Promise<BucketRecord> {
    checkBucketName(record.name);
    if (this.buckets.has(record.name)) {
      throw conflict('Your previous request to create the named bucket succeeded and you already own it.');
    }
    const state: BucketState = { record, objects: new Map() };
    this.buckets.set(record.name, state);
    try {
      await mkdir(this.objectsDir(record.name), { recursive: true });
      await writeJsonAtomic(join(this.bucketDir(record.name), 'bucket.json'), record);
    } catch (error) {
      this.buckets.delete(record.name);
      throw error;
    }
    return record;
  }

  getBucket(name: string): BucketRecord {
    return this.bucketState(name).record;
  }

  listBuckets(project?: string): BucketRecord[] {
    return [...this.buckets.values()]
      .map((b) => b.record)
      .filter((b) => project === undefined || b.project === project)
      .sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  async deleteBucket(name: string): Promise<void> {
    const state = this.bucketState(name);
    if (state.objects.size > 0) throw conflict('The bucket you tried to delete is not empty.');
    this.buckets.delete(name);
    await removeQuietly(this.bucketDir(name));
  }

  // Objects

  getObject(bucket: string, name: string, generation?: number): ObjectRecord {
    const record = this.bucketState(bucket).objects.get(name);
    if (!record || (generation !== undefined && record.generation !== generation)) {
      throw notFound(`No such object: ${bucket}/${name}`);
    }
    return record;
  }

  dataPath(record: ObjectRecord): string {
    return join(this.objectsDir(record.bucket), record.file);
  }

  listObjects(bucket: string, options: ListOptions): ListResult {
    const state = this.bucketState(bucket);
    state.sorted ??= [...state.objects.keys()].sort();
    const prefix = options.prefix ?? '';
    const delimiter = options.delimiter ?? '';
    const max = Math.max(1, Math.min(options.maxResults ?? 1000, 1000));
    const token = decodeToken(options.pageToken);
    const items: ObjectRecord[] = [];
    const prefixes: string[] = [];
    let last: PageToken | undefined;
    for (const name of state.sorted) {
      if (!name.startsWith(prefix)) continue;
      if (options.startOffset !== undefined && name < options.startOffset) continue;
      if (options.endOffset !== undefined && name >= options.endOffset) continue;
      if (token && (name <= token.after || (token.skipPrefix && name.startsWith(token.after)))) continue;
      if (last?.skipPrefix && name.startsWith(last.after)) continue;
      if (items.length + prefixes.length >= max) {
        return { items, prefixes, nextPageToken: encodeToken(last) };
      }
      const cut = delimiter ? name.indexOf(delimiter, prefix.length) : -1;
      if (cut >= 0) {
        const common = name.slice(0, cut + delimiter.length);
        prefixes.push(common);
        last = { after: common, skipPrefix: true };
      } else {
        const record = state.objects.get(name);
        if (record) items.push(record);
        last = { after: name, skipPrefix: false };
      }
    }
    return { items, prefixes };
  }

  /**
   * Makes the bytes in `stagedFile` the new generation of `bucket/name`. The
   * staged file is moved, not copied.
   */
  async commitObject(
    bucket: string,
    name: string,
    stagedFile: string,
    hashes: Hashes,
    fields: ObjectFields,
    conditions: Preconditions = {},
  ): Promise<ObjectRecord> {
    checkObjectName(name);
    return this.serialize(async () => {
      const state = this.bucketState(bucket);
      const previous = state.objects.get(name);
      checkConditions(bucket, name, previous, conditions);
      const generation = this.nextGeneration();
      const now = new Date().toISOString();
      const base = nameHash(name);
      const record: ObjectRecord = {
        ...fields,
        bucket,
        name,
        generation,
        metageneration: 1,
        ...hashes,
        timeCreated: now,
        updated: now,
        file: `${base}.${generation}`,
      };
      await rename(stagedFile, join(this.objectsDir(bucket), record.file));
      await writeJsonAtomic(join(this.objectsDir(bucket), `${base}.json`), record);
      state.objects.set(name, record);
      if (!previous) state.sorted = undefined;
      else await removeQuietly(join(this.objectsDir(bucket), previous.file));
      return record;
    });
  }

  async updateObject(bucket: string, name: string, fields: ObjectFields, conditions: Preconditions = {}): Promise<ObjectRecord> {
    return this.serialize(async () => {
      const current = this.getObject(bucket, name);
      checkConditions(bucket, name, current, conditions);
      const metadata = fields.metadata ? { ...current.metadata, ...fields.metadata } : current.metadata;
      const record: ObjectRecord = {
        ...current,
        ...fields,
        metadata,
        metageneration: current.metageneration + 1,
        updated: new Date().toISOString(),
      };
      await writeJsonAtomic(join(this.objectsDir(bucket), `${nameHash(name)}.json`), record);
      this.bucketState(bucket).objects.set(name, record);
      return record;
    });
  }

  async deleteObject(bucket: string, name: string, conditions: Preconditions & { generation?: number } = {}): Promise<void> {
    await this.serialize(async () => {
      const state = this.bucketState(bucket);
      const current = this.getObject(bucket, name, conditions.generation);
      checkConditions(bucket, name, current, conditions);
      await removeQuietly(join(this.objectsDir(bucket), `${nameHash(name)}.json`));
      await removeQuietly(join(this.objectsDir(bucket), current.file));
      state.objects.delete(name);
      state.sorted = undefined;
    });
  }

  // Internals

  private bucketState(name: string): BucketState {
    const state = this.buckets.get(name);
    if (!state) throw notFound(`The specified bucket does not exist: ${name}`);
    return state;
  }

  private bucketDir(name: string): string {
    checkBucketName(name);
    return join(this.dataDir, 'buckets', name);
  }

  private objectsDir(bucket: string): string {
    return join(this.bucketDir(bucket), 'objects');
  }

  /** Microsecond timestamps, like GCS, but strictly increasing. */
  private nextGeneration(): number {
    this.lastGeneration = Math.max(Date.now() * 1000, this.lastGeneration + 1);
    return this.lastGeneration;
  }

  private serialize<T>(work: () => Promise<T>): Promise<T> {
    const result = this.commitChain.then(work, work);
    this.commitChain = result.catch(() => undefined);
    return result;
  }

  private async load(): Promise<void> {
    for (const entry of await readdir(join(this.dataDir, 'buckets'), { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const dir = join(this.dataDir, 'buckets', entry.name);
      const record = (await readJson(join(dir, 'bucket.json')).catch(() => undefined)) as BucketRecord | undefined;
      if (!record || record.name !== entry.name) continue;
      const state: BucketState = { record, objects: new Map() };
      this.buckets.set(record.name, state);
      const files = await readdir(join(dir, 'objects')).catch((): string[] => []);
      const referenced = new Set<string>();
      for (const file of files.filter((f) => f.endsWith('.json'))) {
        const object = (await readJson(join(dir, 'objects', file)).catch(() => undefined)) as ObjectRecord | undefined;
        if (!object || object.bucket !== record.name || typeof object.name !== 'string') continue;
        state.objects.set(object.name, object);
        referenced.add(object.file);
        this.lastGeneration = Math.max(this.lastGeneration, object.generation);
      }
      // Bytes whose record never got written (a crash mid-commit) are garbage.
      for (const file of files) {
        if (!file.endsWith('.json') && !referenced.has(file)) await removeQuietly(join(dir, 'objects', file));
      }
    }
  }
}

interface PageToken {
  after: string;
  skipPrefix: boolean;
}

function encodeToken(token: PageToken | undefined): string | undefined {
  return token && Buffer.from(JSON.stringify(token)).toString('base64url');
}

function decodeToken(token: string | undefined): PageToken | undefined {
  if (!token) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (isJsonObject(parsed) && typeof parsed.after === 'string') return { after: parsed.after, skipPrefix: parsed.skipPrefix === true };
  } catch {
    // fall through
  }
  throw badRequest('Invalid pageToken: pass back the nextPageToken of the previous list call.');
}

function nameHash(name: string): string {
  return createHash('sha256').update(name).digest('hex');
}

function checkConditions(bucket: string, name: string, current: ObjectRecord | undefined, c: Preconditions): void {
  const generation = current?.generation ?? 0;
  if (c.ifGenerationMatch !== undefined && c.ifGenerationMatch !== generation) {
    throw preconditionFailed(`At least one of the pre-conditions you specified did not hold (ifGenerationMatch on ${bucket}/${name}).`);
  }
  if (c.ifGenerationNotMatch !== undefined && c.ifGenerationNotMatch === generation) {
    throw preconditionFailed(`At least one of the pre-conditions you specified did not hold (ifGenerationNotMatch on ${bucket}/${name}).`);
  }
  if (c.ifMetagenerationMatch !== undefined && c.ifMetagenerationMatch !== (current?.metageneration ?? 0)) {
    throw preconditionFailed(`At least one of the pre-conditions you specified did not hold (ifMetagenerationMatch on ${bucket}/${name}).`);
  }
}
