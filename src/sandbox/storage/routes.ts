// Maps a request path onto the JSON API resources. Accepts the paths
// @google-cloud/storage produces with `apiEndpoint` (/storage/v1/b/...), with
// STORAGE_EMULATOR_HOST (/b/...), uploads (/upload/storage/v1/b/...) and
// media links (/download/storage/v1/b/...).
import { badRequest, notFound } from './errors';
import { checkObjectName } from './names';

export type Route =
  | { api: 'json' | 'upload' | 'download'; kind: 'buckets' }
  | { api: 'json' | 'upload' | 'download'; kind: 'bucket'; bucket: string }
  | { api: 'json' | 'upload' | 'download'; kind: 'objects'; bucket: string }
  | { api: 'json' | 'upload' | 'download'; kind: 'object'; bucket: string; object: string };

const PREFIXES: [string, Route['api']][] = [
  ['/upload/storage/v1/b', 'upload'],
  ['/download/storage/v1/b', 'download'],
  ['/storage/v1/b', 'json'],
  ['/b', 'json'],
];

export function parseRoute(pathname: string): Route {
  for (const [prefix, api] of PREFIXES) {
    if (pathname !== prefix && !pathname.startsWith(`${prefix}/`)) continue;
    const rest = pathname.slice(prefix.length + 1);
    const parts = rest === '' ? [] : rest.split('/');
    if (parts.length === 0) return { api, kind: 'buckets' };
    const bucket = decode(parts[0]);
    if (parts.length === 1) return { api, kind: 'bucket', bucket };
    if (parts[1] !== 'o') break;
    if (parts.length === 2 || (parts.length === 3 && parts[2] === '')) return { api, kind: 'objects', bucket };
    // Names arrive percent-encoded (slashes as %2F); tolerate raw slashes too.
    const object = parts.slice(2).map(decode).join('/');
    checkObjectName(object);
    return { api, kind: 'object', bucket, object };
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
