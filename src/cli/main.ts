// `model-studio`: the command-line face of the same core the extension uses.
// User mistakes print one line and exit 2; internal failures exit 1 (the stack
// only with MODEL_STUDIO_DEBUG=1).
import { errorMessage, isUserError } from '../shared/errors';
import { BACKEND_CHOICES } from '../shared/events';
import { trainCommand } from './commands/train';
import { runsCommand } from './commands/runs';
import { evaluateCommand } from './commands/evaluate';
import { predictCommand } from './commands/predict';
import { sweepCommand } from './commands/sweep';
import { sweepsCommand } from './commands/sweeps';
import { usageLines, type VerbTable } from './verbs';

// Help lists the commands in this order, one usage line each.
const commands: VerbTable = {
  train: {
    run: trainCommand,
    usage: `train SPEC [--epochs N] [--batch-size N] [--learning-rate R] [--backend ${BACKEND_CHOICES.join('|')}] [--json] [--resume RUN]`,
  },
  runs: { run: runsCommand, usage: 'runs [--json] [--clear-stale | --mark-crashed RUN]' },
  sweep: { run: sweepCommand, usage: 'sweep SPEC [--parallel N] [--max-trials N] [--backend B] [--json] | --resume SWEEP' },
  sweeps: { run: sweepsCommand, usage: 'sweeps [--json]' },
  evaluate: { run: evaluateCommand, usage: 'evaluate RUN [--json]' },
  predict: { run: predictCommand, usage: 'predict RUN --input FILE' },
  // Loaded on demand: the Google client libraries are large.
  serve: {
    run: async (argv) => (await import('../serving/serveCommand')).serveCommand(argv),
    usage: 'serve [--port N] [--model-uri DIR|gs://...]   (Vertex AI custom-container server, AIP_* variables)',
  },
  cloud: {
    run: async (argv) => (await import('./cloud')).cloudCommand(argv),
    usage: 'cloud models|endpoints|operations ...   (Vertex AI, like `gcloud ai`; `cloud help`)',
  },
  sandbox: {
    run: async (argv) => (await import('./sandbox')).sandboxCommand(argv),
    usage: 'sandbox start [--detach]|stop|status    (local Vertex AI + Cloud Storage)',
  },
};

const HELP = `model-studio — train TensorFlow.js models and ship them to Vertex AI

Usage:
${usageLines(commands)
  .map((line) => `  model-studio ${line}\n`)
  .join('')}
Runs live in .model-studio/runs/ of the current folder (--runs-dir DIR to change), sweeps in .model-studio/sweeps/.
Exit codes: 0 success, 1 failure, 2 a mistake in the command or its input.
`;

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(HELP);
    return name ? 0 : 2;
  }
  if (name === '--version' || name === 'version') {
    process.stdout.write(`${process.env.MODEL_STUDIO_VERSION ?? 'dev'}\n`);
    return 0;
  }
  const command = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!command) {
    process.stderr.write(`Unknown command '${name}': run \`model-studio help\` for the list.\n`);
    return 2;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    if (isUserError(error)) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    process.stderr.write(`model-studio ${name} failed: ${errorMessage(error)}\n`);
    if (process.env.MODEL_STUDIO_DEBUG) process.stderr.write(`${error instanceof Error ? error.stack : ''}\n`);
    return 1;
  }
}

void main(process.argv.slice(2)).then((code) => {
  // TF.js can hold timers open; the command is done.
  process.exit(code);
});
