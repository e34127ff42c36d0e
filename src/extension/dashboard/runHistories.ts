// Reads what the dashboard restores from the run folders (no vscode here).
// Only records and events that pass the protocol's guards are sent: the
// webview ignores a message with anything else in it.
import { listRuns, readRun, readRunEvents } from '../../core/runStore';
import type { RunRecord } from '../../shared/events';
import { bestKnownAccuracy } from '../../shared/metrics';
import type { RunHistory, RunSummary } from '../../shared/protocol/dashboard';
import { isRunRecord } from '../../shared/protocol/runEvents';

/** The picker lists this many of the newest runs. */
const MAX_AVAILABLE = 200;

/** run.json when it exists and reads as a run record. */
async function readValidRun(runsDir: string, runId: string): Promise<RunRecord | undefined> {
  const record = await readRun(runsDir, runId).catch(() => undefined);
  return isRunRecord(record) ? record : undefined;
}

/** Every event of each run (metrics.jsonl keeps only valid ones); a run whose run.json is not there yet comes back with no record. */
export async function loadRunHistories(runsDir: string, runIds: readonly string[]): Promise<RunHistory[]> {
  return Promise.all(
    runIds.map(async (runId) => {
      const [record, events] = await Promise.all([readValidRun(runsDir, runId), readRunEvents(runsDir, runId)]);
      return { runId, record, events };
    }),
  );
}

export async function loadRecords(runsDir: string, runIds: readonly string[]): Promise<RunRecord[]> {
  const records = await Promise.all(runIds.map((id) => readValidRun(runsDir, id)));
  return records.filter((r): r is RunRecord => r !== undefined);
}

export function toSummary(record: RunRecord): RunSummary {
  return { id: record.id, name: record.name, status: record.status, createdAt: record.createdAt, accuracy: bestKnownAccuracy(record)?.value };
}

/** Runs on disk, newest first, for the compare picker. */
export async function loadAvailable(runsDir: string): Promise<RunSummary[]> {
  return (await listRuns(runsDir)).filter(isRunRecord).slice(0, MAX_AVAILABLE).map(toSummary);
}
