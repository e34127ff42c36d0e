// `model-studio train SPEC [--epochs N] [--batch-size N] [--learning-rate R] [--backend B] [--json] [--resume RUN]`
// Trains in this process. SIGINT/SIGTERM stop whatever phase it is in (after
// the current batch when training, and save); a second Ctrl+C exits at once.
import { resolve } from 'node:path';
import { BACKEND_CHOICES, type TrainerEvent } from '../../shared/events';
import { UserError } from '../../shared/errors';
import { runsDirFor } from '../../core/runStore';
import { StoppedBeforeTraining, train } from '../../trainer/train';
import { ConsoleProgress } from '../progress';
import { oneOf, parseCommandArgs, positiveInteger, positiveNumber } from '../../core/commandArgs';

const USAGE = `model-studio train SPEC [--epochs N] [--batch-size N] [--learning-rate R] [--backend ${BACKEND_CHOICES.join('|')}] [--json] [--resume RUN] [--runs-dir DIR]`;

export async function trainCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    argv,
    {
      epochs: { type: 'string' },
      'batch-size': { type: 'string' },
      'learning-rate': { type: 'string' },
      backend: { type: 'string' },
      json: { type: 'boolean' },
      resume: { type: 'string' },
      'runs-dir': { type: 'string' },
    },
    USAGE,
  );
  if (positionals.length > 1) throw new UserError(`Expected one spec file, got ${positionals.length}. Usage: ${USAGE}`);
  if (!positionals[0] && !values.resume) throw new UserError(`Missing the spec file. Usage: ${USAGE}`);

  const print = values.json
    ? (event: TrainerEvent) => process.stdout.write(JSON.stringify(event) + '\n')
    : progressPrinter();
  const stop = new AbortController();
  const onSignal = (): void => {
    if (stop.signal.aborted) process.exit(130);
    stop.abort();
    if (!values.json) process.stderr.write('\nStopping (Ctrl+C again to quit at once)…\n');
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const finished = await train(
      {
        specPath: positionals[0] ? resolve(positionals[0]) : '',
        runsDir: values['runs-dir'] ? resolve(values['runs-dir']) : runsDirFor(process.cwd()),
        epochs: positiveInteger(values.epochs, '--epochs'),
        batchSize: positiveInteger(values['batch-size'], '--batch-size'),
        learningRate: positiveNumber(values['learning-rate'], '--learning-rate'),
        backend: oneOf(values.backend, BACKEND_CHOICES, '--backend'),
        resume: values.resume,
      },
      {
        emit: print,
        stop: stop.signal,
        log: (message) => process.stderr.write(message + '\n'),
        onProgress: values.json ? undefined : downloadProgress(),
      },
    );
    if (finished.status === 'failed') {
      // The reason already went out as an event; say it on stderr too for scripts.
      if (values.json) process.stderr.write(`${finished.reason ?? 'Training failed.'}\n`);
      return 1;
    }
    return 0;
  } catch (error) {
    if (!(error instanceof StoppedBeforeTraining)) throw error;
    process.stderr.write(`${error.message}\n`);
    return 0;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function progressPrinter(): (event: TrainerEvent) => void {
  const progress = new ConsoleProgress(process.stdout, process.stdout.isTTY === true);
  return (event) => progress.handle(event);
}

function downloadProgress(): (message: string, done: number, total?: number) => void {
  let last = 0;
  return (message, done, total) => {
    const now = Date.now();
    if (now - last < 500 && done !== total) return;
    last = now;
    const percent = total ? ` ${Math.floor((done / total) * 100)}%` : '';
    process.stderr.write(`${message}${percent}\n`);
  };
}
