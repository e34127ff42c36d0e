// Identifiers shaped like Vertex AI's: resource IDs are 19-digit numbers,
// etags are opaque strings that change on every update.
import { randomBytes, randomInt } from 'node:crypto';

export function numericId(): string {
  let id = String(randomInt(1, 10));
  while (id.length < 19) id += String(randomInt(0, 10));
  return id;
}

export function newEtag(): string {
  return `AMEw9yP${randomBytes(12).toString('base64url')}`;
}

/** google.protobuf.Timestamp from an ISO string. */
export function timestamp(iso: string): { seconds: number; nanos: number } {
  const ms = Date.parse(iso);
  return { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 };
}

export function nowIso(): string {
  return new Date().toISOString();
}
