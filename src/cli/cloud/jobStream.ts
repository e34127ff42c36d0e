// What `custom-jobs stream` and `hp-tuning-jobs stream` share: the
// --poll-interval flag, one readable line per trainer event, and printing
// either that line or the event as one JSON object a line (--json).
import type { TrainerEvent } from '../../shared/events';
import { UserError } from '../../shared/errors';

export const STREAM_OPTIONS = { 'poll-interval': { type: 'string' } } as const;
export const STREAM_USAGE = '[--poll-interval SECONDS]';

/** --poll-interval in milliseconds (default 2 s). */
export function streamPollMs(value: string | undefined): number {
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

export function streamPrinter(json: boolean): StreamPrinter {
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
