// Imported first by extension.ts: the bundle evaluates modules in import
// order, so this time is taken before any other module of the extension
// runs, and activation time can include loading them.
import { performance } from 'node:perf_hooks';

export const modulesStarted = performance.now();
