// Follows a training run in the bucket while its job runs: the new complete
// lines of metrics.jsonl (read from where the last read ended) as trainer
// events, and the job's state, until the job reaches a final state. The editor's
// dashboard and `custom-jobs stream` read the same events a local run writes.
import type { Storage } from '@google-cloud/storage';
import type { TrainerEvent } from '../shared/events';
import { isTrainerEvent } from '../shared/protocol/runEvents';
import { JOB_METRICS_FILE, JOB_RUN_FILE } from '../shared/vertexTraining';
import type { RunRecord } from '../shared/events';
import { abortError } from './retry';

function gsPath(uri: string): { bucket: string; path: string } {
  const match = /^gs:\/\/([^/]+)\/(.*)$/.exec(uri);
  if (!match) throw new Error(`not a gs:// location: ${uri}`);
  return { bucket: match[1], path: match[2] };
}

/** Reads metrics.jsonl under `outputDir` as it grows; each call returns the events written since the last. */
export class MetricsTail {
  private offset = 0;

  constructor(
    private readonly storage: Storage,
    private readonly outputDir: string,
  ) {}

  async read(): Promise<TrainerEvent[]> {
    const { bucket, path } = gsPath(this.outputDir + JOB_METRICS_FILE);
    const file = this.storage.bucket(bucket).file(path);
    let bytes: Buffer;
    try {
      const [metadata] = await file.getMetadata();
      if (Number(metadata.size ?? 0) <= this.offset) {
        // The trainer rewrote a shorter file (a restarted job starts from its checkpoint's copy): read it again.
        if (Number(metadata.size ?? 0) < this.offset) this.offset = 0;
        else return [];
      }
      [bytes] = await file.download({ start: this.offset });
    } catch (error) {
      if ((error as { code?: number }).code === 404) return [];
      throw error;
    }
    const text = bytes.toString('utf8');
    const end = text.lastIndexOf('\n');
    if (end < 0) return [];
    this.offset += Buffer.byteLength(text.slice(0, end + 1));
    const events: TrainerEvent[] = [];
    for (const line of text.slice(0, end).split('\n')) {
      try {
        const value: unknown = JSON.parse(line);
        if (isTrainerEvent(value)) events.push(value);
      } catch {
        // A line that is not JSON is skipped, as the local run reader does.
      }
    }
    return events;
  }
}

/** The run.json a job's trainer keeps under `outputDir`, when it wrote one yet. */
export async function readJobRun(storage: Storage, outputDir: string): Promise<RunRecord | undefined> {
  const { bucket, path } = gsPath(outputDir + JOB_RUN_FILE);
  try {
    const [bytes] = await storage.bucket(bucket).file(path).download();
    return JSON.parse(bytes.toString('utf8')) as RunRecord;
  } catch (error) {
    if ((error as { code?: number }).code === 404) return undefined;
    throw error;
  }
}

export interface FollowOptions<J> {
  /** Reads the job (its state and output folder). */
  describe(): Promise<J>;
  stateOf(job: J): string;
  isFinal(job: J): boolean;
  outputDir(job: J): string;
  onEvent?(event: TrainerEvent): void;
  onState?(job: J): void;
  pollMs?: number;
  signal?: AbortSignal;
}

/** Follows a job until it ends; resolves with its final description. */
export async function followJob<J>(storage: Storage, options: FollowOptions<J>): Promise<J> {
  const pollMs = options.pollMs ?? 2000;
  let tail: MetricsTail | undefined;
  let lastState = '';
  for (;;) {
    if (options.signal?.aborted) throw abortError(options.signal);
    const job = await options.describe();
    if (options.stateOf(job) !== lastState) {
      lastState = options.stateOf(job);
      options.onState?.(job);
    }
    tail ??= new MetricsTail(storage, options.outputDir(job));
    for (const event of await tail.read()) options.onEvent?.(event);
    if (options.isFinal(job)) {
      // The trainer's last copy may land just after the state changes.
      for (const event of await tail.read()) options.onEvent?.(event);
      return job;
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
