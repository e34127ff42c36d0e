// What the store keeps per bucket, object and upload session, and the JSON
// API resources built from them.
import { badRequest } from './errors';
import { isJsonObject } from './json';

export interface BucketRecord {
  name: string;
  project: string;
  location: string;
  storageClass: string;
  labels: Record<string, string>;
  timeCreated: string;
  updated: string;
  metageneration: number;
}

/** The object fields a client may set (the rest are computed). */
export interface ObjectFields {
  contentType?: string;
  contentEncoding?: string;
  contentDisposition?: string;
  contentLanguage?: string;
  cacheControl?: string;
  metadata?: Record<string, string>;
}

export interface ObjectRecord extends ObjectFields {
  bucket: string;
  name: string;
  generation: number;
  metageneration: number;
  size: number;
  md5Hash: string;
  crc32c: string;
  timeCreated: string;
  updated: string;
  /** Basename of the data file inside the bucket's objects folder. */
  file: string;
}

export interface Preconditions {
  ifGenerationMatch?: number;
  ifGenerationNotMatch?: number;
  ifMetagenerationMatch?: number;
}

const STRING_FIELDS = ['contentType', 'contentEncoding', 'contentDisposition', 'contentLanguage', 'cacheControl'] as const;

/** Keeps only the settable fields of a client's object metadata, checking their types. */
export function objectFields(input: unknown): ObjectFields {
  if (input === undefined || input === null) return {};
  if (!isJsonObject(input)) throw badRequest('Object metadata must be a JSON object.');
  const fields: ObjectFields = {};
  for (const key of STRING_FIELDS) {
    const value = input[key];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string') throw badRequest(`Invalid value for ${key}: expected a string.`);
    fields[key] = value;
  }
  if (input.metadata !== undefined && input.metadata !== null) {
    fields.metadata = stringMap(input.metadata, 'metadata');
  }
  return fields;
}

export function stringMap(input: unknown, what: string): Record<string, string> {
  if (!isJsonObject(input)) throw badRequest(`Invalid value for ${what}: expected an object of strings.`);
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(input)) {
    if (value === null) continue;
    out[key] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  return out;
}

export function bucketResource(bucket: BucketRecord, baseUrl: string): Record<string, unknown> {
  return {
    kind: 'storage#bucket',
    id: bucket.name,
    selfLink: `${baseUrl}/storage/v1/b/${bucket.name}`,
    name: bucket.name,
    projectNumber: bucket.project,
    metageneration: String(bucket.metageneration),
    location: bucket.location,
    locationType: 'multi-region',
    storageClass: bucket.storageClass,
    labels: bucket.labels,
    timeCreated: bucket.timeCreated,
    updated: bucket.updated,
    etag: Buffer.from(`${bucket.name}:${bucket.metageneration}`).toString('base64'),
  };
}

export function objectResource(object: ObjectRecord, baseUrl: string): Record<string, unknown> {
  const path = `b/${object.bucket}/o/${encodeURIComponent(object.name)}`;
  const { generation, metageneration, size, file: _file, ...fields } = object;
  return {
    kind: 'storage#object',
    id: `${object.bucket}/${object.name}/${generation}`,
    selfLink: `${baseUrl}/storage/v1/${path}`,
    mediaLink: `${baseUrl}/download/storage/v1/${path}?generation=${generation}&alt=media`,
    ...fields,
    contentType: object.contentType ?? 'application/octet-stream',
    generation: String(generation),
    metageneration: String(metageneration),
    size: String(size),
    storageClass: 'STANDARD',
    timeStorageClassUpdated: object.timeCreated,
    etag: Buffer.from(`${generation}:${metageneration}`).toString('base64'),
  };
}
