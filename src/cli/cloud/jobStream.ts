// What `custom-jobs stream` and `hp-tuning-jobs stream` share: the
// --poll-interval flag, one readable line per trainer event, and printing
// either that line or the event as one JSON object a line (--json).
import { isFinalJobState, type CloudClients, type FollowOptions, type TrainingJobState } from '../../cloud';
import type { TrainerEvent } from '../../shared/events';
import { UserError } from '../../shared/errors';
import { parseCommandArgs } from '../../core/commandArgs';
import { oneJob } from './jobVerbs';
import { withInterrupt } from './output';
import { COMMON_OPTIONS } from './target';
import { withClients } from './withClients';

const STREAM_OPTIONS = { 'poll-interval': { type: 'string' } } as const;
export const STREAM_USAGE = '[--poll-interval SECONDS]';

/** --poll-interval in milliseconds (default 2 s). */
function streamPollMs(value: string | undefined): number {
  const pollMs = value ? Number(value) * 1000 : 2000;
  if (!Number.isFinite(pollMs) || pollMs <= 0) throw new UserError(`--poll-interval must be a number of seconds, not '${value}'`);
  return pollMs;
}

export function eventLine(event: TrainerEvent): string | undefined {
  switch (event.type) {
    case 'runStarted':
      return `run ${event.runId} started: ${event.epochs} epochs on ${event.backend.name}${event.initialEpoch > 0 ? `, resuming at epoch ${event.initialEpoch + 1}` : ''}`;
    case 'epochEnd':
      return `epoch ${event.epoch + 1}/${event.epochs} ${Object.entries(event.metrics).map(([k, v]) => `${k}=${v.toFixed(4)}`).join(' ')}`;
    case 'checkpointSaved':
      return `checkpoint ${event.path}`;
    case 'evaluation':
      return `test ${Object.entries(event.metrics).map(([k, v]) => `${k}=${v.toFixed(4)}`).join(' ')}`;
    case 'runFinished':
      return `run ${event.status}${event.reason ? `: ${event.reason}` : ''}`;
    default:
      return undefined;
  }
}

export interface StreamPrinter {
  /** A trainer event: as JSON (with `extra`, e.g. the trial id), or its line after `prefix` on stdout. */
  event(event: TrainerEvent, prefix?: string, extra?: Record<string, unknown>): void;
  /** A record of the job's progress: as JSON, or `line` on stderr (stdout keeps the run's events). */
  status(value: Record<string, unknown>, line: string): void;
}

function streamPrinter(json: boolean): StreamPrinter {
  const print = (value: unknown): void => void process.stdout.write(`${JSON.stringify(value)}\n`);
  return {
    event: (event, prefix = '', extra = {}) => {
      if (json) return print({ ...extra, ...event });
      const line = eventLine(event);
      if (line) process.stdout.write(`${prefix}${line}\n`);
    },
    status: (value, line) => (json ? print({ ...value, time: Date.now() }) : void process.stderr.write(`${line}\n`)),
  };
}

export interface FollowContext {
  clients: CloudClients;
  /** The JOB argument. */
  job: string;
  out: StreamPrinter;
  pollMs: number;
  signal: AbortSignal;
}

/**
 * A `stream JOB` verb: follows the job with `follow` until it ends (Ctrl-C stops
 * following), prints its end with `finished`; exit 0 when it succeeded, 1 otherwise.
 */
export async function streamVerb<J extends { state: string }>(argv: string[], usage: string, follow: (context: FollowContext) => Promise<J>, finished: (job: J, out: StreamPrinter) => void): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, { ...COMMON_OPTIONS, ...STREAM_OPTIONS }, usage);
  const job = oneJob(positionals, usage);
  const pollMs = streamPollMs(values['poll-interval']);
  return withClients(values, async (clients) => {
    const out = streamPrinter(values.json ?? false);
    const final = await withInterrupt((signal) => follow({ clients, job, out, pollMs, signal }));
    finished(final, out);
    return final.state === 'succeeded' ? 0 : 1;
  });
}

type FollowBase<J> = Pick<FollowOptions<J>, 'describe' | 'stateOf' | 'isFinal' | 'onState' | 'pollMs' | 'signal'>;

/** What following any training job takes: reading it, when it has ended, a line at each new state. */
export function followBase<J extends { name: string; id: string; state: TrainingJobState }>(context: FollowContext, describe: (context: FollowContext) => Promise<J>): FollowBase<J> {
  return {
    describe: () => describe(context),
    stateOf: (j) => j.state,
    isFinal: (j) => isFinalJobState(j.state),
    onState: (j) => context.out.status({ type: 'jobState', job: j.name, state: j.state }, `job ${j.id} ${j.state}`),
    pollMs: context.pollMs,
    signal: context.signal,
  };
}
