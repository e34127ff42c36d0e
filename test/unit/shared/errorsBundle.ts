// A second copy of src/shared/errors.ts, bundled on its own the way
// scripts/build.mjs bundles dist/cloud.js: its classes are not ours, as for an
// error the extension host gets from the cloud bundle.
import { buildSync } from 'esbuild';
import { join } from 'node:path';
import { tempDir } from '../../helpers/cleanup';

export type ErrorsModule = typeof import('../../../src/shared/errors');

export function loadForeignErrors(): ErrorsModule {
  const outfile = join(tempDir('ms-errors-bundle-'), 'errors.js');
  buildSync({ entryPoints: [join(__dirname, '..', '..', '..', 'src', 'shared', 'errors.ts')], bundle: true, platform: 'node', format: 'cjs', keepNames: true, outfile, logLevel: 'silent' });
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loads the separate bundle, as the extension host does
  return require(outfile) as ErrorsModule;
}
