// Where a job's trainer writes (design.md): model/ to AIP_MODEL_DIR,
// checkpoints to AIP_CHECKPOINT_DIR, run.json and metrics.jsonl under the base
// output directory (the parent of AIP_MODEL_DIR) while it trains, so the
// editor can follow it. After a restart the run comes back from there.
import type { Storage } from '@google-cloud/storage';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunRecord, TrainerEvent } from '../../shared/events';
import { UserError, errorMessage } from '../../shared/errors';
import { ENV, JOB_METRICS_FILE, JOB_RUN_FILE } from '../../shared/vertexTraining';
import { isTempFolderName } from '../../core/atomicFolder';
import { CHECKPOINTS_FOLDER, METRICS_FILE, MODEL_FOLDER, RUN_FILE, runDir } from '../../core/runStore';
import { downloadFolder, gsFolder, listFolder, readObjectText, uploadFile, type GsLocation } from './gcs';

export interface JobOutputs {
  base: GsLocation;
  model: GsLocation;
  checkpoints: GsLocation;
}

export function jobOutputs(env: NodeJS.ProcessEnv): JobOutputs {
  const modelUri = env[ENV.modelDir];
  if (!modelUri) throw new UserError(`${ENV.modelDir} is not set: run the trainer image as a Vertex AI custom job with a base output directory`);
  const model = gsFolder(modelUri);
  const parent = model.path.replace(/[^/]+\/$/, '');
  const base = { bucket: model.bucket, path: parent };
  const checkpointUri = env[ENV.checkpointDir];
  return { base, model, checkpoints: checkpointUri ? gsFolder(checkpointUri) : { bucket: base.bucket, path: `${parent}checkpoints/` } };
}

function child(folder: GsLocation, name: string): GsLocation {
  return { bucket: folder.bucket, path: folder.path + name };
}

export type Restored = { kind: 'fresh' } | { kind: 'resume'; runId: string } | { kind: 'completed'; record: RunRecord };

/**
 * A job restarted (a Spot preemption, a crashed replica): the run it had
 * started comes back into `runsDir` from its checkpoints, to be resumed.
 */
export async function restoreRun(storage: Storage, outputs: JobOutputs, runsDir: string, log: (line: string) => void): Promise<Restored> {
  const text = await readObjectText(storage, child(outputs.base, JOB_RUN_FILE));
  if (text === undefined) return { kind: 'fresh' };
  const record = JSON.parse(text) as RunRecord;
  if (record.status === 'completed') return { kind: 'completed', record };
  const folder = runDir(runsDir, record.id);
  const names = await downloadFolder(storage, outputs.checkpoints, join(folder, CHECKPOINTS_FOLDER));
  if (names.length === 0) {
    log(`Run ${record.id} left no checkpoint in ${outputs.checkpoints.path}: training starts again.`);
    return { kind: 'fresh' };
  }
  const metrics = await readObjectText(storage, child(outputs.base, JOB_METRICS_FILE));
  if (metrics !== undefined) await writeFile(join(folder, METRICS_FILE), metrics);
  // The process that wrote it is gone: the run is stopped, and resumable.
  await writeFile(join(folder, RUN_FILE), JSON.stringify({ ...record, status: 'stopped', reason: 'The job restarted.' }, null, 2));
  log(`Resuming run ${record.id} from its checkpoints in gs://${outputs.checkpoints.bucket}/${outputs.checkpoints.path}`);
  return { kind: 'resume', runId: record.id };
}

/** How often run.json and metrics.jsonl are copied up while batches train. */
const SYNC_INTERVAL_MS = 2000;

type UploadKind = 'runFiles' | 'checkpoints';

/**
 * Copies the run folder's files up as the run goes; uploads run one at a
 * time, in order. Each kind of upload is queued at most once: one waiting
 * copy of the run files (or mirror of checkpoints/) takes whatever is newest
 * when it starts, so short epochs cannot pile up uploads the run never
 * catches up with, and a new checkpoint reaches the bucket after at most the
 * uploads already running.
 */
export class OutputSync {
  private chain: Promise<void> = Promise.resolve();
  private readonly queued = new Set<UploadKind>();
  private folder: string | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly storage: Storage,
    private readonly outputs: JobOutputs,
    private readonly runsDir: string,
    private readonly log: (line: string) => void,
  ) {}

  onEvent(event: TrainerEvent): void {
    this.folder ??= runDir(this.runsDir, event.runId);
    if (event.type === 'batchEnd') {
      this.timer ??= setTimeout(() => {
        this.timer = undefined;
        this.enqueue('runFiles');
      }, SYNC_INTERVAL_MS);
      return;
    }
    if (event.type === 'checkpointSaved') this.enqueue('checkpoints');
    this.enqueue('runFiles');
  }

  /** Uploads the model and the final run files; a failure here fails the job. */
  async finish(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.chain;
    if (!this.folder) return;
    const model = join(this.folder, MODEL_FOLDER);
    const names = await readdir(model).catch(() => []);
    for (const name of names) await uploadFile(this.storage, join(model, name), child(this.outputs.model, name));
    await this.uploadCheckpoints();
    await this.uploadRunFiles();
  }

  /** Queues an upload of that kind unless one is already waiting (it will see the newest files). */
  private enqueue(kind: UploadKind): void {
    if (this.queued.has(kind)) return;
    this.queued.add(kind);
    const upload = (): Promise<void> => {
      this.queued.delete(kind);
      return kind === 'checkpoints' ? this.uploadCheckpoints() : this.uploadRunFiles();
    };
    this.chain = this.chain.then(upload).catch((error: unknown) => this.log(`Could not copy the run's files to Cloud Storage (will retry): ${errorMessage(error)}`));
  }

  private async uploadRunFiles(): Promise<void> {
    if (!this.folder) return;
    await uploadFile(this.storage, join(this.folder, METRICS_FILE), child(this.outputs.base, JOB_METRICS_FILE));
    await uploadFile(this.storage, join(this.folder, RUN_FILE), child(this.outputs.base, JOB_RUN_FILE));
  }

  /**
   * Mirrors checkpoints/: new ones up, newest first (a restart resumes from
   * the newest), state.json last so a half-copied one never looks complete;
   * pruned ones deleted. A checkpoint the run prunes while it is being copied
   * is skipped, not a failure: with short epochs that happens every time.
   */
  private async uploadCheckpoints(): Promise<void> {
    if (!this.folder) return;
    const local = join(this.folder, CHECKPOINTS_FOLDER);
    await mkdir(local, { recursive: true });
    // Names order by progress (epoch-NNNN-step-NNNNNNNNN).
    const names = (await readdir(local)).filter((n) => !isTempFolderName(n)).sort().reverse();
    const remote = await listFolder(this.storage, this.outputs.checkpoints);
    const complete = new Set(remote.filter((name) => name.endsWith('/state.json')).map((name) => name.split('/')[0]));
    for (const name of names) {
      if (complete.has(name)) continue;
      try {
        const files = (await readdir(join(local, name))).sort((a, b) => Number(a === 'state.json') - Number(b === 'state.json'));
        for (const file of files) await uploadFile(this.storage, join(local, name, file), child(this.outputs.checkpoints, `${name}/${file}`));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
    const kept = new Set(await readdir(local));
    for (const name of remote) {
      if (!kept.has(name.split('/')[0])) await this.storage.bucket(this.outputs.checkpoints.bucket).file(this.outputs.checkpoints.path + name).delete({ ignoreNotFound: true });
    }
  }
}
