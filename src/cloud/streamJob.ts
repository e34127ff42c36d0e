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

interface FollowBase<J> {
  /** Reads the job (its state and output folder). */
  describe(): Promise<J>;
  stateOf(job: J): string;
  isFinal(job: J): boolean;
  onState?(job: J): void;
  /** Every description, after onState (a tuning job's trials change while its state does not). */
  onPoll?(job: J): void;
  pollMs?: number;
  signal?: AbortSignal;
}

export interface FollowOptions<J> extends FollowBase<J> {
  outputDir(job: J): string;
  onEvent?(event: TrainerEvent): void;
}

/** A tuning job's trials: each trial's run writes its own metrics.jsonl. */
export interface FollowTrialsOptions<J> extends FollowBase<J> {
  /** The trials known so far, with their output folders (new ones join as they appear). */
  trials(job: J): readonly { id: string; outputDir: string }[];
  onEvent?(trialId: string, event: TrainerEvent): void;
}

/** Follows a job until it ends; resolves with its final description. */
export function followJob<J>(storage: Storage, options: FollowOptions<J>): Promise<J> {
  const { outputDir, onEvent, ...base } = options;
  return followOutputs(storage, { ...base, outputs: (job) => [{ id: '', outputDir: outputDir(job) }], onEvent: (_, event) => onEvent?.(event) });
}

/** Follows a tuning job's trials until the job ends; resolves with its final description. */
export function followTrials<J>(storage: Storage, options: FollowTrialsOptions<J>): Promise<J> {
  const { trials, ...rest } = options;
  return followOutputs(storage, { ...rest, outputs: trials });
}

async function followOutputs<J>(
  storage: Storage,
  options: FollowBase<J> & { outputs(job: J): readonly { id: string; outputDir: string }[]; onEvent?(id: string, event: TrainerEvent): void },
): Promise<J> {
  const pollMs = options.pollMs ?? 2000;
  const tails = new Map<string, MetricsTail>();
  let lastState = '';
  const readAll = async (job: J): Promise<void> => {
    for (const { id, outputDir } of options.outputs(job)) {
      let tail = tails.get(id);
      if (!tail) tails.set(id, (tail = new MetricsTail(storage, outputDir)));
      for (const event of await tail.read()) options.onEvent?.(id, event);
    }
  };
  for (;;) {
    if (options.signal?.aborted) throw abortError(options.signal);
    const job = await options.describe();
    if (options.stateOf(job) !== lastState) {
      lastState = options.stateOf(job);
      options.onState?.(job);
    }
    options.onPoll?.(job);
    await readAll(job);
    if (options.isFinal(job)) {
      // The trainer's last copy may land just after the state changes.
      await readAll(job);
      return job;
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
