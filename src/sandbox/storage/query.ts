// Query parameters: a size limit on every value, and the typed readers the
// handlers use (integers, preconditions, the object name of an upload).
import { badRequest } from './errors';
import type { JsonObject } from './json';
import { checkObjectName } from './names';
import type { Preconditions } from './records';

/** Longer than any value a client sends (a page token over a 1024-byte name is under 3 KB). */
export const MAX_QUERY_VALUE_BYTES = 4096;

export function checkQueryValues(query: URLSearchParams): void {
  for (const [key, value] of query) {
    const bytes = Buffer.byteLength(value, 'utf8');
    if (bytes > MAX_QUERY_VALUE_BYTES) {
      throw badRequest(`Query parameter '${key.slice(0, 40)}' is ${bytes} bytes; the limit is ${MAX_QUERY_VALUE_BYTES} bytes.`);
    }
  }
}

export function optionalString(query: URLSearchParams, key: string): string | undefined {
  return query.get(key) ?? undefined;
}

export function optionalInt(query: URLSearchParams, key: string): number | undefined {
  const value = query.get(key);
  if (value === null) return undefined;
  const number = Number(value);
  if (value === '' || !Number.isSafeInteger(number) || number < 0) throw badRequest(`Invalid value for ${key}: '${value.slice(0, 40)}'.`);
  return number;
}

export function conditions(query: URLSearchParams): Preconditions {
  return {
    ifGenerationMatch: optionalInt(query, 'ifGenerationMatch'),
    ifGenerationNotMatch: optionalInt(query, 'ifGenerationNotMatch'),
    ifMetagenerationMatch: optionalInt(query, 'ifMetagenerationMatch'),
  };
}

/** The name of an object being uploaded: the `name` parameter, else the metadata's `name`. */
export function objectName(query: URLSearchParams, metadata: JsonObject): string {
  const name = query.get('name') ?? (typeof metadata.name === 'string' ? metadata.name : undefined);
  if (name === undefined) throw badRequest('Required parameter: name (the object name).');
  checkObjectName(name);
  return name;
}
