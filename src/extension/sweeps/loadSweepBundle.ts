// Loads dist/sweeps.js (sweepBundle.ts) once, at the first sweep command.
import type * as SweepBundle from './sweepBundle';

export type SweepBundleModule = typeof SweepBundle;

let loaded: SweepBundleModule | undefined;

/** The sweep runner and spec writer from `bundlePath` (the extension's dist/sweeps.js). */
export function loadSweepBundle(bundlePath: string): SweepBundleModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a run-time path on purpose: esbuild leaves it alone
  loaded ??= require(bundlePath) as SweepBundleModule;
  return loaded;
}
