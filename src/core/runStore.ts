// Reading the run folders: `.model-studio/runs/<run-id>/` with run.json,
// metrics.jsonl, model/ and checkpoints/. Shared by the CLI, the extension
// and the trainer; never imports TF.js or vscode.
import { readdir, readFile, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { RunRecord, TrainerEvent } from '../shared/events';
import { isTrainerEvent } from '../shared/protocol/runEvents';
import { UserError } from '../shared/errors';

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

/** True while the process that wrote the record can still be running. */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A record says 'running' until its trainer writes the outcome; if that
 * process is gone (kill -9, power loss) the run crashed. Records from another
 * machine (a shared folder) cannot be checked and stay as written.
 */
export function withDerivedStatus(record: RunRecord): RunRecord {
  if (record.status === 'running' && record.hostname === hostname() && !isProcessAlive(record.pid)) {
    return { ...record, status: 'crashed', reason: record.reason ?? 'The trainer process ended without finishing the run.' };
  }
  return record;
}

export async function readRun(runsDir: string, runId: string): Promise<RunRecord> {
  const file = join(runDir(runsDir, runId), RUN_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new UserError(`No run '${runId}' in ${runsDir}: list runs with \`model-studio runs\`.`);
  }
  try {
    return withDerivedStatus(JSON.parse(text) as RunRecord);
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

export async function deleteRun(runsDir: string, runId: string): Promise<void> {
  const record = await readRun(runsDir, runId);
  if (record.status === 'running') {
    throw new UserError(`Run '${runId}' is still training: stop it before deleting it.`);
  }
  await rm(runDir(runsDir, runId), { recursive: true, force: true });
}
