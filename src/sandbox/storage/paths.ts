// Maps a request path onto the JSON API resource it names. Accepts the paths
// @google-cloud/storage produces with `apiEndpoint` (/storage/v1/b/...), with
// STORAGE_EMULATOR_HOST (/b/...), uploads (/upload/storage/v1/b/...) and
// media links (/download/storage/v1/b/...).
import { badRequest, notFound } from './errors';
import { checkObjectName } from './names';

export type Api = 'json' | 'upload' | 'download';

export interface BucketParams {
  bucket: string;
}

export interface ObjectParams {
  bucket: string;
  object: string;
}

/** The parameters each kind of resource path carries. */
export interface ResourceParams {
  buckets: Record<string, never>;
  bucket: BucketParams;
  objects: BucketParams;
  object: ObjectParams;
}

export type Resource = keyof ResourceParams;

/** A parsed path: the API it belongs to, the resource, and that resource's parameters. */
export type Target<R extends Resource = Resource> = {
  [K in R]: { api: Api; resource: K; params: ResourceParams[K] };
}[R];

const PREFIXES: [string, Api][] = [
  ['/upload/storage/v1/b', 'upload'],
  ['/download/storage/v1/b', 'download'],
  ['/storage/v1/b', 'json'],
  ['/b', 'json'],
];

export function parseTarget(pathname: string): Target {
  for (const [prefix, api] of PREFIXES) {
    if (pathname !== prefix && !pathname.startsWith(`${prefix}/`)) continue;
    const rest = pathname.slice(prefix.length + 1);
    const parts = rest === '' ? [] : rest.split('/');
    if (parts.length === 0) return { api, resource: 'buckets', params: {} };
    const bucket = decode(parts[0]);
    if (parts.length === 1) return { api, resource: 'bucket', params: { bucket } };
    if (parts[1] !== 'o') break;
    if (parts.length === 2 || (parts.length === 3 && parts[2] === '')) return { api, resource: 'objects', params: { bucket } };
    // Names arrive percent-encoded (slashes as %2F); tolerate raw slashes too.
    const object = parts.slice(2).map(decode).join('/');
    checkObjectName(object);
    return { api, resource: 'object', params: { bucket, object } };
  }
  throw notFound(`Not found: ${pathname.slice(0, 200)} is not a Cloud Storage JSON API path this sandbox serves.`);
}

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw badRequest(`Invalid percent-encoding in path segment '${part.slice(0, 100)}'.`);
  }
}
