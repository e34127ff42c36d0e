// Entry point of the serving container (dist/serve.js): Vertex AI's AIP_*
// variables configure it; it listens on all interfaces and stops on SIGTERM.
// A bad configuration or an unloadable model exits non-zero with one line,
// which Vertex shows in the deployment's logs.
import { serveCommand } from './serveCommand';
import { errorMessage, isUserError } from '../shared/errors';

serveCommand(process.argv.slice(2), { defaultHost: '0.0.0.0' }).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${isUserError(error) ? error.message : `serving failed: ${errorMessage(error)}`}\n`);
    process.exit(isUserError(error) ? 2 : 1);
  },
);
