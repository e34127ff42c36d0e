// Reads what the dashboard restores from the run folders (no vscode here).
import { listRuns, readRun, readRunEvents } from '../../core/runStore';
import type { RunRecord } from '../../shared/events';
import { bestKnownAccuracy } from '../../shared/metrics';
import type { RunHistory, RunSummary } from '../../shared/protocol/dashboard';

/** The picker lists this many of the newest runs. */
const MAX_AVAILABLE = 200;

/** Every event of each run; a run whose run.json is not there yet comes back with no record. */
export async function loadRunHistories(runsDir: string, runIds: readonly string[]): Promise<RunHistory[]> {
  return Promise.all(
    runIds.map(async (runId) => {
      const [record, events] = await Promise.all([readRun(runsDir, runId).catch(() => undefined), readRunEvents(runsDir, runId)]);
      return { runId, record, events };
    }),
  );
}

export async function loadRecords(runsDir: string, runIds: readonly string[]): Promise<RunRecord[]> {
  const records = await Promise.all(runIds.map((id) => readRun(runsDir, id).catch(() => undefined)));
  return records.filter((r): r is RunRecord => r !== undefined);
}

export function toSummary(record: RunRecord): RunSummary {
  return { id: record.id, name: record.name, status: record.status, createdAt: record.createdAt, accuracy: bestKnownAccuracy(record)?.value };
}

/** Runs on disk, newest first, for the compare picker. */
export async function loadAvailable(runsDir: string): Promise<RunSummary[]> {
  return (await listRuns(runsDir)).slice(0, MAX_AVAILABLE).map(toSummary);
}
