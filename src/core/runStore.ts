// Reading the run folders: `.model-studio/runs/<run-id>/` with run.json,
// metrics.jsonl, model/ and checkpoints/. Shared by the CLI, the extension
// and the trainer; never imports TF.js or vscode.
import { renameSync, writeFileSync } from 'node:fs';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunRecord, TrainerEvent } from '../shared/events';
import { isTrainerEvent } from '../shared/protocol/runEvents';
import { UserError } from '../shared/errors';
import { runLiveness } from './runLiveness';

export { isProcessAlive } from './runLiveness';

export const RUNS_FOLDER = join('.model-studio', 'runs');
export const RUN_FILE = 'run.json';
export const METRICS_FILE = 'metrics.jsonl';
export const MODEL_FOLDER = 'model';
export const CHECKPOINTS_FOLDER = 'checkpoints';

export function runsDirFor(workspaceFolder: string): string {
  return join(workspaceFolder, RUNS_FOLDER);
}

export function runDir(runsDir: string, runId: string): string {
  return join(runsDir, runId);
}

/**
 * A record says 'running' until its trainer writes the outcome; if that
 * trainer is gone (kill -9, power loss, a reused PID, a silent machine) the
 * run crashed. See runLiveness.ts for how that is told.
 */
export async function withDerivedStatus(record: RunRecord, runFolder: string, now = Date.now()): Promise<RunRecord> {
  if (record.status !== 'running') return record;
  const liveness = await runLiveness(record, runFolder, now);
  if (liveness.alive !== false) return record;
  return { ...record, status: 'crashed', reason: record.reason ?? liveness.reason };
}

export async function readRun(runsDir: string, runId: string): Promise<RunRecord> {
  return withDerivedStatus(await readRawRecord(runsDir, runId), runDir(runsDir, runId));
}

/** run.json as written, without the derived 'crashed'. */
async function readRawRecord(runsDir: string, runId: string): Promise<RunRecord> {
  const file = join(runDir(runsDir, runId), RUN_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new UserError(`No run '${runId}' in ${runsDir}: list runs with \`model-studio runs\`.`);
  }
  try {
    return JSON.parse(text) as RunRecord;
  } catch {
    throw new UserError(`${file} is not valid JSON: the run record is damaged; delete the run folder or restore the file.`);
  }
}

/** Every run in the folder, newest first. Unreadable folders are skipped. */
export async function listRuns(runsDir: string): Promise<RunRecord[]> {
  let entries: string[];
  try {
    entries = await readdir(runsDir);
  } catch {
    return [];
  }
  const records = await Promise.all(
    entries.map(async (id) => {
      try {
        return await readRun(runsDir, id);
      } catch {
        return undefined;
      }
    }),
  );
  return records
    .filter((r): r is RunRecord => r !== undefined)
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

/**
 * Parses metrics.jsonl. Lines are appended whole, but a killed process can
 * leave a torn last line: it is skipped, never fatal.
 */
export function parseEvents(text: string): TrainerEvent[] {
  const events: TrainerEvent[] = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    try {
      const value: unknown = JSON.parse(line);
      if (isTrainerEvent(value)) events.push(value);
    } catch {
      // torn line from a crash
    }
  }
  return events;
}

export async function readRunEvents(runsDir: string, runId: string): Promise<TrainerEvent[]> {
  try {
    return parseEvents(await readFile(join(runDir(runsDir, runId), METRICS_FILE), 'utf8'));
  } catch {
    return [];
  }
}

/** Replaces run.json whole (a temporary file renamed over it), so a reader never sees half a record. */
export function writeRecordFile(runFolder: string, record: RunRecord): void {
  const file = join(runFolder, RUN_FILE);
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify(record, null, 2) + '\n');
  renameSync(temp, file);
}

/**
 * Clears a run stuck as 'running' (`model-studio runs --mark-crashed`, the
 * extension's Mark Run as Crashed): writes it as crashed, so it can be resumed
 * or deleted. Refused while its trainer is known to be alive.
 */
export async function markRunCrashed(runsDir: string, runId: string, now = Date.now()): Promise<RunRecord> {
  const folder = runDir(runsDir, runId);
  const record = await readRawRecord(runsDir, runId);
  if (record.status !== 'running') throw new UserError(`Run '${runId}' is ${record.status}, not running: there is nothing to clear.`);
  const liveness = await runLiveness(record, folder, now);
  if (liveness.alive === true) {
    throw new UserError(`Run '${runId}' is still training (process ${record.pid} on ${record.hostname}): stop it instead.`);
  }
  const reason = liveness.alive === false ? liveness.reason : 'Marked as crashed by the user: its trainer could not be reached.';
  const crashed: RunRecord = { ...record, status: 'crashed', reason, endedAt: new Date(now).toISOString(), updatedAt: new Date(now).toISOString() };
  writeRecordFile(folder, crashed);
  return crashed;
}

/** Writes every run whose trainer is gone as crashed (`model-studio runs --clear-stale`); returns those. */
export async function clearStaleRuns(runsDir: string, now = Date.now()): Promise<RunRecord[]> {
  const cleared: RunRecord[] = [];
  for (const record of await listRuns(runsDir)) {
    if (record.status !== 'crashed') continue;
    const raw = await readRawRecord(runsDir, record.id).catch(() => undefined);
    if (raw?.status !== 'running') continue;
    cleared.push(await markRunCrashed(runsDir, record.id, now));
  }
  return cleared;
}

export async function deleteRun(runsDir: string, runId: string): Promise<void> {
  const record = await readRun(runsDir, runId);
  if (record.status === 'running') {
    throw new UserError(`Run '${runId}' is still training: stop it before deleting it.`);
  }
  await rm(runDir(runsDir, runId), { recursive: true, force: true });
}
