// `model-studio serve`: the TF.js prediction server of Vertex AI's custom
// container contract, configured by AIP_* variables (flags override them).
// Runs until SIGINT or SIGTERM.
import { UserError, errorMessage } from '../shared/errors';
import { BACKEND_CHOICES } from '../shared/events';
import { servingConfig } from './config';
import { startServing } from './start';
import { parseCommandArgs } from '../core/commandArgs';

const USAGE =
  `model-studio serve [--model-uri DIR|gs://BUCKET/FOLDER] [--port N] [--host H] [--predict-route /p] [--health-route /h] [--storage-endpoint URL] [--max-batch-size N] [--batch-window-ms N] [--backend ${BACKEND_CHOICES.join('|')}]`;

export interface ServeOptions {
  /** Listen address when --host is absent: 127.0.0.1 for the CLI, 0.0.0.0 in the container. */
  defaultHost?: string;
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
  /** Stops the server when aborted (tests); SIGINT and SIGTERM always do. */
  signal?: AbortSignal;
}

export async function serveCommand(argv: string[], options: ServeOptions = {}): Promise<number> {
  const log = options.log ?? ((line: string): void => void process.stderr.write(`${line}\n`));
  const { values, positionals } = parseCommandArgs(
    argv,
    {
      'model-uri': { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      'predict-route': { type: 'string' },
      'health-route': { type: 'string' },
      'storage-endpoint': { type: 'string' },
      'max-batch-size': { type: 'string' },
      'batch-window-ms': { type: 'string' },
      backend: { type: 'string' },
    },
    USAGE,
  );
  if (positionals.length > 0) {
    throw new UserError(`Unexpected argument '${positionals[0]}'. Usage: ${USAGE}`);
  }
  const config = servingConfig(
    options.env ?? process.env,
    {
      modelUri: values['model-uri'],
      port: values.port,
      host: values.host,
      predictRoute: values['predict-route'],
      healthRoute: values['health-route'],
      storageEndpoint: values['storage-endpoint'],
      maxBatchSize: values['max-batch-size'],
      batchWindowMs: values['batch-window-ms'],
      backend: values.backend,
    },
    options.defaultHost,
  );
  const serving = await startServing(config, log);
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      options.signal?.removeEventListener('abort', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    options.signal?.addEventListener('abort', stop);
    if (options.signal?.aborted) stop();
  });
  try {
    await serving.close();
  } catch (error) {
    log(`Stopping the server failed: ${errorMessage(error)}`);
  }
  log('Serving stopped');
  return 0;
}
