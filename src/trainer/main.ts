// Entry of the trainer child process that the extension forks per run. It
// waits for one 'train' message, forwards events over IPC (batch events
// coalesced to ~20 a second), and stops cleanly on 'stop', SIGTERM, or when
// the extension host goes away. Messages that fail the protocol's guard are
// ignored and reported on stderr (the host logs it).
import { isHostToTrainerMessage, type TrainerToHostMessage, type TrainRequest } from '../shared/protocol/trainer';
import { describeForLog } from '../shared/protocol/guards';
import { errorMessage, isUserError } from '../shared/errors';
import { EventCoalescer } from './coalesce';
import { StoppedBeforeTraining, train } from './train';

const stop = new AbortController();

/** Resolves once every message sent so far has been handed to the OS. */
let sent: Promise<void> = Promise.resolve();

function send(message: TrainerToHostMessage): void {
  const delivered = new Promise<void>((resolve) => {
    if (!process.send || !process.connected) return resolve();
    process.send(message, undefined, {}, () => resolve());
  });
  sent = sent.then(() => delivered);
}

async function run(request: TrainRequest): Promise<number> {
  const coalescer = new EventCoalescer(send);
  try {
    const finished = await train(request, {
      emit: (event) => coalescer.push(event),
      stop: stop.signal,
      log: (message) => process.stderr.write(message + '\n'),
    });
    coalescer.flush();
    return finished.status === 'failed' ? 1 : 0;
  } catch (error) {
    coalescer.flush();
    // Stopped while loading: nothing was written, and there is nothing to report.
    if (error instanceof StoppedBeforeTraining) return 0;
    const userError = isUserError(error);
    if (!userError) process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    send({ type: 'error', message: errorMessage(error), userError });
    return userError ? 2 : 1;
  }
}

function main(): void {
  if (!process.send) {
    process.stderr.write('The trainer runs as a child process of Model Studio; use `model-studio train` from a shell.\n');
    process.exit(1);
  }
  let started = false;
  process.on('message', (message: unknown) => {
    if (!isHostToTrainerMessage(message)) {
      process.stderr.write(`Ignored a malformed message from the host: ${describeForLog(message)}\n`);
    } else if (message.type === 'stop') {
      stop.abort();
    } else if (message.type === 'train' && !started) {
      started = true;
      void run(message.request).then(async (code) => {
        await sent;
        process.exit(code);
      });
    }
  });
  process.on('SIGTERM', () => stop.abort());
  process.on('SIGINT', () => stop.abort());
  // The host went away: finish the batch, save, and leave.
  process.on('disconnect', () => stop.abort());
}

main();
