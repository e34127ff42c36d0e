// Name rules from the Cloud Storage docs. Object names never become file
// names (files are named by a hash), so these checks are about matching GCS
// behaviour, not about path safety.
import { badRequest } from './errors';

const BUCKET_NAME = /^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$/;

export function checkBucketName(name: string): void {
  if (!BUCKET_NAME.test(name) || name.includes('..') || /^\d+\.\d+\.\d+\.\d+$/.test(name)) {
    throw badRequest(
      `Invalid bucket name: '${name.slice(0, 80)}'. Use 3-63 lowercase letters, digits, '-', '_' or '.', starting and ending with a letter or digit.`,
    );
  }
}

export function checkObjectName(name: string): void {
  const bytes = Buffer.byteLength(name, 'utf8');
  if (bytes === 0 || bytes > 1024) {
    throw badRequest(`Object name must be 1-1024 bytes of UTF-8, got ${bytes} bytes.`);
  }
  if (name === '.' || name === '..') throw badRequest(`Object name cannot be '${name}'.`);
  if (/[\u0000-\u001f\u007f]/.test(name)) {
    throw badRequest('Object name cannot contain control characters (such as newlines).');
  }
  if (name.startsWith('.well-known/acme-challenge/')) {
    throw badRequest("Object name cannot start with '.well-known/acme-challenge/'.");
  }
}
