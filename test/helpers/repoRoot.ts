// The repository's root folder, for tests that read examples, sources or bundles by path.
import { resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '..', '..');
